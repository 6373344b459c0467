package dev.tinysim.emulator.core;

import dev.tinysim.emulator.sim.AddressSpace;

/** The hint instructions the engine stops after (as if they were undefined), decoded from the code before the stop. */
enum Hint {
    NONE, YIELD, WFE, WFI, SEV;

    /**
     * The hint instruction (YIELD, WFE, WFI, SEV; 16- or 32-bit) that ended the current block just
     * before {@code pc}, if any (the engine stops after some hints as if they were undefined).
     */
    static Hint before(AddressSpace memory, BlockInfo b, long pc) {
        if (b == null || b.count == 0 || b.instructions[b.count - 1].end() != pc) {
            return NONE;
        }
        if (memory.find(pc - 4, 4) != null) {
            long wide = ((long) memory.read16(pc - 4) << 16) | memory.read16(pc - 2);
            if ((wide & 0xFFFFFFF8L) == 0xF3AF8000L) {
                int op = (int) (wide & 7);
                if (op >= 1 && op <= 4) {
                    return op == 1 ? YIELD : op == 2 ? WFE : op == 3 ? WFI : SEV;
                }
            }
        }
        if (memory.find(pc - 2, 2) != null) {
            int narrow = memory.read16(pc - 2);
            return switch (narrow) {
                case 0xBF10 -> YIELD;
                case 0xBF20 -> WFE;
                case 0xBF30 -> WFI;
                case 0xBF40 -> SEV;
                default -> NONE;
            };
        }
        return NONE;
    }
}
