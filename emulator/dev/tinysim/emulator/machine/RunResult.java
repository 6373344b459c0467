package dev.tinysim.emulator.machine;

import dev.tinysim.emulator.bus.UnmodelledAccessLog;
import dev.tinysim.emulator.core.RunOutcome;

import java.util.List;
import java.util.Map;

/**
 * What a run produced.
 *
 * @param outcome         how it ended
 * @param instructions    instructions executed
 * @param cycles          core cycles of simulated time (instructions under the instruction-count model)
 * @param clockHz         the board's core clock, to turn cycles into time
 * @param sleepCycles     cycles spent asleep (WFI/WFE, or a spin skipped to the next event)
 * @param exceptions      exceptions and interrupts taken
 * @param unmodelled      accesses to registers tinysim does not model
 * @param registers       core registers when the run ended (PC is the faulting instruction after a fault)
 * @param wallNanos       host time the run took
 */
public record RunResult(RunOutcome outcome, long instructions, long cycles, long clockHz, long sleepCycles,
                        long exceptions, List<UnmodelledAccessLog.Entry> unmodelled, Map<String, Long> registers,
                        long wallNanos) {
    public double milliseconds() {
        return cycles * 1000.0 / clockHz;
    }
}
