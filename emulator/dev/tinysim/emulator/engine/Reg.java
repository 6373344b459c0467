package dev.tinysim.emulator.engine;

/**
 * The Cortex-M registers the project reads and writes, by name. Engine bindings map these to
 * their own identifiers; nothing outside a binding sees the engine's numbering.
 */
public enum Reg {
    R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, SP, LR, PC,
    /** Combined program status register (APSR | IPSR | EPSR). */
    XPSR,
    /** Application flags N, Z, C, V, Q and GE as the engine keeps them. */
    APSR,
    IPSR, MSP, PSP, CONTROL, PRIMASK, BASEPRI, FAULTMASK,
    FPSCR,
    S0, S1, S2, S3, S4, S5, S6, S7, S8, S9, S10, S11, S12, S13, S14, S15,
    S16, S17, S18, S19, S20, S21, S22, S23, S24, S25, S26, S27, S28, S29, S30, S31;

    private static final Reg[] CORE = {R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, SP, LR, PC};
    private static final Reg[] SINGLES = {S0, S1, S2, S3, S4, S5, S6, S7, S8, S9, S10, S11, S12, S13, S14, S15,
        S16, S17, S18, S19, S20, S21, S22, S23, S24, S25, S26, S27, S28, S29, S30, S31};

    /** Core register by its architectural number 0..15 (13 = SP, 14 = LR, 15 = PC). */
    public static Reg core(int n) {
        return CORE[n];
    }

    /** Single-precision FPU register S{n}. */
    public static Reg single(int n) {
        return SINGLES[n];
    }

    /** The architectural number of a core register, or -1 for any other register. */
    public int coreNumber() {
        return ordinal() <= PC.ordinal() ? ordinal() : -1;
    }
}
