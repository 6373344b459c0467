package dev.tinysim.tflite;

import dev.tinysim.bench.SharedModels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The six MLPerf Tiny reference models of the shared data (read-only, never copied into the project;
 * see SharedModels), and small models the tests build.
 */
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

    /** The builtin operators of a model's main graph, in order. */
    public static List<BuiltinOperator> operators(TfliteModel m) {
        List<BuiltinOperator> out = new ArrayList<>();
        for (Operator op : m.mainSubgraph().operators()) {
            out.add(m.operatorCode(op).builtin().orElseThrow());
        }
        return out;
    }

    /**
     * FLOAT32 [2,2] -> RELU -> LSH_PROJECTION: its second operator is one the runtime does not support (a
     * deprecated operator TFLite Micro does not have either).
     */
    public static byte[] unsupportedOperatorModel() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addTensor("in", TensorType.FLOAT32, new int[]{2, 2});
        int mid = b.addTensor("mid", TensorType.FLOAT32, new int[]{2, 2});
        int out = b.addTensor("out", TensorType.FLOAT32, new int[]{2, 2});
        b.addOperator(BuiltinOperator.RELU, BuiltinOptions.NONE, new int[]{in}, new int[]{mid});
        b.addOperator(BuiltinOperator.LSH_PROJECTION, BuiltinOptions.NONE, new int[]{mid, mid}, new int[]{out});
        return b.inputs(in).outputs(out).toBytes();
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
