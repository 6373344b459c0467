package dev.tinysim.cli;

import dev.tinysim.compare.Progress;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress bar on stderr for work that takes more than about a second ({@code me.tongfei:progressbar}). Shown
 * only when stderr is a terminal (isatty(2)), the command writes to the process's own stderr, and {@code --quiet}
 * is not given; otherwise nothing is printed at all (tests and CI logs stay clean). The bar appears after one
 * second of work, so quick runs never show it, and is finished and its line ended by {@link #close()} before the
 * report is printed.
 */
public final class TerminalProgress implements Progress {
    private static final long DELAY_MILLIS = 1000;
    private final AtomicLong done = new AtomicLong();
    private final Object lock = new Object();
    private volatile long total;
    private volatile String task = "tinysim";
    private volatile boolean closed;
    private Thread watcher;
    private Object bar;     // me.tongfei.progressbar.ProgressBar, loaded only when a bar is shown

    private TerminalProgress() {
    }

    /** A terminal progress bar, or {@link Progress#NONE} when stderr is not a terminal or {@code quiet}. */
    public static Progress create(boolean quiet) {
        if (quiet || Io.current().err() != System.err || !stderrIsTerminal()) {
            return Progress.NONE;
        }
        return new TerminalProgress();
    }

    /**
     * Whether file descriptor 2 is a terminal: where /proc/self/fd/2 points (cheap), else isatty(2) through libc;
     * false when neither can be asked.
     */
    static boolean stderrIsTerminal() {
        try {
            String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            // no /proc: ask libc
        }
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle isatty = linker.downcallHandle(linker.defaultLookup().find("isatty").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            return (int) isatty.invokeExact(2) == 1;
        } catch (Throwable t) {
            return false;
        }
    }

    @Override
    public void start(String taskName, long totalUnits) {
        this.task = taskName;
        this.total = Math.max(1, totalUnits);
        watcher = new Thread(this::watch, "tinysim-progress");
        watcher.setDaemon(true);
        watcher.start();
    }

    private void watch() {
        try {
            Thread.sleep(DELAY_MILLIS);
            while (!closed) {
                synchronized (lock) {
                    if (closed) {
                        return;
                    }
                    if (bar == null) {
                        bar = Bar.open(task);
                    }
                    Bar.step(bar, Math.min(100, done.get() * 100 / total));
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void add(long units) {
        done.addAndGet(units);
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (bar != null) {
                Bar.finish(bar);
                bar = null;
            }
        }
        if (watcher != null) {
            watcher.interrupt();
        }
    }

    /** The library calls, in their own class so that its classes load only when a bar is shown. */
    private static final class Bar {
        static Object open(String task) {
            int width = 100;
            try {
                String columns = System.getenv("COLUMNS");
                if (columns != null) {
                    width = Math.max(40, Integer.parseInt(columns.strip()) - 1);
                }
            } catch (NumberFormatException e) {
                width = 100;
            }
            return new me.tongfei.progressbar.ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(100)
                    .setUpdateIntervalMillis(200)
                    .hideEta()
                    .clearDisplayOnFinish()
                    .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err, width))
                    .build();
        }

        static void step(Object bar, long n) {
            ((me.tongfei.progressbar.ProgressBar) bar).stepTo(n);
        }

        static void finish(Object bar) {
            me.tongfei.progressbar.ProgressBar b = (me.tongfei.progressbar.ProgressBar) bar;
            b.stepTo(100);
            b.close();
        }
    }
}
