package dev.tinysim.emulator.memory;

import dev.tinysim.emulator.disasm.Instruction;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Operand text of Capstone 4's Thumb-2 syntax, as {@link DataProgramCompiler} reads it: registers, immediates, lists. */
public final class OperandText {
    private static final int PC = 15;

    private OperandText() {
    }

    static int transferSize(String n) {
        if (n.startsWith("ldrb") || n.startsWith("ldrsb") || n.startsWith("strb") || n.equals("ldrexb") || n.equals("strexb")
                || n.equals("tbb")) {
            return 1;
        }
        if (n.startsWith("ldrh") || n.startsWith("ldrsh") || n.startsWith("strh") || n.equals("ldrexh") || n.equals("strexh")
                || n.equals("tbh")) {
            return 2;
        }
        return 4;
    }

    static boolean signedLoad(String n) {
        return n.startsWith("ldrsb") || n.startsWith("ldrsh");
    }

    /** The post-index immediate ("[r2], #1" -> 1), or null when the access is not post-indexed. */
    static Integer postIndex(Instruction in) {
        String ops = in.operands();
        int close = ops.lastIndexOf(']');
        if (close < 0 || close == ops.length() - 1 || ops.charAt(close + 1) != ',') {
            return null;
        }
        String rest = ops.substring(close + 2).strip();
        return rest.startsWith("#") ? parseImmediate(rest) : null;
    }

    static int fpTransfers(Instruction in) {
        List<Integer> dummy = new ArrayList<>();
        String ops = in.operands();
        int open = ops.indexOf('{'), close = ops.indexOf('}');
        if (open < 0 || close < open) {
            return Math.max(1, in.registerListCount());
        }
        int words = 0;
        for (String r : ops.substring(open + 1, close).split(",")) {
            String t = r.strip();
            words += t.startsWith("d") ? 2 : 1;
        }
        return Math.max(1, words + dummy.size());
    }

    /** A register operand, shifted left by {@code shift}. */
    record Operand2(int reg, int shift) {
    }

    /** "r3" or "r3, lsl #2" at {@code from}; null for other shifts. */
    static Operand2 operand2(List<String> o, int from) {
        if (from >= o.size()) {
            return null;
        }
        int r = register(o.get(from));
        if (r < 0 || r == PC) {
            return null;
        }
        if (o.size() == from + 1) {
            return new Operand2(r, 0);
        }
        if (o.size() == from + 2) {
            String s = o.get(from + 1).toLowerCase(Locale.ROOT).strip();
            if (s.startsWith("lsl #")) {
                int n = parseImmediate(s.substring(4).strip());
                return n >= 0 && n < 32 ? new Operand2(r, n) : null;
            }
        }
        return null;
    }

    static List<String> splitOperands(String text) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        StringBuilder cur = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                out.add(cur.toString().strip());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().strip());
        }
        return out;
    }

    /** Registers of a "{r4, r5, lr}" list (only core registers; "r4-r7" ranges expanded). */
    static List<Integer> registerList(String operands) {
        List<Integer> out = new ArrayList<>();
        int open = operands.indexOf('{'), close = operands.indexOf('}');
        if (open < 0 || close < open) {
            return out;
        }
        for (String part : operands.substring(open + 1, close).split(",")) {
            String t = part.strip();
            int dash = t.indexOf('-');
            if (dash > 0) {
                int a = register(t.substring(0, dash)), b = register(t.substring(dash + 1));
                for (int r = a; a >= 0 && b >= a && r <= b; r++) {
                    out.add(r);
                }
            } else {
                int r = register(t);
                out.add(r >= 0 ? r : null);
            }
        }
        return out;
    }

    /** The first {@code n} operands as registers. */
    static List<Integer> leadingRegisters(String operands, int n) {
        List<Integer> out = new ArrayList<>();
        List<String> o = splitOperands(operands);
        for (int i = 0; i < n && i < o.size(); i++) {
            int r = register(o.get(i));
            out.add(r >= 0 ? r : null);
        }
        return out;
    }

    /** The core register number (0–15) an operand names (r0–r15 or an alias such as sp, ip), -1 for any other. */
    public static int register(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        if (t.endsWith("!")) {
            t = t.substring(0, t.length() - 1);
        }
        return switch (t) {
            case "sp" -> 13;
            case "lr" -> 14;
            case "pc" -> 15;
            case "sb" -> 9;
            case "sl" -> 10;
            case "fp" -> 11;
            case "ip" -> 12;
            default -> {
                if (t.length() >= 2 && t.length() <= 3 && t.charAt(0) == 'r') {
                    try {
                        int v = Integer.parseInt(t.substring(1));
                        yield v <= 15 ? v : -1;
                    } catch (NumberFormatException e) {
                        yield -1;
                    }
                }
                yield -1;
            }
        };
    }

    static boolean isImmediate(String s) {
        return s.strip().startsWith("#");
    }

    static int parseImmediate(String s) {
        String t = s.strip();
        if (t.startsWith("#")) {
            t = t.substring(1).strip();
        }
        boolean negative = t.startsWith("-");
        if (negative) {
            t = t.substring(1);
        }
        long v = t.startsWith("0x") || t.startsWith("0X") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
        return (int) (negative ? -v : v);
    }
}
