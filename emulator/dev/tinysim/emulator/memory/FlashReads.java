package dev.tinysim.emulator.memory;

import dev.tinysim.emulator.engine.HostMemory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

import static dev.tinysim.emulator.memory.FlashPath.C_LINE_SHIFT;
import static dev.tinysim.emulator.memory.FlashPath.C_MISS_PENALTY;
import static dev.tinysim.emulator.memory.FlashPath.C_SIZE;
import static dev.tinysim.emulator.memory.FlashPath.DATA_BLOCK;
import static dev.tinysim.emulator.memory.FlashPath.DCACHE;
import static dev.tinysim.emulator.memory.FlashPath.D_BUFFER;
import static dev.tinysim.emulator.memory.FlashPath.D_CACHE;
import static dev.tinysim.emulator.memory.FlashPath.D_HITS;
import static dev.tinysim.emulator.memory.FlashPath.D_LINEBUF;
import static dev.tinysim.emulator.memory.FlashPath.D_MISSES;
import static dev.tinysim.emulator.memory.FlashPath.D_PREFETCH;
import static dev.tinysim.emulator.memory.FlashPath.D_READS;
import static dev.tinysim.emulator.memory.FlashPath.D_ROWS;
import static dev.tinysim.emulator.memory.FlashPath.D_STALL;
import static dev.tinysim.emulator.memory.FlashPath.FETCH_BLOCK;
import static dev.tinysim.emulator.memory.FlashPath.FETCH_STALL;
import static dev.tinysim.emulator.memory.FlashPath.FLAGS;
import static dev.tinysim.emulator.memory.FlashPath.FLASH_BASE;
import static dev.tinysim.emulator.memory.FlashPath.FLASH_NORM;
import static dev.tinysim.emulator.memory.FlashPath.FLASH_SIZE;
import static dev.tinysim.emulator.memory.FlashPath.ICACHE;
import static dev.tinysim.emulator.memory.FlashPath.I_BUFFER;
import static dev.tinysim.emulator.memory.FlashPath.I_CACHE;
import static dev.tinysim.emulator.memory.FlashPath.I_HITS;
import static dev.tinysim.emulator.memory.FlashPath.I_LINEBUF;
import static dev.tinysim.emulator.memory.FlashPath.I_MISSES;
import static dev.tinysim.emulator.memory.FlashPath.I_PREFETCH;
import static dev.tinysim.emulator.memory.FlashPath.I_ROWS;
import static dev.tinysim.emulator.memory.FlashPath.I_STALL;
import static dev.tinysim.emulator.memory.FlashPath.LAST_DROW;
import static dev.tinysim.emulator.memory.FlashPath.LAST_IROW;
import static dev.tinysim.emulator.memory.FlashPath.MAX_STALL_OPS;
import static dev.tinysim.emulator.memory.FlashPath.OP_STALL;
import static dev.tinysim.emulator.memory.FlashPath.UNRESOLVED;
import static dev.tinysim.emulator.memory.FlashPath.WAIT;

/**
 * The Java path of the flash path (block_hook.c's twin, on the same {@code struct memsys}): instruction
 * fetches through the line buffer, the prefetch buffer and the instruction cache; data reads through the
 * data cache, line buffer and prefetch; the counters and the stall bookkeeping the core reads back.
 */
final class FlashReads {
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;

    private final MemorySegment ms;
    private final int rowShift;
    private final List<HostMemory> regions;

    FlashReads(MemorySegment ms, int rowShift, List<HostMemory> regions) {
        this.ms = ms;
        this.rowShift = rowShift;
        this.regions = regions;
    }

    private void add(long field, long value) {
        ms.set(L, field, ms.get(L, field) + value);
    }

    /** Instruction fetch of a block from flash: the stall beyond zero-wait fetches. */
    long fetch(long address, long size) {
        long stall = 0;
        long flags = ms.get(L, FLAGS);
        long first = address >>> rowShift, last = (address + size - 1) >>> rowShift;
        if ((flags & (I_LINEBUF | I_PREFETCH | I_CACHE)) == I_CACHE) {
            // only the cache decides: one lookup per line; the line's other rows hit
            MemorySegment c = ms.get(ValueLayout.ADDRESS, ICACHE).reinterpret(C_SIZE);
            long d = c.get(L, C_LINE_SHIFT) - rowShift;
            long misses = 0;
            for (long l = first >>> d; l <= last >>> d; l++) {
                if (!FlashCache.access(c, l)) {
                    misses++;
                }
            }
            stall = misses * c.get(L, C_MISS_PENALTY);
            add(I_MISSES, misses);
            add(I_HITS, last - first + 1 - misses);
            ms.set(L, LAST_IROW, last + 1);
            add(I_STALL, stall);
            return stall;
        }
        for (long r = first; r <= last; r++) {
            long key = r + 1;
            long prev = ms.get(L, LAST_IROW);
            ms.set(L, LAST_IROW, key);
            if ((flags & I_LINEBUF) != 0 && key == prev) {
                add(I_BUFFER, 1);
                continue;
            }
            if ((flags & I_PREFETCH) != 0 && key == prev + 1) {
                add(I_BUFFER, 1);
                continue;
            }
            if ((flags & I_CACHE) != 0) {
                MemorySegment c = ms.get(ValueLayout.ADDRESS, ICACHE).reinterpret(C_SIZE);
                if (FlashCache.access(c, (r << rowShift) >>> c.get(L, C_LINE_SHIFT))) {
                    add(I_HITS, 1);
                } else {
                    add(I_MISSES, 1);
                    stall += c.get(L, C_MISS_PENALTY);
                }
                continue;
            }
            add(I_ROWS, 1);
            stall += ms.get(L, WAIT);
        }
        add(I_STALL, stall);
        return stall;
    }

    /** The flash address behind {@code a}, or -1 when it is not flash or an alias of it. */
    long flashAddress(long a) {
        for (int i = 0; i < 2; i++) {
            long off = a - ms.get(L, FLASH_BASE + 8L * i);
            if (Long.compareUnsigned(off, ms.get(L, FLASH_SIZE + 8L * i)) < 0) {
                return a - ms.get(L, FLASH_NORM + 8L * i);
            }
        }
        return -1;
    }

    long dataReadFlash(long address) {
        long flags = ms.get(L, FLAGS);
        long key = (address >>> rowShift) + 1;
        long prev = ms.get(L, LAST_DROW);
        ms.set(L, LAST_DROW, key);
        add(D_READS, 1);
        if ((flags & D_CACHE) != 0) {
            MemorySegment c = ms.get(ValueLayout.ADDRESS, DCACHE).reinterpret(C_SIZE);
            if (FlashCache.access(c, address >>> c.get(L, C_LINE_SHIFT))) {
                add(D_HITS, 1);
                return 0;
            }
            add(D_MISSES, 1);
            long p = c.get(L, C_MISS_PENALTY);
            add(D_STALL, p);
            return p;
        }
        if ((flags & D_LINEBUF) != 0 && key == prev) {
            add(D_BUFFER, 1);
            return 0;
        }
        if ((flags & D_PREFETCH) != 0 && key == prev + 1) {
            add(D_BUFFER, 1);
            return 0;
        }
        add(D_ROWS, 1);
        long w = ms.get(L, WAIT);
        add(D_STALL, w);
        return w;
    }

    void countUnresolved(long n) {
        add(UNRESOLVED, n);
    }

    /** Records the cumulative data stall after op {@code k} of the block that started at {@code blockStart}. */
    void noteStall(int k, long cumulative, long blockStart) {
        if (ms.get(L, DATA_BLOCK) != blockStart) {
            ms.set(L, DATA_BLOCK, blockStart);
            for (int i = 0; i < k && i < MAX_STALL_OPS; i++) {
                ms.set(I, OP_STALL + 4L * i, 0);
            }
        }
        if (k < MAX_STALL_OPS) {
            ms.set(I, OP_STALL + 4L * k, (int) cumulative);
        }
    }

    /** {@code count} transfers of {@code size} bytes from {@code address}: the stall of those that read flash. */
    long transfers(int address, int size, int count) {
        long stall = 0;
        if (count == 1 && (address & (size - 1)) != 0) {
            stall = size == 4 && (address & 1) != 0 ? 2 : 1;   // unaligned (TRM 3.3.2), as block_hook.c
        }
        for (int t = 0; t < count; t++) {
            long f = flashAddress((address + t * size) & 0xFFFFFFFFL);
            if (f >= 0) {
                stall += dataReadFlash(f);
            }
        }
        return stall;
    }

    /** Loads a value for a data program from host memory; null when the address is not plain memory. */
    Integer loadValue(long address, int size, boolean signed) {
        for (HostMemory h : regions) {
            long off = address - h.base();
            if (off >= 0 && off < h.size() && off + size <= h.size()) {
                int v = h.read8(address);
                if (size >= 2) {
                    v |= h.read8(address + 1) << 8;
                }
                if (size == 4) {
                    v |= h.read8(address + 2) << 16 | h.read8(address + 3) << 24;
                }
                if (signed && size == 1) {
                    v = (byte) v;
                } else if (signed && size == 2) {
                    v = (short) v;
                }
                return v;
            }
        }
        return null;
    }

    /** Records a block's fetch stall (only when it stalled, as the native hook does). */
    void noteFetchStall(long blockStart, long fetchStall) {
        if (fetchStall != 0) {
            ms.set(L, FETCH_BLOCK, blockStart);
            ms.set(L, FETCH_STALL, fetchStall);
        }
    }

    /**
     * Stall cycles inside the block that started at {@code blockStart} before its data op number
     * {@code ops} (that many data reads have happened): the fetch stall, charged before the first
     * instruction, and the data stall of the reads before.
     */
    long stallBefore(long blockStart, int ops) {
        long s = 0;
        if (ms.get(L, FETCH_BLOCK) == blockStart) {
            s += ms.get(L, FETCH_STALL);
        }
        if (ops > 0 && ms.get(L, DATA_BLOCK) == blockStart) {
            s += ms.get(I, OP_STALL + 4L * (Math.min(ops, MAX_STALL_OPS) - 1)) & 0xFFFFFFFFL;
        }
        return s;
    }
}
