package dev.tinysim.emulator.core;

import dev.tinysim.emulator.sim.AddressSpace;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decoded blocks by start address: a direct-mapped array per memory region (one slot per
 * halfword), so the block hook finds a block with an index computation, not a hash lookup.
 * A block re-translated with a different size (self-modifying code) replaces the old entry.
 */
final class BlockCache {
    private final long[] bases;
    private final BlockInfo[][] slots;
    private final Map<Long, BlockInfo> elsewhere = new HashMap<>();

    BlockCache(AddressSpace memory) {
        List<AddressSpace.Mapping> maps = memory.mappings().stream().filter(m -> tabled(m, memory)).toList();
        bases = new long[maps.size()];
        slots = new BlockInfo[maps.size()][];
        for (int i = 0; i < maps.size(); i++) {
            bases[i] = maps.get(i).region().base();
            slots[i] = new BlockInfo[(int) (maps.get(i).region().size() >>> 1)];
        }
    }

    /**
     * Whether a mapping gets per-halfword tables (here and in the native hook): flash and the aliases that show
     * flash (the STM32 boot alias at 0x0, where its programs run), where programs run. Code that runs from RAM
     * (or its code-bus alias) is found by address in a map and always accounted on the Java path: per-halfword
     * tables of all RAM cost 12 native bytes per halfword, ~6x the RAM, which on RAM enlarged to measure a big
     * model came to a gigabyte per machine.
     */
    static boolean tabled(AddressSpace.Mapping m, AddressSpace memory) {
        return memory.backingKind(m) == dev.tinysim.emulator.board.MemoryRegion.Kind.FLASH;
    }

    /** Bytes of the Java slot arrays (one reference per halfword of flash, counted as 4 bytes). */
    long tableBytes() {
        long n = 0;
        for (BlockInfo[] s : slots) {
            n += 4L * s.length;
        }
        return n;
    }

    BlockInfo get(long address, int size) {
        for (int i = 0; i < bases.length; i++) {
            long off = address - bases[i];
            if (off >= 0 && (off >>> 1) < slots[i].length) {
                BlockInfo b = slots[i][(int) (off >>> 1)];
                return b != null && b.size == size ? b : null;
            }
        }
        BlockInfo b = elsewhere.get(address);
        return b != null && b.size == size ? b : null;
    }

    /** The block starting at {@code address}, whatever its size, or null. */
    BlockInfo at(long address) {
        for (int i = 0; i < bases.length; i++) {
            long off = address - bases[i];
            if (off >= 0 && (off >>> 1) < slots[i].length) {
                return slots[i][(int) (off >>> 1)];
            }
        }
        return elsewhere.get(address);
    }

    void forEach(java.util.function.Consumer<BlockInfo> action) {
        for (BlockInfo[] region : slots) {
            for (BlockInfo b : region) {
                if (b != null) {
                    action.accept(b);
                }
            }
        }
        elsewhere.values().forEach(action);
    }

    void clear() {
        for (BlockInfo[] region : slots) {
            java.util.Arrays.fill(region, null);
        }
        elsewhere.clear();
    }

    void put(BlockInfo b) {
        for (int i = 0; i < bases.length; i++) {
            long off = b.address - bases[i];
            if (off >= 0 && (off >>> 1) < slots[i].length) {
                slots[i][(int) (off >>> 1)] = b;
                return;
            }
        }
        elsewhere.put(b.address, b);
    }
}
