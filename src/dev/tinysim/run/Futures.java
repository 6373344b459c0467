package dev.tinysim.run;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Results of work run in parallel threads (one emulator per thread), with the worker's own exception. */
public final class Futures {
    private Futures() {
    }

    /**
     * The result of {@code f}. A worker's RuntimeException or Error is rethrown as it was thrown,
     * so that a bad model met in a worker thread ends the command with its own error and exit code.
     */
    public static <T> T join(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
