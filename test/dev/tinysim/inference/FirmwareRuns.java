package dev.tinysim.inference;

import dev.tinysim.boards.Boards;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.board.BoardException;

import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Firmware runs shared by the test classes of this package: each distinct run (model, board, kernels,
 * inputs) is executed once, on a small pool of threads (one emulated machine per thread), and its
 * outcome cached, so that several tests can assert on the same expensive soft-float inference.
 */
final class FirmwareRuns {
    /** Two machines at a time: the CI machine has 2 cores. */
    private static final int THREADS = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 4));
    private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS, r -> {
        Thread t = new Thread(r, "firmware-runs");
        t.setDaemon(true);
        return t;
    });
    private static final Map<String, Future<InferenceRunner.Outcome>> CACHE = new ConcurrentHashMap<>();

    private FirmwareRuns() {
    }

    static Board board(boolean fpu) {
        try {
            return Boards.load("nrf52840", !fpu);
        } catch (BoardException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts the run (once per key) and returns its future. */
    static Future<InferenceRunner.Outcome> submit(String key, Callable<InferenceRunner.Outcome> run) {
        return CACHE.computeIfAbsent(key, k -> POOL.submit(run));
    }

    static InferenceRunner.Outcome await(Future<InferenceRunner.Outcome> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new UncheckedIOException(new java.io.IOException(e.getCause()));
        }
    }
}
