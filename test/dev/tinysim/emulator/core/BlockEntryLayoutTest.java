package dev.tinysim.emulator.core;

import dev.tinysim.emulator.engine.NativeConstants;
import dev.tinysim.emulator.engine.NativeConstants.EntryField;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * BlockEntry packs a block-table entry where engine.NativeConstants says its fields and bits are (the native hook reads
 * them from block_hook_layout.h, generated from that description): every field read back through the description is
 * the value packed, each field is exactly as wide as the limits pack checks (one more does not fit: the entry is SLOW),
 * and the fields and single bits cover the 64 bits once.
 */
class BlockEntryLayoutTest {

    private static long field(long e, String name) {
        EntryField f = NativeConstants.ENTRY_LAYOUT.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        if (name.equals("CARRY")) {
            return (e << (64 - f.shift() - f.bits())) >> (64 - f.bits());   // signed
        }
        return (e >>> f.shift()) & ((1L << f.bits()) - 1);
    }

    private static Map<String, Long> fields(long e) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (EntryField f : NativeConstants.ENTRY_LAYOUT) {
            m.put(f.name(), field(e, f.name()));
        }
        return m;
    }

    @Test
    void packedFieldsAreWhereTheDescriptionSays() {
        int[][] cases = {
                // size, instructions, cycles, taken penalty, entry penalty, carry
                {2, 1, 1, 0, 0, 0},
                {0x1234, 0x56, 0x789A, 45, 27, -7},
                {0xFFFF, 0xFF, 0xFFFF, 63, 63, -16},
                {0x8001, 0x80, 0x8001, 1, 62, 15},
        };
        for (int[] c : cases) {
            long e = BlockEntry.pack(c[0], c[1], false, false, false, c[2], c[3], c[4], false, false, false, c[5]);
            Map<String, Long> expected = new LinkedHashMap<>();
            expected.put("SIZE", (long) c[0]);
            expected.put("INSNS", (long) c[1]);
            expected.put("CARRY", (long) c[5]);
            expected.put("CYCLES", (long) c[2]);
            expected.put("TAKEN_PENALTY", (long) c[3]);
            expected.put("ENTRY_PENALTY", (long) c[4]);
            assertEquals(expected, fields(e), "entry 0x" + Long.toHexString(e));
            assertEquals(NativeConstants.VALID, e & NativeConstants.VALID);
            assertEquals(0, e & NativeConstants.SLOW, "fits");
            assertEquals(field(e, "TAKEN_PENALTY"), BlockEntry.takenPenalty(e));
            assertEquals(field(e, "ENTRY_PENALTY"), BlockEntry.entryPenalty(e));
            assertEquals(field(e, "CARRY"), BlockEntry.carry(e));
        }
    }

    @Test
    void singleBitsAreTheDescribedOnes() {
        long none = BlockEntry.pack(2, 1, false, false, false, 1, 0, 0, false, false, false, 0);
        assertEquals(NativeConstants.DYN_FETCH, BlockEntry.pack(2, 1, true, false, false, 1, 0, 0, false, false, false, 0) ^ none);
        assertEquals(NativeConstants.HAS_PROGRAM, BlockEntry.pack(2, 1, false, true, false, 1, 0, 0, false, false, false, 0) ^ none);
        assertEquals(NativeConstants.HAS_PROGRAM | NativeConstants.QUICK_DATA,
                BlockEntry.pack(2, 1, false, true, true, 1, 0, 0, false, false, false, 0) ^ none);
        assertEquals(NativeConstants.COND_END, BlockEntry.pack(2, 1, false, false, false, 1, 0, 0, true, false, false, 0) ^ none);
        assertEquals(NativeConstants.BRANCH_END, BlockEntry.pack(2, 1, false, false, false, 1, 0, 0, false, true, false, 0) ^ none);
        assertEquals(NativeConstants.SLOW, BlockEntry.pack(2, 1, false, false, false, 1, 0, 0, false, false, true, 0) ^ none);
    }

    @Test
    void aValueOneBitTooWideDoesNotFit() {
        int size = 1 << NativeConstants.SIZE_BITS, insns = 1 << NativeConstants.INSNS_BITS;
        int cycles = 1 << NativeConstants.CYCLES_BITS, taken = 1 << NativeConstants.TAKEN_PENALTY_BITS;
        int entry = 1 << NativeConstants.ENTRY_PENALTY_BITS, carry = 1 << (NativeConstants.CARRY_BITS - 1);
        long[] tooWide = {
                BlockEntry.pack(size, 1, false, false, false, 1, 0, 0, false, false, false, 0),
                BlockEntry.pack(2, insns, false, false, false, 1, 0, 0, false, false, false, 0),
                BlockEntry.pack(2, 1, false, false, false, cycles, 0, 0, false, false, false, 0),
                BlockEntry.pack(2, 1, false, false, false, 1, taken, 0, false, false, false, 0),
                BlockEntry.pack(2, 1, false, false, false, 1, 0, entry, false, false, false, 0),
                BlockEntry.pack(2, 1, false, false, false, 1, 0, 0, false, false, false, carry),
                BlockEntry.pack(2, 1, false, false, false, 1, 0, 0, false, false, false, -carry - 1),
        };
        for (long e : tooWide) {
            assertNotEquals(0, e & NativeConstants.SLOW, "0x" + Long.toHexString(e));
        }
    }

    @Test
    void fieldsAndBitsCoverTheEntryOnce() {
        long covered = 0;
        int parts = 0;
        for (EntryField f : NativeConstants.ENTRY_LAYOUT) {
            assertEquals(0, covered & f.mask(), f.name() + " overlaps");
            covered |= f.mask();
            parts++;
        }
        for (NativeConstants.Define d : NativeConstants.ENTRY_BITS.defines()) {
            assertEquals(0, covered & d.value(), d.name() + " overlaps");
            covered |= d.value();
            parts++;
        }
        assertEquals(-1L, covered, "all 64 bits described");
        assertEquals(13, parts);
    }
}
