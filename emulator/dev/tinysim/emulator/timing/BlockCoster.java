package dev.tinysim.emulator.timing;

import dev.tinysim.emulator.disasm.Instruction;

import java.util.List;
import java.util.Map;

import static dev.tinysim.emulator.timing.InstructionClass.ALU;
import static dev.tinysim.emulator.timing.InstructionClass.BRANCH;
import static dev.tinysim.emulator.timing.InstructionClass.BRANCH_REG;
import static dev.tinysim.emulator.timing.InstructionClass.CORE_REGS;
import static dev.tinysim.emulator.timing.InstructionClass.CPS;
import static dev.tinysim.emulator.timing.InstructionClass.DIV;
import static dev.tinysim.emulator.timing.InstructionClass.FP_ARITH;
import static dev.tinysim.emulator.timing.InstructionClass.FP_DIV;
import static dev.tinysim.emulator.timing.InstructionClass.FP_LOAD;
import static dev.tinysim.emulator.timing.InstructionClass.FP_LOAD_MULTI;
import static dev.tinysim.emulator.timing.InstructionClass.FP_MAC;
import static dev.tinysim.emulator.timing.InstructionClass.FP_MOVE;
import static dev.tinysim.emulator.timing.InstructionClass.FP_STORE;
import static dev.tinysim.emulator.timing.InstructionClass.FP_STORE_MULTI;
import static dev.tinysim.emulator.timing.InstructionClass.ISB;
import static dev.tinysim.emulator.timing.InstructionClass.IT;
import static dev.tinysim.emulator.timing.InstructionClass.LOAD;
import static dev.tinysim.emulator.timing.InstructionClass.LOAD_DUAL;
import static dev.tinysim.emulator.timing.InstructionClass.LOAD_EX;
import static dev.tinysim.emulator.timing.InstructionClass.LOAD_MULTI;
import static dev.tinysim.emulator.timing.InstructionClass.MSR;
import static dev.tinysim.emulator.timing.InstructionClass.STORE;
import static dev.tinysim.emulator.timing.InstructionClass.STORE_DUAL;
import static dev.tinysim.emulator.timing.InstructionClass.STORE_EX;
import static dev.tinysim.emulator.timing.InstructionClass.STORE_MULTI;
import static dev.tinysim.emulator.timing.InstructionClass.S_REGS;
import static dev.tinysim.emulator.timing.InstructionClass.TABLE_BRANCH;
import static dev.tinysim.emulator.timing.InstructionClass.addressRegisters;
import static dev.tinysim.emulator.timing.InstructionClass.classify;
import static dev.tinysim.emulator.timing.InstructionClass.doubleRegisters;
import static dev.tinysim.emulator.timing.InstructionClass.isMemory;
import static dev.tinysim.emulator.timing.InstructionClass.literal;
import static dev.tinysim.emulator.timing.InstructionClass.macMultiplicands;

/**
 * One costing of a block by {@link CortexM4Timing}: the issue time of each instruction, one instruction
 * after the other. Each step is the instruction's table cost ({@link #tableCost}), the stalls on the
 * instruction before it and on a VDIV/VSQRT in flight ({@link #earliestIssue}), its use of the fetch
 * unit ({@link #fetchUse}), the discount when its IT condition may skip it ({@link #skippable}), then
 * the advance of the issue time. Made once per costing (when a block is translated or costed again).
 */
final class BlockCoster {
    /** VDIV.F32 / VSQRT.F32: cycles until the FPU accepts another instruction (TRM Table 7-1). */
    private static final int FP_DIVIDE_CYCLES = 14;
    /** VMLA family: Table 7-1. */
    private static final int FP_MAC_CYCLES = 3;

    private final CortexM4TimingParameters p;
    private final int fetchWait;
    private final int literalWait;        // D-Code reads of the literal pool
    private final PrefetchBuffer fetch;   // null: no fetch simulation
    /** Where to record the block's skippable instructions (the block's own costing), or null. */
    private final Map<Long, Integer> skippedDiscount;
    private final int n;
    private final int[] before;

    private int t;                 // issue time of the next instruction
    private int takenPenalty;
    private int fpBusyUntil;       // VDIV/VSQRT: the FPU takes no instruction before this
    private long divideResult;     // S register(s) a VDIV/VSQRT in flight writes
    private int divideReady;       // when a dependent instruction may issue
    private int[] dynamic;
    private int dynamicCount;

    private Instruction prev;
    private int prevKind = -1;
    private boolean prevPipelinableLoad;

    // the instruction being costed
    private int cost;
    private int refill;                // pipeline refill of a taken branch
    private boolean pipelinableLoad;

    BlockCoster(CortexM4TimingParameters p, int n, int fetchWait, int literalWait, PrefetchBuffer fetch,
                Map<Long, Integer> skippedDiscount) {
        this.p = p;
        this.n = n;
        this.fetchWait = fetchWait;
        this.literalWait = literalWait;
        this.fetch = fetch;
        this.skippedDiscount = skippedDiscount;
        this.before = new int[n + 1];
    }

    /** Costs {@code instructions} (n of them); [0, split) is one block, the rest the block after it. */
    BlockTiming cost(List<Instruction> instructions, int split) {
        for (int i = 0; i < n; i++) {
            step(instructions.get(i), i, i == n - 1 || i == split - 1);
        }
        if (divideResult != 0 && fpBusyUntil > t) {
            t = fpBusyUntil;   // the divide finishes before anything after the block (conservative, see docs)
        }
        before[n] = t;
        int[] dyn = dynamic == null ? new int[0] : java.util.Arrays.copyOf(dynamic, dynamicCount);
        return new BlockTiming(t, before, takenPenalty, dyn);
    }

    private void step(Instruction in, int i, boolean last) {
        int kind = classify(in.name());
        boolean writesPc = in.writes(Instruction.REG_PC);
        boolean conditionalEnd = last && (kind == BRANCH || kind == BRANCH_REG || kind == TABLE_BRANCH || writesPc)
                && (in.conditional() || in.name().equals("cbz") || in.name().equals("cbnz"));
        refill = 0;
        pipelinableLoad = false;
        tableCost(in, kind, writesPc, i);

        int earliest = earliestIssue(in, kind, i);
        before[i] = earliest;
        if (fetch != null) {
            fetchUse(in, kind, i, earliest);
        }
        if (kind == FP_DIV) {
            fpBusyUntil = earliest + FP_DIVIDE_CYCLES;
            divideReady = fpBusyUntil + 1;
            divideResult = in.writesRegs() & S_REGS;
        }
        skippable(in, kind, writesPc, i);
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

    /** The instruction's cost from the TRM tables, with the pipelining it gets from the instruction before. */
    private void tableCost(Instruction in, int kind, boolean writesPc, int i) {
        switch (kind) {
            case DIV -> {
                cost = CortexM4Timing.DIVIDE_MIN;
                dynamic(i);
            }
            case LOAD -> load(in, kind, writesPc);
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
    }

    /** LDR and its byte/halfword/unprivileged forms: LDR;LDR pipelining, a literal's wait states. */
    private void load(Instruction in, int kind, boolean writesPc) {
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

    /** An instruction whose cost the core completes at run time (SDIV/UDIV, a skippable one). */
    private void dynamic(int i) {
        if (dynamic == null) {
            dynamic = new int[n];
        }
        dynamic[dynamicCount++] = i;
    }

    /** Stalls on the instruction before, in the same block, on a VDIV/VSQRT in flight, and on the fetch. */
    private int earliestIssue(Instruction in, int kind, int i) {
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
        return earliest;
    }

    /** The fetch unit: the words the instruction used, a literal read holding the port, an ISB's refetch. */
    private void fetchUse(Instruction in, int kind, int i, int earliest) {
        fetch.issued(i, earliest);
        if (kind == LOAD || kind == LOAD_DUAL || kind == FP_LOAD || kind == TABLE_BRANCH) {
            if (literal(in)) {
                fetch.dataAccess(earliest, cost);   // the literal read occupies the code memory's port
            }
        }
        if (kind == ISB) {
            fetch.restartAfter(in, earliest + cost + fetchWait);   // the words after it are fetched again
        }
    }

    /**
     * An instruction its IT condition skips keeps its issue slot only: the block counts 1 cycle
     * (see "IT"); when the condition passes, dynamicCycles adds the rest.
     */
    private void skippable(Instruction in, int kind, boolean writesPc, int i) {
        if (in.conditional() && !writesPc && kind != BRANCH && kind != BRANCH_REG && kind != TABLE_BRANCH
                && kind != DIV && cost > 1) {
            if (skippedDiscount != null) {
                skippedDiscount.put(in.address(), cost - 1);
                dynamic(i);
            }
            cost = 1;
        }
    }
}
