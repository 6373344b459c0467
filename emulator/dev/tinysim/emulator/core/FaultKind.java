package dev.tinysim.emulator.core;

/** Classes of fault a run can end with; each has its own exit code in the command line. */
public enum FaultKind {
    READ_UNMAPPED("read from unmapped address"),
    WRITE_UNMAPPED("write to unmapped address"),
    FETCH_UNMAPPED("instruction fetch from unmapped or non-executable address"),
    WRITE_PROTECTED("write to flash without the flash controller enabling it"),
    INVALID_INSTRUCTION("undefined instruction"),
    NO_FPU("floating-point instruction on a core without an FPU"),
    FPU_DISABLED("floating-point instruction while CPACR disables the FPU (NOCP)"),
    INVALID_STATE("invalid state (branch to an ARM-state address, bit 0 clear)"),
    INVALID_EXCEPTION_RETURN("invalid exception return"),
    DIVIDE_BY_ZERO("integer divide by zero with CCR.DIV_0_TRP set"),
    STACK_OVERFLOW("stack overflow below the bottom of RAM"),
    HARD_FAULT("HardFault"),
    LOCKUP("lockup: a fault inside the HardFault or NMI handler");

    private final String description;

    FaultKind(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
