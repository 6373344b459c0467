package dev.tinysim.elf;

/**
 * One section header.
 *
 * @param name    section name (.text, .data, .bss…)
 * @param type    sh_type (SHT_PROGBITS = 1, SHT_NOBITS = 8, …)
 * @param flags   sh_flags (SHF_WRITE = 1, SHF_ALLOC = 2, SHF_EXECINSTR = 4)
 * @param address sh_addr
 * @param size    sh_size
 */
public record ElfSection(String name, int type, long flags, long address, long offset, long size) {
    public static final int SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_NOBITS = 8;
    public static final long SHF_WRITE = 1, SHF_ALLOC = 2, SHF_EXECINSTR = 4;

    public boolean allocated() {
        return (flags & SHF_ALLOC) != 0;
    }

    public boolean writable() {
        return (flags & SHF_WRITE) != 0;
    }

    public boolean executable() {
        return (flags & SHF_EXECINSTR) != 0;
    }

    /** Occupies memory but has no bytes in the file (.bss, .noinit, .heap, .stack). */
    public boolean noBits() {
        return type == SHT_NOBITS;
    }
}
