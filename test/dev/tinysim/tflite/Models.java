package dev.tinysim.tflite;

import dev.tinysim.bench.SharedModels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The six MLPerf Tiny reference models of the shared data (read-only, never copied into the project; see SharedModels). */
public final class Models {

    public static final Path DIR = SharedModels.directory();
    public static final List<String> ALL = List.of("kws_ref_model.tflite", "kws_ref_model_float32.tflite",
            "pretrainedResnet_quant.tflite", "pretrainedResnet.tflite", "ad01_int8.tflite", "ad01_fp32.tflite");

    private static final Map<String, byte[]> BYTES = new ConcurrentHashMap<>();
    private static final Map<String, TfliteModel> MODELS = new ConcurrentHashMap<>();

    private Models() {
    }

    /** Fails with where it looked when the models are not there (rather than a bare NoSuchFileException). */
    private static Path file(String name) {
        if (!Files.isDirectory(DIR)) {
            throw new IllegalStateException("the MLPerf Tiny models were not found; looked in " + SharedModels.candidates()
                    + " (set " + SharedModels.VARIABLE + " to the directory holding models/mlperf-tiny)");
        }
        return DIR.resolve(name);
    }

    public static byte[] bytes(String name) {
        return BYTES.computeIfAbsent(name, n -> {
            try {
                return Files.readAllBytes(file(n));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).clone();
    }

    public static TfliteModel model(String name) {
        return MODELS.computeIfAbsent(name, n -> {
            try {
                return TfliteReader.read(file(n));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
