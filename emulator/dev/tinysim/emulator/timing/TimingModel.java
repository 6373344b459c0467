package dev.tinysim.emulator.timing;

import dev.tinysim.emulator.disasm.Instruction;

import java.util.List;
import java.util.Map;

/**
 * Turns executed instructions into core cycles. Costs that depend only on the code are computed
 * once per translated block ({@link #blockTiming}); the core adds the dynamic parts the model
 * reports (taken branches, exception entry and return). Every report names the model and its
 * parameters.
 */
public interface TimingModel {
    /** Short name for reports and --timing ("cortex-m4", "instructions"). */
    String name();

    /** One line on what the model counts. */
    String description();

    /** The parameters in effect, for reports. */
    Map<String, Object> parameters();

    /** Static timing of a block whose instructions start at {@code address} and are in {@code memory}. */
    BlockTiming blockTiming(List<Instruction> instructions, MemoryKind memory);

    /** Exception entry: stacking and vector fetch. */
    int exceptionEntryCycles(boolean floatingPointFrame);

    /** Exception return: unstacking. */
    int exceptionReturnCycles(boolean floatingPointFrame);

    /** Going from one handler straight into the next pending one. */
    int tailChainCycles();

    /**
     * Extra cycles, beyond those counted in {@link BlockTiming#cycles()}, of an instruction listed in
     * {@link BlockTiming#dynamicIndices()}, from the register values it is about to use.
     *
     * @param registers reads core register n (0..15) as it is before the instruction executes
     * @return extra cycles (the model counted the instruction's minimum in its block)
     */
    default int dynamicCycles(Instruction instruction, java.util.function.IntToLongFunction registers) {
        return 0;
    }

    /**
     * Extra cycles when a taken branch lands on this block: the pipeline refill is one cycle
     * longer when the target is a 32-bit instruction at a halfword address.
     */
    default int branchTargetPenalty(Instruction firstInstruction) {
        return 0;
    }

    /**
     * Extra cycles, beyond the instruction's own cost in its block, of one access to a
     * memory-mapped device register (a peripheral behind a bus bridge is slower than RAM). The
     * core calls it for every MMIO access it routes to a device model.
     */
    default int deviceAccessCycles(long address, int size, boolean write) {
        return 0;
    }

    /**
     * Gives the model the memory system's run-time state (the flash instruction cache). Costs
     * computed by {@link #blockTiming} and {@link #branchTargetPenalty} read it when they are
     * computed, so when a value changes every block timing computed before is stale: the core
     * must forget its decoded blocks (they are decoded again, with the new state, when next run).
     */
    default void bindMemoryState(MemoryState state) {
    }

    /** Run-time state of the memory system that static block costs depend on. */
    interface MemoryState {
        /** nRF52 NVMC ICACHECNF.CACHEEN: instruction fetches from flash go through the cache. */
        boolean flashCacheEnabled();

        /** nRF52 NVMC ICACHECNF.CACHEPROFEN: the cache counts its hits and misses (IHIT, IMISS). */
        default boolean flashCacheProfiling() {
            return false;
        }

        /** Cache accesses of executed code while profiling is on (called by the core). */
        default void flashCacheAccesses(long hits, long misses) {
        }
    }

    /** Where the code of a block lives: it decides fetch wait states. */
    enum MemoryKind { FLASH, RAM, OTHER }
}
