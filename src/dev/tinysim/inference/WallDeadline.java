package dev.tinysim.inference;

import dev.tinysim.emulator.machine.Machine;

import java.util.function.Consumer;

/**
 * The wall-clock limit of an inference ({@link InferenceOptions#timeoutMillis}, {@code --timeout} of run --model, compare
 * and sweep): one deadline from the start of the first firmware run (after the model is read and checked); a rerun on
 * enlarged memory gets what is left of it. A run that passes it ends with result {@code timeout}, exit 94.
 */
final class WallDeadline {
    private WallDeadline() {
    }

    /** {@code then} (null: nothing) preceded by setting each machine's wall-clock limit; {@code then} itself without a limit. */
    static Consumer<Machine> around(long timeoutMillis, Consumer<Machine> then) {
        if (timeoutMillis <= 0) {
            return then;
        }
        long[] deadline = {0};
        return machine -> {
            if (deadline[0] == 0) {
                deadline[0] = System.nanoTime() + timeoutMillis * 1_000_000L;
                machine.setWallTimeout(timeoutMillis);
            } else {
                machine.setWallTimeout(Math.max(1, (deadline[0] - System.nanoTime()) / 1_000_000L));
            }
            if (then != null) {
                then.accept(machine);
            }
        };
    }
}
