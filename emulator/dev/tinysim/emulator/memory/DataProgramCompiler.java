package dev.tinysim.emulator.memory;

import dev.tinysim.emulator.disasm.Instruction;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

import static dev.tinysim.emulator.memory.OperandText.fpTransfers;
import static dev.tinysim.emulator.memory.OperandText.leadingRegisters;
import static dev.tinysim.emulator.memory.OperandText.postIndex;
import static dev.tinysim.emulator.memory.OperandText.registerList;
import static dev.tinysim.emulator.memory.OperandText.signedLoad;
import static dev.tinysim.emulator.memory.OperandText.splitOperands;
import static dev.tinysim.emulator.memory.OperandText.transferSize;

/**
 * Turns a block's instructions into its {@link DataProgram}: for every load that may read flash,
 * how its address follows from the registers at the block's entry. The compiler follows the
 * integer work the block does on the way (moves, adds, shifts, multiplies, loads of pointers from
 * memory) and keeps only the steps the addresses need. A load whose address depends on something
 * it does not follow (a register written under an IT condition, an instruction it does not know)
 * is listed as a fallback: the core times that one instruction by itself.
 *
 * <p>Its parts: {@link RegisterTracker} (what is known of the registers on the way, the ops emitted),
 * {@link AluFollower} (the data-processing instructions it follows), {@link OperandText} (Capstone's
 * operand syntax) and {@link ProgramEncoder} (pruning and the op bytes). Loads and stores are here.
 */
public final class DataProgramCompiler {
    private static final int SP = RegisterTracker.SP, PC = RegisterTracker.PC, TEMP = RegisterTracker.TEMP;

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

    /** The state of the forward pass. */
    private final RegisterTracker s = new RegisterTracker();

    /** Compiles one block; returns null when nothing in it may read flash. */
    public DataProgram compile(List<Instruction> instructions) {
        s.reset();
        for (int i = 0; i < instructions.size(); i++) {
            instruction(instructions.get(i), i);
        }
        return ProgramEncoder.encode(s.ops, s.fallback);
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

    /** Bytes of each transfer a load makes (1, 2 or 4; multi-word loads transfer words). */
    public static int transferBytes(Instruction in) {
        String n = in.name();
        return n.startsWith("ld") || n.startsWith("tb") ? transferSize(n) : 4;
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
                boolean ok = m.index() < PC && s.known[m.index()] && !m.subtracted();
                return new Address(DataProgram.NONE, m.index(), n.equals("tbh") ? 1 : m.shift(), (int) (pc + disp), ok, null);
            }
            return new Address(DataProgram.NONE, DataProgram.NONE, 0, (int) (pc + disp), true, null);
        }
        int index = m.index() >= 0 ? m.index() : DataProgram.NONE;
        boolean ok = m.base() < PC && s.known[m.base()] && (m.index() < 0 || (m.index() < PC && s.known[m.index()])) && !m.subtracted();
        Long sp = m.index() < 0 && s.spRelative[m.base()] != null ? s.spRelative[m.base()] + disp : null;
        return new Address(m.base(), index, m.shift(), disp, ok, sp);
    }

    /** Where a load reads, the registers it loads (into {@code dsts}) and how it updates its base. */
    private record Transfer(int baseReg, int count, Address at, int writeback, boolean hasWriteback) {
    }

    private void load(Instruction in, int index) {
        String n = in.name();
        boolean cond = in.conditional();
        List<Integer> dsts = new ArrayList<>();
        int size = transferSize(n);
        Transfer x = switch (n) {
            case "pop", "vpop" -> pop(in, n, dsts);
            case "ldm", "ldmia", "ldmfd", "ldmdb", "ldmea", "vldmia", "vldmdb", "vldm" -> loadMultiple(in, n, dsts);
            default -> loadSingle(in, n, dsts);
        };
        int baseReg = x.baseReg();
        Address at = x.at();
        // the read itself
        boolean sp = baseReg == SP;
        boolean literal = baseReg == PC;
        if (!sp) {
            if (literal) {
                if (literals && at.computable() && flash.test(at.imm() & 0xFFFFFFFFL)) {
                    access(at, size, x.count(), index);
                }
            } else if (at.computable()) {
                access(at, size, x.count(), index);
            } else {
                s.fallback.add(index);
            }
        }
        // the values it loads
        dsts.removeIf(r -> r == null || r >= PC);
        if (!dsts.isEmpty()) {
            loadValues(in, at, dsts, size, cond, literal, baseReg);
        }
        // base update
        if (x.hasWriteback() && baseReg >= 0 && baseReg < PC && !dsts.contains(baseReg)) {
            if (cond) {
                s.forget(baseReg);
            } else {
                s.addImmediate(baseReg, baseReg, x.writeback(), index);
            }
        }
    }

    private Transfer pop(Instruction in, String n, List<Integer> dsts) {
        List<Integer> list = registerList(in.operands());
        int count = n.equals("vpop") ? fpTransfers(in) : list.size();
        if (n.equals("pop")) {
            dsts.addAll(list);
        }
        Address at = new Address(SP, DataProgram.NONE, 0, 0, s.known[SP], s.spRelative[SP]);
        return new Transfer(SP, count, at, 4 * count, true);
    }

    private Transfer loadMultiple(Instruction in, String n, List<Integer> dsts) {
        int baseReg = in.firstRegister();
        List<Integer> list = registerList(in.operands());
        boolean fp = n.startsWith("v");
        int count = fp ? fpTransfers(in) : list.size();
        if (!fp) {
            dsts.addAll(list);
        }
        boolean down = n.endsWith("db") || n.endsWith("ea");
        boolean ok = baseReg >= 0 && baseReg < PC && s.known[baseReg];
        Long sp = baseReg >= 0 && baseReg < PC && s.spRelative[baseReg] != null ? s.spRelative[baseReg] + (down ? -4L * count : 0) : null;
        Address at = new Address(baseReg < 0 ? DataProgram.NONE : baseReg, DataProgram.NONE, 0, down ? -4 * count : 0, ok, sp);
        return new Transfer(baseReg, count, at, down ? -4 * count : 4 * count, in.writeback());
    }

    private Transfer loadSingle(Instruction in, String n, List<Integer> dsts) {
        boolean hasWriteback = in.writeback();
        int count;
        int writeback = 0;
        Instruction.MemoryOperand m = in.memory();
        int baseReg = m == null ? -1 : m.base();
        Integer post = postIndex(in);
        Address at = address(in, post != null);
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
        return new Transfer(baseReg, count, at, writeback, hasWriteback);
    }

    private void access(Address at, int size, int count, int index) {
        DataOp op = new DataOp(DataProgram.OP_ACC);
        op.a = at.base();
        op.b = at.index();
        op.shift = at.index() == DataProgram.NONE ? 0 : at.shift();
        op.imm = at.imm();
        op.size = size;
        op.count = Math.min(count, 255);
        op.instruction = index;
        s.ops.add(op);
    }

    private void loadValues(Instruction in, Address at, List<Integer> dsts, int size, boolean cond, boolean literal, int baseReg) {
        if (cond) {
            dsts.forEach(s::forget);
            return;
        }
        if (literal && at.index() == DataProgram.NONE && at.computable()) {
            for (int k = 0; k < dsts.size(); k++) {
                Integer v = reader.read((at.imm() & 0xFFFFFFFFL) + 4L * k, size);
                int r = dsts.get(k);
                if (v == null) {
                    s.forget(r);
                } else {
                    DataOp op = new DataOp(DataProgram.OP_MOVI);
                    op.dst = r;
                    op.imm = signedLoad(in.name()) ? (size == 1 ? (byte) (int) v : (short) (int) v) : v;
                    s.emitWrite(op, in);
                    s.spRelative[r] = null;
                }
            }
            return;
        }
        boolean aliasFree = !s.unknownStore;
        if (aliasFree && at.spOffset() != null) {
            for (long[] st : s.spStores) {
                long lo = at.spOffset(), hi = lo + 4L * dsts.size();
                if (lo < st[0] + st[1] && st[0] < hi) {
                    aliasFree = false;   // a reload of a slot this block wrote: not followed
                }
            }
        }
        if (!aliasFree || !at.computable() || at.base() == DataProgram.NONE) {
            dsts.forEach(s::forget);
            return;
        }
        Address from = at;
        if (dsts.size() > 1) {
            // the loads may overwrite the base: compute the address once into the scratch register
            DataOp base = new DataOp(at.index() == DataProgram.NONE ? DataProgram.OP_ADDI : DataProgram.OP_ADDSH);
            base.dst = TEMP;
            base.a = at.base();
            base.b = at.index();
            base.shift = at.shift();
            base.imm = at.imm();
            base.instruction = -1;
            s.ops.add(base);
            s.known[TEMP] = true;
            from = new Address(TEMP, DataProgram.NONE, 0, 0, true, at.spOffset());
        }
        for (int k = 0; k < dsts.size(); k++) {
            int r = dsts.get(k);
            DataOp op = new DataOp(DataProgram.OP_LDV);
            op.dst = r;
            op.a = from.base();
            op.b = from.index();
            op.shift = from.shift();
            op.imm = from.imm() + 4 * k;
            op.size = size;
            op.flags = signedLoad(in.name()) ? 1 : 0;
            op.instruction = -1;
            s.ops.add(op);
            s.known[r] = true;
            s.spRelative[r] = null;
        }
        s.known[TEMP] = false;
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
                at = new Address(SP, DataProgram.NONE, 0, -bytes, s.known[SP], s.spRelative[SP] == null ? null : s.spRelative[SP] - bytes);
                writeback = -bytes;
                hasWriteback = true;
            }
            case "stm", "stmia", "stmea", "stmdb", "stmfd", "vstmia", "vstmdb", "vstm" -> {
                baseReg = in.firstRegister();
                int count = n.startsWith("v") ? fpTransfers(in) : registerList(in.operands()).size();
                bytes = 4 * count;
                boolean down = n.endsWith("db") || n.endsWith("fd");
                boolean ok = baseReg >= 0 && baseReg < PC && s.known[baseReg];
                Long sp = baseReg >= 0 && baseReg < PC && s.spRelative[baseReg] != null ? s.spRelative[baseReg] + (down ? -bytes : 0) : null;
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
                    leadingRegisters(in.operands(), 1).forEach(s::forget);   // the status result
                }
            }
        }
        if (at.spOffset() != null) {
            s.spStores.add(new long[]{at.spOffset(), bytes});
        } else if (!at.computable() || at.base() == DataProgram.NONE) {
            s.unknownStore = true;
        }
        if (at.computable() && at.base() != DataProgram.NONE) {
            DataOp op = new DataOp(DataProgram.OP_STREC);
            op.a = at.base();
            op.b = at.index();
            op.shift = at.shift();
            op.imm = at.imm();
            op.size = Math.min(bytes, 255);
            op.instruction = -1;
            s.ops.add(op);
        }
        if (hasWriteback && baseReg >= 0 && baseReg < PC) {
            if (in.conditional()) {
                s.forget(baseReg);
            } else {
                s.addImmediate(baseReg, baseReg, writeback, index);
            }
        }
    }

    // ------------------------------------------------------------------ integer work

    private void compute(Instruction in, int index) {
        long writes = in.writesRegs() & 0x7FFFL;
        if (writes == 0) {
            return;
        }
        if (in.conditional()) {
            s.forgetWritten(in);
            return;
        }
        boolean followed;
        try {
            followed = AluFollower.alu(s, in, splitOperands(in.operands()));
        } catch (NumberFormatException e) {
            followed = false;   // an operand written in a form the compiler does not read
        }
        if (!followed) {
            s.forgetWritten(in);
        }
    }
}
