package dev.tinysim.emulator.engine;

/** Opens the CPU engine a machine runs on (the machine options choose it; Unicorn 2's Cortex-M4 by default). */
@FunctionalInterface
public interface EngineFactory {
    /** A new engine; throws {@link EngineException} if its native library is missing. */
    CpuEngine open();
}
