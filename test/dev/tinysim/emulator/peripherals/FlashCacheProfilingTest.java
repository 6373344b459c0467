package dev.tinysim.emulator.peripherals;

import dev.tinysim.boards.Boards;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.core.RunOutcome;
import dev.tinysim.emulator.core.Semihosting;
import dev.tinysim.emulator.machine.Machine;
import dev.tinysim.emulator.machine.MachineOptions;
import dev.tinysim.emulator.machine.RunResult;
import dev.tinysim.emulator.timing.TimingModels;
import dev.tinysim.firmware.FirmwareImage;
import dev.tinysim.support.TinyElf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import dev.tinysim.support.Cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NVMC cache profiling: with ICACHECNF.CACHEEN and CACHEPROFEN set, IHIT and IMISS count the hits
 * and misses of the instruction cache (boards/nrf52840.json: 2 KB, 2-way, 16-byte lines, LRU),
 * one per 32-bit fetch; profiling does not change the cycles.
 */
class FlashCacheProfilingTest {
    @TempDir
    Path dir;

    /**
     * Hand-assembled Thumb: ICACHECNF = (1 << 8 when profiling) | 1, a 100-iteration countdown
     * loop, then IHIT and IMISS stored at 0x20000000 / 0x20000004 and SYS_EXIT through semihosting.
     */
    private static byte[] program(boolean profile) {
        int[] halfwords = {
                0x4807,                      // 0x08 ldr r0, =0x4001E540 (NVMC ICACHECNF)
                0x2101,                      // 0x0A movs r1, #1
                profile ? 0x0209 : 0x0009,   // 0x0C lsls r1, r1, #8  (or #0)
                profile ? 0x3101 : 0x3100,   // 0x0E adds r1, #1      (or #0): 0x101 or 0x001
                0x6001,                      // 0x10 str r1, [r0]
                0x2264,                      // 0x12 movs r2, #100
                0x3A01,                      // 0x14 subs r2, #1
                0xD1FD,                      // 0x16 bne 0x14
                0x6883,                      // 0x18 ldr r3, [r0, #8]   IHIT
                0x68C4,                      // 0x1A ldr r4, [r0, #12]  IMISS
                0x4D03,                      // 0x1C ldr r5, =0x20000000
                0x602B,                      // 0x1E str r3, [r5]
                0x606C,                      // 0x20 str r4, [r5, #4]
                0x2018,                      // 0x22 movs r0, #0x18 (SYS_EXIT)
                0x4902,                      // 0x24 ldr r1, =0x20026 (ADP_Stopped_ApplicationExit)
                0xBEAB,                      // 0x26 bkpt 0xab
        };
        ByteBuffer b = ByteBuffer.allocate(0x34).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x20001000).putInt(0x09);
        for (int h : halfwords) {
            b.putShort((short) h);
        }
        b.putInt(0x4001E540).putInt(0x20000000).putInt(0x20026);
        return b.array();
    }

    private record Result(RunResult run, long ihit, long imiss) {
    }

    private Result run(boolean profile) throws Exception {
        Board board = Boards.load("nrf52840", false);
        Path elf = TinyElf.write(dir, profile + ".elf", TinyElf.build(new TinyElf.Segment(0, program(profile))));
        MachineOptions options = new MachineOptions(TimingModels.create("cortex-m4", board), (s, bytes, o, l) -> { },
                null, "x", false, 1_000_000L, new Semihosting.HeapInfo(0, 0, 0, 0), m -> { });
        try (Machine m = Machine.create(board, options)) {
            m.load(FirmwareImage.read(elf).segments());
            m.boot();
            RunResult r = m.run();
            return new Result(r, m.memory().read32(0x20000000L), m.memory().read32(0x20000004L));
        }
    }

    @Test
    void ihitAndImissCountTheCacheWhileProfilingAndTheCyclesDoNotChange() throws Exception {
        Result on = run(true);
        Result off = run(false);
        assertTrue(on.run().outcome() instanceof RunOutcome.Exited, on.run().outcome().toString());
        // Profiling starts inside the first block (0x08-0x17), which was fetched before it started.
        // Then the loop block 0x14-0x17 (one word, line 0x10) runs 99 times: 1 miss, 98 hits; the
        // block from 0x18 to the BKPT at 0x26 is fetched when it starts, before its loads: words
        // 0x18 and 0x1C hit line 0x10, 0x20 misses line 0x20, 0x24 hits it.
        assertEquals(98 + 3, on.ihit());
        assertEquals(1 + 1, on.imiss());
        assertEquals(0, off.ihit(), "CACHEPROFEN clear: IHIT does not count");
        assertEquals(off.run().instructions(), on.run().instructions());
        assertEquals(off.run().cycles(), on.run().cycles(), "profiling the cache does not change the timing");
    }

    /**
     * The icache image (firmware-images/icache): a loop of 512 NOPs and one of 1536, each closed by
     * SUBS and a BNE.W (the target is beyond a 16-bit branch's reach). Per iteration the short loop
     * fetches 256 + 2 words and touches 65 lines (64 of NOPs and the one holding SUBS;BNE.W); the
     * long one 768 + 2 words and 193 lines. The block after the loop (5 words, up to the POP) is
     * fetched before it reads the counters: it shares the SUBS line and ends in the next one.
     * <ul>
     * <li>fits x1, cold: every line misses once: 64 + 1 + 1 = 66 misses; 258 + 5 - 66 = 197 hits.</li>
     * <li>fits x11, warm (the same lines stay cached): 0 misses, 11 x 258 + 5 = 2843 hits.</li>
     * <li>thrash x1: 192 + 1 + 1 = 194 misses, 770 + 5 - 194 = 581 hits.</li>
     * <li>thrash x11: 193 lines over 64 two-way LRU sets: 3 or 4 per set, so every line misses
     *     every iteration (11 x 193), and the post-loop line was evicted (+1): 2124 misses;
     *     11 x 770 + 5 - 2124 = 6351 hits.</li>
     * </ul>
     * Cycles: 3 (the B into the loop and the t1 load) + iterations x (NOPs + SUBS + BNE.W taken, 2)
     * + misses x 9, the line fill of boards/nrf52840.json: 4 fetches of 1 + 2 wait states, less
     * the 4 cycles the core spends on the words, plus the miss's extra cycle (docs/timing-model.md).
     * With profiling off the counters keep what was written to them (0) while the cache keeps
     * working: the short loop, evicted by the long one, misses its 66 lines again.
     */
    @Test
    void aLoopThatFitsTheCacheHitsAndOneThatDoesNotMisses() {
        Cli.Result r = Cli.run("run", "icache", "--board", "nrf52840");
        assertEquals(0, r.exitCode(), r.out());
        int miss = 9;
        assertTrue(r.out().startsWith(
                "fits x1: ihit 197 imiss 66 cycles " + (3 + 515 + 66 * miss) + "\n"
                + "fits x11: ihit 2843 imiss 0 cycles " + (3 + 11 * 515) + "\n"
                + "thrash x1: ihit 581 imiss 194 cycles " + (3 + 1539 + 194 * miss) + "\n"
                + "thrash x11: ihit 6351 imiss 2124 cycles " + (3 + 11 * 1539 + 2124 * miss) + "\n"
                + "unprofiled x11: ihit 0 imiss 0 cycles " + (3 + 11 * 515 + 66 * miss) + "\n"), r.out());
    }
}
