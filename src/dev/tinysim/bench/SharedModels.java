package dev.tinysim.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the six MLPerf Tiny models of the team's shared data live (read in place, never copied
 * into the project). They sit in {@code shared/models/mlperf-tiny} beside the project's checkout,
 * but a clone may be anywhere (CI clones into a temporary directory), so this looks in order at:
 * {@code $TINYSIM_SHARED/models/mlperf-tiny}; {@code shared/models/mlperf-tiny} in the working
 * directory and each of its parents; and the machines' standard {@code /work/shared}.
 */
public final class SharedModels {
    /** Environment variable naming the shared data directory (the one holding {@code models/}). */
    public static final String VARIABLE = "TINYSIM_SHARED";
    private static final Path RELATIVE = Path.of("models", "mlperf-tiny");
    private static final Path STANDARD = Path.of("/work/shared");

    private SharedModels() {
    }

    /** The places looked at, in order. */
    public static List<Path> candidates() {
        List<Path> out = new ArrayList<>();
        String env = System.getenv(VARIABLE);
        if (env != null && !env.isBlank()) {
            out.add(Path.of(env).resolve(RELATIVE));
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            out.add(p.resolve("shared").resolve(RELATIVE));
        }
        out.add(STANDARD.resolve(RELATIVE));
        return out;
    }

    /** The first candidate that is a directory, or {@code ../shared/models/mlperf-tiny} (absent) when none is. */
    public static Path directory() {
        for (Path p : candidates()) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return Path.of("..", "shared").resolve(RELATIVE).toAbsolutePath().normalize();
    }

    /** One model of the set, e.g. {@code kws_ref_model.tflite}. */
    public static Path model(String name) {
        return directory().resolve(name);
    }

    /** The TensorFlow Lite Micro example models, beside the MLPerf Tiny ones ({@code models/tflm-examples}). */
    public static Path tflmExamples() {
        return directory().resolveSibling("tflm-examples");
    }

    /** One TensorFlow Lite Micro example model, e.g. {@code keyword_scrambled.tflite}. */
    public static Path tflmExample(String name) {
        return tflmExamples().resolve(name);
    }
}
