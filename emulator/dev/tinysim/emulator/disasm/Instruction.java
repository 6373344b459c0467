package dev.tinysim.emulator.disasm;

/**
 * One decoded Thumb instruction with what the timing model and fault reports need.
 *
 * @param address    where it is
 * @param size       2 or 4 bytes
 * @param name       base instruction name as Capstone names it, lower case ("ldr", "smlad", "vmla")
 * @param mnemonic   full mnemonic with condition and qualifiers ("ldr.w", "vmla.f32", "addeq")
 * @param operands   operand text ("r3, [r2, #4]")
 * @param condition  condition code: 0..13 (EQ..LE), 14 (AL), as the architecture numbers them
 * @param readsRegs  registers read, as a bit set of {@link #REG_*} numbers
 * @param writesRegs registers written, same encoding
 * @param memory     the memory operand, or null
 * @param registerListCount number of registers in a register list (LDM/STM/PUSH/POP/VLDM…), else 0
 * @param writeback  base register written back
 * @param immediate  first immediate operand (branch target for direct branches), or Long.MIN_VALUE
 * @param inItBlock  decoded as part of an IT block (only known when decoded within the block)
 * @param firstRegister the first register operand (the base of LDM/STM), or -1
 */
public record Instruction(long address, int size, String name, String mnemonic, String operands, int condition,
                          long readsRegs, long writesRegs, MemoryOperand memory, int registerListCount,
                          boolean writeback, long immediate, boolean inItBlock, int firstRegister) {

    /** Bit numbers used in readsRegs/writesRegs: r0..r15 are 0..15; S0..S31 are 16..47; flags and FPSCR. */
    public static final int REG_SP = 13, REG_LR = 14, REG_PC = 15, REG_S0 = 16, REG_APSR = 48, REG_FPSCR = 49;
    public static final int COND_AL = 14;

    /** A memory operand: [base, index, LSL #shift, #displacement]; register numbers as above, -1 for none. */
    public record MemoryOperand(int base, int index, int shift, int displacement, boolean subtracted) {
    }

    public boolean conditional() {
        return condition != COND_AL;
    }

    public boolean reads(int reg) {
        return (readsRegs & (1L << reg)) != 0;
    }

    public boolean writes(int reg) {
        return (writesRegs & (1L << reg)) != 0;
    }

    public long end() {
        return address + size;
    }

    /** "ldr r3, [r2, #4]" */
    public String text() {
        return operands.isEmpty() ? mnemonic : mnemonic + " " + operands;
    }

    /** True for any instruction that needs the floating-point unit (CP10/CP11). */
    public boolean floatingPoint() {
        return name.startsWith("v");
    }
}
