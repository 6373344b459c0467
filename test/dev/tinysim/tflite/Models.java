package dev.tinysim.tflite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The six MLPerf Tiny reference models in ../shared (read-only data, never copied into the project). */
public final class Models {

    public static final Path DIR = Path.of("..", "shared", "models", "mlperf-tiny");
    public static final List<String> ALL = List.of("kws_ref_model.tflite", "kws_ref_model_float32.tflite",
            "pretrainedResnet_quant.tflite", "pretrainedResnet.tflite", "ad01_int8.tflite", "ad01_fp32.tflite");

    private static final Map<String, byte[]> BYTES = new ConcurrentHashMap<>();
    private static final Map<String, TfliteModel> MODELS = new ConcurrentHashMap<>();

    private Models() {
    }

    public static byte[] bytes(String name) {
        return BYTES.computeIfAbsent(name, n -> {
            try {
                return Files.readAllBytes(DIR.resolve(n));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).clone();
    }

    public static TfliteModel model(String name) {
        return MODELS.computeIfAbsent(name, n -> {
            try {
                return TfliteReader.read(DIR.resolve(n));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
