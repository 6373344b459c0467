package dev.tinysim.emulator.memory;

/** One op of a data program being compiled, before pruning (the fields of the 16-byte op of {@link DataProgram}). */
final class DataOp {
    int code, dst = -1, a = DataProgram.NONE, b = DataProgram.NONE, shift, size, count, flags, imm, aux = 0xFFFF;
    int instruction;
    boolean needed;

    DataOp(int code) {
        this.code = code;
    }

    boolean writes() {
        return code != DataProgram.OP_ACC && code != DataProgram.OP_STREC && code != DataProgram.OP_END;
    }
}
