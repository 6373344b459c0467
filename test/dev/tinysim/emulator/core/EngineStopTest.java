package dev.tinysim.emulator.core;

import dev.tinysim.boards.Boards;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.engine.Access;
import dev.tinysim.emulator.engine.EngineFactory;
import dev.tinysim.emulator.engine.EngineStop;
import dev.tinysim.emulator.engine.HookHandle;
import dev.tinysim.emulator.engine.Hooks;
import dev.tinysim.emulator.engine.unicorn.UnicornEngine;
import dev.tinysim.emulator.machine.Machine;
import dev.tinysim.emulator.machine.MachineOptions;
import dev.tinysim.emulator.machine.RunResult;
import dev.tinysim.emulator.timing.TimingModels;
import dev.tinysim.firmware.FirmwareImage;
import dev.tinysim.firmware.Symbolizer;
import dev.tinysim.run.OutcomeDescriber;
import dev.tinysim.support.TinyElf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * How the core reads the engine's stops that no hook explained: a memory stop with no fault recorded
 * keeps its access kind (and the fetch its address), and a WFI the engine reports as an invalid
 * instruction sleeps like any WFI. The engine is the real one behind a {@link ForwardingEngine} that
 * behaves as an engine may where Unicorn 2 here does not (no memory hook call; WFI as undefined).
 */
class EngineStopTest {
    @TempDir
    Path dir;

    /** A vector table (SP 0x20001000, reset at 0x08) then the halfwords at 0x08, then literal words. */
    private static byte[] program(int[] halfwords, int... words) {
        ByteBuffer b = ByteBuffer.allocate(8 + 2 * halfwords.length + 4 * words.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x20001000).putInt(0x09);
        for (int h : halfwords) {
            b.putShort((short) h);
        }
        for (int w : words) {
            b.putInt(w);
        }
        return b.array();
    }

    private record Run(RunResult result, long word0, long word1) {
    }

    private RunResult run(byte[] program, String timing, EngineFactory engine) throws Exception {
        return runReading(program, timing, engine).result();
    }

    /** Runs, then reads the RAM words at 0x20000000 and 0x20000004. */
    private Run runReading(byte[] program, String timing, EngineFactory engine) throws Exception {
        Board board = Boards.load("nrf52840", false);
        Path elf = TinyElf.write(dir, "p.elf", TinyElf.build(new TinyElf.Segment(0, program)));
        MachineOptions options = new MachineOptions(TimingModels.create(timing, board), (s, bytes, o, l) -> { },
                null, "x", false, 1_000_000L, new Semihosting.HeapInfo(0, 0, 0, 0), m -> { }, engine);
        try (Machine m = Machine.create(board, options)) {
            m.load(FirmwareImage.read(elf).segments());
            m.boot();
            RunResult r = m.run();
            return new Run(r, m.memory().read32(0x20000000L), m.memory().read32(0x20000004L));
        }
    }

    /** An engine that stops on a bad access without calling the invalid-memory hook first. */
    private static final EngineFactory NO_MEMORY_HOOK = () -> new ForwardingEngine(UnicornEngine.openCortexM4()) {
        @Override
        public HookHandle onInvalidMemory(Hooks.InvalidMemoryHook hook) {
            return () -> { };
        }
    };

    /**
     * 0x08 movs r2, #5; adds r2, #1; ldr r0, =0x30000010 (nothing is mapped there on the nRF52840);
     * 0x0E str r1, [r0, #4] (0x6041) or ldr r1, [r0, #4] (0x6841); nop; nop; the literal.
     * 0x08 ldr r0, =0x30000001; bx r0: a fetch from 0x30000000.
     */
    @ParameterizedTest(name = "{0} under {1}")
    @CsvSource({
            "write, instructions, WRITE_UNMAPPED, 81, 'write to an address the CPU engine did not report, near 0x00000008'",
            "write, cortex-m4, WRITE_UNMAPPED, 81, 'write to an address the CPU engine did not report, near 0x00000008'",
            "read, instructions, READ_UNMAPPED, 80, 'read from an address the CPU engine did not report, near 0x00000008'",
            "read, cortex-m4, READ_UNMAPPED, 80, 'read from an address the CPU engine did not report, near 0x00000008'",
            "fetch, instructions, FETCH_UNMAPPED, 82, 'instruction fetch from 0x30000000, which is unmapped or not executable'",
            "fetch, cortex-m4, FETCH_UNMAPPED, 82, 'instruction fetch from 0x30000000, which is unmapped or not executable'"})
    void aMemoryStopWithNoFaultRecordedKeepsItsAccessKind(String access, String timing, FaultKind kind, int exit, String message)
            throws Exception {
        byte[] p = switch (access) {
            case "write" -> program(new int[]{0x2205, 0x3201, 0x4801, 0x6041, 0xBF00, 0xBF00}, 0x30000010);
            case "read" -> program(new int[]{0x2205, 0x3201, 0x4801, 0x6841, 0xBF00, 0xBF00}, 0x30000010);
            default -> program(new int[]{0x4800, 0x4700}, 0x30000001);
        };
        RunResult r = run(p, timing, NO_MEMORY_HOOK);
        FaultReport f = assertInstanceOf(RunOutcome.Faulted.class, r.outcome()).fault();
        assertEquals(kind, f.kind());
        assertEquals(Access.valueOf(access.toUpperCase()), f.access());
        var described = OutcomeDescriber.describe(r.outcome(), new Symbolizer(List.of()), "nrf52840", null, List.of());
        assertEquals(exit, described.exitCode());
        assertEquals(message, described.message());
        assertEquals(access.equals("fetch") ? 0x30000000L : -1, f.address(),
                "a fetch's address is the PC the engine stopped at; a data address the engine did not give is unknown");
    }

    /**
     * A write to 0x30000014 escalated to the HardFault handler (BusFaults are disabled at reset), which
     * stores CFSR and BFAR at 0x20000000 and exits: BFARVALID (CFSR bit 15) is set, with BFAR, only when
     * the address is known.
     * <pre>
     * 0x00 vectors: SP 0x20001000, reset 0x10, NMI 0, HardFault 0x18
     * 0x10 ldr r0, =0x30000010; str r1, [r0, #4]; nop; nop
     * 0x18 ldr r0, =0xE000ED28 (CFSR); ldr r1, [r0]; ldr r2, [r0, #16] (BFAR); ldr r3, =0x20000000
     * 0x20 str r1, [r3]; str r2, [r3, #4]; movs r0, #0x18; ldr r1, =0x20026; bkpt 0xab; nop; literals
     * </pre>
     */
    @ParameterizedTest(name = "memory hook called: {0}")
    @CsvSource({"true", "false"})
    void bfarIsValidOnlyWhenTheAddressIsKnown(boolean hookCalled) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(0x3C).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x20001000).putInt(0x11).putInt(0).putInt(0x19);
        for (int h : new int[]{0x4806, 0x6041, 0xBF00, 0xBF00, 0x4805, 0x6801, 0x6902, 0x4B05,
                0x6019, 0x605A, 0x2018, 0x4904, 0xBEAB, 0xBF00}) {
            b.putShort((short) h);
        }
        b.putInt(0x30000010).putInt(0xE000ED28).putInt(0x20000000).putInt(0x20026);
        Run r = runReading(b.array(), "cortex-m4", hookCalled ? UnicornEngine::openCortexM4 : NO_MEMORY_HOOK);
        assertInstanceOf(RunOutcome.Exited.class, r.result().outcome(), r.result().outcome().toString());
        if (hookCalled) {
            assertEquals(0x8200, r.word0(), "CFSR: BFARVALID | PRECISERR");
            assertEquals(0x30000014L, r.word1(), "BFAR");
        } else {
            assertEquals(0x0200, r.word0(), "CFSR: PRECISERR alone");
        }
    }

    /** An engine that reports the stop after a WFI (narrow 0xBF30 or wide 0xF3AF 0x8003) as an invalid instruction. */
    private static final EngineFactory WFI_INVALID = () -> new ForwardingEngine(UnicornEngine.openCortexM4()) {
        private boolean stopAsked;

        @Override
        public void stop() {
            stopAsked = true;
            super.stop();
        }

        @Override
        public EngineStop run(long startAddress, long untilAddress) {
            stopAsked = false;
            EngineStop stop = super.run(startAddress, untilAddress);
            long pc = read(dev.tinysim.emulator.engine.Reg.PC) & ~1L;
            byte[] before = new byte[4];
            readMemory(pc - 4, before);
            int wide = (before[0] & 0xFF) | (before[1] & 0xFF) << 8;
            int narrow = (before[2] & 0xFF) | (before[3] & 0xFF) << 8;
            boolean afterWfi = narrow == 0xBF30 || (wide == 0xF3AF && narrow == 0x8003);
            return stop.normal() && !stopAsked && afterWfi
                    ? new EngineStop(EngineStop.Kind.INVALID_INSTRUCTION, "Invalid instruction (UC_ERR_INSN_INVALID)") : stop;
        }
    };

    /**
     * cpsid i; SysTick reload 1000, CLKSOURCE|TICKINT|ENABLE; WFI (narrow then a NOP, or wide); exit through
     * semihosting. The pending SysTick wakes the core (PRIMASK keeps it from being taken).
     * <pre>
     * 0x08 cpsid i; ldr r0, =0xE000E010; ldr r1, =1000; str r1, [r0, #4]; movs r1, #7; str r1, [r0]
     * 0x14 wfi; nop  or  wfi.w
     * 0x18 movs r0, #0x18; ldr r1, =0x20026; bkpt 0xab; nop; literals
     * </pre>
     * Without the SysTick start (its two stores made NOPs) nothing can wake the core: a hang.
     */
    @ParameterizedTest(name = "{0} {1} under {2}")
    @CsvSource({
            "wfi, wakes, instructions", "wfi, wakes, cortex-m4", "wfi.w, wakes, instructions", "wfi.w, wakes, cortex-m4",
            "wfi, hangs, instructions", "wfi.w, hangs, cortex-m4"})
    void aWfiTheEngineReportsAsInvalidSleepsLikeAnyWfi(String wfi, String wake, String timing) throws Exception {
        boolean wide = wfi.equals("wfi.w");
        boolean start = wake.equals("wakes");
        byte[] p = program(new int[]{0xB672, 0x4805, 0x4905, start ? 0x6041 : 0xBF00, 0x2107, start ? 0x6001 : 0xBF00,
                wide ? 0xF3AF : 0xBF30, wide ? 0x8003 : 0xBF00, 0x2018, 0x4903, 0xBEAB, 0xBF00}, 0xE000E010, 1000, 0x20026);
        RunResult normal = run(p, timing, UnicornEngine::openCortexM4);
        RunResult invalid = run(p, timing, WFI_INVALID);
        if (start) {
            assertInstanceOf(RunOutcome.Exited.class, normal.outcome(), normal.outcome().toString());
            assertEquals(true, normal.sleepCycles() > 900, "the core slept until SysTick: " + normal.sleepCycles());
        } else {
            assertEquals(new RunOutcome.Hang(wide ? 0x18 : 0x16, "WFI/WFE with no interrupt source that could wake the core"), normal.outcome());
        }
        assertEquals(normal.outcome(), invalid.outcome());
        assertEquals(normal.instructions(), invalid.instructions());
        assertEquals(normal.cycles(), invalid.cycles());
        assertEquals(normal.sleepCycles(), invalid.sleepCycles());
    }
}
