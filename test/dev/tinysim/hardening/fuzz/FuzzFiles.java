package dev.tinysim.hardening.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The scratch files the targets write their inputs to: one directory per JVM, deleted at exit. */
final class FuzzFiles {
    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("tinysim-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (var files = Files.list(DIR)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
                Files.deleteIfExists(DIR);
            } catch (IOException ignored) {
                // a scratch directory left in the temporary directory
            }
        }));
    }

    private FuzzFiles() {
    }

    /** The scratch file {@code name} (not created). */
    static Path file(String name) {
        return DIR.resolve(name);
    }
}
