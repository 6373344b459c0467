package dev.tinysim.emulator.engine.unicorn;

import dev.tinysim.support.Toolchain;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The machine code embedded in NativeBlockHook is what emulator/dev/tinysim/emulator/engine/unicorn/block_hook.c compiles to. */
class NativeBlockHookTest {
    @Test
    void embeddedCodeIsTheCompiledSource() throws Exception {
        Assumptions.assumeTrue(gccAvailable(), "gcc is not installed");
        Toolchain.Output out = Toolchain.run(List.of("bash", "emulator/dev/tinysim/emulator/engine/unicorn/gen-block-hook.sh"));
        assertEquals(0, out.exitCode(), out.text());
        List<Integer> generated = new ArrayList<>();
        for (String token : out.text().split("[,\\s]+")) {
            if (token.startsWith("0x")) {
                generated.add(Integer.parseInt(token.substring(2), 16));
            }
        }
        List<Integer> embedded = new ArrayList<>();
        for (byte b : NativeBlockHook.CODE) {
            embedded.add(b & 0xFF);
        }
        assertEquals(generated, embedded, "regenerate NativeBlockHook.CODE with emulator/dev/tinysim/emulator/engine/unicorn/gen-block-hook.sh");
    }

    private static boolean gccAvailable() {
        try {
            return Toolchain.run(List.of("gcc", "--version")).exitCode() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
