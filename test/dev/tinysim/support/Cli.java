package dev.tinysim.support;

import dev.tinysim.cli.Io;
import dev.tinysim.cli.Main;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the tinysim command line in-process and captures what it prints. */
public final class Cli {
    /** What one command run produced. */
    public record Result(int exitCode, String out, String err) {
        /** The summary line that starts with "  result". */
        public String resultLine() {
            for (String line : out.split("\n")) {
                if (line.startsWith("  result ")) {
                    return line.substring("  result ".length()).strip();
                }
            }
            throw new AssertionError("no result line in:\n" + out + "\nstderr:\n" + err);
        }
    }

    private Cli() {
    }

    public static Result run(String... args) {
        return runWithInput("", args);
    }

    public static Result runWithInput(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(new Io(new PrintStream(out, true, StandardCharsets.ISO_8859_1),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))), args);
        return new Result(code, out.toString(StandardCharsets.ISO_8859_1), err.toString(StandardCharsets.UTF_8));
    }
}
