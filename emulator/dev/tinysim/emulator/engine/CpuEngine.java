package dev.tinysim.emulator.engine;

import java.util.Set;

/**
 * A CPU emulation engine for one Cortex-M core, in the project's own types. The Unicorn binding
 * is one implementation; nothing outside it sees a Unicorn constant. An engine is used by one
 * thread at a time; hooks are called on that thread while {@link #run} is executing.
 */
public interface CpuEngine extends AutoCloseable {

    long read(Reg reg);

    void write(Reg reg, long value);

    /** Maps RAM-backed memory whose bytes the project can access directly. Base and size 4 KB aligned. */
    HostMemory mapMemory(long base, long size, Set<Access> permissions);

    /** Maps the bytes of an existing region a second time at {@code base} (an address alias). */
    HostMemory mapAlias(long base, HostMemory target, Set<Access> permissions);

    /** Maps a device region: every access calls the handler. Base and size 4 KB aligned. */
    void mapMmio(long base, long size, MmioHandler handler);

    /** Reads emulated memory through the engine (any mapped region, MMIO included). */
    void readMemory(long address, byte[] dst);

    /** Writes emulated memory through the engine, ignoring region permissions. */
    void writeMemory(long address, byte[] src);

    HookHandle onBlock(Hooks.BlockHook hook);

    /**
     * Installs a native function as the block hook, called with the engine's native block-hook
     * signature and {@code userData}. For the core's fast path; the function may tail-call a
     * Java hook made with {@link #blockUpcall}.
     */
    HookHandle onBlockNative(java.lang.foreign.MemorySegment function, java.lang.foreign.MemorySegment userData);

    /** A native function pointer with the engine's block-hook signature that calls {@code hook}. */
    java.lang.foreign.MemorySegment blockUpcall(Hooks.BlockHook hook);

    /**
     * The engine's native block-accounting hook for {@link #onBlockNative} (the core's fast path, written against
     * this engine's callback ABI), or null when there is none here or the pure Java path was requested.
     */
    java.lang.foreign.MemorySegment nativeBlockHook();

    /** Per-instruction hook on [begin, end] (inclusive). Expensive: use for a few addresses only. */
    HookHandle onInstruction(long begin, long end, Hooks.CodeHook hook);

    HookHandle onInterrupt(Hooks.InterruptHook hook);

    HookHandle onInvalidMemory(Hooks.InvalidMemoryHook hook);

    /**
     * Runs from {@code startAddress} (bit 0 selects Thumb, always set for Cortex-M) until
     * {@code untilAddress} is reached, {@link #stop()} is called or a fault stops the engine.
     * A hook that throws stops the run; the exception is rethrown from here.
     */
    EngineStop run(long startAddress, long untilAddress);

    /**
     * Runs exactly {@code count} instructions from {@code startAddress} (used to execute part of a
     * translated block before an instruction that must fault).
     */
    EngineStop runCount(long startAddress, long count);

    /** Asks a running engine to stop at the next opportunity; safe to call from hooks. */
    void stop();

    /** Forgets translated code for [begin, end), e.g. after the firmware rewrote flash. */
    void invalidateCode(long begin, long end);

    /** The engine's name and version, for reports. */
    String description();

    @Override
    void close();
}
