package dev.tinysim.emulator.engine;

/**
 * Callbacks for a memory-mapped I/O region. Offsets are relative to the region's base.
 * Called on the emulating thread, in program order.
 */
public interface MmioHandler {
    long read(long offset, int size);

    void write(long offset, int size, long value);
}
