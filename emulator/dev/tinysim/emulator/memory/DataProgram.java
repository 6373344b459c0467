package dev.tinysim.emulator.memory;

import dev.tinysim.emulator.engine.NativeConstants;

import java.util.Arrays;

/**
 * A block's data program: the reads of the block that may hit flash, and how to compute their
 * addresses from the registers at the block's entry (emulator/dev/tinysim/emulator/engine/unicorn/block_hook.c describes the
 * op format; {@link DataProgramCompiler} makes them). The native hook runs the bytes; this class
 * runs the same bytes on the Java path, with the same results.
 *
 * @param ops                16 bytes per op, ending with an END op
 * @param accessInstruction  for each read op, in order, the index of its instruction in the block
 * @param fallback           indices of instructions that read memory at addresses the program cannot
 *                           compute: the core hooks them one by one
 */
public record DataProgram(byte[] ops, int[] accessInstruction, int[] fallback) {
    // op codes and limits, from their one description (engine.NativeConstants)
    static final int OP_END = NativeConstants.OP_END, OP_ACC = NativeConstants.OP_ACC,
            OP_MOVI = NativeConstants.OP_MOVI, OP_ADDI = NativeConstants.OP_ADDI, OP_ADDSH = NativeConstants.OP_ADDSH,
            OP_SUBSH = NativeConstants.OP_SUBSH, OP_RSBI = NativeConstants.OP_RSBI, OP_LSLI = NativeConstants.OP_LSLI,
            OP_LSRI = NativeConstants.OP_LSRI, OP_ASRI = NativeConstants.OP_ASRI, OP_MUL = NativeConstants.OP_MUL,
            OP_ANDI = NativeConstants.OP_ANDI, OP_ORRI = NativeConstants.OP_ORRI, OP_EORI = NativeConstants.OP_EORI,
            OP_AND = NativeConstants.OP_AND, OP_ORR = NativeConstants.OP_ORR, OP_EOR = NativeConstants.OP_EOR,
            OP_BIC = NativeConstants.OP_BIC, OP_MOVT = NativeConstants.OP_MOVT, OP_EXT = NativeConstants.OP_EXT,
            OP_LSL = NativeConstants.OP_LSL, OP_LSR = NativeConstants.OP_LSR, OP_LDV = NativeConstants.OP_LDV,
            OP_STREC = NativeConstants.OP_STREC, OP_UBFX = NativeConstants.OP_UBFX, OP_MVN = NativeConstants.OP_MVN,
            OP_ACCE = NativeConstants.OP_ACCE;
    static final int NONE = NativeConstants.NONE, OP_BYTES = NativeConstants.OP_BYTES, MAX_STORES = NativeConstants.MAX_STORES;
    static final int AT_CODE = NativeConstants.AT_CODE, AT_DST = NativeConstants.AT_DST, AT_A = NativeConstants.AT_A,
            AT_B = NativeConstants.AT_B, AT_SHIFT = NativeConstants.AT_SHIFT, AT_SIZE = NativeConstants.AT_SIZE,
            AT_COUNT = NativeConstants.AT_COUNT, AT_FLAGS = NativeConstants.AT_FLAGS, AT_IMM = NativeConstants.AT_IMM,
            AT_AUX = NativeConstants.AT_AUX;

    /** Whether the program reads anything (else the block needs none). */
    public boolean hasAccesses() {
        return accessInstruction.length > 0;
    }

    /**
     * Only reads of one transfer each at addresses made of entry registers: the native hook tests
     * the addresses first and runs the program only when one is in flash.
     */
    public boolean quick() {
        for (int at = 0; ; at += OP_BYTES) {
            int code = ops[at + AT_CODE] & 0xFF;
            if (code == OP_END) {
                return at > 0;
            }
            if (code != OP_ACCE || (ops[at + AT_A] & 0xFF) == NONE || (ops[at + AT_COUNT] & 0xFF) != 1) {
                return false;
            }
        }
    }

    /** How many read ops come before instruction {@code index} of the block. */
    public int accessesBefore(int index) {
        int n = 0;
        while (n < accessInstruction.length && accessInstruction[n] < index) {
            n++;
        }
        return n;
    }

    private int imm(int at) {
        return (ops[at + AT_IMM] & 0xFF) | (ops[at + (AT_IMM + 1)] & 0xFF) << 8 | (ops[at + (AT_IMM + 2)] & 0xFF) << 16
                | (ops[at + (AT_IMM + 3)] & 0xFF) << 24;
    }

    /**
     * Runs the program with the registers r0..r14 at the block's entry; returns the data stall
     * cycles. Mirrors run_program() in block_hook.c exactly.
     */
    public long run(FlashPath path, int[] entryRegisters, long blockStart) {
        int[] v = Arrays.copyOf(entryRegisters, 16);
        v[15] = 0;
        int poison = 0;
        int[] stLo = new int[MAX_STORES], stHi = new int[MAX_STORES];
        int stores = 0;
        long stall = 0;
        int k = 0;
        for (int at = 0; ; at += OP_BYTES) {
            int code = ops[at + AT_CODE] & 0xFF, d = ops[at + AT_DST] & 15, a = ops[at + AT_A] & 0xFF, b = ops[at + AT_B] & 0xFF,
                    sh = ops[at + AT_SHIFT] & 0xFF;
            int imm = imm(at);
            int va = a == NONE ? 0 : v[a & 15];
            int vb = b == NONE ? 0 : v[b & 15];
            int pa = a == NONE ? 0 : (poison >>> (a & 15)) & 1;
            int pb = b == NONE ? 0 : (poison >>> (b & 15)) & 1;
            int r;
            switch (code) {
                case OP_END -> {
                    return stall;
                }
                case OP_ACC, OP_ACCE -> {
                    // ACCE (before any register changed) reads the entry registers, which v still holds
                    int address = va + (vb << sh) + imm;
                    if ((pa | pb) != 0) {
                        path.countUnresolved(ops[at + AT_COUNT] & 0xFF);
                    } else {
                        stall += path.transfers(address, ops[at + AT_SIZE] & 0xFF, ops[at + AT_COUNT] & 0xFF);
                    }
                    if (stall != 0) {
                        path.noteStall(k, stall, blockStart);
                    }
                    k++;
                    continue;
                }
                case OP_STREC -> {
                    int address = va + (vb << sh) + imm;
                    if (stores < MAX_STORES) {
                        stLo[stores] = (pa | pb) != 0 ? 0 : address;
                        stHi[stores] = (pa | pb) != 0 ? 0xFFFFFFFF : address + (ops[at + AT_SIZE] & 0xFF);
                        stores++;
                    } else {
                        stLo[MAX_STORES - 1] = 0;
                        stHi[MAX_STORES - 1] = 0xFFFFFFFF;
                    }
                    continue;
                }
                case OP_LDV -> {
                    int address = va + (vb << sh) + imm;
                    int size = ops[at + AT_SIZE] & 0xFF;
                    int bad = pa | pb;
                    for (int i = 0; i < stores && bad == 0; i++) {
                        if (Integer.compareUnsigned(address, stHi[i]) < 0 && Integer.compareUnsigned(stLo[i], address + size) < 0) {
                            bad = 1;
                        }
                    }
                    int value = 0;
                    if (bad == 0) {
                        Integer loaded = path.loadValue(address & 0xFFFFFFFFL, size, (ops[at + AT_FLAGS] & 1) != 0);
                        if (loaded == null) {
                            bad = 1;
                        } else {
                            value = loaded;
                        }
                    }
                    v[d] = value;
                    poison = (poison & ~(1 << d)) | (bad << d);
                    continue;
                }
                case OP_MOVI -> {
                    r = imm;
                    pa = 0;
                    pb = 0;
                }
                case OP_ADDI -> r = va + imm;
                case OP_ADDSH -> r = va + (vb << sh) + imm;
                case OP_SUBSH -> r = va - (vb << sh);
                case OP_RSBI -> r = imm - va;
                case OP_LSLI -> r = Integer.compareUnsigned(imm, 32) >= 0 ? 0 : va << imm;
                case OP_LSRI -> r = Integer.compareUnsigned(imm, 32) >= 0 ? 0 : va >>> imm;
                case OP_ASRI -> r = va >> (imm >= 32 || imm < 0 ? 31 : imm);
                case OP_MUL -> {
                    int aux = (ops[at + AT_AUX] & 0xFF) | (ops[at + (AT_AUX + 1)] & 0xFF) << 8;
                    r = va * vb;
                    if (aux < 16) {
                        r += v[aux];
                        pb |= (poison >>> aux) & 1;
                    }
                }
                case OP_ANDI -> r = va & imm;
                case OP_ORRI -> r = va | imm;
                case OP_EORI -> r = va ^ imm;
                case OP_AND -> r = va & (vb << sh);
                case OP_ORR -> r = va | (vb << sh);
                case OP_EOR -> r = va ^ (vb << sh);
                case OP_BIC -> r = va & ~(vb << sh);
                case OP_MVN -> {
                    r = ~(vb << sh);
                    pa = 0;
                }
                case OP_MOVT -> {
                    r = (v[d] & 0xFFFF) | (imm << 16);
                    pa = (poison >>> d) & 1;
                    pb = 0;
                }
                case OP_EXT -> {
                    boolean signed = (ops[at + AT_FLAGS] & 1) != 0;
                    if (sh == 8) {
                        r = signed ? (byte) va : va & 0xFF;
                    } else {
                        r = signed ? (short) va : va & 0xFFFF;
                    }
                }
                case OP_LSL -> r = (vb & 255) >= 32 ? 0 : va << (vb & 255);
                case OP_LSR -> r = (vb & 255) >= 32 ? 0 : va >>> (vb & 255);
                case OP_UBFX -> {
                    if (imm == 0) {
                        r = 0;
                        break;
                    }
                    int field = Integer.compareUnsigned(imm, 32) >= 0 ? va >>> sh : (va >>> sh) & ((1 << imm) - 1);
                    if ((ops[at + AT_FLAGS] & 1) != 0 && Integer.compareUnsigned(imm, 32) < 0 && ((field >>> (imm - 1)) & 1) != 0) {
                        field |= ~((1 << imm) - 1);
                    }
                    r = field;
                }
                default -> {
                    r = 0;
                    pa = 1;
                }
            }
            v[d] = r;
            poison = (poison & ~(1 << d)) | ((pa | pb) << d);
        }
    }
}
