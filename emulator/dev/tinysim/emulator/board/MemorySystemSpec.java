package dev.tinysim.emulator.board;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A board's flash path, as its board file describes it (docs/timing-model.md, "The flash path"):
 * how flash is read, its wait states at the board's clock, the caches in front of it and which
 * peripheral switches them. Every field comes from the part's reference manual or says it is a
 * guess, in the board file.
 *
 * @param flash      how flash is read
 * @param caches     the caches in front of flash (at most one per side; one may serve both)
 * @param prefetch   the sides whose next row the controller can prefetch
 * @param controller the peripheral instance whose registers switch the caches and prefetch (null: none)
 * @param bootWrites the register writes deployed firmware makes at boot to set the flash path up (what the
 *                   vendor's SDK does: ST's HAL_Init and SystemClock_Config, Zephyr's SoC init); the inference
 *                   runtime makes them, bare firmware makes its own
 */
public record MemorySystemSpec(FlashSpec flash, List<CacheSpec> caches, Set<Side> prefetch, String controller,
                               List<BootWrite> bootWrites) {
    /** Boot writes a board may list: the entries of the inference runtime's ts_boot table (main_fw.c). */
    public static final int MAX_BOOT_WRITES = 2;

    /** One 32-bit register write: {@code *(uint32_t *) address = value}, and what it does. */
    public record BootWrite(long address, long value, String what) {
    }

    /** Instruction fetches (I-Code bus) or data reads (D-Code bus). */
    public enum Side {
        INSTRUCTION, DATA;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum Replacement {
        /** Least recently used. */
        LRU,
        /** Round robin per set. */
        ROUND_ROBIN;

        public String key() {
            return this == LRU ? "lru" : "round-robin";
        }
    }

    /**
     * @param readBytes             bytes one flash read returns (a "row": 16 for a 128-bit flash)
     * @param waitStates            wait states of one read at the board's clock
     * @param instructionLineBuffer the row last read for instruction fetch is kept and serves fetches from it
     * @param dataLineBuffer        the same for data reads
     */
    public record FlashSpec(int readBytes, int waitStates, boolean instructionLineBuffer, boolean dataLineBuffer) {
    }

    /**
     * @param name            what the manual calls it
     * @param serves          instruction fetches, data reads, or both (a unified cache)
     * @param sizeBytes       capacity
     * @param lineBytes       bytes per line
     * @param ways            associativity (sizeBytes / lineBytes: fully associative)
     * @param replacement     which line a miss replaces
     * @param missExtraCycles cycles a miss costs beyond filling the line from flash (a tag check the fill waits for)
     * @param alwaysOn        on from reset with no register to switch it (boards without a modelled controller)
     */
    public record CacheSpec(String name, Set<Side> serves, int sizeBytes, int lineBytes, int ways, Replacement replacement,
                            int missExtraCycles, boolean alwaysOn) {
        public int lines() {
            return sizeBytes / lineBytes;
        }

        public int sets() {
            return lines() / ways;
        }
    }

    /** Memory with no wait states and no caches: what a board without a memory system gets, named plainly in reports. */
    public static MemorySystemSpec zeroWait() {
        return new MemorySystemSpec(new FlashSpec(4, 0, false, false), List.of(), Set.of(), null, List.of());
    }

    /** The cache serving a side, if any. */
    public Optional<CacheSpec> cacheFor(Side side) {
        return caches.stream().filter(c -> c.serves().contains(side)).findFirst();
    }
}
