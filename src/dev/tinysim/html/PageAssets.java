package dev.tinysim.html;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The report page's stylesheet ({@code report.css}) and measuring script ({@code measure.js}): classpath resources next
 * to this class, read once when the class loads.
 */
final class PageAssets {
    /** The inline stylesheet, exactly as in report.css. */
    static final String CSS = read("report.css");
    /** Records each chart's laid-out size (measure.js without its final line break). */
    static final String MEASURE_SCRIPT = read("measure.js").strip();
    /** {@code sha256-…} of the measuring script, for the page's Content-Security-Policy. */
    static final String SCRIPT_HASH = sha256(MEASURE_SCRIPT);

    private PageAssets() {
    }

    private static String read(String name) {
        try (InputStream in = PageAssets.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource dev/tinysim/html/" + name + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String script) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
