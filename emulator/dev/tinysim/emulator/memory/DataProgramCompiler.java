package dev.tinysim.emulator.memory;

import dev.tinysim.emulator.disasm.Instruction;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongPredicate;

/**
 * Turns a block's instructions into its {@link DataProgram}: for every load that may read flash,
 * how its address follows from the registers at the block's entry. The compiler follows the
 * integer work the block does on the way (moves, adds, shifts, multiplies, loads of pointers from
 * memory) and keeps only the steps the addresses need. A load whose address depends on something
 * it does not follow (a register written under an IT condition, an instruction it does not know)
 * is listed as a fallback: the core times that one instruction by itself.
 */
public final class DataProgramCompiler {
    private static final int SP = 13, PC = 15, TEMP = 15;

    /** Reads a word of flash at compile time (literal pool values), or null when it cannot. */
    @FunctionalInterface
    public interface WordReader {
        Integer read(long address, int size);
    }

    private final boolean literals;
    private final LongPredicate flash;
    private final WordReader reader;

    /**
     * @param literals PC-relative reads of flash are accounted at run time too (a data cache or
     *                 buffer decides their cost), else the block's static cost has them
     * @param flash    whether an address reads flash (the flash or an alias of it)
     * @param reader   reads literal values from memory at compile time
     */
    public DataProgramCompiler(boolean literals, LongPredicate flash, WordReader reader) {
        this.literals = literals;
        this.flash = flash;
        this.reader = reader;
    }

    /** One op before pruning. */
    private static final class Op {
        int code, dst = -1, a = DataProgram.NONE, b = DataProgram.NONE, shift, size, count, flags, imm, aux = 0xFFFF;
        int instruction;
        boolean needed;

        Op(int code) {
            this.code = code;
        }

        boolean writes() {
            return code != DataProgram.OP_ACC && code != DataProgram.OP_STREC && code != DataProgram.OP_END;
        }
    }

    // state of the forward pass
    private final boolean[] known = new boolean[16];
    private final Long[] spRelative = new Long[16];
    private final List<Op> ops = new ArrayList<>();
    private final List<Integer> fallback = new ArrayList<>();
    /** Stores seen so far at SP-relative offsets known here: [offset, size]. */
    private final List<long[]> spStores = new ArrayList<>();
    private boolean unknownStore;

    /** Compiles one block; returns null when nothing in it may read flash. */
    public DataProgram compile(List<Instruction> instructions) {
        java.util.Arrays.fill(known, true);
        known[PC] = false;
        java.util.Arrays.fill(spRelative, null);
        spRelative[SP] = 0L;
        ops.clear();
        fallback.clear();
        spStores.clear();
        unknownStore = false;
        for (int i = 0; i < instructions.size(); i++) {
            instruction(instructions.get(i), i);
        }
        return build();
    }

    // ------------------------------------------------------------------ instructions

    private void instruction(Instruction in, int index) {
        String n = in.name();
        if (isLoad(n)) {
            load(in, index);
        } else if (isStore(n)) {
            store(in, index);
        } else {
            compute(in, index);
        }
    }

    static boolean isLoad(String n) {
        return switch (n) {
            case "ldr", "ldrb", "ldrh", "ldrsb", "ldrsh", "ldrt", "ldrbt", "ldrht", "ldrsbt", "ldrsht", "ldrex", "ldrexb",
                 "ldrexh", "ldrd", "ldm", "ldmia", "ldmfd", "ldmdb", "ldmea", "pop", "vldr", "vldmia", "vldmdb", "vldm", "vpop",
                 "tbb", "tbh" -> true;
            default -> false;
        };
    }

    private static boolean isStore(String n) {
        return switch (n) {
            case "str", "strb", "strh", "strt", "strbt", "strht", "strex", "strexb", "strexh", "strd", "stm", "stmia",
                 "stmea", "stmdb", "stmfd", "push", "vstr", "vstmia", "vstmdb", "vstm", "vpush" -> true;
            default -> false;
        };
    }

    private static int transferSize(String n) {
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

    /** Bytes of each transfer a load makes (1, 2 or 4; multi-word loads transfer words). */
    public static int transferBytes(Instruction in) {
        String n = in.name();
        return n.startsWith("ld") || n.startsWith("tb") ? transferSize(n) : 4;
    }

    private static boolean signedLoad(String n) {
        return n.startsWith("ldrsb") || n.startsWith("ldrsh");
    }

    /** An address computed from the block's registers: base (or NONE: constant), index << shift, plus imm. */
    private record Address(int base, int index, int shift, int imm, boolean computable, Long spOffset) {
        Address plus(int delta) {
            return new Address(base, index, shift, imm + delta, computable, spOffset == null ? null : spOffset + delta);
        }
    }

    private Address address(Instruction in, boolean postIndexed) {
        Instruction.MemoryOperand m = in.memory();
        if (m == null || m.base() < 0) {
            return new Address(DataProgram.NONE, DataProgram.NONE, 0, 0, false, null);
        }
        int disp = postIndexed ? 0 : m.displacement();
        if (m.base() == PC) {
            String n = in.name();
            long pc = n.equals("tbb") || n.equals("tbh") ? in.address() + 4 : (in.address() + 4) & ~3L;
            if (m.index() >= 0) {
                boolean ok = m.index() < PC && known[m.index()] && !m.subtracted();
                return new Address(DataProgram.NONE, m.index(), n.equals("tbh") ? 1 : m.shift(), (int) (pc + disp), ok, null);
            }
            return new Address(DataProgram.NONE, DataProgram.NONE, 0, (int) (pc + disp), true, null);
        }
        int index = m.index() >= 0 ? m.index() : DataProgram.NONE;
        boolean ok = m.base() < PC && known[m.base()] && (m.index() < 0 || (m.index() < PC && known[m.index()])) && !m.subtracted();
        Long sp = m.index() < 0 && spRelative[m.base()] != null ? spRelative[m.base()] + disp : null;
        return new Address(m.base(), index, m.shift(), disp, ok, sp);
    }

    /** The post-index immediate ("[r2], #1" -> 1), or null when the access is not post-indexed. */
    private static Integer postIndex(Instruction in) {
        String ops = in.operands();
        int close = ops.lastIndexOf(']');
        if (close < 0 || close == ops.length() - 1 || ops.charAt(close + 1) != ',') {
            return null;
        }
        String rest = ops.substring(close + 2).strip();
        return rest.startsWith("#") ? parseImmediate(rest) : null;
    }

    private void load(Instruction in, int index) {
        String n = in.name();
        boolean cond = in.conditional();
        List<Integer> dsts = new ArrayList<>();
        int size = transferSize(n);
        int count;
        Address at;
        int writeback = 0;
        boolean hasWriteback = in.writeback();
        int baseReg;
        switch (n) {
            case "pop", "vpop" -> {
                baseReg = SP;
                List<Integer> list = registerList(in.operands());
                count = n.equals("vpop") ? fpTransfers(in) : list.size();
                if (n.equals("pop")) {
                    dsts.addAll(list);
                }
                at = new Address(SP, DataProgram.NONE, 0, 0, known[SP], spRelative[SP]);
                writeback = 4 * count;
                hasWriteback = true;
            }
            case "ldm", "ldmia", "ldmfd", "ldmdb", "ldmea", "vldmia", "vldmdb", "vldm" -> {
                baseReg = in.firstRegister();
                List<Integer> list = registerList(in.operands());
                boolean fp = n.startsWith("v");
                count = fp ? fpTransfers(in) : list.size();
                if (!fp) {
                    dsts.addAll(list);
                }
                boolean down = n.endsWith("db") || n.endsWith("ea");
                boolean ok = baseReg >= 0 && baseReg < PC && known[baseReg];
                Long sp = baseReg >= 0 && baseReg < PC && spRelative[baseReg] != null ? spRelative[baseReg] + (down ? -4L * count : 0) : null;
                at = new Address(baseReg < 0 ? DataProgram.NONE : baseReg, DataProgram.NONE, 0, down ? -4 * count : 0, ok, sp);
                writeback = down ? -4 * count : 4 * count;
            }
            default -> {
                Instruction.MemoryOperand m = in.memory();
                baseReg = m == null ? -1 : m.base();
                Integer post = postIndex(in);
                at = address(in, post != null);
                if (n.equals("vldr")) {
                    count = in.operands().startsWith("d") ? 2 : 1;
                } else if (n.equals("ldrd")) {
                    count = 2;
                    List<Integer> regs = leadingRegisters(in.operands(), 2);
                    dsts.addAll(regs);
                } else {
                    count = 1;
                    if (!n.equals("tbb") && !n.equals("tbh")) {
                        dsts.addAll(leadingRegisters(in.operands(), 1));
                    }
                }
                if (hasWriteback && m != null) {
                    writeback = post != null ? post : m.displacement();
                }
            }
        }
        // the read itself
        boolean sp = baseReg == SP;
        boolean literal = baseReg == PC;
        if (!sp) {
            if (literal) {
                if (literals && at.computable() && flash.test(at.imm() & 0xFFFFFFFFL)) {
                    access(at, size, count, index);
                }
            } else if (at.computable()) {
                access(at, size, count, index);
            } else {
                fallback.add(index);
            }
        }
        // the values it loads
        dsts.removeIf(r -> r == null || r >= PC);
        if (!dsts.isEmpty()) {
            loadValues(in, at, dsts, size, cond, literal, baseReg);
        }
        // base update
        if (hasWriteback && baseReg >= 0 && baseReg < PC && !dsts.contains(baseReg)) {
            if (cond) {
                forget(baseReg);
            } else {
                addImmediate(baseReg, baseReg, writeback, index);
            }
        }
    }

    private static int fpTransfers(Instruction in) {
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

    private void access(Address at, int size, int count, int index) {
        Op op = new Op(DataProgram.OP_ACC);
        op.a = at.base();
        op.b = at.index();
        op.shift = at.index() == DataProgram.NONE ? 0 : at.shift();
        op.imm = at.imm();
        op.size = size;
        op.count = Math.min(count, 255);
        op.instruction = index;
        ops.add(op);
    }

    private void loadValues(Instruction in, Address at, List<Integer> dsts, int size, boolean cond, boolean literal, int baseReg) {
        if (cond) {
            dsts.forEach(this::forget);
            return;
        }
        if (literal && at.index() == DataProgram.NONE && at.computable()) {
            for (int k = 0; k < dsts.size(); k++) {
                Integer v = reader.read((at.imm() & 0xFFFFFFFFL) + 4L * k, size);
                int r = dsts.get(k);
                if (v == null) {
                    forget(r);
                } else {
                    Op op = new Op(DataProgram.OP_MOVI);
                    op.dst = r;
                    op.imm = signedLoad(in.name()) ? (size == 1 ? (byte) (int) v : (short) (int) v) : v;
                    emitWrite(op, in);
                    spRelative[r] = null;
                }
            }
            return;
        }
        boolean aliasFree = !unknownStore;
        if (aliasFree && at.spOffset() != null) {
            for (long[] s : spStores) {
                long lo = at.spOffset(), hi = lo + 4L * dsts.size();
                if (lo < s[0] + s[1] && s[0] < hi) {
                    aliasFree = false;   // a reload of a slot this block wrote: not followed
                }
            }
        }
        if (!aliasFree || !at.computable() || at.base() == DataProgram.NONE) {
            dsts.forEach(this::forget);
            return;
        }
        Address from = at;
        if (dsts.size() > 1) {
            // the loads may overwrite the base: compute the address once into the scratch register
            Op base = new Op(at.index() == DataProgram.NONE ? DataProgram.OP_ADDI : DataProgram.OP_ADDSH);
            base.dst = TEMP;
            base.a = at.base();
            base.b = at.index();
            base.shift = at.shift();
            base.imm = at.imm();
            base.instruction = -1;
            ops.add(base);
            known[TEMP] = true;
            from = new Address(TEMP, DataProgram.NONE, 0, 0, true, at.spOffset());
        }
        for (int k = 0; k < dsts.size(); k++) {
            int r = dsts.get(k);
            Op op = new Op(DataProgram.OP_LDV);
            op.dst = r;
            op.a = from.base();
            op.b = from.index();
            op.shift = from.shift();
            op.imm = from.imm() + 4 * k;
            op.size = size;
            op.flags = signedLoad(in.name()) ? 1 : 0;
            op.instruction = -1;
            ops.add(op);
            known[r] = true;
            spRelative[r] = null;
        }
        known[TEMP] = false;
    }

    private void store(Instruction in, int index) {
        String n = in.name();
        int baseReg;
        int bytes;
        Address at;
        int writeback = 0;
        boolean hasWriteback = in.writeback();
        switch (n) {
            case "push", "vpush" -> {
                int count = n.equals("vpush") ? fpTransfers(in) : registerList(in.operands()).size();
                bytes = 4 * count;
                baseReg = SP;
                at = new Address(SP, DataProgram.NONE, 0, -bytes, known[SP], spRelative[SP] == null ? null : spRelative[SP] - bytes);
                writeback = -bytes;
                hasWriteback = true;
            }
            case "stm", "stmia", "stmea", "stmdb", "stmfd", "vstmia", "vstmdb", "vstm" -> {
                baseReg = in.firstRegister();
                int count = n.startsWith("v") ? fpTransfers(in) : registerList(in.operands()).size();
                bytes = 4 * count;
                boolean down = n.endsWith("db") || n.endsWith("fd");
                boolean ok = baseReg >= 0 && baseReg < PC && known[baseReg];
                Long sp = baseReg >= 0 && baseReg < PC && spRelative[baseReg] != null ? spRelative[baseReg] + (down ? -bytes : 0) : null;
                at = new Address(baseReg < 0 ? DataProgram.NONE : baseReg, DataProgram.NONE, 0, down ? -bytes : 0, ok, sp);
                writeback = down ? -bytes : bytes;
            }
            default -> {
                Instruction.MemoryOperand m = in.memory();
                baseReg = m == null ? -1 : m.base();
                Integer post = postIndex(in);
                at = address(in, post != null);
                bytes = n.equals("strd") ? 8 : n.equals("vstr") ? (in.operands().startsWith("d") ? 8 : 4) : transferSize(n);
                if (hasWriteback && m != null) {
                    writeback = post != null ? post : m.displacement();
                }
                if (n.startsWith("strex")) {
                    leadingRegisters(in.operands(), 1).forEach(this::forget);   // the status result
                }
            }
        }
        if (at.spOffset() != null) {
            spStores.add(new long[]{at.spOffset(), bytes});
        } else if (!at.computable() || at.base() == DataProgram.NONE) {
            unknownStore = true;
        }
        if (at.computable() && at.base() != DataProgram.NONE) {
            Op op = new Op(DataProgram.OP_STREC);
            op.a = at.base();
            op.b = at.index();
            op.shift = at.shift();
            op.imm = at.imm();
            op.size = Math.min(bytes, 255);
            op.instruction = -1;
            ops.add(op);
        }
        if (hasWriteback && baseReg >= 0 && baseReg < PC) {
            if (in.conditional()) {
                forget(baseReg);
            } else {
                addImmediate(baseReg, baseReg, writeback, index);
            }
        }
    }

    // ------------------------------------------------------------------ integer work

    private void forget(int r) {
        if (r >= 0 && r < 16) {
            known[r] = false;
            spRelative[r] = null;
        }
    }

    private void forgetWritten(Instruction in) {
        for (int r = 0; r < PC; r++) {
            if (in.writes(r)) {
                forget(r);
            }
        }
    }

    private void emitWrite(Op op, Instruction in) {
        op.instruction = -1;
        ops.add(op);
        known[op.dst] = true;
    }

    private void addImmediate(int dst, int src, int delta, int index) {
        if (!known[src]) {
            forget(dst);
            return;
        }
        Long sp = spRelative[src] == null ? null : spRelative[src] + delta;
        Op op = new Op(DataProgram.OP_ADDI);
        op.dst = dst;
        op.a = src;
        op.imm = delta;
        op.instruction = -1;
        ops.add(op);
        known[dst] = true;
        spRelative[dst] = sp;
    }

    private void compute(Instruction in, int index) {
        long writes = in.writesRegs() & 0x7FFFL;
        if (writes == 0) {
            return;
        }
        if (in.conditional()) {
            forgetWritten(in);
            return;
        }
        boolean followed;
        try {
            followed = alu(in, splitOperands(in.operands()));
        } catch (NumberFormatException e) {
            followed = false;   // an operand written in a form the compiler does not read
        }
        if (!followed) {
            forgetWritten(in);
        }
    }

    /** Follows one data-processing instruction; false when it is not one the compiler knows. */
    private boolean alu(Instruction in, List<String> o) {
        String n = in.name();
        if (o.isEmpty()) {
            return false;
        }
        int d = register(o.get(0));
        if (d < 0 || d >= PC) {
            return false;
        }
        long pcValue = in.address() + 4;
        switch (n) {
            case "mov", "movs", "cpy" -> {
                if (o.size() == 2 && isImmediate(o.get(1))) {
                    return constant(d, parseImmediate(o.get(1)));
                }
                if (o.size() == 2) {
                    int m = register(o.get(1));
                    if (m == PC) {
                        return constant(d, (int) pcValue);
                    }
                    return unary(DataProgram.OP_ADDI, d, m, 0, true);
                }
                return false;
            }
            case "movw" -> {
                return o.size() == 2 && isImmediate(o.get(1)) && constant(d, parseImmediate(o.get(1)) & 0xFFFF);
            }
            case "movt" -> {
                if (o.size() != 2 || !isImmediate(o.get(1)) || !known[d]) {
                    return false;
                }
                Op op = new Op(DataProgram.OP_MOVT);
                op.dst = d;
                op.a = d;
                op.imm = parseImmediate(o.get(1)) & 0xFFFF;
                emitWrite(op, in);
                spRelative[d] = null;
                return true;
            }
            case "mvn", "mvns" -> {
                if (o.size() == 2 && isImmediate(o.get(1))) {
                    return constant(d, ~parseImmediate(o.get(1)));
                }
                Operand2 m = operand2(o, 1);
                if (m == null || !known(m.reg)) {
                    return false;
                }
                Op op = new Op(DataProgram.OP_MVN);
                op.dst = d;
                op.b = m.reg;
                op.shift = m.shift;
                emitWrite(op, in);
                spRelative[d] = null;
                return true;
            }
            case "adr" -> {
                return o.size() == 2 && isImmediate(o.get(1)) && constant(d, (int) ((pcValue & ~3L) + parseImmediate(o.get(1))));
            }
            case "add", "adds", "addw", "sub", "subs", "subw" -> {
                boolean sub = n.startsWith("sub");
                List<String> x = o.size() == 2 ? List.of(o.get(0), o.get(0), o.get(1)) : o;
                if (x.size() < 3) {
                    return false;
                }
                int a = register(x.get(1));
                if (isImmediate(x.get(2)) && x.size() == 3) {
                    int imm = parseImmediate(x.get(2));
                    if (a == PC) {
                        return constant(d, (int) ((pcValue & ~3L) + (sub ? -imm : imm)));
                    }
                    return unary(DataProgram.OP_ADDI, d, a, sub ? -imm : imm, true);
                }
                Operand2 m = operand2(x, 2);
                if (m == null || a < 0 || a == PC || !known(a) || !known(m.reg)) {
                    return false;
                }
                Op op = new Op(sub ? DataProgram.OP_SUBSH : DataProgram.OP_ADDSH);
                op.dst = d;
                op.a = a;
                op.b = m.reg;
                op.shift = m.shift;
                emitWrite(op, in);
                spRelative[d] = null;
                return true;
            }
            case "rsb", "rsbs", "neg", "negs" -> {
                int a = register(o.size() >= 2 ? o.get(1) : "");
                int imm = n.startsWith("neg") ? 0 : (o.size() == 3 && isImmediate(o.get(2)) ? parseImmediate(o.get(2)) : Integer.MIN_VALUE);
                if (imm == Integer.MIN_VALUE && !n.startsWith("neg")) {
                    return false;
                }
                return unary(DataProgram.OP_RSBI, d, a, imm, false);
            }
            case "lsl", "lsls", "lsr", "lsrs", "asr", "asrs" -> {
                boolean left = n.startsWith("lsl"), arith = n.startsWith("asr");
                List<String> x = o.size() == 2 ? List.of(o.get(0), o.get(0), o.get(1)) : o;
                if (x.size() != 3) {
                    return false;
                }
                int a = register(x.get(1));
                if (isImmediate(x.get(2))) {
                    int code = left ? DataProgram.OP_LSLI : arith ? DataProgram.OP_ASRI : DataProgram.OP_LSRI;
                    return unary(code, d, a, parseImmediate(x.get(2)), false);
                }
                int s = register(x.get(2));
                if (arith || a < 0 || a == PC || s < 0 || s == PC || !known(a) || !known(s)) {
                    return false;
                }
                Op op = new Op(left ? DataProgram.OP_LSL : DataProgram.OP_LSR);
                op.dst = d;
                op.a = a;
                op.b = s;
                emitWrite(op, in);
                spRelative[d] = null;
                return true;
            }
            case "mul", "muls", "mla" -> {
                List<String> x = o.size() == 2 ? List.of(o.get(0), o.get(0), o.get(1)) : o;
                int a = register(x.size() > 1 ? x.get(1) : ""), b = register(x.size() > 2 ? x.get(2) : "");
                int acc = n.equals("mla") ? register(x.size() > 3 ? x.get(3) : "") : -1;
                if (a < 0 || b < 0 || a == PC || b == PC || !known(a) || !known(b) || (n.equals("mla") && (acc < 0 || acc == PC || !known(acc)))) {
                    return false;
                }
                Op op = new Op(DataProgram.OP_MUL);
                op.dst = d;
                op.a = a;
                op.b = b;
                op.aux = acc < 0 ? 0xFFFF : acc;
                emitWrite(op, in);
                spRelative[d] = null;
                return true;
            }
            case "and", "ands", "orr", "orrs", "eor", "eors", "bic", "bics" -> {
                List<String> x = o.size() == 2 ? List.of(o.get(0), o.get(0), o.get(1)) : o;
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
                    return unary(code, d, a, n.startsWith("bic") ? ~imm : imm, false);
                }
                Operand2 m = operand2(x, 2);
                if (m == null || a < 0 || a == PC || !known(a) || !known(m.reg)) {
                    return false;
                }
                Op op = new Op(switch (n.substring(0, 3)) {
                    case "and" -> DataProgram.OP_AND;
                    case "orr" -> DataProgram.OP_ORR;
                    case "eor" -> DataProgram.OP_EOR;
                    default -> DataProgram.OP_BIC;
                });
                op.dst = d;
                op.a = a;
                op.b = m.reg;
                op.shift = m.shift;
                emitWrite(op, in);
                spRelative[d] = null;
                return true;
            }
            case "uxtb", "uxth", "sxtb", "sxth" -> {
                if (o.size() != 2) {
                    return false;
                }
                int a = register(o.get(1));
                if (a < 0 || a == PC || !known(a)) {
                    return false;
                }
                Op op = new Op(DataProgram.OP_EXT);
                op.dst = d;
                op.a = a;
                op.shift = n.endsWith("b") ? 8 : 16;
                op.flags = n.startsWith("s") ? 1 : 0;
                emitWrite(op, in);
                spRelative[d] = null;
                return true;
            }
            case "ubfx", "sbfx" -> {
                if (o.size() != 4 || !isImmediate(o.get(2)) || !isImmediate(o.get(3))) {
                    return false;
                }
                int a = register(o.get(1));
                int lsb = parseImmediate(o.get(2)), width = parseImmediate(o.get(3));
                if (a < 0 || a == PC || !known(a) || lsb < 0 || lsb > 31 || width < 1 || width > 32) {
                    return false;
                }
                Op op = new Op(DataProgram.OP_UBFX);
                op.dst = d;
                op.a = a;
                op.shift = lsb;
                op.imm = width;
                op.flags = n.startsWith("s") ? 1 : 0;
                emitWrite(op, in);
                spRelative[d] = null;
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private boolean known(int r) {
        return r >= 0 && r < 16 && known[r];
    }

    private boolean constant(int d, int value) {
        Op op = new Op(DataProgram.OP_MOVI);
        op.dst = d;
        op.imm = value;
        op.instruction = -1;
        ops.add(op);
        known[d] = true;
        spRelative[d] = null;
        return true;
    }

    /** dst = f(a, imm); {@code keepSp}: the result stays SP-relative (moves and adds). */
    private boolean unary(int code, int d, int a, int imm, boolean keepSp) {
        if (a < 0 || a == PC || !known(a)) {
            return false;
        }
        Long sp = keepSp && spRelative[a] != null ? spRelative[a] + imm : null;
        Op op = new Op(code);
        op.dst = d;
        op.a = a;
        op.imm = imm;
        op.instruction = -1;
        ops.add(op);
        known[d] = true;
        spRelative[d] = sp;
        return true;
    }

    private record Operand2(int reg, int shift) {
    }

    /** "r3" or "r3, lsl #2" at {@code from}; null for other shifts. */
    private static Operand2 operand2(List<String> o, int from) {
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

    // ------------------------------------------------------------------ pruning and encoding

    private DataProgram build() {
        boolean anyAccess = ops.stream().anyMatch(op -> op.code == DataProgram.OP_ACC);
        if (!anyAccess && fallback.isEmpty()) {
            return null;
        }
        // Backward: keep the reads, and what their addresses need.
        boolean[] live = new boolean[16];
        boolean loadAfter = false;
        for (int i = ops.size() - 1; i >= 0; i--) {
            Op op = ops.get(i);
            if (op.code == DataProgram.OP_ACC) {
                op.needed = true;
            } else if (op.code == DataProgram.OP_STREC) {
                op.needed = loadAfter;
            } else {
                op.needed = op.dst >= 0 && live[op.dst];
                if (op.needed) {
                    live[op.dst] = op.code == DataProgram.OP_MOVT;   // MOVT keeps the low half of its destination
                    if (op.code == DataProgram.OP_LDV) {
                        loadAfter = true;
                    }
                }
            }
            if (op.needed) {
                if (op.a != DataProgram.NONE) {
                    live[op.a & 15] = true;
                }
                if (op.b != DataProgram.NONE) {
                    live[op.b & 15] = true;
                }
                if (op.code == DataProgram.OP_MUL && op.aux < 16) {
                    live[op.aux] = true;
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> accessInstruction = new ArrayList<>();
        boolean leading = true;   // reads before any other op address the entry registers: the fast form
        for (Op op : ops) {
            if (!op.needed) {
                continue;
            }
            leading &= op.code == DataProgram.OP_ACC;
            out.write(leading ? DataProgram.OP_ACCE : op.code);
            out.write(op.dst < 0 ? 0 : op.dst);
            out.write(op.a);
            out.write(op.b);
            out.write(op.shift);
            out.write(op.size);
            out.write(op.count);
            out.write(op.flags);
            writeInt(out, op.imm);
            out.write(op.aux & 0xFF);
            out.write((op.aux >>> 8) & 0xFF);
            out.write(0);
            out.write(0);
            if (op.code == DataProgram.OP_ACC) {
                accessInstruction.add(op.instruction);
            }
        }
        out.write(new byte[DataProgram.OP_BYTES], 0, DataProgram.OP_BYTES);   // OP_END
        return new DataProgram(out.toByteArray(), accessInstruction.stream().mapToInt(Integer::intValue).toArray(),
                fallback.stream().mapToInt(Integer::intValue).toArray());
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v & 0xFF);
        out.write((v >>> 8) & 0xFF);
        out.write((v >>> 16) & 0xFF);
        out.write((v >>> 24) & 0xFF);
    }

    // ------------------------------------------------------------------ operand text (Capstone 4 syntax)

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
    private static List<Integer> leadingRegisters(String operands, int n) {
        List<Integer> out = new ArrayList<>();
        List<String> o = splitOperands(operands);
        for (int i = 0; i < n && i < o.size(); i++) {
            int r = register(o.get(i));
            out.add(r >= 0 ? r : null);
        }
        return out;
    }

    static int register(String s) {
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

    private static boolean isImmediate(String s) {
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
