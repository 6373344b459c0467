package dev.tinysim.emulator.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A RAM-backed region of the emulated address space whose bytes live in host memory the project
 * owns: reads and writes from Java go straight to it, with no engine call.
 *
 * @param base    emulated address of the first byte
 * @param segment the host bytes (little-endian, as the Cortex-M sees them)
 */
public record HostMemory(long base, MemorySegment segment) {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public long size() {
        return segment.byteSize();
    }

    public long end() {
        return base + segment.byteSize();
    }

    public boolean contains(long address, long length) {
        return address >= base && length >= 0 && address + length <= end();
    }

    public int read8(long address) {
        return segment.get(ValueLayout.JAVA_BYTE, address - base) & 0xFF;
    }

    public int read16(long address) {
        return segment.get(SHORT, address - base) & 0xFFFF;
    }

    public int read32(long address) {
        return segment.get(INT, address - base);
    }

    public void write8(long address, int value) {
        segment.set(ValueLayout.JAVA_BYTE, address - base, (byte) value);
    }

    public void write32(long address, int value) {
        segment.set(INT, address - base, value);
    }

    public void read(long address, byte[] dst, int offset, int length) {
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, address - base, dst, offset, length);
    }

    public void write(long address, byte[] src, int offset, int length) {
        MemorySegment.copy(src, offset, segment, ValueLayout.JAVA_BYTE, address - base, length);
    }

    public void fill(long address, long length, byte value) {
        segment.asSlice(address - base, length).fill(value);
    }
}
