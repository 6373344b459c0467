package dev.tinysim.emulator.disasm;

import java.util.List;

/** Decodes Thumb-2 machine code for Armv7E-M (Cortex-M4). */
public interface Disassembler extends AutoCloseable {
    /**
     * Decodes up to {@code maxCount} instructions from {@code code} (which starts at {@code address}),
     * stopping early at bytes that do not decode.
     */
    List<Instruction> decode(byte[] code, long address, int maxCount);

    @Override
    void close();
}
