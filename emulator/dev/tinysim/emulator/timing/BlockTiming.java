package dev.tinysim.emulator.timing;

/**
 * The static cost of one translated block, computed once when the block is first seen.
 *
 * @param cycles       cycles of the whole block when its final branch (if conditional) is not taken
 * @param cyclesBefore cyclesBefore[i] = cycles of instructions 0..i-1 (length = instructions + 1)
 * @param takenPenalty extra cycles when the block's final conditional branch is taken
 *                     (found from the next block executed)
 */
public record BlockTiming(long cycles, int[] cyclesBefore, int takenPenalty) {
}
