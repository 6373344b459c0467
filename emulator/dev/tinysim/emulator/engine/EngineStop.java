package dev.tinysim.emulator.engine;

/**
 * Why {@link CpuEngine#run} returned.
 *
 * @param kind    the reason, in the project's terms
 * @param message the engine's own description (for Unicorn: {@code uc_strerror})
 */
public record EngineStop(Kind kind, String message) {
    public enum Kind {
        /** Reached the end address, or {@link CpuEngine#stop()} was called. */
        STOPPED,
        READ_UNMAPPED, WRITE_UNMAPPED, FETCH_UNMAPPED,
        READ_PROTECTED, WRITE_PROTECTED, FETCH_PROTECTED,
        INVALID_INSTRUCTION,
        /** A CPU exception with no interrupt hook to take it. */
        UNHANDLED_EXCEPTION,
        OTHER_ERROR
    }

    public boolean normal() {
        return kind == Kind.STOPPED;
    }
}
