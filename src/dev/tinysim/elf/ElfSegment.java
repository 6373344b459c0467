package dev.tinysim.elf;

/**
 * One PT_LOAD program header.
 *
 * @param index         its position among the program headers
 * @param virtualAddress where the code runs (p_vaddr)
 * @param physicalAddress where its bytes are stored at reset (p_paddr): flash for .data's initial image
 * @param fileOffset    where its bytes start in the file
 * @param fileSize      bytes stored in the file (p_filesz)
 * @param memorySize    bytes occupied in memory (p_memsz, larger than fileSize for .bss)
 * @param flags         PF_R/PF_W/PF_X bits
 */
public record ElfSegment(int index, long virtualAddress, long physicalAddress, long fileOffset,
                         long fileSize, long memorySize, int flags) {
    public static final int PF_X = 1, PF_W = 2, PF_R = 4;

    public boolean executable() {
        return (flags & PF_X) != 0;
    }

    public boolean writable() {
        return (flags & PF_W) != 0;
    }
}
