package dev.tinysim.emulator.timing;

import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.board.BoardException;
import dev.tinysim.emulator.board.MemoryRegion;
import dev.tinysim.emulator.disasm.Instruction;

import java.util.List;
import java.util.Map;
import java.util.function.IntToLongFunction;

/**
 * Cycles a Cortex-M4(F) r0p1 takes, from the Technical Reference Manual's tables (ARM DDI 0439D
 * §3.3, Tables 3-1 and 3-2, §3.3.2 load/store timings, FPU Table 7-1, §3.9.1 exceptions) and the
 * memory system of the board (flash wait states, the nRF52 instruction cache, peripheral bridges).
 * docs/timing-model.md states every rule with its source; this class is that document in code, with
 * {@link InstructionClass} (the table classes of an instruction), {@link BlockCoster} (the costing of one
 * block, instruction by instruction) and {@link PrefetchBuffer} (the fetch simulation).
 *
 * <p>Costs are computed once per translated block: each instruction's table cost, then the
 * pipeline interactions with the instruction before it in the same block (LDR pipelining, the
 * address-dependency stall, the FPU result-use stall, IT folding, VDIV/VSQRT running beside
 * integer code), then, for memory with wait states, a fetch simulation (32-bit fetches into a
 * three-word prefetch buffer) that delays instructions whose bytes have not arrived. The core adds
 * the parts that depend on the run: the refill of a taken conditional branch
 * ({@link BlockTiming#takenPenalty}), the fetch of the branch target ({@link #branchTargetPenalty}),
 * SDIV/UDIV early termination ({@link #dynamicCycles}), peripheral wait states
 * ({@link #deviceAccessCycles}) and exception entry and return.
 */
public final class CortexM4Timing implements TimingModel {
    public static final String NAME = "cortex-m4";

    private static final long APB_START = 0x40000000L, APB_END = 0x50000000L;
    private static final long SYSTEM_BUS_START = 0x20000000L, SYSTEM_BUS_END = 0xE0000000L;

    private final CortexM4TimingParameters p;
    /** [start, end) pairs of every address range that reads the flash: the flash and its aliases. */
    private final long[] flashRanges;
    /** The flash path's configuration; unbound: zero-wait memory. */
    private volatile MemoryState memoryState = MemoryState.uncached(0);

    /**
     * @param flashStart first address of the board's flash
     * @param flashSize  its size (0: no flash)
     */
    public CortexM4Timing(CortexM4TimingParameters parameters, long flashStart, long flashSize) {
        this(parameters, new long[]{flashStart, flashStart + flashSize});
    }

    private CortexM4Timing(CortexM4TimingParameters parameters, long[] flashRanges) {
        this.p = parameters;
        this.flashRanges = flashRanges;
    }

    /** The model for a board, from its "timing" object (already checked when the board was loaded). */
    public static CortexM4Timing forBoard(Board board) {
        CortexM4TimingParameters params;
        try {
            params = CortexM4TimingParameters.parse(board.timing(), "board " + board.name());
        } catch (BoardException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        // The flash, and every alias of it (the STM32's boot alias at 0x0): code and constants read
        // through an alias pay the flash's wait states too.
        java.util.List<Long> ranges = new java.util.ArrayList<>();
        for (MemoryRegion r : board.memory()) {
            boolean flash = r.kind() == MemoryRegion.Kind.FLASH || (r.kind() == MemoryRegion.Kind.ALIAS
                    && board.region(r.aliasOf()).map(t -> t.kind() == MemoryRegion.Kind.FLASH).orElse(false));
            if (flash) {
                ranges.add(r.base());
                ranges.add(r.end());
            }
        }
        long[] pairs = new long[ranges.size()];
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = ranges.get(i);
        }
        return new CortexM4Timing(params, pairs);
    }

    public CortexM4TimingParameters parameterValues() {
        return p;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Cortex-M4 TRM cycle tables with pipelining, branch refill, FPU stalls; " + memoryState.summary();
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> m = new java.util.LinkedHashMap<>(p.asMap());
        m.putAll(memoryState.parameters());
        return m;
    }

    @Override
    public void bindMemoryState(MemoryState state) {
        this.memoryState = state;
    }

    @Override
    public boolean usesMemorySystem() {
        return true;
    }

    // ------------------------------------------------------------------ memory system

    private boolean inFlash(long address) {
        for (int i = 0; i < flashRanges.length; i += 2) {
            if (address >= flashRanges[i] && address < flashRanges[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /** Wait states of one instruction fetch at {@code address} costed in its block (0 when the flash path costs it at run time). */
    int fetchWaitStates(long address) {
        if (inFlash(address)) {
            return memoryState.staticFetchWaitStates();
        }
        if (address >= SYSTEM_BUS_START && address < SYSTEM_BUS_END) {
            return p.systemBusFetchWaitStates();
        }
        return 0;   // code-bus RAM alias and other code-region memory: zero wait states
    }

    // ------------------------------------------------------------------ run-time parts

    @Override
    public int branchTargetPenalty(Instruction first) {
        int w = fetchWaitStates(first.address());
        int penalty = w;                                  // the target word arrives W cycles later
        if (first.size() == 4 && (first.address() & 2) != 0) {
            penalty += p.unalignedWideTarget() + w;       // its second halfword needs one more fetch
        }
        return penalty;
    }

    @Override
    public int exceptionEntryCycles(boolean floatingPointFrame) {
        return floatingPointFrame ? p.exceptionEntryFp() : p.exceptionEntry();
    }

    @Override
    public int exceptionReturnCycles(boolean floatingPointFrame) {
        return floatingPointFrame ? p.exceptionReturnFp() : p.exceptionReturn();
    }

    @Override
    public int tailChainCycles() {
        return p.tailChain();
    }

    @Override
    public int deviceAccessCycles(long address, int size, boolean write) {
        if (address >= APB_START && address < APB_END) {
            return write ? p.apbWriteWaitStates() : p.apbReadWaitStates();
        }
        return 0;
    }

    /** SDIV/UDIV: the block counted {@link #DIVIDE_MIN}; this adds the early-termination rest. */
    @Override
    public int dynamicCycles(Instruction in, IntToLongFunction registers) {
        String name = in.name();
        boolean signed = name.equals("sdiv");
        if (!signed && !name.equals("udiv")) {
            Integer rest = in.conditional() ? skippedDiscount.get(in.address()) : null;
            if (rest != null && conditionPasses(in.condition(), registers.applyAsLong(XPSR_REGISTER))) {
                return rest;   // its IT condition passed: the cycles beyond the skipped instruction's 1
            }
            return 0;
        }
        int[] regs = divideOperands(in.operands());
        if (regs == null) {
            return 0;
        }
        long n = registers.applyAsLong(regs[0]) & 0xFFFFFFFFL;
        long m = registers.applyAsLong(regs[1]) & 0xFFFFFFFFL;
        return divideCycles(n, m, signed) - DIVIDE_MIN;
    }

    static final int DIVIDE_MIN = 2;

    /** The register number under which {@link #dynamicCycles}' register reader gives xPSR (its N, Z, C, V flags). */
    public static final int XPSR_REGISTER = 16;

    /** Whether condition {@code cond} (ARM encoding 0..14) passes with the flags of {@code xpsr}. */
    static boolean conditionPasses(int cond, long xpsr) {
        boolean nf = (xpsr & (1L << 31)) != 0, zf = (xpsr & (1L << 30)) != 0, cf = (xpsr & (1L << 29)) != 0,
                vf = (xpsr & (1L << 28)) != 0;
        return switch (cond) {
            case 0 -> zf;
            case 1 -> !zf;
            case 2 -> cf;
            case 3 -> !cf;
            case 4 -> nf;
            case 5 -> !nf;
            case 6 -> vf;
            case 7 -> !vf;
            case 8 -> cf && !zf;
            case 9 -> !cf || zf;
            case 10 -> nf == vf;
            case 11 -> nf != vf;
            case 12 -> !zf && nf == vf;
            case 13 -> zf || nf != vf;
            default -> true;
        };
    }

    /**
     * SDIV/UDIV cycles. The TRM gives 2–12 and "early termination depending on the operands"
     * only; tinysim's formula: the quotient has at most q = clz(|divisor|) − clz(|dividend|) + 1
     * significant bits, and the divider is taken to retire 3 of them per cycle after 2 cycles of
     * set-up: 2 + floor(q / 3), with q = 0 (2 cycles) when |divisor| &gt; |dividend| or the divisor
     * is 0. It meets the TRM's bounds exactly (2 for a zero quotient, 12 for 0xFFFFFFFF / 1).
     */
    public static int divideCycles(long dividend, long divisor, boolean signed) {
        long n = dividend & 0xFFFFFFFFL, m = divisor & 0xFFFFFFFFL;
        if (signed) {
            n = Math.abs((long) (int) n);
            m = Math.abs((long) (int) m);
        }
        if (m == 0 || m > n) {
            return DIVIDE_MIN;
        }
        int q = Long.numberOfLeadingZeros(m) - Long.numberOfLeadingZeros(n) + 1;
        return DIVIDE_MIN + q / 3;
    }

    /** "r0, r1, r2" -> {1, 2}: the dividend and divisor register numbers, or null. */
    static int[] divideOperands(String operands) {
        int c1 = operands.indexOf(',');
        int c2 = c1 < 0 ? -1 : operands.indexOf(',', c1 + 1);
        if (c2 < 0) {
            // two-operand form "sdiv r0, r1": Rd is also the dividend
            if (c1 < 0) {
                return null;
            }
            int d = register(operands, 0, c1);
            int m = register(operands, c1 + 1, operands.length());
            return d < 0 || m < 0 ? null : new int[]{d, m};
        }
        int n = register(operands, c1 + 1, c2);
        int m = register(operands, c2 + 1, operands.length());
        return n < 0 || m < 0 ? null : new int[]{n, m};
    }

    private static int register(String s, int from, int to) {
        while (from < to && s.charAt(from) == ' ') {
            from++;
        }
        while (to > from && s.charAt(to - 1) == ' ') {
            to--;
        }
        if (to - from < 2) {
            return -1;
        }
        char a = s.charAt(from), b = s.charAt(from + 1);
        if (a == 'r') {
            int v = 0;
            for (int i = from + 1; i < to; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                v = v * 10 + (c - '0');
            }
            return v <= 15 ? v : -1;
        }
        if (to - from != 2) {
            return -1;
        }
        return switch (a) {
            case 's' -> b == 'b' ? 9 : b == 'l' ? 10 : b == 'p' ? 13 : -1;
            case 'f' -> b == 'p' ? 11 : -1;
            case 'i' -> b == 'p' ? 12 : -1;
            case 'l' -> b == 'r' ? 14 : -1;
            case 'p' -> b == 'c' ? 15 : -1;
            default -> -1;
        };
    }

    // ------------------------------------------------------------------ the block

    @Override
    public BlockTiming blockTiming(List<Instruction> instructions, MemoryKind memory) {
        return blockTiming(instructions, memory, instructions.size(), true);
    }

    /**
     * Cycles the pipeline carries from a block into the block that follows it without a taken branch:
     * the cost of the two run back to back minus their costs apart (LDR;LDR pipelining, the address-
     * dependency and FP result-use stalls, IT folding, a VDIV still running), instruction fetch left out
     * (docs/timing-model.md, "Across block boundaries"). Negative when the pair is cheaper together.
     */
    @Override
    public int fallThroughCarry(List<Instruction> block, List<Instruction> next, MemoryKind memory) {
        if (block.isEmpty() || next.isEmpty()) {
            return 0;
        }
        List<Instruction> both = new java.util.ArrayList<>(block.size() + next.size());
        both.addAll(block);
        both.addAll(next);
        long together = blockTiming(both, memory, block.size(), false).cycles();
        long apart = blockTiming(block, memory, block.size(), false).cycles() + blockTiming(next, memory, next.size(), false).cycles();
        return (int) (together - apart);
    }

    /** Conditionally skipped multi-cycle instructions: what to take off when the condition fails (by address). */
    private final java.util.concurrent.ConcurrentHashMap<Long, Integer> skippedDiscount = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param split     instructions [0, split) are one block whose last instruction may be a conditional end
     *                  (counted not taken); the rest, if any, are the block that follows it
     * @param primary   the block's own costing: with the fetch model, and recording its skippable instructions
     */
    private BlockTiming blockTiming(List<Instruction> instructions, MemoryKind memory, int split, boolean primary) {
        int n = instructions.size();
        if (n == 0) {
            return new BlockTiming(0, new int[n + 1], 0);
        }
        long blockStart = instructions.get(0).address();
        boolean codeInFlash = memory == MemoryKind.FLASH || inFlash(blockStart);
        int fetchWait = fetchWaitStates(blockStart);
        int literalWait = codeInFlash ? memoryState.staticLiteralWaitStates() : 0;   // D-Code reads of the literal pool

        // Fetch simulation state (only with wait states: at zero wait the TRM counts already hold).
        // (and, at zero wait, in a block that reads a literal pool: the TRM's "LDR Rx,[PC,#imm] might add a
        // cycle because of contention with the fetch unit", §3.3.2 — the read takes the code memory's port,
        // and the fetch unit waits for it; the instruction stream waits only if its buffer runs dry)
        PrefetchBuffer fetch = primary && (fetchWait > 0 || InstructionClass.readsLiteral(instructions))
                ? new PrefetchBuffer(instructions, fetchWait) : null;
        return new BlockCoster(p, n, fetchWait, literalWait, fetch, primary ? skippedDiscount : null).cost(instructions, split);
    }
}
