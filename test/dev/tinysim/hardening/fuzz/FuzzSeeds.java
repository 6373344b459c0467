package dev.tinysim.hardening.fuzz;

import dev.tinysim.bench.SharedModels;
import dev.tinysim.data.DataFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The fuzz targets' seed corpus, made here on every run from what the project already has: the shared models
 * (read in place, never copied into the project), the bundled demo models, the bundled firmware images, the
 * bundled board files, and data files written by this class. Jazzer runs every seed as a regression case in a
 * plain {@code mvn test}, and starts fuzzing from them with {@code JAZZER_FUZZ=1} (README, "Reliability").
 */
public final class FuzzSeeds {
    /** Models above this size are left out of the reader's seeds: libFuzzer cuts inputs at 1 MiB, and mutating them is slow. */
    static final long MAX_MODEL_SEED = 400_000;

    /** The small models {@code run --model} seeds are made from: each runs on the emulator in well under a second. */
    static final List<String> SMALL_MODELS = List.of("hello_world_int8.tflite", "hello_world_float.tflite",
            "simple_add_model.tflite");

    /** The data files' format, chosen by an input's first byte (the rest is the file). */
    static final List<String> DATA_EXTENSIONS = List.of("npy", "npz", "csv", "wav", "png", "bmp", "jpg");

    private FuzzSeeds() {
    }

    /** Every shared model up to {@link #MAX_MODEL_SEED} bytes, and the bundled demo models. */
    static Stream<byte[]> models() {
        List<Path> files = new ArrayList<>();
        files.addAll(tflite(SharedModels.directory()));
        files.addAll(tflite(SharedModels.tflmExamples()));
        files.addAll(tflite(Path.of("firmware-images", "models")));
        return files.stream().filter(f -> size(f) <= MAX_MODEL_SEED).map(FuzzSeeds::read);
    }

    /** The small shared models ({@link #SMALL_MODELS}; the demo models, 80 KB, would slow every mutation). */
    static Stream<byte[]> smallModels() {
        return SMALL_MODELS.stream().map(SharedModels::tflmExample).filter(Files::isRegularFile).map(FuzzSeeds::read);
    }

    /** Every bundled firmware image. */
    static Stream<byte[]> firmware() {
        return list(Path.of("firmware-images", "prebuilt"), ".elf").stream().map(FuzzSeeds::read);
    }

    /**
     * Every bundled board file, its {@code $schema} made absolute so that the copy the target writes elsewhere
     * still names the schema ({@code extends} names bundled boards, which resolve from anywhere).
     */
    static Stream<byte[]> boards() {
        String schema = Path.of("boards", "schema.json").toAbsolutePath().toString();
        return list(Path.of("boards"), ".json").stream()
                .filter(p -> !p.getFileName().toString().equals("schema.json"))
                .map(p -> new String(read(p), StandardCharsets.UTF_8)
                        .replace("\"$schema\": \"schema.json\"", "\"$schema\": \"" + schema + "\"")
                        .getBytes(StandardCharsets.UTF_8));
    }

    /** The data seeds ({@link #dataFiles}), each prefixed with its format's byte ({@link #DATA_EXTENSIONS}). */
    static Stream<byte[]> data() {
        return dataFiles().entrySet().stream().map(e -> {
            String name = e.getKey();
            int format = DATA_EXTENSIONS.indexOf(name.substring(name.lastIndexOf('.') + 1));
            byte[] out = new byte[e.getValue().length + 1];
            out[0] = (byte) format;
            System.arraycopy(e.getValue(), 0, out, 1, e.getValue().length);
            return out;
        });
    }

    /** Seed data files for the demo float model's [1,1,64,3] input, made here, one per format the readers take. */
    public static Map<String, byte[]> dataFiles() {
        float[] v = new float[192];
        short[] pcm = new short[192];
        int[] px = new int[64];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(i * 0.3);
            pcm[i] = (short) (i * 300 - 28000);
        }
        for (int x = 0; x < px.length; x++) {
            px[x] = (4 * x) << 16 | (255 - 3 * x) << 8 | (x * 37) % 256;
        }
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("s.npy", DataFiles.npyFloat32(new int[]{1, 64, 3}, v));
        Map<String, byte[]> arrays = new LinkedHashMap<>();
        arrays.put("x", DataFiles.npyFloat32(new int[]{2, 192}, Arrays.copyOf(v, 384)));
        arrays.put("y", DataFiles.npyInt64(new int[]{2}, 1, 2));
        seeds.put("s.npz", DataFiles.npz(arrays, false));
        seeds.put("z.npz", DataFiles.npz(arrays, true));
        StringBuilder csv = new StringBuilder("x,y,z\n");
        for (int t = 0; t < 64; t++) {
            csv.append(v[3 * t]).append(',').append(v[3 * t + 1]).append(',').append(v[3 * t + 2]).append('\n');
        }
        seeds.put("s.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        seeds.put("f.wav", DataFiles.wavFloat(16000, v));
        seeds.put("p.wav", DataFiles.wavPcm16(16000, pcm));
        seeds.put("s.png", DataFiles.image("png", 64, 1, px));
        seeds.put("s.bmp", DataFiles.image("bmp", 64, 1, px));
        seeds.put("s.jpg", DataFiles.image("jpg", 64, 1, px));
        return seeds;
    }

    private static List<Path> tflite(Path dir) {
        return list(dir, ".tflite");
    }

    /** The files of {@code dir} ending in {@code suffix}, sorted (none when the directory is absent). */
    private static List<Path> list(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
