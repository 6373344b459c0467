package dev.tinysim.elf;

import dev.tinysim.files.InputFiles;
import dev.tinysim.files.UnreadableFileException;
import dev.tinysim.text.Printable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A 32-bit little-endian ARM ELF executable, read and checked completely on load: every header,
 * table and string lies inside the file, or loading fails with an {@link ElfFormatException}
 * whose message names the file and what is wrong.
 */
public final class ElfFile {
    private static final int EM_ARM = 40;
    private static final int ET_EXEC = 2;
    private static final int PT_LOAD = 1;
    private static final long MAX_FILE = 256L << 20;

    private final String name;
    private final byte[] bytes;
    private final long entry;
    private final long flags;
    private final List<ElfSegment> loadSegments;
    private final List<ElfSection> sections;
    private final List<ElfSymbol> symbols;

    private ElfFile(String name, byte[] bytes, long entry, long flags, List<ElfSegment> loadSegments,
                    List<ElfSection> sections, List<ElfSymbol> symbols) {
        this.flags = flags;
        this.name = name;
        this.bytes = bytes;
        this.entry = entry;
        this.loadSegments = loadSegments;
        this.sections = sections;
        this.symbols = symbols;
    }

    /** Reads and checks an ELF file. I/O problems are reported as ElfFormatException too, naming the file. */
    public static ElfFile read(Path path) throws ElfFormatException {
        byte[] data;
        try {
            data = InputFiles.read(path, "firmware", MAX_FILE);
        } catch (UnreadableFileException e) {
            throw new ElfFormatException(e.getMessage());
        }
        return parse(path.toString(), data);
    }

    /** Parses ELF bytes; {@code name} is used in error messages. */
    public static ElfFile parse(String name, byte[] data) throws ElfFormatException {
        return new Parser(name, data).parse();
    }

    public String name() {
        return name;
    }

    public long entry() {
        return entry;
    }

    /** EF_ARM_ABI_FLOAT_HARD (0x400) in e_flags: built for the hard-float calling convention. */
    public boolean hardFloat() {
        return (flags & 0x400) != 0;
    }

    /** PT_LOAD segments with bytes or memory to place, in program-header order. */
    public List<ElfSegment> loadSegments() {
        return loadSegments;
    }

    public List<ElfSection> sections() {
        return sections;
    }

    public List<ElfSymbol> symbols() {
        return symbols;
    }

    /** A copy of the whole file. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The file bytes of a section with contents (empty for SHT_NOBITS). */
    public byte[] sectionBytes(ElfSection s) {
        if (s.noBits()) {
            return new byte[0];
        }
        byte[] out = new byte[(int) s.size()];
        System.arraycopy(bytes, (int) s.offset(), out, 0, out.length);
        return out;
    }

    /** The file bytes of a segment (fileSize bytes). */
    public byte[] segmentBytes(ElfSegment s) {
        byte[] out = new byte[(int) s.fileSize()];
        System.arraycopy(bytes, (int) s.fileOffset(), out, 0, out.length);
        return out;
    }

    public Optional<ElfSymbol> symbol(String symbolName) {
        for (ElfSymbol s : symbols) {
            if (s.name().equals(symbolName)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    public Optional<ElfSection> section(String sectionName) {
        for (ElfSection s : sections) {
            if (s.name().equals(sectionName)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private static final class Parser {
        private final String name;
        private final byte[] data;
        private final ByteBuffer buf;

        Parser(String name, byte[] data) {
            this.name = name;
            this.data = data;
            this.buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        }

        private ElfFormatException bad(String what) {
            return new ElfFormatException(name + ": " + what);
        }

        private void need(long offset, long length, String what) throws ElfFormatException {
            if (offset < 0 || length < 0 || offset + length > data.length) {
                throw bad("truncated: " + what + " (bytes " + offset + ".." + (offset + length)
                        + ") lies beyond the end of the file (" + data.length + " bytes)");
            }
        }

        private long u32(int offset) {
            return buf.getInt(offset) & 0xFFFFFFFFL;
        }

        private int u16(int offset) {
            return buf.getShort(offset) & 0xFFFF;
        }

        ElfFile parse() throws ElfFormatException {
            header();
            long entryPoint = u32(24);
            long eflags = u32(36);
            long phoff = u32(28);
            long shoff = u32(32);
            int phentsize = u16(42);
            int phnum = u16(44);
            int shentsize = u16(46);
            int shnum = u16(48);
            int shstrndx = u16(50);

            List<ElfSegment> segments = segments(phoff, phentsize, phnum);
            if (segments.isEmpty()) {
                throw bad("no loadable (PT_LOAD) segments: nothing to run");
            }

            List<ElfSection> sectionList = new ArrayList<>();
            List<ElfSymbol> symbolList = new ArrayList<>();
            if (shnum > 0 && shoff != 0) {
                long[][] raw = sectionHeaders(shoff, shentsize, shnum);
                sections(raw, shstrndx, sectionList);
                for (int i = 0; i < shnum; i++) {
                    if ((int) raw[i][1] == ElfSection.SHT_SYMTAB) {
                        symbols(raw, i, symbolList);
                    }
                }
            }
            return new ElfFile(name, data, entryPoint, eflags, Collections.unmodifiableList(segments),
                    Collections.unmodifiableList(sectionList), Collections.unmodifiableList(symbolList));
        }

        /** The ELF header says: ELF32, little-endian, ARM, an executable. */
        private void header() throws ElfFormatException {
            if (data.length < 4 || data[0] != 0x7F || data[1] != 'E' || data[2] != 'L' || data[3] != 'F') {
                throw bad("not an ELF file (no \\x7fELF magic)");
            }
            need(0, 52, "ELF header");
            if (data[4] != 1) {
                throw bad("not a 32-bit ELF (class " + data[4] + "); Cortex-M firmware is ELF32");
            }
            if (data[5] != 1) {
                throw bad("not little-endian (data encoding " + data[5] + "); Cortex-M firmware is little-endian");
            }
            int type = u16(16);
            int machine = u16(18);
            if (machine != EM_ARM) {
                throw bad("not an ARM ELF (e_machine " + machine + ", expected 40 = EM_ARM)");
            }
            if (type != ET_EXEC) {
                throw bad("not an executable (e_type " + type + (type == 1 ? " = relocatable object: link it first" : "") + ")");
            }
        }

        /** The PT_LOAD segments of the program header table that occupy memory. */
        private List<ElfSegment> segments(long phoff, int phentsize, int phnum) throws ElfFormatException {
            List<ElfSegment> segments = new ArrayList<>();
            if (phnum > 0) {
                if (phentsize < 32) {
                    throw bad("program header size " + phentsize + " is smaller than 32");
                }
                need(phoff, (long) phnum * phentsize, "program header table");
                for (int i = 0; i < phnum; i++) {
                    int o = (int) (phoff + (long) i * phentsize);
                    long pType = u32(o);
                    if (pType != PT_LOAD) {
                        continue;
                    }
                    long off = u32(o + 4), vaddr = u32(o + 8), paddr = u32(o + 12);
                    long filesz = u32(o + 16), memsz = u32(o + 20);
                    int flags = (int) u32(o + 24);
                    need(off, filesz, "segment " + i + " contents");
                    if (memsz < filesz) {
                        throw bad("segment " + i + " has p_memsz " + memsz + " smaller than p_filesz " + filesz);
                    }
                    if (memsz == 0) {
                        continue;
                    }
                    segments.add(new ElfSegment(i, vaddr, paddr, off, filesz, memsz, flags));
                }
            }
            return segments;
        }

        /** The ten words of every section header (sh_name … sh_entsize). */
        private long[][] sectionHeaders(long shoff, int shentsize, int shnum) throws ElfFormatException {
            if (shentsize < 40) {
                throw bad("section header size " + shentsize + " is smaller than 40");
            }
            need(shoff, (long) shnum * shentsize, "section header table");
            long[][] raw = new long[shnum][];
            for (int i = 0; i < shnum; i++) {
                int o = (int) (shoff + (long) i * shentsize);
                raw[i] = new long[]{u32(o), u32(o + 4), u32(o + 8), u32(o + 12), u32(o + 16), u32(o + 20),
                    u32(o + 24), u32(o + 28), u32(o + 32), u32(o + 36)};
            }
            return raw;
        }

        /** Every section, named from the section name table, its contents checked to lie in the file. */
        private void sections(long[][] raw, int shstrndx, List<ElfSection> out) throws ElfFormatException {
            int shnum = raw.length;
            byte[] shstr = null;
            if (shstrndx != 0 && shstrndx < shnum) {
                long[] s = raw[shstrndx];
                need(s[4], s[5], "section name table");
                shstr = slice(s[4], s[5]);
            }
            for (int i = 0; i < shnum; i++) {
                long[] s = raw[i];
                String secName = shstr == null ? "" : cString(shstr, s[0], "section " + i + " name");
                int secType = (int) s[1];
                if (secType != ElfSection.SHT_NOBITS && secType != 0) {
                    need(s[4], s[5], "section " + i + " (" + secName + ") contents");
                }
                out.add(new ElfSection(secName, secType, s[2], s[3], s[4], s[5]));
            }
        }

        /** The named symbols of the symbol table in section {@code i} (entry 0, the null symbol, left out). */
        private void symbols(long[][] raw, int i, List<ElfSymbol> out) throws ElfFormatException {
            long[] s = raw[i];
            int link = (int) s[6];
            if (link <= 0 || link >= raw.length) {
                throw bad("symbol table (section " + i + ") links to string table " + link + ", which does not exist");
            }
            long[] strSec = raw[link];
            need(strSec[4], strSec[5], "symbol string table");
            byte[] strtab = slice(strSec[4], strSec[5]);
            long entSize = s[9] == 0 ? 16 : s[9];
            if (entSize < 16) {
                throw bad("symbol table entry size " + entSize + " is smaller than 16");
            }
            long count = s[5] / entSize;
            for (long k = 1; k < count; k++) {
                int o = (int) (s[4] + k * entSize);
                long nameOff = u32(o);
                long value = u32(o + 4), size = u32(o + 8);
                int info = data[o + 12] & 0xFF;
                int shndx = u16(o + 14);
                String symName = cString(strtab, nameOff, "symbol " + k + " name");
                if (symName.isEmpty()) {
                    continue;
                }
                out.add(new ElfSymbol(symName, value, size, info & 0xF, info >> 4, shndx));
            }
        }

        private byte[] slice(long offset, long length) {
            byte[] out = new byte[(int) length];
            System.arraycopy(data, (int) offset, out, 0, (int) length);
            return out;
        }

        private String cString(byte[] table, long offset, String what) throws ElfFormatException {
            if (offset >= table.length) {
                if (offset == 0 && table.length == 0) {
                    return "";
                }
                throw bad(what + " lies outside its string table");
            }
            int end = (int) offset;
            while (end < table.length && table[end] != 0) {
                end++;
            }
            return Printable.decode(table, (int) offset, end - (int) offset);
        }
    }
}
