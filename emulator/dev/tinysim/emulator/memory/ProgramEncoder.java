package dev.tinysim.emulator.memory;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The last step of {@link DataProgramCompiler}: keeps the reads and the ops their addresses need (a backward
 * pass), then writes the 16-byte ops of the {@link DataProgram} (block_hook.c's format, described in
 * engine.NativeConstants).
 */
final class ProgramEncoder {
    private ProgramEncoder() {
    }

    /** The program of a block's ops and fallback instructions; null when nothing in it may read flash. */
    static DataProgram encode(List<DataOp> ops, List<Integer> fallback) {
        boolean anyAccess = ops.stream().anyMatch(op -> op.code == DataProgram.OP_ACC);
        if (!anyAccess && fallback.isEmpty()) {
            return null;
        }
        // Backward: keep the reads, and what their addresses need.
        boolean[] live = new boolean[16];
        boolean loadAfter = false;
        for (int i = ops.size() - 1; i >= 0; i--) {
            DataOp op = ops.get(i);
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
        for (DataOp op : ops) {
            if (!op.needed) {
                continue;
            }
            leading &= op.code == DataProgram.OP_ACC;
            byte[] b = new byte[DataProgram.OP_BYTES];   // the fields where engine.NativeConstants puts them
            b[DataProgram.AT_CODE] = (byte) (leading ? DataProgram.OP_ACCE : op.code);
            b[DataProgram.AT_DST] = (byte) (op.dst < 0 ? 0 : op.dst);
            b[DataProgram.AT_A] = (byte) op.a;
            b[DataProgram.AT_B] = (byte) op.b;
            b[DataProgram.AT_SHIFT] = (byte) op.shift;
            b[DataProgram.AT_SIZE] = (byte) op.size;
            b[DataProgram.AT_COUNT] = (byte) op.count;
            b[DataProgram.AT_FLAGS] = (byte) op.flags;
            putLittleEndian(b, DataProgram.AT_IMM, op.imm, 4);
            putLittleEndian(b, DataProgram.AT_AUX, op.aux, 2);
            out.write(b, 0, b.length);
            if (op.code == DataProgram.OP_ACC) {
                accessInstruction.add(op.instruction);
            }
        }
        out.write(new byte[DataProgram.OP_BYTES], 0, DataProgram.OP_BYTES);   // OP_END
        return new DataProgram(out.toByteArray(), accessInstruction.stream().mapToInt(Integer::intValue).toArray(),
                fallback.stream().mapToInt(Integer::intValue).toArray());
    }

    private static void putLittleEndian(byte[] b, int at, int v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
