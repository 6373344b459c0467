package dev.tinysim.emulator.timing;

import dev.tinysim.emulator.disasm.Instruction;

import java.util.List;

/**
 * The instruction classes of the Cortex-M4 TRM's timing tables (ARM DDI 0439D §3.3, Table 3-1; FPU Table 7-1)
 * and what the pipeline rules ask of an instruction: whether it accesses memory, the registers its address is
 * computed from, whether it reads the literal pool, the S registers a multiply-accumulate multiplies.
 */
final class InstructionClass {
    static final int ALU = 0, DIV = 1, LOAD = 2, LOAD_EX = 3, LOAD_DUAL = 4, LOAD_MULTI = 5, STORE = 6,
            STORE_EX = 7, STORE_DUAL = 8, STORE_MULTI = 9, BRANCH = 10, BRANCH_REG = 11, TABLE_BRANCH = 12, IT = 13,
            MRS = 14, MSR = 15, CPS = 16, BARRIER = 17, ISB = 18, HINT = 19, FP_ARITH = 20, FP_MAC = 21, FP_DIV = 22,
            FP_LOAD = 23, FP_STORE = 24, FP_LOAD_MULTI = 25, FP_STORE_MULTI = 26, FP_MOVE = 27, FP_SYSTEM = 28;

    static final long CORE_REGS = 0x7FFFL;                 // r0..r14 (PC is never a data dependency)
    static final long S_REGS = 0xFFFF_FFFFL << Instruction.REG_S0;

    private InstructionClass() {
    }
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

    static boolean isMemory(int k) {
        return (k >= LOAD && k <= STORE_MULTI) || k == TABLE_BRANCH || (k >= FP_LOAD && k <= FP_STORE_MULTI);
    }

    /** Registers an access's address is computed from. */
    static long addressRegisters(Instruction in, int kind) {
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
    static boolean doubleRegisters(Instruction in) {
        String ops = in.operands();
        return ops.startsWith("d") || ops.contains("{d");
    }

    /** The S registers a multiply-accumulate reads as multiplicands (its 2nd and 3rd operands). */
    static long macMultiplicands(Instruction in) {
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

    static boolean readsLiteral(List<Instruction> instructions) {
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

    static boolean literal(Instruction in) {
        Instruction.MemoryOperand m = in.memory();
        return m != null && m.base() == Instruction.REG_PC;
    }
}
