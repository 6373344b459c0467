package dev.tinysim.emulator.scs;

/** What the system control registers need to know about the core. */
public interface CoreStatus {
    /** Exception number now executing (IPSR), 0 in thread mode. */
    int currentException();

    /** AIRCR.SYSRESETREQ was written. */
    void requestSystemReset();

    /** Address of the instruction now executing, for DWT PCSR and diagnostics. */
    long currentPc();

    /** CPACR changed: whether floating-point instructions may execute may have changed. */
    default void fpuAccessChanged() {
    }
}
