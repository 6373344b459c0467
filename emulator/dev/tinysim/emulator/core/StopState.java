package dev.tinysim.emulator.core;

import dev.tinysim.emulator.engine.CpuEngine;

/**
 * Why the run ends or the engine stopped, as the hooks decided it. Every part of the core that can end
 * a run or stop the engine writes here, and the run loop reads it once the engine has stopped: one place
 * for that state instead of fields each part reaches into the core for.
 */
final class StopState {
    private final CpuEngine engine;

    /** How the run ended; null while it goes on. */
    RunOutcome outcome;
    /** A fault a hook saw, raised once the engine has stopped. */
    PendingFault pendingFault;
    /** The core asked the engine to stop (else a stop is the engine's own: WFI, a bad access). */
    boolean stopRequested;
    /** The fault last delivered to a firmware handler, until that handler returns (a spin in it ends the run). */
    FaultReport deliveredFault;
    boolean resetRequested;
    /** Strict mode: the first access to an unmodelled register ends the run. */
    boolean strict;
    String strictViolation;

    StopState(CpuEngine engine) {
        this.engine = engine;
    }

    void requestStop() {
        stopRequested = true;
        engine.stop();
    }

    /** The firmware asked for a system reset (AIRCR.SYSRESETREQ). */
    void requestSystemReset() {
        resetRequested = true;
        requestStop();
    }

    /** Strict mode hook: called for the first access to each unmodelled register. */
    void unmodelledAccess(String description) {
        if (strict && strictViolation == null) {
            strictViolation = description;
            requestStop();
        }
    }

    /** The host ends the run (after its last inference, for example). */
    void stopByHost(String reason) {
        if (outcome == null) {
            outcome = new RunOutcome.StoppedByHost(reason);
        }
        requestStop();
    }
}
