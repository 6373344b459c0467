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
     * @param registers reads core register n (0..15), or xPSR for n = 16, as it is before the instruction executes
     * @return extra cycles (the model counted the instruction's minimum in its block)
     */
    default int dynamicCycles(Instruction instruction, java.util.function.IntToLongFunction registers) {
        return 0;
    }

    /**
     * Cycles to add (or, when negative, take off) when {@code next} — the first straight-line instructions
     * of the block that follows {@code block} in memory — runs right after it, without a taken branch:
     * the pipeline effects between the two that each block's own cost cannot see.
     */
    default int fallThroughCarry(List<Instruction> block, List<Instruction> next, MemoryKind memory) {
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
     * Gives the model the flash path's current configuration. Costs computed by {@link #blockTiming}
     * and {@link #branchTargetPenalty} read it when they are computed, so when it changes every block
     * timing computed before is stale: the core forgets its decoded blocks (they are decoded again,
     * with the new configuration, when next run).
     */
    default void bindMemoryState(MemoryState state) {
    }

    /** Whether the model charges the flash path (wait states, caches) at all; the instruction count does not. */
    default boolean usesMemorySystem() {
        return false;
    }

    /** What per-block costs assume about the flash path now (docs/timing-model.md, "The flash path"). */
    interface MemoryState {
        /**
         * Wait states of each 32-bit instruction fetch from flash when fetches are costed in the block
         * (the static fetch model: no cache, buffer or prefetch is on); 0 when they are costed at run time.
         */
        int staticFetchWaitStates();

        /** Wait states of each word of a PC-relative read of flash costed in the block; 0 when costed at run time. */
        int staticLiteralWaitStates();

        /** Instruction fetches from flash are costed at run time (line buffer, prefetch, cache). */
        boolean dynamicFetch();

        /** One line on the memory system for reports ("memory system: not modelled (zero wait)" when the board gives none). */
        default String summary() {
            return "flash with " + staticFetchWaitStates() + " wait states";
        }

        /** Its parameters, for reports. */
        default Map<String, Object> parameters() {
            return Map.of();
        }

        /** Flash with {@code waitStates} on every read and nothing in front of it. */
        static MemoryState uncached(int waitStates) {
            return new MemoryState() {
                @Override
                public int staticFetchWaitStates() {
                    return waitStates;
                }

                @Override
                public int staticLiteralWaitStates() {
                    return waitStates;
                }

                @Override
                public boolean dynamicFetch() {
                    return false;
                }
            };
        }
    }

    /** Where the code of a block lives: it decides fetch wait states. */
    enum MemoryKind { FLASH, RAM, OTHER }
}
