package dev.tinysim.emulator.core;

import dev.tinysim.emulator.disasm.Instruction;
import dev.tinysim.emulator.engine.CpuEngine;
import dev.tinysim.emulator.engine.Reg;

/**
 * Finds the instruction behind a memory access inside the current block: from the decoded
 * instructions' memory operands (Capstone's operand strings and register lists) and the current
 * register values, the bytes each instruction accesses. Remembers the last instruction found so
 * that the words of one LDM/LDRD, and the accesses that follow, are attributed in program order.
 */
final class AccessLocator {
    private final CpuEngine engine;
    private int lastAccessIndex = -1;
    private long lastAccessEnd = -1;
    private long lastAccessBlockStart = -1;

    AccessLocator(CpuEngine engine) {
        this.engine = engine;
    }

    /** The access to {@code address} by instruction {@code index} of the block that started at {@code blockStartCycles} is over. */
    void accessDone(int index, long address, long blockStartCycles) {
        lastAccessIndex = index;
        lastAccessEnd = address;
        lastAccessBlockStart = blockStartCycles;
    }

    /**
     * Finds the instruction of the current block that accesses {@code address}. The engine keeps
     * core registers up to date at every memory access but not the PC, so the instruction is the
     * first memory instruction, from the last one found, whose effective address (computed from
     * the registers now) covers the address.
     */
    int locate(BlockInfo b, long blockStartCycles, long address) {
        if (b == null) {
            return -1;
        }
        int from = 0;
        if (lastAccessBlockStart == blockStartCycles && lastAccessIndex >= 0
                && lastAccessIndex < b.count) {
            // Instructions run in order: this access is by the last accessing instruction (a
            // multi-word LDM/LDRD going on) or by one after it, never one before.
            Instruction prev = b.instructions[lastAccessIndex];
            long[] range = accessRange(prev);
            boolean sameInstruction = prev.registerListCount() > 1 || prev.name().startsWith("ldrd")
                    || prev.name().startsWith("strd");
            from = sameInstruction && range != null && address > lastAccessEnd && address < range[1]
                    ? lastAccessIndex : lastAccessIndex + 1;
        }
        int firstMemory = -1;
        for (int i = from; i < b.count; i++) {
            Instruction in = b.instructions[i];
            long[] range = accessRange(in);
            if (range == null) {
                continue;
            }
            if (firstMemory < 0) {
                firstMemory = i;
            }
            if (address >= range[0] && address < range[1]) {
                return i;
            }
        }
        return firstMemory;
    }

    private long reg(int n) {
        if (n == 15) {
            return -1;
        }
        return engine.read(Reg.core(n));
    }

    /** [start, end) of the bytes an instruction accesses, from current register values; null if none. */
    long[] accessRange(Instruction in) {
        String n = in.name();
        int list = in.registerListCount();
        switch (n) {
            case "push", "vpush" -> {
                long sp = reg(13);
                long bytes = (long) list * (in.operands().contains("d") ? 8 : 4);
                return new long[]{sp - bytes, sp};
            }
            case "pop", "vpop" -> {
                long sp = reg(13);
                long bytes = (long) list * (in.operands().contains("d") ? 8 : 4);
                return new long[]{sp, sp + bytes};
            }
            case "ldm", "ldmia", "stm", "stmia", "vldmia", "vstmia", "vldm", "vstm" -> {
                if (in.firstRegister() < 0) {
                    return null;
                }
                long base = reg(in.firstRegister());
                long bytes = (long) list * (n.startsWith("v") && in.operands().contains("d") ? 8 : 4);
                return new long[]{base, base + bytes};
            }
            case "ldmdb", "stmdb", "vldmdb", "vstmdb" -> {
                if (in.firstRegister() < 0) {
                    return null;
                }
                long base = reg(in.firstRegister());
                long bytes = (long) list * (n.startsWith("v") && in.operands().contains("d") ? 8 : 4);
                return new long[]{base - bytes, base};
            }
            default -> {
            }
        }
        Instruction.MemoryOperand mem = in.memory();
        if (mem == null || mem.base() < 0) {
            return null;
        }
        long base = mem.base() == 15 ? ((in.address() + 4) & ~3L) : reg(mem.base());
        long offset = mem.displacement();
        if (mem.index() >= 0) {
            long idx = reg(mem.index()) << mem.shift();
            offset = mem.subtracted() ? -idx : idx;
            if (n.equals("tbh")) {
                offset = reg(mem.index()) << 1;
            }
        }
        long start = (base + offset) & 0xFFFFFFFFL;
        int width = n.endsWith("b") || n.equals("ldrsb") || n.equals("ldrbt") ? 1
                : n.endsWith("h") || n.equals("ldrsh") || n.equals("tbh") ? 2
                : n.endsWith("d") ? 8
                : n.startsWith("v") && in.operands().startsWith("d") ? 8 : 4;
        return new long[]{start, start + width};
    }
}
