package dev.tinysim.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * The streams a command writes to and reads from. The process uses System.out/err/in; tests run
 * commands in-process with their own streams (one per thread, so tests may run in parallel).
 */
public record Io(PrintStream out, PrintStream err, InputStream in) {
    private static final ThreadLocal<Io> CURRENT = new ThreadLocal<>();

    public static Io current() {
        Io io = CURRENT.get();
        return io != null ? io : new Io(System.out, System.err, System.in);
    }

    static void set(Io io) {
        if (io == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(io);
        }
    }
}
