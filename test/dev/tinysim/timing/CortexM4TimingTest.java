package dev.tinysim.timing;

import dev.tinysim.emulator.disasm.CapstoneDisassembler;
import dev.tinysim.emulator.disasm.Instruction;
import dev.tinysim.emulator.timing.BlockTiming;
import dev.tinysim.emulator.timing.CortexM4Timing;
import dev.tinysim.emulator.timing.CortexM4TimingParameters;
import dev.tinysim.emulator.timing.TimingModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CortexM4Timing#blockTiming} on hand-made blocks: real Thumb bytes (assembled with
 * arm-none-eabi-gcc, the source in each comment) decoded by Capstone, as the core decodes them.
 * "RAM" blocks are at the code-bus alias of RAM (0x00800000, zero wait states: the TRM's counts);
 * "flash" blocks at 0x1000 with 2 wait states on every 32-bit read and nothing in front of the
 * flash (the nRF52840 with its cache off): the static fetch model.
 */
class CortexM4TimingTest {
    private static final long RAM = 0x0080_0000L;
    private static final long FLASH = 0x1000L;
    private static CapstoneDisassembler capstone;
    private final CortexM4Timing model = uncached(CortexM4TimingParameters.defaults(), 2);

    private static CortexM4Timing uncached(CortexM4TimingParameters p, int waitStates) {
        CortexM4Timing m = new CortexM4Timing(p, 0, 0x10_0000);
        m.bindMemoryState(TimingModel.MemoryState.uncached(waitStates));
        return m;
    }

    @BeforeAll
    static void open() {
        capstone = new CapstoneDisassembler();
    }

    @AfterAll
    static void close() {
        capstone.close();
    }

    private static List<Instruction> decode(String hex, long address) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        List<Instruction> list = capstone.decode(bytes, address, Integer.MAX_VALUE);
        assertEquals(bytes.length, list.stream().mapToInt(Instruction::size).sum(), "every byte decodes");
        return list;
    }

    private BlockTiming ram(String hex) {
        return model.blockTiming(decode(hex, RAM), TimingModel.MemoryKind.RAM);
    }

    private BlockTiming flash(String hex) {
        return model.blockTiming(decode(hex, FLASH), TimingModel.MemoryKind.FLASH);
    }

    @Test
    void loadsPipelineWithLoads() {
        // ldr r0,[r1]; ldr r2,[r1,#4]; ldr r3,[r1,#8]: 2 + 1 + 1 (TRM "LDR;LDR;LDR = 4")
        BlockTiming t = ram("08684a688b68");
        assertArrayEquals(new int[]{0, 2, 3, 4}, t.cyclesBefore());
        assertEquals(4, t.cycles());
        assertEquals(0, t.takenPenalty());
    }

    @Test
    void loadWhoseAddressIsThePreviousLoadResultDoesNotPipeline() {
        // ldr r0,[r1]; ldr r2,[r0]: 2 + 2
        assertArrayEquals(new int[]{0, 2, 4}, ram("08680268").cyclesBefore());
    }

    @Test
    void addressFromThePreviousDataProcessingResultStalls() {
        // adds r3,#4; ldr r0,[r3]; str r0,[r1]: ADDS 1, stall 1, LDR 2, STR 1 pipelined after the LDR
        BlockTiming t = ram("043318680860");
        assertArrayEquals(new int[]{0, 2, 4, 5}, t.cyclesBefore());
    }

    @Test
    void storeAfterLoadPipelinesAndNothingPipelinesAfterAStore() {
        // ldr r0,[r1,r2]; str r0,[r3,r2]: 2 + (2 - 1) (TRM "normally three cycles")
        assertEquals(3, ram("88589850").cycles());
        // str r0,[r1]; ldr r2,[r1,#4]: 1 + 2
        assertEquals(3, ram("08604a68").cycles());
        // ldr r0,[r1],#4; ldr r2,[r3]: a load with base update does not pipeline: 2 + 2
        assertEquals(4, ram("51f8040b1a68").cycles());
        // ldrd r0,r1,[r2]; ldr r3,[r2,#8]: LDRD 3, no pipelining: 3 + 2
        assertEquals(5, ram("d2e900019368").cycles());
        // sub sp,#8; str r0,[sp,#4]: the store's base is the SUB's result: 1 + 1 + 1
        assertEquals(3, ram("82b00190").cycles());
    }

    @Test
    void conditionalBranchCountsNotTakenAndReportsTheRefill() {
        // cmp r0,#0; bne: 1 + 1, taken adds P = 1
        BlockTiming t = ram("0028fad1");
        assertEquals(2, t.cycles());
        assertEquals(1, t.takenPenalty());
        // cmp r0,#1; bls: a B<cond> (Capstone spells it "bls"; the disassembler names it "b")
        BlockTiming bls = ram("0128fad9");
        assertEquals(2, bls.cycles());
        assertEquals(1, bls.takenPenalty());
    }

    @Test
    void unconditionalBranchesIncludeTheirRefill() {
        // adds r0,#1; bx lr: 1 + (1 + 2)
        BlockTiming bx = ram("01307047");
        assertEquals(4, bx.cycles());
        assertEquals(0, bx.takenPenalty());
        // pop {r4,r5,pc}: 1 + 3 + P(3)
        assertEquals(7, ram("30bd").cycles());
        // ldr pc,[sp],#4: 2 + 3
        assertEquals(5, ram("5df804fb").cycles());
        // bl: 1 + 1
        assertEquals(2, ram("00f01ef8").cycles());
        // tbb [pc,r0]: 2 + 1 + 3
        assertEquals(6, ram("dfe800f0").cycles());
    }

    @Test
    void conditionalBranchInAnItBlockIsAConditionalEnd() {
        // cmp r0,#0; it ne; bxne lr: CMP 1, IT 0 (folded onto the 16-bit CMP), BX 1, taken + 2
        BlockTiming t = ram("002818bf7047");
        assertArrayEquals(new int[]{0, 1, 1, 2}, t.cyclesBefore());
        assertEquals(2, t.takenPenalty());
    }

    @Test
    void itFoldsOntoAPreceding16BitInstructionOnly() {
        // movs r0,#1; it eq; moveq r1,#2
        assertArrayEquals(new int[]{0, 1, 1, 2}, ram("012008bf0221").cyclesBefore());
        // mov.w r0,#1; it eq; moveq r1,#2
        assertArrayEquals(new int[]{0, 1, 2, 3}, ram("4ff0010008bf0221").cyclesBefore());
    }

    @Test
    void floatingPointResultUsedNextStalls() {
        // vadd s0,s1,s2; vadd s3,s0,s1: 1 + 1 + 1
        assertArrayEquals(new int[]{0, 2, 3}, ram("30ee810a70ee201a").cyclesBefore());
        // vadd s0,s1,s2; vstr s0,[r0]: the store reads s0 next: 1 + 1 + 2
        assertEquals(4, ram("30ee810a80ed000a").cycles());
        // vmla s0,s1,s2; vmla s0,s3,s4 (addend: no stall); vmla s5,s0,s4 (multiplicand: stall)
        assertArrayEquals(new int[]{0, 3, 7, 10}, ram("00ee810a01ee820a40ee022a").cyclesBefore());
    }

    @Test
    void divideRunsBesideIntegerCodeAndFinishesBeforeTheBlockEnds() {
        // vdiv s0,s1,s2; adds r0,#1: the ADDS issues at 1; the block is charged until the FPU is free (14)
        BlockTiming t = ram("80ee810a0130");
        assertArrayEquals(new int[]{0, 1, 14}, t.cyclesBefore());
    }

    @Test
    void fpuTransfers() {
        // vmov s0,r0 (2); vmov.f32 s1,#1.0 (1); vmov r1,r2,s2,s3 (2)
        assertArrayEquals(new int[]{0, 2, 3, 5}, ram("00ee100af7ee000a52ec111a").cyclesBefore());
        // vldmia r0,{d0,d1}: 1 + 2x2; vpush {s16,s17,s18}: 1 + 3
        assertArrayEquals(new int[]{0, 5, 9}, ram("90ec040b2ded038a").cyclesBefore());
    }

    @Test
    void integerDivideIsDataDependent() {
        // movs r1,#3; sdiv r0,r2,r1; adds r0,#1: the block counts the minimum (2) and lists the SDIV
        List<Instruction> block = decode("032192fbf1f00130", RAM);
        BlockTiming t = model.blockTiming(block, TimingModel.MemoryKind.RAM);
        assertEquals(4, t.cycles());
        assertArrayEquals(new int[]{1}, t.dynamicIndices());
        Instruction sdiv = block.get(1);
        // r2 = -100000, r1 = 3: q = 30 - 15 + 1 = 16 bits, 2 + 16/3 = 7, so 5 more than counted
        long[] regs = new long[16];
        regs[2] = -100000L & 0xFFFFFFFFL;
        regs[1] = 3;
        assertEquals(5, model.dynamicCycles(sdiv, n -> regs[n]));
    }

    @Test
    void divideFormulaMeetsTheTrmBounds() {
        assertEquals(2, CortexM4Timing.divideCycles(7, 9, false));          // zero quotient: minimum
        assertEquals(2, CortexM4Timing.divideCycles(7, 0, false));          // divide by zero
        assertEquals(12, CortexM4Timing.divideCycles(0xFFFFFFFFL, 1, false)); // 32 quotient bits: maximum
        assertEquals(12, CortexM4Timing.divideCycles(0x80000000L, 0xFFFFFFFFL, true)); // INT_MIN / -1
        assertEquals(8, CortexM4Timing.divideCycles(1_000_000, 7, false));
        assertEquals(7, CortexM4Timing.divideCycles(-100000L & 0xFFFFFFFFL, 3, true));
        for (long n = 0; n < 70000; n += 997) {
            for (long m = 1; m < 70000; m += 1013) {
                int c = CortexM4Timing.divideCycles(n, m, false);
                assertTrue(c >= 2 && c <= 12);
            }
        }
    }

    @Test
    void flashFetchesLimitStraightLineCode() {
        // 16 x adds r0,#1 at a word address: 8 words, one every 1 + 2 cycles
        BlockTiming t = flash("0130".repeat(16));
        int[] expected = new int[17];
        for (int i = 0; i < 16; i++) {
            expected[i] = 3 * (i / 2) + (i % 2);
        }
        expected[16] = 23;
        assertArrayEquals(expected, t.cyclesBefore());
        // the same code from zero-wait RAM: 16
        assertEquals(16, ram("0130".repeat(16)).cycles());
    }

    @Test
    void fetchesCostedAtRunTimeLeaveTheBlockAtZeroWait() {
        CortexM4Timing cached = new CortexM4Timing(CortexM4TimingParameters.defaults(), 0, 0x10_0000);
        boolean[] dynamic = {false};
        cached.bindMemoryState(new TimingModel.MemoryState() {
            @Override
            public int staticFetchWaitStates() {
                return dynamic[0] ? 0 : 2;
            }

            @Override
            public int staticLiteralWaitStates() {
                return 2;
            }

            @Override
            public boolean dynamicFetch() {
                return dynamic[0];
            }
        });
        List<Instruction> block = decode("0130".repeat(16), FLASH);
        assertEquals(23, cached.blockTiming(block, TimingModel.MemoryKind.FLASH).cycles());
        assertEquals(2, cached.branchTargetPenalty(block.get(0)));
        dynamic[0] = true;   // a cache is on: its hits and misses are charged at run time, not here
        assertEquals(16, cached.blockTiming(block, TimingModel.MemoryKind.FLASH).cycles());
        assertEquals(0, cached.branchTargetPenalty(block.get(0)));
    }

    @Test
    void unboundModelIsZeroWait() {
        CortexM4Timing bare = new CortexM4Timing(CortexM4TimingParameters.defaults(), 0, 0x10_0000);
        assertEquals(16, bare.blockTiming(decode("0130".repeat(16), FLASH), TimingModel.MemoryKind.FLASH).cycles());
    }

    @Test
    void literalLoadFromFlashWaitsAndHoldsThePort() {
        // ldr r0,[pc,#4] (2 + W) ; adds r1,#1 in the same word
        BlockTiming t = flash("01480131");
        assertArrayEquals(new int[]{0, 4, 5}, t.cyclesBefore());
        // from RAM: 2 + 1
        assertEquals(3, ram("01480131").cycles());
    }

    @Test
    void isbRefetches() {
        // isb; adds x3 from RAM: ISB 1 + 2, then 1 each
        assertArrayEquals(new int[]{0, 3, 4, 5, 6}, ram("bff36f8f013001300130").cyclesBefore());
        // from flash the word after the ISB arrives W cycles after the refill
        assertArrayEquals(new int[]{0, 5, 6, 8, 9}, flash("bff36f8f013001300130").cyclesBefore());
    }

    @Test
    void branchTargetPenalty() {
        Instruction wide = decode("00f10100", RAM + 2).get(0);       // add.w at a halfword address
        Instruction wideAligned = decode("00f10100", RAM).get(0);
        Instruction narrow = decode("0130", RAM + 2).get(0);
        assertEquals(1, model.branchTargetPenalty(wide));
        assertEquals(0, model.branchTargetPenalty(wideAligned));
        assertEquals(0, model.branchTargetPenalty(narrow));
        // flash: the target word waits W = 2; a second word for the misaligned 32-bit one: 1 + W more
        assertEquals(2, model.branchTargetPenalty(decode("0130", FLASH + 2).get(0)));
        assertEquals(5, model.branchTargetPenalty(decode("00f10100", FLASH + 2).get(0)));
        // RAM through the System bus (0x20000000): one fetch wait state
        assertEquals(1, model.branchTargetPenalty(decode("0130", 0x2000_0000L).get(0)));
    }

    @Test
    void peripheralAndExceptionCosts() {
        assertEquals(1, model.deviceAccessCycles(0x4000_8000L, 4, false));   // APB read (TIMER0)
        assertEquals(0, model.deviceAccessCycles(0x4000_8000L, 4, true));    // APB write: write buffer
        assertEquals(0, model.deviceAccessCycles(0x5000_0504L, 4, false));   // GPIO is on AHB
        assertEquals(0, model.deviceAccessCycles(0xE000_1004L, 4, false));   // DWT on the PPB
        assertEquals(12, model.exceptionEntryCycles(false));
        assertEquals(29, model.exceptionEntryCycles(true));
        assertEquals(10, model.exceptionReturnCycles(false));
        assertEquals(27, model.exceptionReturnCycles(true));
        assertEquals(6, model.tailChainCycles());
    }

    @Test
    void parametersChangeTheCounts() throws Exception {
        CortexM4TimingParameters p = CortexM4TimingParameters.parse(
                Map.of("branchRefillCycles", 2L, "registerBranchRefillCycles", 3L), "test");
        CortexM4Timing m = uncached(p, 1);
        assertEquals(3, m.blockTiming(decode("00f01ef8", RAM), TimingModel.MemoryKind.RAM).cycles());      // BL 1 + 2
        assertEquals(5, m.blockTiming(decode("01307047", RAM), TimingModel.MemoryKind.RAM).cycles());      // ADDS + BX 1 + 3
        assertEquals(2, m.blockTiming(decode("0028fad1", RAM), TimingModel.MemoryKind.RAM).takenPenalty());
        assertEquals(1, m.branchTargetPenalty(decode("0130", FLASH).get(0)));
        assertEquals("cortex-m4", m.name());
        assertEquals(2, m.parameters().get("branchRefillCycles"));
    }
}
