package dev.tinysim.hardening;

import dev.tinysim.support.Cli;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The invariants every fuzz case must hold, whatever the input: shared by the seeded mutation fuzzer
 * ({@link MutationFuzzTest}) and the coverage-guided Jazzer targets ({@code hardening.fuzz}).
 */
public final class FuzzChecks {
    /** The exits of {@code run --model} on a mutated model: 80-92 are the firmware faulting on a model Java accepted. */
    public static final Set<Integer> MODEL_RUN_EXITS = Set.of(0, 65, 67, 72, 80, 81, 82, 83, 84, 85, 86, 89, 93, 94);

    /** A Java throwable's class name as {@code Throwable.toString} prints it (java.lang.NullPointerException). */
    private static final java.util.regex.Pattern THROWABLE =
            java.util.regex.Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b");

    private FuzzChecks() {
    }

    /**
     * A documented exit in {@code allowed}, no internal error, no stack trace, and an error message (if any) that
     * is one line starting "tinysim: ", without control characters, at most 2,100 characters.
     */
    public static void assertDocumented(String what, Cli.Result r, Set<Integer> allowed) {
        assertTrue(allowed.contains(r.exitCode()), what + ": exit " + r.exitCode() + ": " + r.err());
        assertTrue(!internalError(r.err()) && !r.err().contains("\tat ") && !THROWABLE.matcher(r.err()).find(),
                what + ": " + r.err());
        if (r.exitCode() != 0 && !r.err().isEmpty()) {   // empty: the report (stdout) says why (-q, a model that does not fit)
            String err = r.err();
            assertTrue(err.startsWith("tinysim: ") && err.endsWith("\n"), what + ": " + err);
            assertSafeLine(what, err.substring(0, err.length() - 1));
        }
    }

    /**
     * A firmware run ({@code run FILE --format json}) ended in a documented way: a mutated firmware may exit with any
     * status of its own, so either the JSON report says what ended it, or the file was refused (65, 66, 67, 74).
     *
     * @return the report's {@code result.kind}, or "refused N"
     */
    public static String assertFirmwareRunDocumented(String what, Cli.Result r) {
        if (r.out().startsWith("{")) {
            String kind;
            try {
                kind = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out()).at("/result/kind").asText();
            } catch (java.io.IOException e) {
                throw new AssertionError(what + ": the JSON report does not parse: " + e.getMessage(), e);
            }
            assertTrue(!kind.isEmpty(), what + ": " + r.out());
            return kind;
        }
        assertDocumented(what, r, Set.of(65, 66, 67, 74));
        return "refused " + r.exitCode();
    }

    /** A command given a board file ended in a documented way: success, or refused with 64-67 or 74. */
    public static void assertBoardRunDocumented(String what, Cli.Result r) {
        if (r.exitCode() != 0 && !r.err().isEmpty()) {
            assertDocumented(what, r, Set.of(64, 65, 66, 67, 74));
        }
        assertTrue(!internalError(r.err()) && !r.err().contains("\tat "), what + ": " + r.err());
    }

    /**
     * An internal error as the command line prints one: a line that starts so. (Not "contains": a coverage-guided
     * fuzzer learns the strings the checks compare with and pastes them into names that messages quote.)
     */
    static boolean internalError(String err) {
        return err.startsWith("tinysim: internal error") || err.contains("\ntinysim: internal error");
    }

    /** A command given a data file ended in a documented way: success, or 64-66 with a message. */
    public static void assertDataRunDocumented(String what, Cli.Result r) {
        assertDocumented(what, r, Set.of(0, 64, 65, 66));
        assertTrue(r.exitCode() == 0 || !r.err().isEmpty(), what + ": exit " + r.exitCode() + " without a message");
    }

    /**
     * A failure thrown below the command line, as {@code Main} would print it, but with the message as thrown (not
     * passed through the last-resort escaping {@code Main} applies): a direct-call fuzz target checks that the layer
     * itself already made the message safe.
     */
    public static Cli.Result asPrinted(dev.tinysim.failure.FailureException e) {
        return new Cli.Result(dev.tinysim.cli.ExitCode.of(e.kind()).code(), "", "tinysim: " + e.getMessage() + "\n");
    }

    /** One line without control characters (C0, DEL, C1, line and paragraph separators), at most 2,100 characters. */
    public static void assertSafeLine(String what, String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            boolean control = c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == '\u2028' || c == '\u2029';
            assertTrue(!control, what + ": control character " + (int) c + " at " + i + " in the message: " + line);
        }
        assertTrue(line.length() <= 2100, what + ": message of " + line.length() + " characters");
    }

    /**
     * Whether a {@code run --model} result is the firmware refusing at load a model the Java checks passed (exit 93
     * other than a run-time kernel failure, which the reference reports the same way): the Java checks mirror the
     * runtime's load checks, so this must never happen.
     */
    public static boolean refusedAtLoadAfterJavaChecks(Cli.Result r) {
        if (r.exitCode() != 93) {
            return false;
        }
        return !runtimeErrorResult(r).contains("(kernel-failure)");
    }

    /** The result line of an exit-93 run (or its one-line message when no report was printed). */
    public static String runtimeErrorResult(Cli.Result r) {
        return r.out().contains("  result ") ? r.resultLine() : r.err().strip();
    }
}
