package dev.tinysim.emulator.board;

/**
 * A region of the board's address space backed by memory.
 *
 * @param name    "flash", "ram", "ram-code-alias"…
 * @param kind    what it is
 * @param base    first address
 * @param size    bytes (a multiple of 4 KB: the engine maps pages)
 * @param aliasOf for {@link Kind#ALIAS}: the name of the region whose bytes this one shows again
 */
public record MemoryRegion(String name, Kind kind, long base, long size, String aliasOf) {
    public enum Kind {
        /** Non-volatile program memory: read/execute; written only through the flash controller. */
        FLASH,
        /** Read/write/execute RAM. */
        RAM,
        /** A second address range for another region's bytes (the nRF52840 code-bus RAM alias). */
        ALIAS
    }

    public long end() {
        return base + size;
    }

    public boolean contains(long address) {
        return address >= base && address < base + size;
    }

    public boolean overlaps(long otherBase, long otherSize) {
        return otherBase < base + size && base < otherBase + otherSize;
    }
}
