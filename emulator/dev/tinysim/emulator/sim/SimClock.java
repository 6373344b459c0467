package dev.tinysim.emulator.sim;

/** Simulated time, in core clock cycles since reset. */
public interface SimClock {
    /** Cycles retired before the instruction now executing (exact inside a block, not rounded to its start). */
    long now();

    /** Core clock frequency. */
    long hz();
}
