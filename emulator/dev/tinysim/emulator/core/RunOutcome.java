package dev.tinysim.emulator.core;

/** How a run ended. */
public sealed interface RunOutcome {
    /** The firmware exited through semihosting. */
    record Exited(Semihosting.Exit exit) implements RunOutcome {
    }

    /** The firmware faulted (and its handler, if any, did not recover). */
    record Faulted(FaultReport fault) implements RunOutcome {
    }

    /** A BKPT other than the semihosting one. */
    record Breakpoint(long pc, int immediate) implements RunOutcome {
    }

    /** The instruction limit was reached: runaway firmware. */
    record InstructionLimit(long limit, long pc) implements RunOutcome {
    }

    /** The firmware waits forever: a spin loop or WFI with nothing that could wake it. */
    record Hang(long pc, String reason) implements RunOutcome {
    }

    /** The firmware asked for a system reset (AIRCR.SYSRESETREQ). */
    record ResetRequested(long pc) implements RunOutcome {
    }

    /** Strict mode: the firmware touched a register tinysim does not model. */
    record UnmodelledAccess(String description, long pc) implements RunOutcome {
    }

    /** The host stopped the run (for example after the last inference). */
    /** The host's wall-clock limit (--timeout) passed before the firmware ended. */
    record TimedOut(long millis, long pc) implements RunOutcome {
    }

    record StoppedByHost(String reason) implements RunOutcome {
    }
}
