package dev.tinysim.emulator.engine;

/** Hook callbacks the engine calls while it runs. Each is a small interface with one job. */
public final class Hooks {
    private Hooks() {
    }

    /** Called before each translated block executes: its address and byte size. */
    @FunctionalInterface
    public interface BlockHook {
        void onBlock(long address, int size);
    }

    /** Called before each instruction in the hooked address range executes. */
    @FunctionalInterface
    public interface CodeHook {
        void onInstruction(long address, int size);
    }

    /** Called when the CPU raises an exception the engine does not handle itself (BKPT, SVC, exception return…). */
    @FunctionalInterface
    public interface InterruptHook {
        void onInterrupt(CpuTrap trap);
    }

    /**
     * Called on an access to unmapped or protected memory. Return true when the hook handled it
     * (the engine then continues), false to stop the run with a memory fault.
     */
    @FunctionalInterface
    public interface InvalidMemoryHook {
        boolean onInvalidAccess(MemoryFaultKind kind, long address, int size, long value);
    }
}
