package dev.tinysim.emulator.memory;

import dev.tinysim.emulator.board.MemorySystemSpec;
import dev.tinysim.emulator.board.MemorySystemSpec.CacheSpec;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.tinysim.emulator.memory.FlashPath.C_LAST_LINE;
import static dev.tinysim.emulator.memory.FlashPath.C_LINE_SHIFT;
import static dev.tinysim.emulator.memory.FlashPath.C_MISS_PENALTY;
import static dev.tinysim.emulator.memory.FlashPath.C_NEXT;
import static dev.tinysim.emulator.memory.FlashPath.C_POLICY;
import static dev.tinysim.emulator.memory.FlashPath.C_SETS_MASK;
import static dev.tinysim.emulator.memory.FlashPath.C_SIZE;
import static dev.tinysim.emulator.memory.FlashPath.C_TAGS;
import static dev.tinysim.emulator.memory.FlashPath.C_WAYS;

/**
 * One cache of the flash path, in native memory as {@code struct cache} of block_hook.c (its geometry,
 * its tags, the round-robin pointer of each set): the controls the flash controller's registers reach
 * (invalidate, the miss penalty at the current wait states) and the Java twin of the native lookup.
 */
final class FlashCache {
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;

    private final CacheSpec spec;
    private final MemorySegment seg;
    private final MemorySegment tags;
    private final MemorySegment next;

    FlashCache(CacheSpec c, Arena arena) {
        this.spec = c;
        this.seg = arena.allocate(C_SIZE, 8);
        int sets = c.sets();
        seg.set(L, C_SETS_MASK, sets - 1);
        seg.set(L, C_WAYS, c.ways());
        seg.set(L, C_LINE_SHIFT, Integer.numberOfTrailingZeros(c.lineBytes()));
        seg.set(L, C_POLICY, c.replacement() == MemorySystemSpec.Replacement.LRU ? 0 : 1);
        this.tags = arena.allocate(4L * sets * c.ways(), 8);
        this.next = arena.allocate(Math.max(8, sets), 8);
        seg.set(ValueLayout.ADDRESS, C_TAGS, tags);
        seg.set(ValueLayout.ADDRESS, C_NEXT, next);
    }

    /** The native {@code struct cache}. */
    MemorySegment segment() {
        return seg;
    }

    void setMissPenalty(int cycles) {
        seg.set(L, C_MISS_PENALTY, cycles);
    }

    void invalidate() {
        tags.fill((byte) 0);
        next.fill((byte) 0);
        seg.set(L, C_LAST_LINE, 0);
    }

    void invalidateWays(int wayMask) {
        for (int set = 0; set < spec.sets(); set++) {
            for (int w = 0; w < spec.ways(); w++) {
                if ((wayMask & (1 << w)) != 0) {
                    tags.set(I, 4L * (set * spec.ways() + w), 0);
                }
            }
        }
        seg.set(L, C_LAST_LINE, 0);
    }

    /**
     * Cycles a cache miss costs beyond a hit (docs/timing-model.md, "Cache line fill"): the line's
     * rows arrive one read (1 + W cycles) after the other, where hits would have delivered its words
     * one per cycle; at least the W of its first row; plus the cache's own extra cycles.
     */
    static int missPenalty(CacheSpec c, int waitStates, int readBytes) {
        int rows = Math.max(1, c.lineBytes() / readBytes);
        int fill = rows * (1 + waitStates) - c.lineBytes() / 4;
        return Math.max(waitStates, fill) + c.missExtraCycles();
    }

    /** "2 KB, 2-way, 16-byte lines, LRU" */
    static String geometry(CacheSpec c) {
        String size = c.sizeBytes() % 1024 == 0 ? c.sizeBytes() / 1024 + " KB" : c.sizeBytes() + " B";
        String ways = c.ways() == c.lines() ? "fully associative" : c.ways() == 1 ? "direct-mapped" : c.ways() + "-way";
        return size + ", " + ways + ", " + c.lineBytes() + "-byte lines, " + c.replacement().key();
    }

    /** A lookup of {@code line} in the native cache {@code c} (the Java twin of block_hook.c's): whether it hit. */
    static boolean access(MemorySegment c, long line) {
        long key = line + 1;
        if (key == c.get(L, C_LAST_LINE)) {
            return true;
        }
        c.set(L, C_LAST_LINE, key);
        long set = line & c.get(L, C_SETS_MASK);
        long n = c.get(L, C_WAYS);
        MemorySegment t = c.get(ValueLayout.ADDRESS, C_TAGS).reinterpret(4L * (c.get(L, C_SETS_MASK) + 1) * n);
        long base = set * n * 4;
        int k = (int) key;
        if (c.get(L, C_POLICY) == 0) {
            for (long i = 0; i < n; i++) {
                if (t.get(I, base + 4 * i) == k) {
                    for (long j = i; j > 0; j--) {
                        t.set(I, base + 4 * j, t.get(I, base + 4 * (j - 1)));
                    }
                    t.set(I, base, k);
                    return true;
                }
            }
            for (long j = n - 1; j > 0; j--) {
                t.set(I, base + 4 * j, t.get(I, base + 4 * (j - 1)));
            }
            t.set(I, base, k);
            return false;
        }
        for (long i = 0; i < n; i++) {
            if (t.get(I, base + 4 * i) == k) {
                return true;
            }
        }
        MemorySegment nx = c.get(ValueLayout.ADDRESS, C_NEXT).reinterpret(c.get(L, C_SETS_MASK) + 1);
        int v = nx.get(ValueLayout.JAVA_BYTE, set) & 0xFF;
        t.set(I, base + 4L * v, k);
        nx.set(ValueLayout.JAVA_BYTE, set, (byte) (v + 1 == n ? 0 : v + 1));
        return false;
    }
}
