package dev.tinysim.elf;

/**
 * One symbol-table entry.
 *
 * @param value st_value (for Thumb functions bit 0 is set; {@link #address()} clears it)
 */
public record ElfSymbol(String name, long value, long size, int type, int binding, int sectionIndex) {
    public static final int STT_NOTYPE = 0, STT_OBJECT = 1, STT_FUNC = 2;

    public boolean function() {
        return type == STT_FUNC;
    }

    public long address() {
        return type == STT_FUNC ? value & ~1L : value;
    }
}
