package dev.tinysim.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Moves a linked executable to other addresses by redoing the linker's work for them: the executable
 * must have kept its relocations ({@code ld --emit-relocs}). Every place that holds an absolute address
 * is an {@code R_ARM_ABS32} relocation; it gets the moved address of its symbol. PC-relative relocations
 * (branches, calls, literal loads, exception-index entries) stay as they are, which is right only when
 * the place and the symbol move together; anything else is refused. Program headers, section addresses,
 * symbol values and the entry point move too, so the result reads exactly like the same objects linked
 * at the new addresses (a test relinks the images and compares).
 *
 * <p>Relocation types and their meaning: ELF for the Arm Architecture (Arm IHI 0044), section 5.6.
 */
public final class ElfRelocator {
    /** Where each linked address goes. */
    public interface AddressMap {
        /** The new address of a linked address; the address itself when it does not move. */
        long move(long address);

        /** False for an absolute symbol whose value is not an address (a size): its value is kept. */
        default boolean isAddress(String absoluteSymbolName) {
            return true;
        }
    }

    private static final int SHT_SYMTAB = 2, SHT_RELA = 4, SHT_REL = 9;
    private static final int SHN_UNDEF = 0, SHN_ABS = 0xFFF1;
    private static final int STT_FILE = 4;
    private static final long SHF_ALLOC = 2;

    private static final int R_ARM_NONE = 0, R_ARM_ABS32 = 2, R_ARM_REL32 = 3, R_ARM_THM_CALL = 10, R_ARM_THM_PC8 = 11,
            R_ARM_CALL = 28, R_ARM_JUMP24 = 29, R_ARM_THM_JUMP24 = 30, R_ARM_TARGET1 = 38, R_ARM_V4BX = 40,
            R_ARM_PREL31 = 42, R_ARM_THM_JUMP19 = 51, R_ARM_THM_ALU_PREL_11_0 = 53, R_ARM_THM_PC12 = 54,
            R_ARM_THM_JUMP11 = 102, R_ARM_THM_JUMP8 = 103;

    private final String name;
    private final byte[] data;
    private final ByteBuffer buf;
    private final AddressMap map;

    private ElfRelocator(ElfFile elf, AddressMap map) {
        this.name = elf.name();
        this.data = elf.bytes();
        this.buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        this.map = map;
    }

    /** Whether the file kept relocations for its loaded sections (linked with --emit-relocs). */
    public static boolean hasRelocations(ElfFile elf) {
        for (ElfSection s : elf.sections()) {
            if (s.type() == SHT_REL && s.size() > 0) {
                return true;
            }
        }
        return false;
    }

    /** The file's bytes with every address moved by {@code map}; the file itself is not changed. */
    public static byte[] relocate(ElfFile elf, AddressMap map) throws ElfFormatException {
        return new ElfRelocator(elf, map).run();
    }

    private record Section(int index, String name, int type, long flags, long addr, long offset, long size, int link,
                           int info, long align, long entsize) {
        boolean allocated() {
            return (flags & SHF_ALLOC) != 0;
        }
    }

    private byte[] run() throws ElfFormatException {
        long shoff = u32(32);
        int shentsize = u16(46), shnum = u16(48), shstrndx = u16(50);
        Section[] sections = new Section[shnum];
        for (int i = 0; i < shnum; i++) {
            int o = (int) (shoff + (long) i * shentsize);
            sections[i] = new Section(i, "", (int) u32(o + 4), u32(o + 8), u32(o + 12), u32(o + 16), u32(o + 20),
                    (int) u32(o + 24), (int) u32(o + 28), u32(o + 32), u32(o + 36));
        }
        if (shstrndx > 0 && shstrndx < shnum) {
            for (int i = 0; i < shnum; i++) {
                int o = (int) (shoff + (long) i * shentsize);
                Section s = sections[i];
                sections[i] = new Section(i, cString(sections[shstrndx].offset() + u32(o)), s.type(), s.flags(), s.addr(),
                        s.offset(), s.size(), s.link(), s.info(), s.align(), s.entsize());
            }
        }
        // relocation sites first, while the symbol table still holds the linked values
        for (Section rel : sections) {
            if (rel.type() == SHT_RELA && rel.info() < shnum && sections[rel.info()].allocated()) {
                throw cannot("it has RELA relocations (" + dev.tinysim.text.Printable.name(rel.name()) + "), which Arm executables do not use");
            }
            if (rel.type() != SHT_REL || rel.info() <= 0 || rel.info() >= shnum || !sections[rel.info()].allocated()) {
                continue;
            }
            applyRelocations(rel, sections[rel.info()], sections[rel.link()]);
        }
        for (Section s : sections) {
            if (!s.allocated()) {
                continue;
            }
            long delta = sameDelta(s.addr(), s.size(), "section " + s.name());
            if (s.align() > 1 && Math.floorMod(delta, s.align()) != 0) {
                throw cannot(String.format("section %s is aligned to %d bytes and would move by 0x%x", dev.tinysim.text.Printable.name(s.name()), s.align(), delta));
            }
            put32((int) (shoff + (long) s.index() * shentsize) + 12, s.addr() + delta);
        }
        long phoff = u32(28);
        int phentsize = u16(42), phnum = u16(44);
        for (int i = 0; i < phnum; i++) {
            int o = (int) (phoff + (long) i * phentsize);
            long vaddr = u32(o + 8), paddr = u32(o + 12), filesz = u32(o + 16), memsz = u32(o + 20);
            put32(o + 8, vaddr + sameDelta(vaddr, memsz, "segment " + i));
            put32(o + 12, paddr + sameDelta(paddr, filesz, "segment " + i + " (its stored bytes)"));
        }
        for (Section s : sections) {
            if (s.type() == SHT_SYMTAB) {
                moveSymbols(s, sections[s.link()]);
            }
        }
        put32(24, map.move(u32(24)));
        return data;
    }

    private void applyRelocations(Section rel, Section target, Section symtab) throws ElfFormatException {
        long entsize = rel.entsize() == 0 ? 8 : rel.entsize();
        for (long k = 0; k + entsize <= rel.size(); k += entsize) {
            int o = (int) (rel.offset() + k);
            long place = u32(o);
            long info = u32(o + 4);
            int type = (int) (info & 0xFF);
            int sym = (int) (info >>> 8);
            if (place < target.addr() || place + 4 > target.addr() + target.size() || target.type() == 8) {
                throw cannot(String.format("relocation at 0x%08x lies outside section %s", place, dev.tinysim.text.Printable.name(target.name())));
            }
            int site = (int) (target.offset() + (place - target.addr()));
            long placeDelta = map.move(place) - place;
            switch (type) {
                case R_ARM_NONE, R_ARM_V4BX -> {
                }
                case R_ARM_ABS32, R_ARM_TARGET1 -> {
                    long word = u32(site);
                    long delta = sym == 0 ? map.move(word) - word : symbolDelta(symtab, sym);
                    put32(site, word + delta);
                }
                case R_ARM_REL32, R_ARM_THM_CALL, R_ARM_THM_PC8, R_ARM_CALL, R_ARM_JUMP24, R_ARM_THM_JUMP24, R_ARM_PREL31,
                     R_ARM_THM_JUMP19, R_ARM_THM_ALU_PREL_11_0, R_ARM_THM_PC12, R_ARM_THM_JUMP11, R_ARM_THM_JUMP8 -> {
                    if (sym != 0 && symbolDelta(symtab, sym) != placeDelta) {
                        throw cannot(String.format("a PC-relative reference at 0x%08x (relocation type %d) reaches %s, "
                                + "which moves by another amount", place, type, dev.tinysim.text.Printable.name(symbolName(symtab, sym))));
                    }
                }
                default -> {
                    if (placeDelta != 0 || (sym != 0 && symbolDelta(symtab, sym) != 0)) {
                        throw cannot(String.format("relocation type %d at 0x%08x (against %s) cannot be redone",
                                type, place, dev.tinysim.text.Printable.name(symbolName(symtab, sym))));
                    }
                }
            }
        }
    }

    /** How far a symbol moves: undefined (weak, resolved to 0) and absolute non-addresses stay. */
    private long symbolDelta(Section symtab, int sym) throws ElfFormatException {
        int o = symbolOffset(symtab, sym);
        long value = u32(o + 4);
        int shndx = u16(o + 14);
        if (shndx == SHN_UNDEF) {
            return 0;
        }
        if (shndx == SHN_ABS && !map.isAddress(symbolName(symtab, sym))) {
            return 0;
        }
        return map.move(value) - value;
    }

    private void moveSymbols(Section symtab, Section strtab) throws ElfFormatException {
        long entsize = symtab.entsize() == 0 ? 16 : symtab.entsize();
        for (long k = entsize; k + 16 <= symtab.size(); k += entsize) {
            int o = (int) (symtab.offset() + k);
            int type = data[o + 12] & 0xF;
            int shndx = u16(o + 14);
            if (shndx == SHN_UNDEF || type == STT_FILE) {
                continue;
            }
            if (shndx == SHN_ABS && !map.isAddress(cString(strtab.offset() + u32(o)))) {
                continue;
            }
            put32(o + 4, map.move(u32(o + 4)));
        }
    }

    private int symbolOffset(Section symtab, int sym) throws ElfFormatException {
        long entsize = symtab.entsize() == 0 ? 16 : symtab.entsize();
        long off = (long) sym * entsize;
        if (symtab.type() != SHT_SYMTAB || off + 16 > symtab.size()) {
            throw cannot("a relocation names symbol " + sym + ", which its symbol table does not have");
        }
        return (int) (symtab.offset() + off);
    }

    private String symbolName(Section symtab, int sym) throws ElfFormatException {
        if (sym == 0) {
            return "no symbol";
        }
        int o = symbolOffset(symtab, sym);
        int strtabIndex = symtab.link();
        long shoff = u32(32);
        int shentsize = u16(46);
        long strOffset = u32((int) (shoff + (long) strtabIndex * shentsize) + 16);
        String n = cString(strOffset + u32(o));
        return n.isEmpty() ? String.format("the section symbol at 0x%08x", u32(o + 4)) : n;
    }

    /** The move of a range [start, start + length): one amount for all of it, or the range cannot move. */
    private long sameDelta(long start, long length, String what) throws ElfFormatException {
        long delta = map.move(start) - start;
        if (length > 1) {
            long last = start + length - 1;
            if (map.move(last) - last != delta) {
                throw cannot(String.format("%s (0x%08x..0x%08x) would be split: its parts move by different amounts",
                        what, start, start + length));
            }
        }
        return delta;
    }

    private ElfFormatException cannot(String why) {
        return new ElfFormatException(name + ": cannot be moved to the board's memory: " + why);
    }

    private long u32(int offset) {
        return buf.getInt(offset) & 0xFFFFFFFFL;
    }

    private int u16(int offset) {
        return buf.getShort(offset) & 0xFFFF;
    }

    private void put32(int offset, long value) {
        buf.putInt(offset, (int) value);
    }

    private String cString(long offset) {
        int end = (int) offset;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return new String(data, (int) offset, end - (int) offset, StandardCharsets.US_ASCII);
    }
}
