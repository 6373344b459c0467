package dev.tinysim.emulator.engine;

/** CPU exceptions an engine reports to its interrupt hook, in the project's own terms. */
public enum CpuTrap {
    /** BKPT instruction; the PC still points at it. */
    BREAKPOINT,
    /** SVC instruction; the PC points after it. */
    SUPERVISOR_CALL,
    /** A branch to an EXC_RETURN value (0xFFFFFFxx); the PC holds the value with bit 0 clear. */
    EXCEPTION_RETURN,
    /** Instruction fetch failed (for example from the execute-never system region). */
    PREFETCH_ABORT,
    DATA_ABORT,
    UNDEFINED_INSTRUCTION,
    /** Coprocessor (FPU) access denied. */
    NO_COPROCESSOR,
    INVALID_STATE,
    UNALIGNED,
    OTHER
}
