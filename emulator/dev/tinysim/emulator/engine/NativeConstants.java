package dev.tinysim.emulator.engine;

import java.util.List;
import java.util.stream.Stream;

/**
 * The constants the native block hook shares with the Java side, described once (the structs are in
 * {@link NativeCounters}): the fields and bits of a block-table entry (core.BlockEntry), the flags of the flash path
 * ({@code struct memsys}'s {@code flags}, memory.FlashPath and memory.FlashReads) and the data programs' op codes,
 * op layout and limits (memory.DataProgram, ProgramEncoder). The Java classes take their values from the fields here; the
 * C side includes engine/unicorn/block_hook_layout.h, where engine.unicorn.BlockHookHeader writes {@link #ALL} as
 * {@code #define}s (NativeLayoutTest checks the committed header is that output and that gcc reads every value as
 * Java has it).
 */
public final class NativeConstants {
    /**
     * One {@code #define}: its name (the Java field's), value, how C writes it (the C type matters to the compiled
     * code: {@code (1ull << 60)}, {@code 8u}, {@code 0xFF}) and a comment (empty: none).
     */
    public record Define(String name, long value, String c, String comment) {
    }

    /** Defines written together under one comment. */
    public record Group(String comment, List<Define> defines) {
    }

    /** A field of a block-table entry: bits [shift, shift + bits); C gets X_SHIFT and X_BITS. */
    public record EntryField(String name, int shift, int bits, String comment) {
        public long mask() {
            return ((1L << bits) - 1) << shift;
        }
    }

    // A block-table entry (one per halfword of a code region, 0 = not decoded yet), packed by core.BlockEntry: its
    // fields (a field is (entry >> X_SHIFT) & ((1 << X_BITS) - 1); CARRY is signed) and its single bits.
    public static final int SIZE_SHIFT = 0, SIZE_BITS = 16, INSNS_SHIFT = 16, INSNS_BITS = 8, CARRY_SHIFT = 27,
            CARRY_BITS = 5, CYCLES_SHIFT = 32, CYCLES_BITS = 16, TAKEN_PENALTY_SHIFT = 48, TAKEN_PENALTY_BITS = 6,
            ENTRY_PENALTY_SHIFT = 54, ENTRY_PENALTY_BITS = 6;
    public static final long DYN_FETCH = 1L << 24, HAS_PROGRAM = 1L << 25, QUICK_DATA = 1L << 26;
    public static final long COND_END = 1L << 60, BRANCH_END = 1L << 61, SLOW = 1L << 62, VALID = 1L << 63;

    // struct memsys flags
    public static final long I_LINEBUF = 1, I_PREFETCH = 2, I_CACHE = 4, D_ON = 8, D_LINEBUF = 16, D_PREFETCH = 32,
            D_CACHE = 64;

    // Data program ops: OP_BYTES each (op, dst, a, b, shift, size, count, flags, imm (int32), aux (16 bits), 2 unused)
    public static final int OP_END = 0, OP_ACC = 1, OP_MOVI = 2, OP_ADDI = 3, OP_ADDSH = 4, OP_SUBSH = 5, OP_RSBI = 6,
            OP_LSLI = 7, OP_LSRI = 8, OP_ASRI = 9, OP_MUL = 10, OP_ANDI = 11, OP_ORRI = 12, OP_EORI = 13, OP_AND = 14,
            OP_ORR = 15, OP_EOR = 16, OP_BIC = 17, OP_MOVT = 18, OP_EXT = 19, OP_LSL = 20, OP_LSR = 21, OP_LDV = 22,
            OP_STREC = 23, OP_UBFX = 24, OP_MVN = 25, OP_ACCE = 26;
    public static final int NONE = 0xFF, OP_BYTES = 16, MAX_STORES = 8;
    // Where each field of an op is, in bytes from its start (IMM: int32, little-endian; AUX: 16 bits, little-endian)
    public static final int AT_CODE = 0, AT_DST = 1, AT_A = 2, AT_B = 3, AT_SHIFT = 4, AT_SIZE = 5, AT_COUNT = 6,
            AT_FLAGS = 7, AT_IMM = 8, AT_AUX = 12;

    /** The fields of a block-table entry, lowest first (CARRY is signed). */
    public static final List<EntryField> ENTRY_LAYOUT = List.of(
            new EntryField("SIZE", SIZE_SHIFT, SIZE_BITS, "block size in bytes (must equal Unicorn's)"),
            new EntryField("INSNS", INSNS_SHIFT, INSNS_BITS, "instructions in the block"),
            new EntryField("CARRY", CARRY_SHIFT, CARRY_BITS,
                    "cycles (signed) the pipeline carries into the block entered by falling through from this one"),
            new EntryField("CYCLES", CYCLES_SHIFT, CYCLES_BITS, "cycles of the block (final conditional branch not taken)"),
            new EntryField("TAKEN_PENALTY", TAKEN_PENALTY_SHIFT, TAKEN_PENALTY_BITS,
                    "extra cycles when the final conditional branch is taken"),
            new EntryField("ENTRY_PENALTY", ENTRY_PENALTY_SHIFT, ENTRY_PENALTY_BITS,
                    "extra cycles when a taken branch lands on this block"));

    public static final Group ENTRY_FIELDS = new Group(
            "block-table entry fields: (entry >> X_SHIFT) & ((1 << X_BITS) - 1)",
            ENTRY_LAYOUT.stream().flatMap(f -> Stream.of(number(f.name() + "_SHIFT", f.shift(), ""),
                    number(f.name() + "_BITS", f.bits(), ""))).toList());

    public static final Group ENTRY_BITS = new Group("block-table entry bits (core.BlockEntry)", List.of(
            bit("COND_END", COND_END, "ends in a conditional branch (B<cond>, CBZ, CBNZ)"),
            bit("BRANCH_END", BRANCH_END, "ends in any other branch (the next block is a branch target)"),
            bit("SLOW", SLOW, "always take the slow path for this block"),
            bit("VALID", VALID, "valid"),
            bit("DYN_FETCH", DYN_FETCH, "fetch through the flash path at run time (line buffer, prefetch, instruction cache)"),
            bit("HAS_PROGRAM", HAS_PROGRAM, "has a data program (its flash data reads are accounted at run time)"),
            bit("QUICK_DATA", QUICK_DATA, "the program only reads single transfers at entry-register addresses (a quick test first)")));

    public static final Group MEMSYS_FLAGS = new Group("memsys flags (memory.FlashPath)", List.of(
            flag("I_LINEBUF", I_LINEBUF, "instruction fetches: the row last read is served again (line buffer)"),
            flag("I_PREFETCH", I_PREFETCH, "instruction fetches: the row after the last is served (prefetch)"),
            flag("I_CACHE", I_CACHE, "instruction fetches: the instruction cache (memsys.icache)"),
            flag("D_ON", D_ON, "data reads of flash cost something (wait states or a data cache)"),
            flag("D_LINEBUF", D_LINEBUF, "data reads: line buffer"),
            flag("D_PREFETCH", D_PREFETCH, "data reads: prefetch"),
            flag("D_CACHE", D_CACHE, "data reads: the data cache (memsys.dcache)")));

    public static final Group PROGRAM_OPS = new Group("program ops (memory.DataProgram)", List.of(
            number("OP_END", OP_END, ""),
            number("OP_ACC", OP_ACC, "read `count` transfers of `size` bytes at v[a] + (v[b] << shift) + imm (a/b 0xFF: none)"),
            number("OP_MOVI", OP_MOVI, "v[dst] = imm"),
            number("OP_ADDI", OP_ADDI, "v[dst] = v[a] + imm"),
            number("OP_ADDSH", OP_ADDSH, "v[dst] = v[a] + (v[b] << shift) + imm"),
            number("OP_SUBSH", OP_SUBSH, "v[dst] = v[a] - (v[b] << shift)"),
            number("OP_RSBI", OP_RSBI, "v[dst] = imm - v[a]"),
            number("OP_LSLI", OP_LSLI, "v[dst] = v[a] << imm"),
            number("OP_LSRI", OP_LSRI, "v[dst] = v[a] >> imm (logical)"),
            number("OP_ASRI", OP_ASRI, "v[dst] = v[a] >> imm (arithmetic)"),
            number("OP_MUL", OP_MUL, "v[dst] = v[a] * v[b] + (aux < 16 ? v[aux] : 0)"),
            number("OP_ANDI", OP_ANDI, "v[dst] = v[a] & imm"),
            number("OP_ORRI", OP_ORRI, "v[dst] = v[a] | imm"),
            number("OP_EORI", OP_EORI, "v[dst] = v[a] ^ imm"),
            number("OP_AND", OP_AND, "v[dst] = v[a] & (v[b] << shift)"),
            number("OP_ORR", OP_ORR, "v[dst] = v[a] | (v[b] << shift)"),
            number("OP_EOR", OP_EOR, "v[dst] = v[a] ^ (v[b] << shift)"),
            number("OP_BIC", OP_BIC, "v[dst] = v[a] & ~(v[b] << shift)"),
            number("OP_MOVT", OP_MOVT, "v[dst] = (v[dst] & 0xFFFF) | imm << 16"),
            number("OP_EXT", OP_EXT, "v[dst] = extend v[a]: shift = 8 or 16 bits, flags bit 0 signed"),
            number("OP_LSL", OP_LSL, "v[dst] = v[a] << (v[b] & 255) (0 when >= 32)"),
            number("OP_LSR", OP_LSR, "v[dst] = v[a] >> (v[b] & 255) (0 when >= 32)"),
            number("OP_LDV", OP_LDV, "v[dst] = load `size` bytes (flags bit 0: signed) from v[a] + (v[b] << shift) + imm"),
            number("OP_STREC", OP_STREC, "remember a store of `size` bytes to v[a] + (v[b] << shift) + imm (for LDV aliasing)"),
            number("OP_UBFX", OP_UBFX, "v[dst] = bit field of v[a] at lsb shift, width imm; flags bit 0 signed"),
            number("OP_MVN", OP_MVN, "v[dst] = ~(v[b] << shift)"),
            number("OP_ACCE", OP_ACCE, "OP_ACC before any register changed: addresses from the entry registers directly")));

    public static final Group OP_FIELDS = new Group("the fields of one op: byte offsets (memory.ProgramEncoder writes them)", List.of(
            number("AT_CODE", AT_CODE, "the op (OP_...)"),
            number("AT_DST", AT_DST, "destination register, 0..15"),
            number("AT_A", AT_A, "register operand a (NONE: none)"),
            number("AT_B", AT_B, "register operand b (NONE: none)"),
            number("AT_SHIFT", AT_SHIFT, "shift of v[b]; OP_EXT: 8 or 16 bits; OP_UBFX: lsb"),
            number("AT_SIZE", AT_SIZE, "bytes of one transfer"),
            number("AT_COUNT", AT_COUNT, "transfers"),
            number("AT_FLAGS", AT_FLAGS, "bit 0: signed"),
            number("AT_IMM", AT_IMM, "imm: int32, little-endian"),
            number("AT_AUX", AT_AUX, "aux: 16 bits, little-endian (OP_MUL: the accumulator register, >= 16 none)")));

    public static final Group PROGRAM_LIMITS = new Group("data programs (memory.DataProgram)", List.of(
            new Define("NONE", NONE, "0xFF", "register operand a or b: none (reads as 0)"),
            number("OP_BYTES", OP_BYTES, "bytes of one op"),
            number("MAX_STORES", MAX_STORES, "stores a program remembers (OP_STREC); one more makes every LDV after it unknown")));

    /** Every group, in the order the header writes them. */
    public static final List<Group> ALL = List.of(ENTRY_FIELDS, ENTRY_BITS, MEMSYS_FLAGS, PROGRAM_OPS, OP_FIELDS,
            PROGRAM_LIMITS);

    private NativeConstants() {
    }

    /** A single bit of a 64-bit word: C {@code (1ull << n)}. */
    private static Define bit(String name, long value, String comment) {
        if (Long.bitCount(value) != 1) {
            throw new IllegalArgumentException(name + " is not a single bit");
        }
        return new Define(name, value, "(1ull << " + Long.numberOfTrailingZeros(value) + ")", comment);
    }

    /** A flag of a word: C unsigned int ({@code 8u}). */
    private static Define flag(String name, long value, String comment) {
        return new Define(name, value, value + "u", comment);
    }

    /** A plain C int. */
    private static Define number(String name, int value, String comment) {
        return new Define(name, value, Integer.toString(value), comment);
    }
}
