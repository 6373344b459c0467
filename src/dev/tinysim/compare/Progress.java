package dev.tinysim.compare;

/**
 * Work done so far, for a progress bar: {@link #add} from any thread, in units the caller chose (the total is
 * set when the bar starts). {@link #NONE} shows nothing; the command line's terminal bar is
 * {@code dev.tinysim.cli.TerminalProgress}.
 */
public interface Progress extends AutoCloseable {
    Progress NONE = new Progress() {
        @Override
        public void start(String task, long total) {
        }

        @Override
        public void add(long units) {
        }

        @Override
        public void close() {
        }
    };

    /** Begins the work: {@code total} units. */
    void start(String task, long total);

    /** {@code units} more done (thread-safe). */
    void add(long units);

    /** The work is over: the bar, if any, is finished and its line ended. */
    @Override
    void close();
}
