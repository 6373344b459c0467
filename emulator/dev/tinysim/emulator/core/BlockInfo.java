package dev.tinysim.emulator.core;

import dev.tinysim.emulator.disasm.Instruction;
import dev.tinysim.emulator.timing.BlockTiming;

import java.util.List;

/**
 * A translated block as the core sees it: its instructions, their costs, and the facts the
 * block hook needs at run time, all computed once when the block is first executed.
 */
final class BlockInfo {
    final long address;
    final int size;
    final Instruction[] instructions;
    final int count;
    final long cycles;
    final int[] cyclesBefore;
    final int takenPenalty;
    /** Ends in a conditional branch (B&lt;cond&gt;, CBZ, CBNZ): taken when the next block is not the fall-through. */
    final boolean conditionalEnd;
    final long fallThrough;
    /** Index of the first floating-point instruction, or -1. */
    final int firstFloatingPoint;
    /** A loop that only branches to itself ("b ."): the firmware spins. */
    final boolean selfLoop;
    /** The last instruction is BL or BLX: a function call whose return address is {@link #fallThrough}. */
    final boolean endsInCall;
    /** The last instruction changes the PC (any branch, POP/LDR into PC): the next block is a branch target. */
    final boolean endsInBranch;
    /** Extra refill cycles when a taken branch lands here (32-bit first instruction at a halfword address). */
    final int entryPenalty;
    /**
     * IT instructions and the instructions they make conditional. All count as executed (a
     * conditional instruction whose condition fails still retires), but the engine's
     * per-instruction hook skips some of them, so checks of the count treat them apart.
     */
    final int itCount;
    /** The packed entry published to the native hook's table (BlockEntry format). */
    long entry;
    /** Whether the entry has been written to the table since it last changed or was cleared. */
    boolean published;
    /** Its instructions are fetched through the flash path at run time (line buffer, prefetch, cache). */
    boolean dynamicFetch;
    /** Its reads that may hit flash, accounted at run time (null: none). */
    dev.tinysim.emulator.memory.DataProgram program;
    /** Cycles added to the next block when it is entered by falling through from this one (TimingModel#fallThroughCarry). */
    int fallThroughCarry;
    /** Instructions whose cost the timing model computes from register values at run time. */
    final int[] dynamicIndices;

    BlockInfo(long address, int size, List<Instruction> instructions, BlockTiming timing, int entryPenalty) {
        this.address = address;
        this.size = size;
        this.instructions = instructions.toArray(new Instruction[0]);
        this.count = this.instructions.length;
        this.cycles = timing.cycles();
        this.cyclesBefore = timing.cyclesBefore();
        this.takenPenalty = timing.takenPenalty();
        this.fallThrough = address + size;
        Instruction last = count == 0 ? null : this.instructions[count - 1];
        // Same rule as the timing model's: a conditional branch (B<cond>, or any branch or PC write made
        // conditional by an IT block) or CBZ/CBNZ; whether it was taken is found from the next block.
        this.conditionalEnd = last != null && (last.name().equals("cbz") || last.name().equals("cbnz")
                || (last.conditional() && (isBranchName(last.name()) || last.writes(Instruction.REG_PC))));
        int fp = -1;
        for (int i = 0; i < count; i++) {
            if (this.instructions[i].floatingPoint()) {
                fp = i;
                break;
            }
        }
        this.firstFloatingPoint = fp;
        this.selfLoop = isSelfLoop();
        this.endsInBranch = last != null && (last.writes(Instruction.REG_PC) || isBranchName(last.name()));
        this.endsInCall = last != null && (last.name().equals("bl") || last.name().equals("blx"));
        this.entryPenalty = entryPenalty;
        this.dynamicIndices = timing.dynamicIndices();
        int its = 0;
        for (Instruction in : this.instructions) {
            if (in.name().equals("it") || in.inItBlock()) {
                its++;
            }
        }
        this.itCount = its;
    }

    static boolean isBranchName(String name) {
        return switch (name) {
            case "b", "bl", "bx", "blx", "cbz", "cbnz", "tbb", "tbh" -> true;
            default -> false;
        };
    }

    private boolean isSelfLoop() {
        if (count == 0) {
            return false;
        }
        Instruction last = instructions[count - 1];
        if (!last.name().equals("b") || last.conditional() || last.immediate() != address) {
            return false;
        }
        for (int i = 0; i < count - 1; i++) {
            if (!instructions[i].name().equals("nop")) {
                return false;
            }
        }
        return true;
    }

    /** Index of the instruction at {@code pc}, or -1. */
    int indexOf(long pc) {
        for (int i = 0; i < count; i++) {
            if (instructions[i].address() == pc) {
                return i;
            }
        }
        return -1;
    }
}
