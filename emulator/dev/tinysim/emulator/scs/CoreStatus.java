package dev.tinysim.emulator.scs;

/** What the system control registers need to know about the core. */
public interface CoreStatus {
    /** Before a core is connected: thread mode, PC 0, requests ignored. */
    CoreStatus DETACHED = new CoreStatus() {
        @Override
        public int currentException() {
            return 0;
        }

        @Override
        public void requestSystemReset() {
        }

        @Override
        public long currentPc() {
            return 0;
        }
    };

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
