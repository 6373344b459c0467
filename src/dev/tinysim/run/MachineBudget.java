package dev.tinysim.run;

import dev.tinysim.emulator.board.Board;

import java.lang.management.ManagementFactory;

/**
 * How many emulated machines may run at once: bounded by the cores and by the host memory a machine takes, so
 * commands that run several (compare, table) do not run a host with little free memory out of it.
 */
public final class MachineBudget {

    /**
     * Unicorn's translation cache and the process's per-machine native state, beside the board's memory: a
     * measured-order figure (not an exact one) that errs on the large side.
     */
    static final long ENGINE_BYTES = 64L << 20;

    private MachineBudget() {
    }

    /**
     * Host bytes one machine of {@code board} takes: its memory (flash, RAM and aliases, mapped once by the
     * engine and once more where tinysim keeps a copy), the block tables (8 bytes per byte of flash), the engine.
     */
    public static long bytesPerMachine(Board board) {
        long memory = 0;
        for (var r : board.memory()) {
            memory += r.size();
        }
        return 2 * memory + 8 * board.flash().size() + ENGINE_BYTES;
    }

    /** Machines to run at once: at most {@code wanted}, the cores, and what the free host memory holds (at least 1). */
    public static int machines(int wanted, Board board) {
        int cores = Runtime.getRuntime().availableProcessors();
        return machines(wanted, cores, freeHostBytes(), bytesPerMachine(board));
    }

    /** As {@link #machines(int, Board)} for machines of {@code perMachine} host bytes each. */
    public static int machines(int wanted, long perMachine) {
        return machines(wanted, Runtime.getRuntime().availableProcessors(), freeHostBytes(), perMachine);
    }

    /** A machine of a board with 1 MB of flash and 256 KB of RAM (the nRF52840): for a pool made before the board is known. */
    public static final long TYPICAL_MACHINE_BYTES = 2 * ((1L << 20) + (256L << 10)) + 8 * (1L << 20) + ENGINE_BYTES;

    /** As {@link #machines(int, Board)} with the cores and the free host bytes given (for tests and callers that know them). */
    public static int machines(int wanted, int cores, long freeBytes, long perMachine) {
        long byMemory = freeBytes <= 0 ? cores : freeBytes / Math.max(1, perMachine);
        return (int) Math.max(1, Math.min(Math.min(wanted, cores), byMemory));
    }

    /** Free physical memory of the host (0 when the JVM cannot tell). */
    public static long freeHostBytes() {
        try {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getFreeMemorySize();
            }
        } catch (RuntimeException | LinkageError e) {
            // not available on this JVM: cores only
        }
        return 0;
    }
}
