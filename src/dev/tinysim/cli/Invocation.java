package dev.tinysim.cli;

import java.util.List;

/**
 * The arguments the running command was started with (after the program name), for reports that record how they
 * were made (the HTML report prints the exact command line). Set by {@link Main#execute} for the thread that runs the
 * command; null outside a command.
 */
public final class Invocation {
    private static final ThreadLocal<List<String>> ARGS = new ThreadLocal<>();

    private Invocation() {
    }

    /** The current command's arguments, or null when no command is running on this thread. */
    public static List<String> args() {
        return ARGS.get();
    }

    static void set(List<String> args) {
        if (args == null) {
            ARGS.remove();
        } else {
            ARGS.set(List.copyOf(args));
        }
    }
}
