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
 * docs/timing-model.md states every rule with its source; this class is that document in code.
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

    // Instruction classes.
    private static final int ALU = 0, DIV = 1, LOAD = 2, LOAD_EX = 3, LOAD_DUAL = 4, LOAD_MULTI = 5, STORE = 6,
            STORE_EX = 7, STORE_DUAL = 8, STORE_MULTI = 9, BRANCH = 10, BRANCH_REG = 11, TABLE_BRANCH = 12, IT = 13,
            MRS = 14, MSR = 15, CPS = 16, BARRIER = 17, ISB = 18, HINT = 19, FP_ARITH = 20, FP_MAC = 21, FP_DIV = 22,
            FP_LOAD = 23, FP_STORE = 24, FP_LOAD_MULTI = 25, FP_STORE_MULTI = 26, FP_MOVE = 27, FP_SYSTEM = 28;

    private static final long CORE_REGS = 0x7FFFL;                 // r0..r14 (PC is never a data dependency)
    private static final long S_REGS = 0xFFFF_FFFFL << Instruction.REG_S0;
    /** VDIV.F32 / VSQRT.F32: cycles until the FPU accepts another instruction (TRM Table 7-1). */
    private static final int FP_DIVIDE_CYCLES = 14;
    /** VMLA family: Table 7-1. */
    private static final int FP_MAC_CYCLES = 3;
    /** Cortex-M3/M4 prefetch buffer: three 32-bit entries (Cortex-M3 TRM §12.3, same fetch unit). */
    private static final int PREFETCH_WORDS = 3;
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

    // ------------------------------------------------------------------ classification

    static int classify(String name) {
        return switch (name) {
            case "sdiv", "udiv" -> DIV;
            case "ldr", "ldrb", "ldrh", "ldrsb", "ldrsh", "ldrt", "ldrbt", "ldrht", "ldrsbt", "ldrsht" -> LOAD;
            case "ldrex", "ldrexb", "ldrexh" -> LOAD_EX;
            case "ldrd" -> LOAD_DUAL;
            case "ldm", "ldmia", "ldmdb", "ldmfd", "ldmea", "pop" -> LOAD_MULTI;
            case "str", "strb", "strh", "strt", "strbt", "strht" -> STORE;
            case "strex", "strexb", "strexh" -> STORE_EX;
            case "strd" -> STORE_DUAL;
            case "stm", "stmia", "stmdb", "stmea", "stmfd", "push" -> STORE_MULTI;
            case "b", "bl", "cbz", "cbnz" -> BRANCH;
            case "bx", "blx" -> BRANCH_REG;
            case "tbb", "tbh" -> TABLE_BRANCH;
            case "it" -> IT;
            case "mrs" -> MRS;
            case "msr" -> MSR;
            case "cpsid", "cpsie", "cps" -> CPS;
            case "dmb", "dsb" -> BARRIER;
            case "isb" -> ISB;
            case "nop", "yield", "wfi", "wfe", "sev", "bkpt", "svc", "udf", "pld", "pli", "clrex" -> HINT;
            case "vmla", "vmls", "vnmla", "vnmls", "vfma", "vfms", "vfnma", "vfnms" -> FP_MAC;
            case "vdiv", "vsqrt" -> FP_DIV;
            case "vldr" -> FP_LOAD;
            case "vstr" -> FP_STORE;
            case "vldmia", "vldmdb", "vldm", "vpop" -> FP_LOAD_MULTI;
            case "vstmia", "vstmdb", "vstm", "vpush" -> FP_STORE_MULTI;
            case "vmov" -> FP_MOVE;
            case "vmrs", "vmsr" -> FP_SYSTEM;
            default -> name.startsWith("v") ? FP_ARITH : ALU;   // VADD, VSUB, VMUL, VNMUL, VABS, VNEG, VCVT*, VCMP*
        };
    }

    private static boolean isMemory(int k) {
        return (k >= LOAD && k <= STORE_MULTI) || k == TABLE_BRANCH || (k >= FP_LOAD && k <= FP_STORE_MULTI);
    }

    /** Registers an access's address is computed from. */
    private static long addressRegisters(Instruction in, int kind) {
        switch (kind) {
            case LOAD_MULTI, STORE_MULTI, FP_LOAD_MULTI, FP_STORE_MULTI -> {
                String n = in.name();
                if (n.equals("push") || n.equals("pop") || n.equals("vpush") || n.equals("vpop")) {
                    return 1L << Instruction.REG_SP;
                }
                int base = in.firstRegister();
                return base >= 0 && base < 16 ? 1L << base : 0;
            }
            default -> {
                Instruction.MemoryOperand m = in.memory();
                if (m == null) {
                    return 0;
                }
                long r = 0;
                if (m.base() >= 0 && m.base() < 16) {
                    r |= 1L << m.base();
                }
                if (m.index() >= 0 && m.index() < 16) {
                    r |= 1L << m.index();
                }
                return r;
            }
        }
    }

    /** A double-register FP transfer (VLDR/VSTR.64, VLDM/VPUSH of D registers). */
    private static boolean doubleRegisters(Instruction in) {
        String ops = in.operands();
        return ops.startsWith("d") || ops.contains("{d");
    }

    /** The S registers a multiply-accumulate reads as multiplicands (its 2nd and 3rd operands). */
    private static long macMultiplicands(Instruction in) {
        String ops = in.operands();
        long mask = 0;
        int comma = ops.indexOf(',');
        while (comma >= 0) {
            int i = comma + 1;
            while (i < ops.length() && ops.charAt(i) == ' ') {
                i++;
            }
            if (i + 1 < ops.length() && ops.charAt(i) == 's') {
                int v = 0, j = i + 1;
                while (j < ops.length() && Character.isDigit(ops.charAt(j))) {
                    v = v * 10 + (ops.charAt(j) - '0');
                    j++;
                }
                if (j > i + 1 && v < 32) {
                    mask |= 1L << (Instruction.REG_S0 + v);
                }
            }
            comma = ops.indexOf(',', i);
        }
        return mask;
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
        int[] before = new int[n + 1];
        if (n == 0) {
            return new BlockTiming(0, before, 0);
        }
        Instruction first = instructions.get(0);
        long blockStart = first.address();
        boolean codeInFlash = memory == MemoryKind.FLASH || inFlash(blockStart);
        int fetchWait = fetchWaitStates(blockStart);
        int literalWait = codeInFlash ? memoryState.staticLiteralWaitStates() : 0;   // D-Code reads of the literal pool

        // Fetch simulation state (only with wait states: at zero wait the TRM counts already hold).
        // (and, at zero wait, in a block that reads a literal pool: the TRM's "LDR Rx,[PC,#imm] might add a
        // cycle because of contention with the fetch unit", §3.3.2 — the read takes the code memory's port,
        // and the fetch unit waits for it; the instruction stream waits only if its buffer runs dry)
        Fetch fetch = primary && (fetchWait > 0 || readsLiteral(instructions)) ? new Fetch(instructions, fetchWait) : null;

        int t = 0;                 // issue time of the next instruction
        int takenPenalty = 0;
        int fpBusyUntil = 0;       // VDIV/VSQRT: the FPU takes no instruction before this
        long divideResult = 0;     // S register(s) a VDIV/VSQRT in flight writes
        int divideReady = 0;       // when a dependent instruction may issue
        int[] dynamic = null;
        int dynamicCount = 0;

        Instruction prev = null;
        int prevKind = -1;
        boolean prevPipelinableLoad = false;

        for (int i = 0; i < n; i++) {
            Instruction in = instructions.get(i);
            int kind = classify(in.name());
            boolean last = i == n - 1 || i == split - 1;
            boolean writesPc = in.writes(Instruction.REG_PC);
            boolean conditionalEnd = last && (kind == BRANCH || kind == BRANCH_REG || kind == TABLE_BRANCH || writesPc)
                    && (in.conditional() || in.name().equals("cbz") || in.name().equals("cbnz"));
            int cost;
            int refill = 0;          // pipeline refill of a taken branch
            boolean pipelinableLoad = false;
            switch (kind) {
                case DIV -> {
                    cost = DIVIDE_MIN;
                    if (dynamic == null) {
                        dynamic = new int[n];
                    }
                    dynamic[dynamicCount++] = i;
                }
                case LOAD -> {
                    if (writesPc) {
                        cost = 2;
                        refill = p.loadBranchRefill();
                    } else {
                        cost = 2;
                        pipelinableLoad = !in.writeback();
                        if (pipelinableLoad && prevPipelinableLoad && (addressRegisters(in, kind) & prev.writesRegs() & CORE_REGS) == 0) {
                            cost = 1;        // LDR;LDR: the address phase overlaps the previous data phase
                        }
                    }
                    if (literal(in)) {
                        cost += literalWait;
                    }
                }
                case LOAD_EX, STORE_EX -> cost = 2;
                case LOAD_DUAL, STORE_DUAL -> {
                    cost = 3;
                    if (kind == LOAD_DUAL && literal(in)) {
                        cost += 2 * literalWait;
                    }
                }
                case LOAD_MULTI -> {
                    cost = 1 + Math.max(1, in.registerListCount());
                    if (writesPc) {
                        refill = p.loadBranchRefill();
                    }
                }
                case STORE -> {
                    Instruction.MemoryOperand m = in.memory();
                    boolean registerOffset = m != null && m.index() >= 0;
                    cost = registerOffset ? 2 : 1;   // STR Rx,[Ry,#imm] is always one cycle (write buffer)
                    if (prevPipelinableLoad && (addressRegisters(in, kind) & prev.writesRegs() & CORE_REGS) == 0) {
                        cost = 1;                    // LDR;STR pipelines
                    }
                }
                case STORE_MULTI -> cost = 1 + Math.max(1, in.registerListCount());
                case BRANCH -> {
                    cost = 1;
                    refill = p.branchRefill();
                }
                case BRANCH_REG -> {
                    cost = 1;
                    refill = p.registerBranchRefill();
                }
                case TABLE_BRANCH -> {
                    cost = 3;                        // load (2) + add (1), then the refill
                    refill = p.loadBranchRefill();
                    if (literalWait > 0 && in.memory() != null && in.memory().base() == Instruction.REG_PC) {
                        cost += literalWait;         // the table follows the instruction, in flash
                    }
                }
                case IT -> cost = prev != null && prev.size() == 2 ? 0 : 1;   // folded onto a preceding 16-bit instruction
                case MSR, CPS -> cost = 2;
                case ISB -> cost = 1 + p.registerBranchRefill();   // flushes the pipeline: a refill as after BX
                case FP_MAC -> cost = FP_MAC_CYCLES;
                case FP_DIV -> cost = 1;             // issues in one cycle, completes 13 cycles later
                case FP_LOAD, FP_STORE -> {
                    boolean dbl = doubleRegisters(in);
                    cost = dbl ? 3 : 2;
                    if (kind == FP_LOAD && literal(in)) {
                        cost += (dbl ? 2 : 1) * literalWait;
                    }
                }
                case FP_LOAD_MULTI, FP_STORE_MULTI -> {
                    int regs = Math.max(1, in.registerListCount());
                    cost = 1 + (doubleRegisters(in) ? 2 * regs : regs);
                }
                case FP_MOVE -> cost = ((in.readsRegs() | in.writesRegs()) & CORE_REGS) != 0 ? 2 : 1;   // core <-> FPU: 2
                default -> {
                    cost = 1;                        // ALU, multiply, DSP, MRS, barriers, hints, 1-cycle FPU
                    if (writesPc && kind == ALU) {
                        refill = p.registerBranchRefill();   // MOV PC / ADD PC
                    }
                }
            }

            // Stalls on the instruction before, in the same block.
            int earliest = t;
            if (prev != null) {
                if (isMemory(kind) && !isMemory(prevKind) && prevKind != BRANCH && prevKind != BRANCH_REG
                        && (addressRegisters(in, kind) & prev.writesRegs() & CORE_REGS) != 0) {
                    earliest += 1;   // address from the previous data-processing result: no forwarding path
                }
                if ((prevKind == FP_ARITH || prevKind == FP_MAC) && (in.readsRegs() & prev.writesRegs() & S_REGS) != 0) {
                    long used = in.readsRegs() & prev.writesRegs() & S_REGS;
                    boolean addendOnly = kind == FP_MAC && (used & macMultiplicands(in)) == 0;
                    if (!addendOnly) {
                        earliest += 1;   // FP result used by the very next instruction
                    }
                }
            }
            if (divideResult != 0) {
                if (kind >= FP_ARITH) {
                    earliest = Math.max(earliest, fpBusyUntil);
                }
                if ((in.readsRegs() & divideResult) != 0) {
                    earliest = Math.max(earliest, divideReady);
                }
            }
            if (fetch != null) {
                earliest = Math.max(earliest, fetch.available(i));
            }
            before[i] = earliest;
            if (fetch != null) {
                fetch.issued(i, earliest);
                if (kind == LOAD || kind == LOAD_DUAL || kind == FP_LOAD || kind == TABLE_BRANCH) {
                    if (literal(in)) {
                        fetch.dataAccess(earliest, cost);   // the literal read occupies the code memory's port
                    }
                }
            }
            if (kind == ISB && fetch != null) {
                fetch.restartAfter(in, earliest + cost + fetchWait);   // the words after it are fetched again
            }
            if (kind == FP_DIV) {
                fpBusyUntil = earliest + FP_DIVIDE_CYCLES;
                divideReady = fpBusyUntil + 1;
                divideResult = in.writesRegs() & S_REGS;
            }
            if (in.conditional() && !writesPc && kind != BRANCH && kind != BRANCH_REG && kind != TABLE_BRANCH
                    && kind != DIV && cost > 1) {
                // An instruction its IT condition skips keeps its issue slot only: the block counts 1 cycle
                // (see "IT"); when the condition passes, dynamicCycles adds the rest.
                if (primary) {
                    skippedDiscount.put(in.address(), cost - 1);
                    if (dynamic == null) {
                        dynamic = new int[n];
                    }
                    dynamic[dynamicCount++] = i;
                }
                cost = 1;
            }
            if (conditionalEnd) {
                takenPenalty = refill;
                t = earliest + cost;
            } else {
                t = earliest + cost + refill;
            }
            prev = in;
            prevKind = kind;
            prevPipelinableLoad = pipelinableLoad;
        }
        if (divideResult != 0 && fpBusyUntil > t) {
            t = fpBusyUntil;   // the divide finishes before anything after the block (conservative, see docs)
        }
        before[n] = t;
        int[] dyn = dynamic == null ? new int[0] : java.util.Arrays.copyOf(dynamic, dynamicCount);
        return new BlockTiming(t, before, takenPenalty, dyn);
    }

    private static boolean readsLiteral(List<Instruction> instructions) {
        for (Instruction in : instructions) {
            if (literal(in)) {
                int k = classify(in.name());
                if (k == LOAD || k == LOAD_DUAL || k == FP_LOAD || k == TABLE_BRANCH) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean literal(Instruction in) {
        Instruction.MemoryOperand m = in.memory();
        return m != null && m.base() == Instruction.REG_PC;
    }

    /**
     * Instruction fetch with wait states: 32-bit fetches, each taking 1 + W cycles, into a
     * three-word prefetch buffer. Word k may be requested when word k − 3 has left the buffer and
     * the flash port is free; an instruction can issue once the word holding its last halfword
     * has arrived. At block entry the first word (both words, for a 32-bit instruction at a
     * halfword address) is there at time 0: the wait for it is the branch target penalty.
     */
    private static final class Fetch {
        private final int cost;            // 1 + W
        private final long baseWord;
        private final int[] firstWord;     // per instruction
        private final int[] lastWord;
        private final int[] ready;         // per word: earliest issue time of an instruction ending in it
        private final int[] lastIssue;     // per word: issue time of the last instruction using it
        private int computed = -1;         // words 0..computed have a ready time
        private int portFree = Integer.MIN_VALUE / 2;
        private int restartWord = -1;
        private int restartTime;

        Fetch(List<Instruction> instructions, int waitStates) {
            this.cost = 1 + waitStates;
            int n = instructions.size();
            this.baseWord = instructions.get(0).address() >>> 2;
            this.firstWord = new int[n];
            this.lastWord = new int[n];
            for (int i = 0; i < n; i++) {
                Instruction in = instructions.get(i);
                firstWord[i] = (int) ((in.address() >>> 2) - baseWord);
                lastWord[i] = (int) (((in.address() + in.size() - 1) >>> 2) - baseWord);
            }
            int words = lastWord[n - 1] + 1;
            this.ready = new int[words + 1];
            this.lastIssue = new int[words + 1];
            java.util.Arrays.fill(lastIssue, Integer.MIN_VALUE / 2);
        }

        int available(int i) {
            int need = lastWord[i];
            while (computed < need) {
                int k = ++computed;
                int r;
                if (k == 0 || (k == 1 && lastWord[0] == 1)) {
                    r = 0;
                } else if (k == restartWord) {
                    r = restartTime;
                } else {
                    r = ready[k - 1] + cost;                       // one fetch after the other
                    if (k >= PREFETCH_WORDS) {
                        r = Math.max(r, lastIssue[k - PREFETCH_WORDS] + cost);   // buffer full until then
                    }
                    r = Math.max(r, portFree + cost);              // flash busy with a data read
                }
                ready[k] = r;
            }
            return ready[need];
        }

        void issued(int i, int time) {
            for (int w = firstWord[i]; w <= lastWord[i]; w++) {
                lastIssue[w] = time;
            }
        }

        /** A data read of the code memory (a literal) issued at {@code time} holds the port. */
        void dataAccess(int time, int cycles) {
            portFree = Math.max(portFree, time + cycles);
        }

        /** ISB: the word after it is fetched again and is there at {@code time}. */
        void restartAfter(Instruction isb, int time) {
            restartWord = (int) (((isb.address() + isb.size() - 1) >>> 2) - baseWord) + 1;
            restartTime = time;
        }
    }
}
