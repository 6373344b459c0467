package dev.tinysim.html;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's Chromium, headless, with everything that could reach the network turned off and a fresh profile per run.
 * CI installs it ({@code tinysim_ensure_test_tools} in scripts/setup.sh); {@code TINYSIM_CHROMIUM} names another binary.
 */
final class Browser {
    private static final long TIMEOUT_SECONDS = 90;

    private Browser() {
    }

    /** The browser binary, if there is one. */
    static Optional<Path> find() {
        String env = System.getenv("TINYSIM_CHROMIUM");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
            for (String dir : path.split(":")) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** The DOM after load (and after the page's scripts ran). */
    static String dumpDom(Path browser, Path page, int width, int height) {
        return run(browser, page, width, height, List.of("--dump-dom"));
    }

    /** A PNG of the first {@code width}×{@code height} pixels of the page. */
    static void screenshot(Path browser, Path page, Path png, int width, int height) {
        run(browser, page, width, height, List.of("--screenshot=" + png.toAbsolutePath()));
        if (!Files.isRegularFile(png)) {
            throw new AssertionError("no screenshot written to " + png);
        }
    }

    private static String run(Path browser, Path page, int width, int height, List<String> extra) {
        Path profile = null;
        Path out = null;
        Path err = null;
        try {
            profile = Files.createTempDirectory("tinysim-chromium-");
            out = Files.createTempFile("tinysim-chromium-", ".out");
            err = Files.createTempFile("tinysim-chromium-", ".err");
            List<String> cmd = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-extensions", "--disable-default-apps", "--hide-scrollbars", "--mute-audio",
                    "--no-default-browser-check", "--user-data-dir=" + profile, "--window-size=" + width + "," + height));
            cmd.addAll(extra);
            cmd.add(page.toAbsolutePath().toUri().toString());
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("chromium did not finish in " + TIMEOUT_SECONDS + " s: " + tail(err));
            }
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            if (p.exitValue() != 0) {
                throw new AssertionError("chromium exited with " + p.exitValue() + ": " + tail(err));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            delete(profile);
            delete(out);
            delete(err);
        }
    }

    private static String tail(Path err) throws IOException {
        String s = Files.readString(err, StandardCharsets.UTF_8);
        return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
    }

    private static void delete(Path p) {
        if (p == null || !Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // Chromium may still be closing a file: the temp dir is cleaned by the OS later
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** Width and height of a PNG, from its IHDR chunk. */
    static int[] pngSize(Path png) throws IOException {
        byte[] b = Files.readAllBytes(png);
        if (b.length < 24 || (b[0] & 0xFF) != 0x89 || b[1] != 'P' || b[2] != 'N' || b[3] != 'G') {
            throw new AssertionError(png + " is not a PNG");
        }
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b, 16, 8);
        return new int[]{bb.getInt(), bb.getInt()};
    }
}
