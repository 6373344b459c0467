package dev.tinysim.emulator.memory;

import dev.tinysim.emulator.disasm.Instruction;

import java.util.List;

import static dev.tinysim.emulator.memory.OperandText.isImmediate;
import static dev.tinysim.emulator.memory.OperandText.operand2;
import static dev.tinysim.emulator.memory.OperandText.parseImmediate;
import static dev.tinysim.emulator.memory.OperandText.register;
import static dev.tinysim.emulator.memory.RegisterTracker.PC;

/**
 * The data-processing instructions {@link DataProgramCompiler} follows on the way to a block's loads,
 * one method per family (moves, add/subtract, reverse subtract, shifts, multiplies, logical operations,
 * extends, bitfield extracts): each emits the op that computes the result, or answers false when the
 * form is not one the compiler knows.
 */
final class AluFollower {
    private AluFollower() {
    }

    /** Follows one data-processing instruction; false when it is not one the compiler knows. */
    static boolean alu(RegisterTracker s, Instruction in, List<String> o) {
        String n = in.name();
        if (o.isEmpty()) {
            return false;
        }
        int d = register(o.get(0));
        if (d < 0 || d >= PC) {
            return false;
        }
        long pcValue = in.address() + 4;
        return switch (n) {
            case "mov", "movs", "cpy" -> move(s, o, d, pcValue);
            case "movw" -> o.size() == 2 && isImmediate(o.get(1)) && s.constant(d, parseImmediate(o.get(1)) & 0xFFFF);
            case "movt" -> moveTop(s, in, o, d);
            case "mvn", "mvns" -> moveNot(s, in, o, d);
            case "adr" -> o.size() == 2 && isImmediate(o.get(1)) && s.constant(d, (int) ((pcValue & ~3L) + parseImmediate(o.get(1))));
            case "add", "adds", "addw", "sub", "subs", "subw" -> addSubtract(s, in, n, o, d, pcValue);
            case "rsb", "rsbs", "neg", "negs" -> reverseSubtract(s, n, o, d);
            case "lsl", "lsls", "lsr", "lsrs", "asr", "asrs" -> shift(s, in, n, o, d);
            case "mul", "muls", "mla" -> multiply(s, in, n, o, d);
            case "and", "ands", "orr", "orrs", "eor", "eors", "bic", "bics" -> logical(s, in, n, o, d);
            case "uxtb", "uxth", "sxtb", "sxth" -> extend(s, in, n, o, d);
            case "ubfx", "sbfx" -> bitfield(s, in, n, o, d);
            default -> false;
        };
    }

    /** The operands of a two-operand form ("adds r0, r1") as its three-operand form ("adds r0, r0, r1"). */
    private static List<String> threeOperands(List<String> o) {
        return o.size() == 2 ? List.of(o.get(0), o.get(0), o.get(1)) : o;
    }

    private static boolean move(RegisterTracker s, List<String> o, int d, long pcValue) {
        if (o.size() == 2 && isImmediate(o.get(1))) {
            return s.constant(d, parseImmediate(o.get(1)));
        }
        if (o.size() == 2) {
            int m = register(o.get(1));
            if (m == PC) {
                return s.constant(d, (int) pcValue);
            }
            return s.unary(DataProgram.OP_ADDI, d, m, 0, true);
        }
        return false;
    }

    private static boolean moveTop(RegisterTracker s, Instruction in, List<String> o, int d) {
        if (o.size() != 2 || !isImmediate(o.get(1)) || !s.known[d]) {
            return false;
        }
        DataOp op = new DataOp(DataProgram.OP_MOVT);
        op.dst = d;
        op.a = d;
        op.imm = parseImmediate(o.get(1)) & 0xFFFF;
        return s.emitResult(op, in);
    }

    private static boolean moveNot(RegisterTracker s, Instruction in, List<String> o, int d) {
        if (o.size() == 2 && isImmediate(o.get(1))) {
            return s.constant(d, ~parseImmediate(o.get(1)));
        }
        OperandText.Operand2 m = operand2(o, 1);
        if (m == null || !s.known(m.reg())) {
            return false;
        }
        DataOp op = new DataOp(DataProgram.OP_MVN);
        op.dst = d;
        op.b = m.reg();
        op.shift = m.shift();
        return s.emitResult(op, in);
    }

    private static boolean addSubtract(RegisterTracker s, Instruction in, String n, List<String> o, int d, long pcValue) {
        boolean sub = n.startsWith("sub");
        List<String> x = threeOperands(o);
        if (x.size() < 3) {
            return false;
        }
        int a = register(x.get(1));
        if (isImmediate(x.get(2)) && x.size() == 3) {
            int imm = parseImmediate(x.get(2));
            if (a == PC) {
                return s.constant(d, (int) ((pcValue & ~3L) + (sub ? -imm : imm)));
            }
            return s.unary(DataProgram.OP_ADDI, d, a, sub ? -imm : imm, true);
        }
        OperandText.Operand2 m = operand2(x, 2);
        if (m == null || a < 0 || a == PC || !s.known(a) || !s.known(m.reg())) {
            return false;
        }
        DataOp op = new DataOp(sub ? DataProgram.OP_SUBSH : DataProgram.OP_ADDSH);
        op.dst = d;
        op.a = a;
        op.b = m.reg();
        op.shift = m.shift();
        return s.emitResult(op, in);
    }

    private static boolean reverseSubtract(RegisterTracker s, String n, List<String> o, int d) {
        int a = register(o.size() >= 2 ? o.get(1) : "");
        int imm = n.startsWith("neg") ? 0 : (o.size() == 3 && isImmediate(o.get(2)) ? parseImmediate(o.get(2)) : Integer.MIN_VALUE);
        if (imm == Integer.MIN_VALUE && !n.startsWith("neg")) {
            return false;
        }
        return s.unary(DataProgram.OP_RSBI, d, a, imm, false);
    }

    private static boolean shift(RegisterTracker s, Instruction in, String n, List<String> o, int d) {
        boolean left = n.startsWith("lsl"), arith = n.startsWith("asr");
        List<String> x = threeOperands(o);
        if (x.size() != 3) {
            return false;
        }
        int a = register(x.get(1));
        if (isImmediate(x.get(2))) {
            int code = left ? DataProgram.OP_LSLI : arith ? DataProgram.OP_ASRI : DataProgram.OP_LSRI;
            return s.unary(code, d, a, parseImmediate(x.get(2)), false);
        }
        int sh = register(x.get(2));
        if (arith || a < 0 || a == PC || sh < 0 || sh == PC || !s.known(a) || !s.known(sh)) {
            return false;
        }
        DataOp op = new DataOp(left ? DataProgram.OP_LSL : DataProgram.OP_LSR);
        op.dst = d;
        op.a = a;
        op.b = sh;
        return s.emitResult(op, in);
    }

    private static boolean multiply(RegisterTracker s, Instruction in, String n, List<String> o, int d) {
        List<String> x = threeOperands(o);
        int a = register(x.size() > 1 ? x.get(1) : ""), b = register(x.size() > 2 ? x.get(2) : "");
        int acc = n.equals("mla") ? register(x.size() > 3 ? x.get(3) : "") : -1;
        if (a < 0 || b < 0 || a == PC || b == PC || !s.known(a) || !s.known(b) || (n.equals("mla") && (acc < 0 || acc == PC || !s.known(acc)))) {
            return false;
        }
        DataOp op = new DataOp(DataProgram.OP_MUL);
        op.dst = d;
        op.a = a;
        op.b = b;
        op.aux = acc < 0 ? 0xFFFF : acc;
        return s.emitResult(op, in);
    }

    private static boolean logical(RegisterTracker s, Instruction in, String n, List<String> o, int d) {
        List<String> x = threeOperands(o);
        if (x.size() < 3) {
            return false;
        }
        int a = register(x.get(1));
        if (isImmediate(x.get(2)) && x.size() == 3) {
            int imm = parseImmediate(x.get(2));
            int code = switch (n.substring(0, 3)) {
                case "and" -> DataProgram.OP_ANDI;
                case "orr" -> DataProgram.OP_ORRI;
                case "eor" -> DataProgram.OP_EORI;
                default -> DataProgram.OP_ANDI;
            };
            return s.unary(code, d, a, n.startsWith("bic") ? ~imm : imm, false);
        }
        OperandText.Operand2 m = operand2(x, 2);
        if (m == null || a < 0 || a == PC || !s.known(a) || !s.known(m.reg())) {
            return false;
        }
        DataOp op = new DataOp(switch (n.substring(0, 3)) {
            case "and" -> DataProgram.OP_AND;
            case "orr" -> DataProgram.OP_ORR;
            case "eor" -> DataProgram.OP_EOR;
            default -> DataProgram.OP_BIC;
        });
        op.dst = d;
        op.a = a;
        op.b = m.reg();
        op.shift = m.shift();
        return s.emitResult(op, in);
    }

    private static boolean extend(RegisterTracker s, Instruction in, String n, List<String> o, int d) {
        if (o.size() != 2) {
            return false;
        }
        int a = register(o.get(1));
        if (a < 0 || a == PC || !s.known(a)) {
            return false;
        }
        DataOp op = new DataOp(DataProgram.OP_EXT);
        op.dst = d;
        op.a = a;
        op.shift = n.endsWith("b") ? 8 : 16;
        op.flags = n.startsWith("s") ? 1 : 0;
        return s.emitResult(op, in);
    }

    private static boolean bitfield(RegisterTracker s, Instruction in, String n, List<String> o, int d) {
        if (o.size() != 4 || !isImmediate(o.get(2)) || !isImmediate(o.get(3))) {
            return false;
        }
        int a = register(o.get(1));
        int lsb = parseImmediate(o.get(2)), width = parseImmediate(o.get(3));
        if (a < 0 || a == PC || !s.known(a) || lsb < 0 || lsb > 31 || width < 1 || width > 32) {
            return false;
        }
        DataOp op = new DataOp(DataProgram.OP_UBFX);
        op.dst = d;
        op.a = a;
        op.shift = lsb;
        op.imm = width;
        op.flags = n.startsWith("s") ? 1 : 0;
        return s.emitResult(op, in);
    }
}
