package dev.tinysim.emulator.timing;

/**
 * The static cost of one translated block, computed once when the block is first seen.
 *
 * @param cycles          cycles of the whole block when its final branch (if conditional) is not taken
 * @param cyclesBefore    cyclesBefore[i] = cycles of instructions 0..i-1 (length = instructions + 1)
 * @param takenPenalty    extra cycles when the block's final conditional branch is taken
 *                        (found from the next block executed)
 * @param dynamicIndices  instructions whose cost depends on data (SDIV/UDIV): the core calls
 *                        {@link TimingModel#dynamicCycles} for each execution of them
 */
public record BlockTiming(long cycles, int[] cyclesBefore, int takenPenalty, int[] dynamicIndices) {
    private static final int[] NONE = new int[0];

    public BlockTiming(long cycles, int[] cyclesBefore, int takenPenalty) {
        this(cycles, cyclesBefore, takenPenalty, NONE);
    }
}
