package dev.tinysim.emulator.engine;

import dev.tinysim.emulator.engine.unicorn.UnicornEngine;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine contract: memory, registers, hooks with closeable handles, MMIO, traps, errors. */
class UnicornEngineTest {
    /** 0: movs r0,#1; movs r1,#2; adds r2,r0,r1; b 0x14; six nops; 0x14: movs r3,#7; bkpt 0x01 */
    private static final byte[] STRAIGHT = HexFormat.of().parseHex("01200221421805e000bf00bf00bf00bf00bf00bf072301be");

    private static UnicornEngine engineWithFlash(byte[] code) {
        UnicornEngine e = UnicornEngine.openCortexM4();
        e.mapMemory(0, 0x10000, EnumSet.of(Access.READ, Access.FETCH));
        e.mapMemory(0x20000000L, 0x10000, EnumSet.allOf(Access.class));
        e.writeMemory(0, code);
        e.write(Reg.SP, 0x20010000L);
        return e;
    }

    @Test
    void registersReadBackWhatWasWritten() {
        try (UnicornEngine e = UnicornEngine.openCortexM4()) {
            for (int i = 0; i <= 12; i++) {
                e.write(Reg.core(i), 0x1000L * i + 7);
            }
            e.write(Reg.S5, 0x3FC00000L);
            for (int i = 0; i <= 12; i++) {
                assertEquals(0x1000L * i + 7, e.read(Reg.core(i)), "r" + i);
            }
            assertEquals(0x3FC00000L, e.read(Reg.S5));
        }
    }

    @Test
    void hostMemoryIsTheEmulatedMemory() {
        try (UnicornEngine e = UnicornEngine.openCortexM4()) {
            HostMemory ram = e.mapMemory(0x20000000L, 0x1000, EnumSet.allOf(Access.class));
            ram.write32(0x20000010L, 0xCAFEBABE);
            byte[] seen = new byte[4];
            e.readMemory(0x20000010L, seen);
            assertArrayEquals(new byte[]{(byte) 0xBE, (byte) 0xBA, (byte) 0xFE, (byte) 0xCA}, seen);
            HostMemory alias = e.mapAlias(0x00800000L, ram, EnumSet.allOf(Access.class));
            assertEquals(0xCAFEBABE, alias.read32(0x00800010L), "an alias shows the same bytes");
        }
    }

    @Test
    void blockHookSeesEveryBlockAndClosingTheHandleRemovesIt() {
        try (UnicornEngine e = engineWithFlash(STRAIGHT)) {
            List<String> blocks = new ArrayList<>();
            HookHandle h = e.onBlock((address, size) -> blocks.add(address + ":" + size));
            e.onInterrupt(trap -> e.stop());
            EngineStop stop = e.run(0, 0xFFFFFFFFL);
            assertEquals(EngineStop.Kind.STOPPED, stop.kind());
            assertEquals(List.of("0:8", "20:4"), blocks, "two blocks: up to the branch, then to the BKPT");
            assertEquals(3, e.read(Reg.R2));
            assertEquals(7, e.read(Reg.R3));
            h.close();
            h.close();   // closing twice is harmless
            blocks.clear();
            e.run(0, 0xFFFFFFFFL);
            assertEquals(List.of(), blocks, "a closed hook is not called");
        }
    }

    @Test
    void codeHookSeesEachInstructionInItsRange() {
        try (UnicornEngine e = engineWithFlash(STRAIGHT)) {
            List<Long> seen = new ArrayList<>();
            e.onInstruction(2, 4, (address, size) -> seen.add(address));
            e.onInterrupt(trap -> e.stop());
            e.run(0, 0xFFFFFFFFL);
            assertEquals(List.of(2L, 4L), seen);
        }
    }

    @Test
    void breakpointTrapReportsThePcOfTheBkpt() {
        try (UnicornEngine e = engineWithFlash(STRAIGHT)) {
            List<String> traps = new ArrayList<>();
            e.onInterrupt(trap -> {
                traps.add(trap + "@" + e.read(Reg.PC));
                e.stop();
            });
            e.run(0, 0xFFFFFFFFL);
            assertEquals(List.of("BREAKPOINT@22"), traps);
        }
    }

    @Test
    void mmioCallbacksSeeOffsetsSizesAndValues() {
        // ldr r1, [r0]; str r2, [r0, #4]; strb r2, [r0, #9]; bkpt
        byte[] code = HexFormat.of().parseHex("01684260427201be");
        try (UnicornEngine e = engineWithFlash(code)) {
            List<String> log = new ArrayList<>();
            e.mapMmio(0x40000000L, 0x1000, new MmioHandler() {
                @Override
                public long read(long offset, int size) {
                    log.add("r" + offset + "/" + size);
                    return 0x55AA;
                }

                @Override
                public void write(long offset, int size, long value) {
                    log.add("w" + offset + "/" + size + "=" + Long.toHexString(value));
                }
            });
            e.write(Reg.R0, 0x40000000L);
            e.write(Reg.R2, 0x12345678L);
            e.onInterrupt(trap -> e.stop());
            e.run(0, 0xFFFFFFFFL);
            assertEquals(List.of("r0/4", "w4/4=12345678", "w9/1=78"), log);
            assertEquals(0x55AA, e.read(Reg.R1));
        }
    }

    @Test
    void unmappedAccessGoesToTheInvalidMemoryHookAndStopsTheRun() {
        // ldr r1, [r0]; bkpt
        byte[] code = HexFormat.of().parseHex("016801be");
        try (UnicornEngine e = engineWithFlash(code)) {
            List<String> faults = new ArrayList<>();
            e.onInvalidMemory((kind, address, size, value) -> {
                faults.add(kind + "@" + Long.toHexString(address));
                return false;
            });
            e.write(Reg.R0, 0x30000000L);
            EngineStop stop = e.run(0, 0xFFFFFFFFL);
            assertEquals(List.of("READ_UNMAPPED@30000000"), faults);
            assertEquals(EngineStop.Kind.READ_UNMAPPED, stop.kind());
            assertTrue(stop.message().contains("UC_ERR_READ_UNMAPPED"), stop.message());
        }
    }

    @Test
    void engineErrorsCarryUnicornsOwnText() {
        try (UnicornEngine e = UnicornEngine.openCortexM4()) {
            e.mapMemory(0x20000000L, 0x1000, EnumSet.allOf(Access.class));
            EngineException ex = assertThrows(EngineException.class,
                    () -> e.mapMemory(0x20000000L, 0x1000, EnumSet.allOf(Access.class)));
            assertTrue(ex.getMessage().contains("Invalid memory mapping (UC_ERR_MAP)"), ex.getMessage());
        }
    }

    @Test
    void anExceptionInAHookStopsTheRunAndIsRethrownNotACrash() {
        try (UnicornEngine e = engineWithFlash(STRAIGHT)) {
            e.onBlock((address, size) -> {
                throw new IllegalStateException("hook failed on purpose");
            });
            IllegalStateException ex = assertThrows(IllegalStateException.class, () -> e.run(0, 0xFFFFFFFFL));
            assertEquals("hook failed on purpose", ex.getMessage());
        }
    }

    @Test
    void aClosedEngineRefusesWork() {
        UnicornEngine e = UnicornEngine.openCortexM4();
        e.close();
        e.close();
        assertThrows(EngineException.class, () -> e.mapMemory(0, 0x1000, EnumSet.allOf(Access.class)));
    }

    /**
     * The core is a Cortex-M4 (not Unicorn's M-class default, the M33) with the DSP extension:
     * SMLAD, SXTB16, QADD16 and SSAT give the architecture's results.
     */
    @Test
    void dspInstructionsGiveCortexM4Results() {
        // smlad r4,r0,r1,r2; sxtb16 r5,r3; qadd16 r6,r7,r8; ssat r9,#8,r10; vmov s0,r0; bkpt 1
        byte[] code = HexFormat.of().parseHex("20fb01242ffa83f597fa18f60af3070900ee100a01be");
        try (UnicornEngine e = engineWithFlash(code)) {
            e.write(Reg.R0, 0x00030002L);       // halves (3, 2)
            e.write(Reg.R1, 0xFFFB0004L);       // halves (-5, 4)
            e.write(Reg.R2, 100);
            e.write(Reg.R3, 0x80FF7F01L);       // bytes 0x01, 0x7F, 0xFF, 0x80
            e.write(Reg.R7, 0x7FFF8000L);       // halves (32767, -32768)
            e.write(Reg.R8, 0x0001FFFFL);       // halves (1, -1)
            e.write(Reg.R10, 100000);
            e.onInterrupt(trap -> e.stop());
            e.run(0, 0xFFFFFFFFL);
            assertEquals(2 * 4 + 3 * -5 + 100, (int) e.read(Reg.R4), "SMLAD: 2*4 + 3*(-5) + 100");
            assertEquals(0xFFFF0001L, e.read(Reg.R5), "SXTB16: byte 0 (0x01) -> 1, byte 2 (0xFF) -> -1");
            assertEquals(0x7FFF8000L, e.read(Reg.R6), "QADD16: both halves saturate");
            assertEquals(127, e.read(Reg.R9), "SSAT #8 of 100000");
            assertEquals(0x00030002L, e.read(Reg.S0), "VMOV runs: the FPU exists on the M4F model");
        }
    }

    /** Opening and closing many engines must not leak native memory (each maps 1.25 MB). */
    @Test
    void manyEnginesDoNotLeak() throws Exception {
        for (int i = 0; i < 20; i++) {
            try (UnicornEngine e = engineWithFlash(STRAIGHT)) {
                e.mapMemory(0x10000000L, 0x100000, EnumSet.allOf(Access.class));
            }
        }
        long before = residentKb();
        for (int i = 0; i < 300; i++) {
            try (UnicornEngine e = engineWithFlash(STRAIGHT)) {
                e.mapMemory(0x10000000L, 0x100000, EnumSet.allOf(Access.class));
                e.onBlock((a, s) -> { });
                e.onInterrupt(t -> e.stop());
                e.run(0, 0xFFFFFFFFL);
            }
        }
        long after = residentKb();
        // 300 leaked engines would hold at least 300 x 1.1 MB = 330 MB.
        assertTrue(after - before < 100_000, "resident memory grew by " + (after - before) + " KB over 300 engines");
    }

    private static long residentKb() throws Exception {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }
}
