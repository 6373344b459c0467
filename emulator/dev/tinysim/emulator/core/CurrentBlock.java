package dev.tinysim.emulator.core;

import dev.tinysim.emulator.disasm.Disassembler;
import dev.tinysim.emulator.disasm.Instruction;
import dev.tinysim.emulator.engine.CpuEngine;
import dev.tinysim.emulator.engine.Reg;
import dev.tinysim.emulator.memory.FlashPath;
import dev.tinysim.emulator.sim.AddressSpace;
import dev.tinysim.emulator.timing.TimingModel;

import java.util.List;

/**
 * Where execution is inside the block now executing: the block hook counts a whole block at its start,
 * so the time and PC a device sees in the middle of one, the instruction behind an access, and the counts
 * when the engine stops mid-block are worked out here from the block's per-instruction costs.
 */
final class CurrentBlock {
    private final AccountingState st;
    private final BlockCache blocks;
    private final AccessLocator locator;
    private final FlashPath flashPath;
    private final TimingModel timing;
    private final CpuEngine engine;
    private final AddressSpace memory;
    private final Disassembler disassembler;

    // Locating the instruction behind a memory access inside the current block.
    private long accessAddress = -1;
    private int accessIndex = -1;

    private long dynamicBlockStart = -1;
    private long dynamicInBlock;

    CurrentBlock(AccountingState st, BlockCache blocks, AccessLocator locator, FlashPath flashPath, TimingModel timing,
                 CpuEngine engine, AddressSpace memory, Disassembler disassembler) {
        this.st = st;
        this.blocks = blocks;
        this.locator = locator;
        this.flashPath = flashPath;
        this.timing = timing;
        this.engine = engine;
        this.memory = memory;
        this.disassembler = disassembler;
    }

    /** The block now executing (or that executed last), or null. */
    BlockInfo current() {
        long a = st.get(AccountingState.CURRENT);
        return a < 0 ? null : blocks.at(a);
    }

    /** Instructions before the current block: the native hook does not store them (one store less per block). */
    long blockStartInstructions() {
        BlockInfo b = current();
        return b == null ? st.instructions() : st.instructions() - b.count;
    }

    /** The instruction of the current block that accesses {@code address} (see {@link AccessLocator}), or -1. */
    int locateAccess(long address) {
        return locator.locate(current(), st.get(AccountingState.BLOCK_START_CYCLES), address);
    }

    /** Simulated time as the instruction making the current device access sees it. */
    long now() {
        BlockInfo b = current();
        if (accessAddress >= 0 && b != null) {
            if (accessIndex < 0) {
                accessIndex = locateAccess(accessAddress);
            }
            if (accessIndex >= 0) {
                long start = st.get(AccountingState.BLOCK_START_CYCLES);
                return start + b.cyclesBefore[accessIndex] + dynamicSoFar() + memoryStallBefore(b, start, accessIndex);
            }
        }
        return st.cycles();
    }

    /** The PC of the instruction making the current device access, else of the current block. */
    long currentPc() {
        if (accessAddress >= 0 && current() != null) {
            int i = accessIndex >= 0 ? accessIndex : locateAccess(accessAddress);
            if (i >= 0) {
                return current().instructions[i].address();
            }
        }
        return current() == null ? engine.read(Reg.PC) : current().address;
    }

    /** Flash-path stall cycles of the current block before its instruction {@code index}. */
    private long memoryStallBefore(BlockInfo b, long blockStart, int index) {
        if (!b.dynamicFetch && b.program == null) {
            return 0;
        }
        long s = flashPath.stallBefore(blockStart, b.program == null ? 0 : b.program.accessesBefore(index));
        return Math.max(0, s);
    }

    /** Cycles the timing model gives the instruction at {@code address} of the current block (static part), or -1. */
    long instructionCycles(long address) {
        BlockInfo b = current();
        if (b != null) {
            int i = b.indexOf(address);
            if (i >= 0) {
                return b.cyclesBefore[i + 1] - b.cyclesBefore[i];
            }
        }
        return -1;
    }

    /** The decoded instruction at an address of a block already executed, or null. */
    Instruction decodedAt(long address) {
        BlockInfo b = current();
        if (b != null) {
            int i = b.indexOf(address);
            if (i >= 0) {
                return b.instructions[i];
            }
        }
        return null;
    }

    /** "ldr r3, [r2]" for the instruction at pc, or "" when it cannot be read. */
    String describeAt(long pc) {
        if (current() != null) {
            int i = current().indexOf(pc);
            if (i >= 0) {
                return current().instructions[i].text();
            }
        }
        AddressSpace.Mapping m = memory.find(pc, 2);
        if (m == null) {
            return "";
        }
        int len = (int) Math.min(4, m.memory().end() - pc);
        List<Instruction> list = disassembler.decode(memory.read(pc, len), pc, 1);
        return list.isEmpty() ? String.format(".short 0x%04x", memory.read16(pc)) : list.get(0).text();
    }

    /**
     * Called by the bus before each MMIO access, so that now() can find the accessing instruction;
     * charges the timing model's cost of a device access (APB wait states) from that instruction on.
     */
    void beginDeviceAccess(long address, int size, boolean write) {
        accessAddress = address;
        accessIndex = -1;
        int extra = timing.deviceAccessCycles(address, size, write);
        if (extra > 0) {
            addDynamicCycles(extra);
        }
    }

    void endDeviceAccess() {
        if (accessIndex >= 0) {
            locator.accessDone(accessIndex, accessAddress, st.get(AccountingState.BLOCK_START_CYCLES));
        }
        accessAddress = -1;
    }

    /**
     * Cycles added in the middle of the current block (data-dependent instructions, device
     * wait states): visible to now() for the instructions after them, as on the chip.
     */
    void addDynamicCycles(long extra) {
        long blockStart = st.get(AccountingState.BLOCK_START_CYCLES);
        if (dynamicBlockStart != blockStart) {
            dynamicBlockStart = blockStart;
            dynamicInBlock = 0;
        }
        dynamicInBlock += extra;
        st.cycles(st.cycles() + extra);
    }

    /** Dynamic cycles added so far in the current block execution. */
    private long dynamicSoFar() {
        return dynamicBlockStart == st.get(AccountingState.BLOCK_START_CYCLES) ? dynamicInBlock : 0;
    }

    /** Adjusts counts when the engine stopped in the middle of the current block, at {@code pc}. */
    void chargeUpTo(long pc) {
        if (current() != null) {
            int i = current().indexOf(pc);
            if (i >= 0) {
                st.cycles(st.get(AccountingState.BLOCK_START_CYCLES) + current().cyclesBefore[i]);
                st.instructions(blockStartInstructions() + i);
            }
        }
    }
}
