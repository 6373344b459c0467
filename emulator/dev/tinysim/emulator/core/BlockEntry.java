package dev.tinysim.emulator.core;

import dev.tinysim.emulator.engine.NativeConstants;

/**
 * The 64-bit block-table entry format shared with emulator/dev/tinysim/emulator/engine/unicorn/block_hook.c:
 * size (16 bits), instructions (8), run-time fetch (1), data program (1), quick data test (1), cycles (16), taken
 * fall-through carry (5, signed, bits 27..31), penalty (6), entry penalty (6), conditional end, branch end,
 * always-slow, valid. The bits' values are described once, with the C side's, in engine.NativeConstants.
 */
final class BlockEntry {
    static final long DYN_FETCH = NativeConstants.DYN_FETCH, HAS_PROGRAM = NativeConstants.HAS_PROGRAM,
            QUICK_DATA = NativeConstants.QUICK_DATA;
    static final long COND_END = NativeConstants.COND_END, BRANCH_END = NativeConstants.BRANCH_END,
            SLOW = NativeConstants.SLOW, VALID = NativeConstants.VALID;

    private BlockEntry() {
    }

    /** Packs a block; sets SLOW when a field does not fit or the block must always be checked in Java. */
    static long pack(int size, int instructions, boolean dynamicFetch, boolean hasProgram, boolean quickData, long cycles,
                     int takenPenalty, int entryPenalty, boolean conditionalEnd, boolean branchEnd, boolean alwaysSlow,
                     int carry) {
        boolean fits = size <= 0xFFFF && instructions <= 0xFF && cycles <= 0xFFFF
                && takenPenalty <= 63 && entryPenalty <= 63 && takenPenalty >= 0 && entryPenalty >= 0
                && carry >= -16 && carry <= 15;
        long e = VALID
                | (size & 0xFFFFL)
                | ((long) Math.min(instructions, 0xFF) << 16)
                | (dynamicFetch ? DYN_FETCH : 0)
                | (hasProgram ? HAS_PROGRAM : 0)
                | (hasProgram && quickData ? QUICK_DATA : 0)
                | (Math.min(cycles, 0xFFFFL) << 32)
                | ((long) Math.min(Math.max(takenPenalty, 0), 63) << 48)
                | ((long) Math.min(Math.max(entryPenalty, 0), 63) << 54)
                | ((long) (Math.min(Math.max(carry, -16), 15) & 31) << 27);
        if (conditionalEnd) {
            e |= COND_END;
        }
        if (branchEnd) {
            e |= BRANCH_END;
        }
        if (alwaysSlow || !fits) {
            e |= SLOW;
        }
        return e;
    }

    static int takenPenalty(long e) {
        return (int) ((e >>> 48) & 63);
    }

    /** Cycles the pipeline carries into the block entered by falling through from this one (signed). */
    static int carry(long e) {
        return (int) ((e << 32) >> 59);
    }

    static int entryPenalty(long e) {
        return (int) ((e >>> 54) & 63);
    }
}
