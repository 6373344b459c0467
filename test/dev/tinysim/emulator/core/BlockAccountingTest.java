package dev.tinysim.emulator.core;

import dev.tinysim.boards.Boards;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.machine.Machine;
import dev.tinysim.emulator.machine.MachineOptions;
import dev.tinysim.emulator.machine.RunResult;
import dev.tinysim.emulator.timing.TimingModels;
import dev.tinysim.firmware.FirmwareImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-block accounting is exact: it equals a count of every instruction the engine executes
 * (plus IT instructions, which the engine does not hook), and the native fast path and the Java
 * path give identical instruction and cycle counts, under every timing model.
 */
class BlockAccountingTest {
    record Run(RunResult result, String console, long hooked, long itInstructions, boolean nativeHook, long hookedIt) {
    }

    static Run run(String image, String board, String timing, String cmdline, boolean nativeHook, boolean countEach) throws Exception {
        Board b = Boards.load(board, false);
        FirmwareImage fw = FirmwareImage.read(Path.of("firmware-images/prebuilt", image));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        MachineOptions options = new MachineOptions(TimingModels.create(timing, b), (s, bytes, o, l) -> console.write(bytes, o, l),
                null, "x " + cmdline, false, 2_000_000_000L, new Semihosting.HeapInfo(0, 0, 0, 0), m -> { });
        String before = System.getProperty("tinysim.nativeHook");
        System.setProperty("tinysim.nativeHook", Boolean.toString(nativeHook));
        try (Machine m = Machine.create(b, options)) {
            m.load(fw.segments());
            m.boot();
            long[] hooked = {0, 0};
            if (countEach) {
                m.core().setInstructionListener((address, size, cycles) -> {
                    var in = m.core().decodedAt(address);
                    if (in == null || !(in.name().equals("it") || in.inItBlock())) {
                        hooked[0]++;
                    } else {
                        hooked[1]++;
                    }
                });
            }
            RunResult r = m.run();
            return new Run(r, console.toString(), hooked[0], m.core().itInstructions(), m.core().nativeBlockHook(), hooked[1]);
        } finally {
            if (before == null) {
                System.clearProperty("tinysim.nativeHook");
            } else {
                System.setProperty("tinysim.nativeHook", before);
            }
        }
    }

    @ParameterizedTest(name = "{0} {3}")
    @CsvSource({
            "selftest-m4f.elf, nrf52840, instructions, ''",
            "selftest-m4.elf, nrf52840-nofpu, instructions, ''",
            "bench-m4f.elf, nrf52840, instructions, ''",
            "faults-m4f.elf, nrf52840, instructions, svc",
            "faults-m4f.elf, nrf52840, instructions, semihosting"})
    void blockCountsEqualAnInstructionByInstructionCount(String image, String board, String timing, String cmd) throws Exception {
        Run fast = run(image, board, timing, cmd, true, false);
        Run each = run(image, board, timing, cmd, true, true);
        assertEquals(fast.result().instructions(), each.result().instructions(), "same run with and without the listener");
        assertTrue(each.itInstructions() >= each.hookedIt(), "the engine hooks at most the IT-block instructions executed");
        assertEquals(each.result().instructions(), each.hooked() + each.itInstructions(),
                "every instruction outside IT blocks was hooked once; IT blocks are counted from their decoding");
        assertEquals(fast.console(), each.console());
    }

    @Test
    void theNativeHookIsUsedOnThisMachine() throws Exception {
        String arch = System.getProperty("os.arch");
        Run r = run("selftest-m4f.elf", "nrf52840", "instructions", "", true, false);
        assertEquals(arch.equals("amd64") || arch.equals("x86_64"), r.nativeHook(), "native block hook on x86-64 Linux");
        assertTrue(!run("selftest-m4f.elf", "nrf52840", "instructions", "", false, false).nativeHook());
    }

    @Test
    void nativeAndJavaPathsAgreeExactlyUnderEveryTimingModel() throws Exception {
        // icache turns the NVMC instruction cache on: hits, misses and the inline fast path of the native hook
        List<String> images = List.of("selftest-m4f.elf", "bench-m4f.elf", "faults-m4f.elf", "icache-m4f.elf");
        List<String> mismatches = new ArrayList<>();
        for (String timing : TimingModels.names()) {
            for (String image : images) {
                Run a = run(image, "nrf52840", timing, "svc", true, false);
                Run b = run(image, "nrf52840", timing, "svc", false, false);
                if (a.result().instructions() != b.result().instructions() || a.result().cycles() != b.result().cycles()
                        || !a.console().equals(b.console())) {
                    mismatches.add(image + " " + timing + ": native " + a.result().instructions() + "/" + a.result().cycles()
                            + " java " + b.result().instructions() + "/" + b.result().cycles());
                }
            }
        }
        assertEquals(List.of(), mismatches);
    }

    /**
     * The timing cases exercise the run-time parts of the cycle model that both paths carry: the fall-through
     * carry across a 1 KB block boundary (ldr_ldr_split, vadd_dependent_split), unaligned loads charged by the
     * data programs, IT-conditional loads timed by their hook. Every printed case value and the totals agree.
     */
    @Test
    void nativeAndJavaPathsAgreeOnTheTimingCases() throws Exception {
        Run a = run("timing-m4f.elf", "nrf52840", "cortex-m4", "cases", true, false);
        Run b = run("timing-m4f.elf", "nrf52840", "cortex-m4", "cases", false, false);
        assertTrue(!b.nativeHook());
        assertTrue(a.console().contains("case ldr_ldr_split cycles=3") && a.console().contains("case ldr_unaligned_byte cycles=4"),
                a.console());
        assertEquals(a.console(), b.console());
        assertEquals(a.result().cycles(), b.result().cycles());
        assertEquals(a.result().instructions(), b.result().instructions());
    }
}
