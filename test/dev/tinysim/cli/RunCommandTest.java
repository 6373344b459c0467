package dev.tinysim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinysim.support.Cli;
import dev.tinysim.support.TinyElf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `tinysim run` end to end on the prebuilt images: exact output, exit codes, counts, refusals. */
class RunCommandTest {
    private static final Path PREBUILT = Path.of("firmware-images/prebuilt");

    private static final String SELFTEST_CHECKS = """
              ok    CPUID is Cortex-M4 r0p1 (0x410fc241)
              ok    SMLAD (3*5 + 2*4 + 100 = 123)
              ok    SXTB16 (0x80FF7F01 -> 0xFFFF0001)
              ok    QADD16 saturates both halves
              ok    SSAT #8 (100000 -> 127)
              ok    float multiply (1.5 * -2.25 = -3.375)
              ok    float divide (1/7 = 0x3e124925)
              ok    float accumulate (sum 1.5*i, i=1..100 = 7575)
              ok    float to int conversion (-3.375 -> -3)
            """;

    @Test
    void selfTestHardFloatPrintsItsConsoleAndSummaryExactly() {
        Cli.Result r = Cli.run("run", "selftest", "--board", "nrf52840", "--timing", "instructions");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("""
                tinysim self-test: hello from UART0
                tinysim self-test: hello from UARTE0 (EasyDMA)
                tinysim self-test: hello from semihosting
                  cpu   CPUID 0x410fc241, hard-float build (FPv4-SP)
                """ + SELFTEST_CHECKS + """
                  dwt   1000-iteration loop took 6003 cycles (DWT CYCCNT)
                  ok    DWT CYCCNT advances
                self-test passed
                tinysim: selftest-m4f.elf on nrf52840 (Cortex-M4F, 64 MHz)
                  result     exited with status 0
                  executed   13,361 instructions, 13,361 cycles = 0.209 ms at 64 MHz (timing model: instructions)
                  flash      2,936 of 1,048,576 bytes used (0.3%), 1,045,640 free
                  RAM        8,484 of 262,144 bytes static (3.2%), 253,660 free; stack peak 844 of 8,192 bytes
                """, r.out());
        assertEquals("", r.err());
    }

    @Test
    void selfTestSoftFloatRunsOnTheFpuLessBoardWithoutAnFpuInstruction() {
        Cli.Result r = Cli.run("run", "selftest", "--no-fpu", "--timing", "instructions");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("  cpu   CPUID 0x410fc241, soft-float build (no FPU instructions)\n" + SELFTEST_CHECKS), r.out());
        assertTrue(r.out().contains("tinysim: selftest-m4.elf on nrf52840-nofpu (Cortex-M4, 64 MHz)\n"), r.out());
        assertEquals("exited with status 0", r.resultLine());
        assertTrue(r.out().contains("  executed   24,585 instructions, 24,585 cycles"), r.out());
    }

    @Test
    void bothFpuSpellingsGiveTheSameBoard() {
        Cli.Result a = Cli.run("run", "selftest", "--no-fpu", "--timing", "instructions", "--format", "json");
        Cli.Result b = Cli.run("run", "selftest", "--board", "nrf52840-nofpu", "--timing", "instructions", "--format", "json");
        assertEquals(0, a.exitCode());
        assertEquals(a.out().replaceAll("\"wallSeconds\" : [0-9.E-]+|\"instructionsPerSecond\" : [0-9.E]+", ""),
                b.out().replaceAll("\"wallSeconds\" : [0-9.E-]+|\"instructionsPerSecond\" : [0-9.E]+", ""));
    }

    @Test
    void jsonIsOneDocumentWithTheConsoleInside() throws Exception {
        Cli.Result r = Cli.run("run", "selftest", "--format", "json", "--timing", "instructions");
        assertEquals(0, r.exitCode());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("exit", j.at("/result/kind").asText());
        assertEquals(0, j.at("/result/status").asInt());
        assertEquals(13361, j.at("/execution/instructions").asLong());
        assertEquals(2936, j.at("/fit/flash/used").asLong());
        assertEquals(844, j.at("/fit/ram/stackPeak").asLong());
        assertTrue(j.at("/console").asText().endsWith("self-test passed\n"));
        assertEquals("instructions", j.at("/timing/model").asText());
    }

    @Test
    void firmwareExitStatusBecomesTheExitCode() {
        Cli.Result r = Cli.run("run", "faults", "--", "exit-status");
        assertEquals(42, r.exitCode());
        assertEquals("exited with status 42", r.resultLine());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            read-unmapped       | 80 | read from unmapped address 0x30000000 at 0x000002da (main+0x8a): ldr r2, [r2]; delivered as HardFault (escalated from BusFault) to 0x000001dc (HardFault_Handler+0x18), which spins
            write-unmapped      | 81 | write to unmapped address 0x30000004 at 0x00000310 (main+0xc0): str r2, [r3, #4]; delivered as HardFault (escalated from BusFault) to 0x000001dc (HardFault_Handler+0x18), which spins
            fetch-unmapped      | 82 | instruction fetch from 0x30000000, which is unmapped or not executable; delivered as HardFault (escalated from BusFault) to 0x000001dc (HardFault_Handler+0x18), which spins
            invalid-instruction | 83 | undefined instruction at 0x00000328 (main+0xd8): udf #0x42; delivered as HardFault (escalated from UsageFault) to 0x000001dc (HardFault_Handler+0x18), which spins
            invalid-state       | 84 | invalid state: branch to 0x00000100, an address with bit 0 clear (ARM state), from near 0x00000100 (add3); delivered as HardFault (escalated from UsageFault) to 0x000001dc (HardFault_Handler+0x18), which spins
            div0                | 84 | divide by zero (CCR.DIV_0_TRP set) at 0x000003f2 (main+0x1a2): udiv r3, r3, r2; delivered as HardFault (escalated from UsageFault) to 0x000001dc (HardFault_Handler+0x18), which spins
            stack-overflow      | 85 | stack overflow: write to 0x1ffff998 below the bottom of RAM at 0x00000148 (deep+0xc): strb.w r2, [sp]
            spin                | 89 | hang: the firmware spins forever in Thread mode (a branch to itself) at 0x0000037e (main+0x12e)
            wfi                 | 89 | hang: WFI/WFE with no interrupt source that could wake the core at 0x0000037c (main+0x12c)
            bkpt                | 87 | breakpoint: BKPT 0x01 at 0x0000039c (main+0x14c) (not the semihosting BKPT 0xab)
            nocp                | 88 | firmware executed vmov at 0x000003c4 (main+0x174) before enabling the FPU (CPACR grants no CP10/CP11 access): NOCP UsageFault; delivered as HardFault (escalated from UsageFault) to 0x000001dc (HardFault_Handler+0x18), which spins
            abnormal-exit       | 90 | exited through semihosting with reason RunTimeErrorUnknown (0x20023), status 1
            reset               | 91 | firmware requested a system reset (AIRCR.SYSRESETREQ) at 0x00000472 (main+0x222)
            """)
    void everyFaultClassEndsTheRunWithItsOwnLineAndExitCode(String scenario, int exitCode, String line) {
        Cli.Result r = Cli.run("run", "faults", "--", scenario);
        assertEquals(line, r.resultLine(), r.out());
        assertEquals(exitCode, r.exitCode());
        assertTrue(r.out().startsWith("faults: case " + scenario + "\n"), r.out());
    }

    @Test
    void runawayFirmwareStopsAtTheInstructionLimit() {
        Cli.Result r = Cli.run("run", "faults", "--max-instructions", "100000", "--", "runaway");
        assertEquals(86, r.exitCode());
        assertEquals("instruction limit reached: the firmware ran 100,000 instructions without exiting; stopped at "
                + "0x00000354 (main+0x104) (raise --max-instructions if this is expected)", r.resultLine());
    }

    @Test
    void aHardFaultHandlerGetsTheFaultAsOnSilicon() {
        Cli.Result r = Cli.run("run", "faults", "--", "handled-read-unmapped");
        assertEquals(3, r.exitCode());
        assertTrue(r.out().startsWith("""
                faults: case read-unmapped
                HardFault handler: fault delivered
                  CFSR  0x00008200
                  HFSR  0x40000000
                  BFAR  0x30000000
                  stacked PC 0x000002da
                  stacked LR 0x000002d3
                """), "CFSR = PRECISERR|BFARVALID, HFSR = FORCED, stacked PC = the faulting ldr:\n" + r.out());
    }

    @Test
    void aHardFloatBuildIsRefusedOnAnFpuLessBoardBeforeItRuns() {
        // The machine would fault at the first FP instruction (exit 88; NoFpuTest checks that it does); the
        // build's ABI says so before anything runs.
        Cli.Result r = Cli.run("run", PREBUILT.resolve("selftest-m4f.elf").toString(), "--board", "nrf52840-nofpu");
        assertEquals(74, r.exitCode());
        assertEquals("", r.out());
        assertEquals("tinysim: selftest-m4f.elf cannot run on board nrf52840-nofpu: it is a hard-float build "
                + "(FPv4-SP instructions, floats in FPU registers) and the board has no FPU\n", r.err());
    }

    @Test
    void aBundledNameRunsTheBuildForTheBoardPlacedInItsMemory() throws Exception {
        Cli.Result r = Cli.run("run", "selftest", "--board", "stm32f411", "--format", "json", "--timing", "instructions");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("selftest-semihosting-m4f.elf", j.at("/firmware/file").asText(), "no nRF52 UART on the STM32: the semihosting build");
        assertEquals("linked for flash 0x00000000 (1024 KB) and RAM 0x20000000 (256 KB); moved to flash 0x08000000 (512 KB) "
                + "and RAM 0x20000000 (128 KB), the stack at its top", j.at("/firmware/placement").asText());
        assertTrue(j.at("/console").asText().startsWith("tinysim self-test: hello from semihosting\n"), r.out());
        assertTrue(j.at("/console").asText().endsWith("self-test passed\n"), r.out());
        assertEquals(524288, j.at("/board/flashBytes").asLong());
        assertEquals(2624, j.at("/fit/flash/used").asLong());
        assertEquals(8228, j.at("/fit/ram/staticBytes").asLong());
        Cli.Result here = Cli.run("run", "selftest", "--format", "json", "--timing", "instructions");
        assertTrue(new ObjectMapper().readTree(here.out()).at("/firmware/placement").isNull(), "on the nRF52840: as linked");
    }

    @Test
    void aMalformedRequirementLineIsABadInput(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(PREBUILT.resolve("selftest-m4f.elf"));
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf("always peripheral nrf52.clock");
        assertTrue(at > 0);
        System.arraycopy("whenever".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, bytes, at, 6);
        Path p = TinyElf.write(dir, "bad-requires.elf", bytes);
        assertRefusedRun(p, 65, ".tinysim.requires line 1 (\"whenev peripheral nrf52.clock@0x40000000 the HFCLK start-up handshake\"): "
                + "WHEN must be always, no-args or arg:A[,B...]");
    }

    @Test
    void semihostingServesConsoleStdinFeaturesHeapAndTime() {
        Cli.Result r = Cli.runWithInput("hello", "run", "faults", "--", "semihosting");
        assertEquals(7, r.exitCode(), r.out());
        assertTrue(r.out().startsWith("""
                faults: case semihosting
                W
                features: 0x00000103
                stack base: 0x20040000
                tickfreq: 0x03d09000
                elapsed>0: 0x00000001
                stdin: hello
                not read: 0x00000000
                """), r.out());
        assertEquals("to stderr\n", r.err());
    }

    @Test
    void flashWritesWorkThroughTheNvmcAndFaultWithoutIt() {
        Cli.Result r = Cli.run("run", "faults", "--", "flash-write");
        assertTrue(r.out().startsWith("faults: case flash-write\nbefore: 0xffffffff\nafter:  0x12345678\nerased: 0xffffffff\n"), r.out());
        assertEquals(81, r.exitCode());
    }

    @Test
    void codeRunsFromRamAndFromItsCodeBusAlias() {
        Cli.Result r = Cli.run("run", "faults", "--", "ram-code");
        assertEquals(0, r.exitCode(), r.out());
        assertTrue(r.out().contains("from RAM: 0x00000004\nfrom the code-bus alias: 0x00000005\n"));
    }

    @Test
    void unmodelledRegistersAreCountedAndFatalOnlyWithStrict() {
        Cli.Result r = Cli.run("run", "faults", "--verbose", "--", "unmodelled");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("  unmodelled 2 peripheral registers, 2 accesses\n"
                + "             RADIO.+0x400 (0x40001400): 1 reads, 0 writes\n"
                + "             RADIO.+0x500 (0x40001500): 0 reads, 1 writes\n"), r.out());
        assertTrue(r.err().contains("tinysim: unmodelled register RADIO.+0x400 (0x40001400) read, returning 0"), r.err());
        Cli.Result strict = Cli.run("run", "faults", "--strict", "--", "unmodelled");
        assertEquals(92, strict.exitCode());
        assertEquals("--strict: unmodelled register RADIO.+0x400 (0x40001400) read, returning 0 at 0x00000584 (main+0x334)",
                strict.resultLine());
    }

    @Test
    void svcEntersAndReturnsFromItsHandler() {
        Cli.Result r = Cli.run("run", "faults", "--", "svc");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("svc handler calls: 0x00000002\n"));
    }

    // ------------------------------------------------------------------ refusals

    @Test
    void notAnElf(@TempDir Path dir) throws Exception {
        Path p = TinyElf.write(dir, "notes.txt", "just text".getBytes());
        Cli.Result r = Cli.run("run", p.toString());
        assertEquals(65, r.exitCode());
        assertEquals("tinysim: " + p + ": not an ELF file (no \\x7fELF magic)\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void not32BitLittleEndianArm(@TempDir Path dir) throws Exception {
        byte[] good = Files.readAllBytes(PREBUILT.resolve("selftest-m4f.elf"));
        byte[] b64 = good.clone();
        b64[4] = 2;
        byte[] be = good.clone();
        be[5] = 2;
        byte[] x86 = good.clone();
        x86[18] = 3;
        x86[19] = 0;
        assertRefused(dir, "elf64.elf", b64, 65, "not a 32-bit ELF (class 2); Cortex-M firmware is ELF32");
        assertRefused(dir, "big.elf", be, 65, "not little-endian (data encoding 2); Cortex-M firmware is little-endian");
        assertRefused(dir, "x86.elf", x86, 65, "not an ARM ELF (e_machine 3, expected 40 = EM_ARM)");
    }

    @Test
    void truncatedElf(@TempDir Path dir) throws Exception {
        byte[] good = Files.readAllBytes(PREBUILT.resolve("selftest-m4f.elf"));
        for (int cut : new int[]{3, 40, 60, 200, 1000, good.length - 1}) {
            Path p = TinyElf.write(dir, "cut" + cut + ".elf", Arrays.copyOf(good, cut));
            Cli.Result r = Cli.run("run", p.toString());
            assertEquals(65, r.exitCode(), "cut at " + cut + ": " + r.err());
            assertTrue(r.err().startsWith("tinysim: " + p + ": "), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
        }
    }

    @Test
    void segmentLargerThanFlash(@TempDir Path dir) throws Exception {
        byte[] big = new byte[1258291];   // 1.2 MB
        Path p = TinyElf.write(dir, "big.elf", TinyElf.build(new TinyElf.Segment(0, big)));
        Cli.Result r = Cli.run("run", p.toString());
        assertEquals(67, r.exitCode());
        assertEquals("tinysim: big.elf: segment 0 (1.2 MB at 0x0) does not fit flash (1 MB): it exceeds flash by 209,715 bytes\n", r.err());
    }

    @Test
    void segmentOutsideAnyMemory(@TempDir Path dir) throws Exception {
        Path p = TinyElf.write(dir, "far.elf", TinyElf.build(new TinyElf.Segment(0x30000000L, new byte[64])));
        Cli.Result r = Cli.run("run", p.toString());
        assertEquals(67, r.exitCode());
        assertEquals("tinysim: far.elf: segment 0 (64 bytes at 0x30000000) is outside the memory of board nrf52840\n", r.err());
    }

    @Test
    void noVectorTable(@TempDir Path dir) throws Exception {
        Path ramOnly = TinyElf.write(dir, "ram.elf", TinyElf.build(new TinyElf.Segment(0x20000000L, new byte[64])));
        assertRefusedRun(ramOnly, 65,
                "no vector table at 0x00000000: flash there is erased (the image places nothing at the start of flash)");
        byte[] table = new byte[64];
        table[0] = 0x78; table[1] = 0x56; table[2] = 0x34; table[3] = 0x12;   // SP 0x12345678: not RAM
        table[4] = 0x09;
        Path badSp = TinyElf.write(dir, "badsp.elf", TinyElf.build(new TinyElf.Segment(0, table)));
        assertRefusedRun(badSp, 65, "no vector table at 0x00000000: word 0 (initial stack pointer) is 0x12345678, "
                + "not a word-aligned address at the top of RAM");
        byte[] evenReset = new byte[64];
        evenReset[3] = 0x20; evenReset[2] = 0x04;   // SP 0x20040000
        evenReset[4] = 0x08;                         // reset 0x00000008: ARM state
        Path even = TinyElf.write(dir, "even.elf", TinyElf.build(new TinyElf.Segment(0, evenReset)));
        assertRefusedRun(even, 65, "no vector table at 0x00000000: word 1 (reset handler) is 0x00000008, not a Thumb address in memory");
    }

    @Test
    void missingFileAndBadOptions() {
        Cli.Result missing = Cli.run("run", "does/not/exist.elf");
        assertEquals(66, missing.exitCode());
        assertEquals("tinysim: does/not/exist.elf: no such file\n", missing.err());
        Cli.Result unknownBoard = Cli.run("run", "selftest", "--board", "nrf99999");
        assertEquals(64, unknownBoard.exitCode());
        assertTrue(unknownBoard.err().startsWith("tinysim: unknown board 'nrf99999': bundled boards are nrf52840, nrf52840-nofpu"),
                unknownBoard.err());
        Cli.Result badOption = Cli.run("run", "selftest", "--frobnicate");
        assertEquals(64, badOption.exitCode());
        assertTrue(badOption.err().startsWith("tinysim: Unknown option: '--frobnicate'"), badOption.err());
        Cli.Result badTiming = Cli.run("run", "selftest", "--timing", "magic");
        assertEquals(64, badTiming.exitCode());
        assertTrue(badTiming.err().startsWith("tinysim: unknown timing model 'magic'"), badTiming.err());
    }

    @Test
    void reportToAFileIsWrittenWholeOrNotAtAll(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("report.json");
        Cli.Result r = Cli.run("run", "selftest", "--format", "json", "-o", out.toString());
        assertEquals(0, r.exitCode());
        assertEquals("", r.out());
        assertEquals("exit", new ObjectMapper().readTree(out.toFile()).at("/result/kind").asText());
        Cli.Result bad = Cli.run("run", "selftest", "--format", "json", "-o", dir.resolve("no/such/dir/r.json").toString());
        assertEquals(73, bad.exitCode());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    private static void assertRefused(Path dir, String name, byte[] bytes, int code, String message) throws Exception {
        Path p = TinyElf.write(dir, name, bytes);
        Cli.Result r = Cli.run("run", p.toString());
        assertEquals(code, r.exitCode(), r.err());
        assertEquals("tinysim: " + p + ": " + message + "\n", r.err());
    }

    private static void assertRefusedRun(Path p, int code, String message) {
        Cli.Result r = Cli.run("run", p.toString());
        assertEquals(code, r.exitCode(), r.err());
        assertEquals("tinysim: " + p.getFileName() + ": " + message + "\n", r.err());
    }
}
