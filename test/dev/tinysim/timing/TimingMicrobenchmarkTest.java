package dev.tinysim.timing;

import dev.tinysim.boards.Boards;
import dev.tinysim.elf.ElfSymbol;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.firmware.FirmwareImage;
import dev.tinysim.run.ConsoleCapture;
import dev.tinysim.run.FirmwareRunner;
import dev.tinysim.run.RunReport;
import dev.tinysim.run.RunSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the timing microbenchmarks (firmware-images/timing, prebuilt) through the emulator and
 * asserts every case's cycles equal the count derived from the Cortex-M4 TRM (ARM DDI 0439D
 * §3.3, Tables 3-1, 3-2, §3.3.2, Table 7-1) — the same derivations as in cases.S. Then runs the
 * programs that look like real work and reports their CPI.
 *
 * <p>P (pipeline refill) is 1 after an immediate-target branch, 2 after a register target, 3
 * after a loaded target (docs/timing-model.md, "Branches"). Cases marked "model" depend on a
 * choice tinysim makes where the TRM gives a range or says nothing; docs/timing-model.md says why.
 */
class TimingMicrobenchmarkTest {
    private static final Path M4F = Path.of("firmware-images/prebuilt/timing-m4f.elf");
    private static final Path M4 = Path.of("firmware-images/prebuilt/timing-m4.elf");
    private static final Pattern LINE = Pattern.compile("^(case|case-overhead|program) (\\S+) cycles=(\\d+)(?: checksum=(0x[0-9a-f]+))?$");

    /** Cases run from the code-bus RAM alias: zero wait states, the TRM's assumption. BODY cycles. */
    static final Map<String, Integer> INTEGER_CASES = new LinkedHashMap<>();
    static final Map<String, Integer> FPU_CASES = new LinkedHashMap<>();
    /** Cases run from flash, cache off: counts from tinysim's fetch model with W = 2 (not the TRM). */
    static final Map<String, Integer> FLASH_CASES = new LinkedHashMap<>();

    static {
        Map<String, Integer> c = INTEGER_CASES;
        // Data processing (Table 3-1): 1 cycle each
        c.put("alu", 10);                       // 10 x 1
        c.put("mul", 3);                        // MUL, MLA, MLS: 1 each on the M4
        c.put("long_mul", 4);                   // UMULL, SMULL, UMLAL, SMLAL: 1 each
        c.put("dsp", 10);                       // Table 3-2: 10 x 1
        // SDIV/UDIV 2..12 (Table 3-1), + B 2 that ends the block (see cases.S)
        c.put("udiv_zero_quotient", 4);         // 2 (divisor > dividend: the TRM minimum) + 2
        c.put("udiv_max", 14);                  // 12 (0xFFFFFFFF / 1: the TRM maximum) + 2
        c.put("udiv_mid", 10);                  // model: 2 + floor(18/3) = 8, + 2
        c.put("sdiv_negative", 9);              // model: 2 + floor(16/3) = 7, + 2
        // Loads and stores (§3.3.2)
        c.put("ldr", 2);                        // LDR 2
        c.put("ldr_ldr", 3);                    // "LDR R0,[R1]; LDR R1,[R2]: normally three cycles"
        c.put("ldr_ldr_ldr", 4);                // 2 + 1 + 1
        c.put("ldr_dependent", 4);              // the address is the first result: 2 + 2
        c.put("ldr_writeback", 4);              // "any load with a base update is not normally pipelined": 2 + 2
        c.put("ldr_register_offset", 2);        // 2
        c.put("ldr_literal", 2);                // 2: the fetch unit's buffer is full, nothing contends for the port
        c.put("ldr_literal_contention", 6);     // B 2 + LDR literal 2 + ADD.W 1, + 1: at the branch target the literal
                                                // read holds the port until 2, the ADD.W's second word arrives at 3
                                                // ("LDR Rx,[PC,#imm] might add a cycle because of contention with the fetch unit")
        c.put("ldr_unaligned_halfword", 3);     // 2 + 1: a word at a halfword address (§3.3.2, unaligned accesses)
        c.put("ldr_unaligned_byte", 4);         // 2 + 2: a word at a byte address
        c.put("ldrh_unaligned", 3);             // 2 + 1: a halfword at a byte address
        c.put("ldr_str", 3);                    // "LDR R0,[R1,R2]; STR R0,[R3,#20]: normally three cycles"
        c.put("ldr_str_register", 3);           // "LDR R0,[R1,R2]; STR R1,[R3,R2]: normally three cycles"
        c.put("str", 1);                        // "STR Rx,[Ry,#imm] is always one cycle"
        c.put("str_str", 2);                    // 1 + 1
        c.put("str_register", 2);               // STR with register offset: the table's 2
        c.put("str_ldr", 3);                    // nothing pipelines after a store: 1 + 2
        c.put("address_dependency", 4);         // MOV 1 + stall 1 ("no forwarding path") + LDR 2
        c.put("address_independent", 3);        // MOV 1 + LDR 2
        c.put("address_dependency_store", 3);   // MOV 1 + stall 1 + STR 1
        c.put("ldrd", 3);                       // 1 + N, N = 2
        c.put("strd", 3);                       // 1 + N
        c.put("ldrd_ldr", 5);                   // LDRD does not pipeline: 3 + 2
        c.put("ldm4", 5);                       // 1 + 4
        c.put("stm8", 9);                       // "an eight-register STM takes 9 cycles"
        c.put("push_pop", 10);                  // (1 + 4) + (1 + 4)
        // Branches: 1 + P
        c.put("b", 2);                          // 1 + 1
        c.put("b_cond_taken", 2);               // 1 + 1
        c.put("b_cond_not_taken", 1);           // 1
        c.put("cbz_taken", 2);                  // 1 + 1
        c.put("b_to_wide_aligned", 3);          // B 2 + ADD.W 1
        c.put("b_to_wide_unaligned", 4);        // B 2 + 1 (32-bit target at a halfword address) + ADD.W 1
        c.put("bl_bx", 5);                      // BL 1 + 1, BX LR 1 + 2
        c.put("bx", 3);                         // 1 + 2
        c.put("blx", 6);                        // BLX 1 + 2, BX LR 1 + 2
        c.put("mov_pc", 3);                     // 1 + 2
        c.put("ldr_pc", 5);                     // 2 + 3: "at least five cycles"
        c.put("pop_pc", 5);                     // 1 + N(1) + 3
        c.put("tbb", 6);                        // 2 + 1 + 3: "at least six cycles"
        c.put("tbh", 6);                        // as TBB
        // IT
        c.put("it_folded", 3);                  // MOV 1 + IT 0 (folded onto a 16-bit instruction) + 1 + 1
        c.put("it_not_folded", 4);              // MOV.W 1 + IT 1 + 1 + 1
        c.put("it_skipped", 3);                 // IT 1 + two failed ADDs, 1 each (model: the TRM is silent)
        c.put("it_skipped_ldr", 2);             // IT 1 + a failed LDR 1: its issue slot, not its 2 cycles (model)
        c.put("it_executed_ldr", 3);            // IT 1 + LDR 2
        // Across a translated-block boundary (the engine ends a block at the 1 KB boundary between the two)
        c.put("ldr_ldr_split", 3);              // as ldr_ldr: the second LDR pipelines with the last of the block before
        // System
        c.put("mrs", 1);                        // 1..2 in the TRM; model 1
        c.put("msr", 2);                        // 1..2 in the TRM; model 2
        c.put("cpsid_cpsie", 4);                // 1..2 each in the TRM; model 2 each
        c.put("dmb_dsb", 2);                    // 1 + B each, B = 0
        c.put("isb", 3);                        // 1 + B, B = the refill P = 2

        Map<String, Integer> f = FPU_CASES;     // Table 7-1
        f.put("vadd", 1);
        f.put("vadd_independent", 2);           // 1 + 1
        f.put("vadd_dependent", 3);             // 1 + 1 (result used next) + 1
        f.put("vmul_vsub_vneg_vabs", 4);        // 1 each
        f.put("vmla", 3);
        f.put("vfma", 3);
        f.put("vmla_chain", 6);                 // 3 + 3: the addend is read late, no stall
        f.put("vmla_multiplicand", 7);          // 3 + 1 + 3
        f.put("vmla_vmul", 5);                  // 3 + 1 + 1
        f.put("vdiv_dependent", 17);            // 14 + 1 + VMOV 2
        f.put("vsqrt_dependent", 17);           // 14 + 1 + VMOV 2
        f.put("vdiv_overlap", 9);               // 1 + 8 integer instructions run while the divide completes
        f.put("vdiv_vadd", 15);                 // model: the next FPU instruction waits for the divide: 14 + 1
        f.put("vldr", 2);
        f.put("vldr_double", 3);
        f.put("vstr", 2);
        f.put("vldm4", 5);                      // 1 + N
        f.put("vpush_vpop_double", 10);         // (1 + 2N) x 2, N = 2
        f.put("vmov_core", 4);                  // 2 + 2
        f.put("vmov_immediate_register", 2);    // 1 + 1
        f.put("vcvt_vmov", 4);                  // 1 + 1 + 2
        f.put("vcmp_vmrs", 2);                  // 1 + 1
        f.put("vadd_dependent_split", 3);       // as vadd_dependent, the pair split by a block boundary: 1 + 1 + 1

        // From flash with W = 2 wait states per 32-bit fetch (1 + W = 3 cycles per word), prefetch
        // buffer of 3 words, P = 1. Every case is 128-byte aligned and entered by a BLX, so
        // its first word is there at time 0 of its block. Layout of every case: +0 PUSH.W (10
        // cycles), +4 LDR.W r12,=literal (2 + W = 4, and the literal read holds the flash port
        // until 14), then the body of T0 at +8.
        //
        // flash_empty (the overhead, raw 6): NOP at +8 waits for word 2, whose fetch starts after
        // the port is free (14) and ends at 17; LDR r1 (t0) issues at 18, 2 cycles; SUB.W (word 3,
        // ready at 17 + 3 = 20) at 20; NOP (word 4, ready 23) at 23; LDR r2 (t1) at 24: 24 - 18 = 6.
        FLASH_CASES.put("flash_alu16", 24);     // 16 x ADDS = 8 words at +16..+47: ready at 23, 26, ..., 44
                                                // (2 per word), NOP at 47, t1 at 48: 48 - 18 - 6 = 24
        FLASH_CASES.put("flash_alu32", 24);     // 8 x ADD.W, one word each, the same fetch timeline: 24
        FLASH_CASES.put("flash_loop", 67);      // t0 at 20; first SUBS;BNE in the entry block ends at 27;
                                                // 9 loop blocks of 4 (SUBS 1, BNE waits for its word until 3, 1),
                                                // 9 taken transitions of 1 + W = 3, the exit block's t1 at 3:
                                                // 7 + 3 + 36 + 24 + 3 = 73 raw, - 6 = 67
        FLASH_CASES.put("flash_literal", 6);    // LDR literal 2 + W = 4, holding the port until 27: the word of
                                                // the t1 LDR arrives at 27 + 3 = 30 instead of 26: 30 - 18 - 6 = 6
    }

    @TempDir
    Path dir;

    private record Output(Map<String, Long> values, Map<String, String> checksums, RunReport report) {
    }

    private static Output run(Path elf, Board board, String argument) throws Exception {
        FirmwareImage image = FirmwareImage.read(elf);
        ConsoleCapture console = new ConsoleCapture(null, null);
        RunSettings settings = new RunSettings(board, "cortex-m4", RunSettings.DEFAULT_MAX_INSTRUCTIONS, false, null,
                elf.getFileName() + " " + argument, null);
        RunReport report = FirmwareRunner.run(image, settings, console);
        assertEquals(0, report.result().exitCode(), report.result().message() + "\n" + console.stdout());
        Map<String, Long> values = new LinkedHashMap<>();
        Map<String, String> checksums = new LinkedHashMap<>();
        for (String line : console.stdout().split("\n")) {
            Matcher m = LINE.matcher(line.strip());
            if (m.matches()) {
                String key = m.group(1).equals("case") ? m.group(2) : m.group(1) + ":" + m.group(2);
                values.put(key, Long.parseLong(m.group(3)));
                if (m.group(4) != null) {
                    checksums.put(m.group(2), m.group(4));
                }
            }
        }
        return new Output(values, checksums, report);
    }

    private static void assertCases(Map<String, Integer> expected, Map<String, Long> measured) {
        List<String> wrong = new ArrayList<>();
        expected.forEach((name, cycles) -> {
            Long got = measured.get(name);
            if (got == null || got.longValue() != cycles) {
                wrong.add(name + ": expected " + cycles + ", measured " + got);
            }
        });
        assertTrue(wrong.isEmpty(), "cases that differ from their derivation:\n  " + String.join("\n  ", wrong));
    }

    @Test
    void everyCaseMatchesItsDerivationOnTheHardFloatBuild() throws Exception {
        Output out = run(M4F, Boards.load("nrf52840", false), "cases");
        assertEquals(4L, out.values().get("case-overhead:ram"), "LDR 2 + SUB.W 1 + NOP 1");
        assertEquals(6L, out.values().get("case-overhead:flash"), "fetch-model timeline, see FLASH_CASES");
        assertCases(INTEGER_CASES, out.values());
        assertCases(FPU_CASES, out.values());
        assertCases(FLASH_CASES, out.values());
        Set<String> known = new java.util.HashSet<>(INTEGER_CASES.keySet());
        known.addAll(FPU_CASES.keySet());
        known.addAll(FLASH_CASES.keySet());
        for (String name : out.values().keySet()) {
            assertTrue(name.contains(":") || known.contains(name), "case " + name + " has no derivation in this test");
        }
    }

    @Test
    void integerCasesOnTheSoftFloatBuild() throws Exception {
        Output out = run(M4, Boards.load("nrf52840", true), "cases");
        assertEquals(4L, out.values().get("case-overhead:ram"));
        assertCases(INTEGER_CASES, out.values());
        assertCases(FLASH_CASES, out.values());
        for (String fp : FPU_CASES.keySet()) {
            assertTrue(!out.values().containsKey(fp), fp + " is not in the soft-float build");
        }
    }

    @Test
    void noCaseCrossesAKilobyteBoundaryButTheSplitCasesExactlyAtTheirSplit() throws Exception {
        for (Path elf : List.of(M4F, M4)) {
            int cases = 0;
            for (ElfSymbol s : FirmwareImage.read(elf).elf().symbols()) {
                if (s.name().startsWith("case_") && s.name().endsWith("_split") && s.function()) {
                    // the cases that cross a 1 KB boundary on purpose: exactly between their two instructions
                    cases++;
                    String split = "split_" + s.name().substring("case_".length());
                    ElfSymbol at = FirmwareImage.read(elf).elf().symbols().stream().filter(x -> x.name().equals(split))
                            .findFirst().orElseThrow(() -> new AssertionError(elf + " has no symbol " + split));
                    assertEquals(0, at.address() % 1024, split + " is at a 1 KB boundary");
                    assertTrue(at.address() > s.address() && at.address() < s.address() + s.size(), split + " is inside " + s.name());
                } else if (s.name().startsWith("case_") && s.function()) {
                    cases++;
                    long a = s.address();
                    assertEquals(0, a % 128, s.name() + " is 128-byte aligned");
                    assertTrue(s.size() > 0 && s.size() <= 128, s.name() + " is " + s.size() + " bytes, at most 128");
                    assertEquals(a / 1024, (a + s.size() - 1) / 1024, s.name() + " crosses a 1 KB boundary");
                }
            }
            assertTrue(cases >= INTEGER_CASES.size() + FLASH_CASES.size(), elf + ": " + cases + " cases");
        }
    }

    /**
     * The programs' CPI: instructions and cycles of a run of one program minus those of the
     * "none" run (the same startup and input preparation), with the nRF52840 defaults (flash,
     * cache off) and with flash at zero wait states (what an always-hitting cache gives). Printed
     * for docs/timing-model.md; asserted only for sanity, never tuned to a number.
     */
    @Test
    void programsCpi() throws Exception {
        Board cacheOff = Boards.load("nrf52840", false);
        // the NVMC cache on from reset (the timing image leaves ICACHECNF alone), and flash without wait states
        Path cacheOnFile = dir.resolve("nrf52840-cache-on.json");
        Files.writeString(cacheOnFile, "{ \"extends\": \"nrf52840\", \"name\": \"nrf52840-cache-on\", \"memorySystem\": { \"caches\": [ "
                + "{ \"name\": \"NVMC instruction cache\", \"serves\": [\"instruction\"], \"sizeBytes\": 2048, \"lineBytes\": 16, "
                + "\"ways\": 2, \"replacement\": \"lru\", \"missExtraCycles\": 1, \"alwaysOn\": true } ] } }");
        Path zeroWaitFile = dir.resolve("nrf52840-zero-wait.json");
        Files.writeString(zeroWaitFile, "{ \"extends\": \"nrf52840\", \"name\": \"nrf52840-zero-wait\", \"memorySystem\": { \"flash\": { \"waitStates\": 0 } } }");
        List<Board> boards = List.of(cacheOff, Boards.load(cacheOnFile.toString(), false), Boards.load(zeroWaitFile.toString(), false));
        String[] programs = {"crc32", "crc32_bitwise", "isort", "qsort", "matmul_int", "matmul_float", "fsm"};
        List<Map<String, long[]>> results = new java.util.ArrayList<>();
        for (Board board : boards) {
            Map<String, long[]> byProgram = new LinkedHashMap<>();
            Output base = run(M4F, board, "none");
            for (String p : programs) {
                Output out = run(M4F, board, p);
                long instructions = out.report().execution().instructions() - base.report().execution().instructions();
                long cycles = out.report().execution().cycles() - base.report().execution().cycles();
                long dwt = out.values().get("program:" + p);
                double cpi = (double) cycles / instructions;
                assertTrue(instructions > 50_000, p + ": " + instructions + " instructions");
                assertTrue(cpi >= 1.0 && cpi <= 4.0, p + ": CPI " + cpi);
                // DWT brackets only the call; the report difference adds the printing of the line
                assertTrue(Math.abs(dwt - cycles) < 0.03 * cycles, p + ": DWT " + dwt + " vs report " + cycles);
                byProgram.put(p, new long[]{instructions, cycles, dwt});
            }
            results.add(byProgram);
        }
        StringBuilder table = new StringBuilder(String.format("%-14s %12s | %11s %6s | %11s %6s | %11s %6s | %6s%n",
                "program", "instructions", "cache off", "CPI", "cache on", "CPI", "zero wait", "CPI", "off/on"));
        for (String p : programs) {
            long[] a = results.get(0).get(p), b = results.get(1).get(p), c = results.get(2).get(p);
            assertEquals(a[0], b[0], 20, p + ": the same instructions either way (up to the digits printed)");
            assertEquals(a[0], c[0], 20, p + ": the same instructions either way (up to the digits printed)");
            assertTrue(b[1] < a[1], p + ": the cache saves cycles");
            assertTrue(c[1] <= b[1], p + ": a cache is never faster than zero-wait flash");
            table.append(String.format("%-14s %12d | %11d %6.2f | %11d %6.2f | %11d %6.2f | %6.2f%n", p, a[0], a[1],
                    (double) a[1] / a[0], b[1], (double) b[1] / b[0], c[1], (double) c[1] / c[0], (double) a[1] / b[1]));
        }
        System.out.println("timing programs, nRF52840 (flash 2 wait states): NVMC cache off, on, and flash at 0 wait states:\n" + table);
    }
}
