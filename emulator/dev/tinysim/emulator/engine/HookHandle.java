package dev.tinysim.emulator.engine;

/** A registered hook; closing it removes the hook from the engine. Closing twice is harmless. */
public interface HookHandle extends AutoCloseable {
    @Override
    void close();
}
