package dev.tinysim.emulator.bus;

/**
 * A memory-mapped device. Offsets are relative to its base address; sizes are 1, 2 or 4 bytes.
 * Called on the emulating thread, in program order.
 */
public interface Peripheral {
    /** Instance name for logs and reports ("UARTE0"). */
    String name();

    long read(int offset, int size);

    void write(int offset, int size, long value);
}
