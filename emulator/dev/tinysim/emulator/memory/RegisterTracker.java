package dev.tinysim.emulator.memory;

import dev.tinysim.emulator.disasm.Instruction;

import java.util.ArrayList;
import java.util.List;

/**
 * The forward pass of {@link DataProgramCompiler} through one block: which registers it can still compute
 * from the block's entry registers ({@link #known}), which hold SP plus a known offset ({@link #spRelative}),
 * the stores seen so far, and the ops emitted; with the steps that emit an op and update what is known.
 */
final class RegisterTracker {
    static final int SP = 13, PC = 15, TEMP = 15;

    final boolean[] known = new boolean[16];
    final Long[] spRelative = new Long[16];
    final List<DataOp> ops = new ArrayList<>();
    final List<Integer> fallback = new ArrayList<>();
    /** Stores seen so far at SP-relative offsets known here: [offset, size]. */
    final List<long[]> spStores = new ArrayList<>();
    boolean unknownStore;

    /** The state at a block's entry: every register but PC known, SP at offset 0. */
    void reset() {
        java.util.Arrays.fill(known, true);
        known[PC] = false;
        java.util.Arrays.fill(spRelative, null);
        spRelative[SP] = 0L;
        ops.clear();
        fallback.clear();
        spStores.clear();
        unknownStore = false;
    }

    void forget(int r) {
        if (r >= 0 && r < 16) {
            known[r] = false;
            spRelative[r] = null;
        }
    }

    void forgetWritten(Instruction in) {
        for (int r = 0; r < PC; r++) {
            if (in.writes(r)) {
                forget(r);
            }
        }
    }

    void emitWrite(DataOp op, Instruction in) {
        op.instruction = -1;
        ops.add(op);
        known[op.dst] = true;
    }

    void addImmediate(int dst, int src, int delta, int index) {
        if (!known[src]) {
            forget(dst);
            return;
        }
        Long sp = spRelative[src] == null ? null : spRelative[src] + delta;
        DataOp op = new DataOp(DataProgram.OP_ADDI);
        op.dst = dst;
        op.a = src;
        op.imm = delta;
        op.instruction = -1;
        ops.add(op);
        known[dst] = true;
        spRelative[dst] = sp;
    }

    boolean known(int r) {
        return r >= 0 && r < 16 && known[r];
    }

    boolean constant(int d, int value) {
        DataOp op = new DataOp(DataProgram.OP_MOVI);
        op.dst = d;
        op.imm = value;
        op.instruction = -1;
        ops.add(op);
        known[d] = true;
        spRelative[d] = null;
        return true;
    }

    /** dst = f(a, imm); {@code keepSp}: the result stays SP-relative (moves and adds). */
    boolean unary(int code, int d, int a, int imm, boolean keepSp) {
        if (a < 0 || a == PC || !known(a)) {
            return false;
        }
        Long sp = keepSp && spRelative[a] != null ? spRelative[a] + imm : null;
        DataOp op = new DataOp(code);
        op.dst = d;
        op.a = a;
        op.imm = imm;
        op.instruction = -1;
        ops.add(op);
        known[d] = true;
        spRelative[d] = sp;
        return true;
    }

    /** Emits a data-processing result into {@code op.dst}, which is then not SP-relative. */
    boolean emitResult(DataOp op, Instruction in) {
        emitWrite(op, in);
        spRelative[op.dst] = null;
        return true;
    }
}
