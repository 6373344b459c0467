package dev.tinysim.demo;

import dev.tinysim.quantize.PostTrainingQuantizer;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.reference.TensorValues;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;
import dev.tinysim.tflite.TfliteWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Makes the project's own demo models, {@code firmware-images/models/demo_f32.tflite} and
 * {@code demo_int8.tflite}: generates the accelerometer data ({@link ActivityData}), trains
 * {@link ActivityNet} ({@link Trainer}), exports the float32 model, calibrates and quantizes it to int8
 * ({@link PostTrainingQuantizer}), and measures both with the Java reference interpreter on held-out
 * windows. Everything is seeded and computed in a fixed order, so the files are identical byte for
 * byte on every run, JVM and machine ({@code DemoModelsTest} regenerates and compares them).
 *
 * <p>Entry points: {@code tinysim make-demo-models} ({@code dev.tinysim.cli.MakeDemoModelsCommand}) and
 * {@link #main}: {@code java -cp target/classes dev.tinysim.demo.DemoModels [--check] [DIR]}.
 */
public final class DemoModels {

    public static final Path DEFAULT_DIR = Path.of("firmware-images", "models");
    public static final String FLOAT_FILE = "demo_f32.tflite";
    public static final String INT8_FILE = "demo_int8.tflite";

    /**
     * Everything that determines the files.
     *
     * @param dataSeed           seed of the training windows (windows 0 .. trainWindows-1)
     * @param testSeed           seed of the held-out windows (a different stream: never seen in training)
     * @param trainWindows       training set size
     * @param testWindows        held-out windows for the reported accuracies
     * @param calibrationWindows representative inputs for quantization: the first training windows
     * @param training           optimizer settings
     */
    public record Recipe(long dataSeed, long testSeed, int trainWindows, int testWindows, int calibrationWindows,
                         Trainer.Config training) {
    }

    /** The recipe of the committed files. Changing anything here changes the files. */
    public static final Recipe RECIPE = new Recipe(1, 2, 4000, 1000, 256,
            new Trainer.Config(7, 6, 32, 4, 0.004, 1e-4, 0.0));

    public static final String FLOAT_DESCRIPTION = "tinysim demo: activity classifier (idle, walking, running, shaking) "
            + "for 2.56 s of 3-axis accelerometer data [1,1,64,3] in g at 25 Hz; float32; made by tinysim make-demo-models";
    public static final String INT8_DESCRIPTION = "tinysim demo: activity classifier (idle, walking, running, shaking) "
            + "for 2.56 s of 3-axis accelerometer data [1,1,64,3] at 25 Hz; int8 post-training quantized, int8 input "
            + "and output; made by tinysim make-demo-models";

    /** Accuracy of both models on held-out windows, measured with the reference interpreter. */
    public record Evaluation(int windows, double floatAccuracy, double int8Accuracy, double agreement,
                             int[][] floatConfusion, int[][] int8Confusion) {
    }

    public record Result(byte[] float32, byte[] int8, int parameters, long macs, double trainLoss,
                         double trainAccuracy, Evaluation heldOut, double seconds) {
    }

    private DemoModels() {
    }

    /** Runs the whole recipe; {@code log} (may be null) gets progress lines. */
    public static Result make(Recipe recipe, PrintStream log) {
        long start = System.nanoTime();
        List<ActivityData.Window> train = ActivityData.generate(recipe.dataSeed(), 0, recipe.trainWindows());
        ActivityNet net = new ActivityNet();
        say(log, "training: %d windows, %d epochs, %,d parameters, %,d MACs per inference",
                recipe.trainWindows(), recipe.training().epochs(), net.paramCount(), net.macs());
        Trainer.Result trained = Trainer.train(net, train, recipe.training(), log);
        byte[] f32 = net.exportFloat(trained.params(), FLOAT_DESCRIPTION);
        TfliteModel floatModel = read(f32, FLOAT_FILE);

        List<List<byte[]>> representative = new ArrayList<>();
        for (ActivityData.Window w : train.subList(0, recipe.calibrationWindows())) {
            representative.add(List.of(TensorValues.fromFloats(w.values())));
        }
        TfliteModel int8Model = PostTrainingQuantizer.quantize(floatModel, representative,
                PostTrainingQuantizer.Options.DEFAULT.withDescription(INT8_DESCRIPTION));
        byte[] i8 = TfliteWriter.write(int8Model);

        List<ActivityData.Window> test = ActivityData.generate(recipe.testSeed(), 0, recipe.testWindows());
        Evaluation eval = evaluate(floatModel, read(i8, INT8_FILE), test);
        double seconds = (System.nanoTime() - start) / 1e9;
        say(log, "train accuracy %.2f %% (float, training forward pass), loss %.4f", 100 * trained.trainAccuracy(),
                trained.finalLoss());
        say(log, "held-out accuracy on %d windows: float32 %.2f %%, int8 %.2f %%, top-1 agreement %.2f %%",
                eval.windows(), 100 * eval.floatAccuracy(), 100 * eval.int8Accuracy(), 100 * eval.agreement());
        say(log, "%s: %,d bytes; %s: %,d bytes; %.1f s", FLOAT_FILE, f32.length, INT8_FILE, i8.length, seconds);
        return new Result(f32, i8, net.paramCount(), net.macs(), trained.finalLoss(), trained.trainAccuracy(), eval,
                seconds);
    }

    /**
     * Top-1 accuracy of the float and the int8 model on the windows, with the reference interpreter
     * (the int8 model's input is quantized exactly as a QUANTIZE operator would).
     */
    public static Evaluation evaluate(TfliteModel floatModel, TfliteModel int8Model, List<ActivityData.Window> windows) {
        ReferenceInterpreter f = ReferenceInterpreter.prepare(floatModel);
        ReferenceInterpreter q = ReferenceInterpreter.prepare(int8Model);
        Tensor qIn = int8Model.mainSubgraph().inputTensor(0);
        Tensor fOut = floatModel.mainSubgraph().outputTensor(0);
        Tensor qOut = int8Model.mainSubgraph().outputTensor(0);
        int n = ActivityData.CLASSES;
        int[][] fc = new int[n][n];
        int[][] qc = new int[n][n];
        int fOk = 0;
        int qOk = 0;
        int agree = 0;
        for (ActivityData.Window w : windows) {
            int pf = TensorValues.argmax(TensorValues.toFloats(fOut,
                    f.invoke(List.of(TensorValues.fromFloats(w.values()))).get(0)));
            int pq = TensorValues.argmax(TensorValues.toFloats(qOut,
                    q.invoke(List.of(TensorValues.quantize(qIn, w.values()))).get(0)));
            fc[w.label()][pf]++;
            qc[w.label()][pq]++;
            fOk += pf == w.label() ? 1 : 0;
            qOk += pq == w.label() ? 1 : 0;
            agree += pf == pq ? 1 : 0;
        }
        double total = windows.size();
        return new Evaluation(windows.size(), fOk / total, qOk / total, agree / total, fc, qc);
    }

    /** Seed of the example windows: a stream used neither for training nor for the evaluations. */
    public static final long EXAMPLE_SEED = 4;

    /** A held-out window of class {@code label} (an index into {@link ActivityData#LABELS}); always the same one. */
    public static ActivityData.Window example(int label) {
        if (label < 0 || label >= ActivityData.CLASSES) {
            throw new IllegalArgumentException("label " + label + " is not one of " + ActivityData.LABELS);
        }
        return ActivityData.window(EXAMPLE_SEED, label);
    }

    /**
     * A window as the bytes of a model's input tensor: little-endian float32 for the float model,
     * int8 quantized with the input's scale and zero point (as a QUANTIZE operator would) for the int8 one.
     */
    public static byte[] inputBytes(TfliteModel model, ActivityData.Window window) {
        Tensor in = model.mainSubgraph().inputTensor(0);
        return switch (in.type()) {
            case FLOAT32 -> TensorValues.fromFloats(window.values());
            case INT8 -> TensorValues.quantize(in, window.values());
            default -> throw new IllegalArgumentException("input type " + in.type() + " is neither FLOAT32 nor INT8");
        };
    }

    /** Writes both files into {@code dir} (created if needed). */
    public static void write(Result r, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(FLOAT_FILE), r.float32());
        Files.write(dir.resolve(INT8_FILE), r.int8());
    }

    /** Names of the files in {@code dir} that differ from (or are missing for) the regenerated bytes. */
    public static List<String> differences(Result r, Path dir) throws IOException {
        List<String> bad = new ArrayList<>();
        for (String name : List.of(FLOAT_FILE, INT8_FILE)) {
            Path p = dir.resolve(name);
            byte[] expected = name.equals(FLOAT_FILE) ? r.float32() : r.int8();
            if (!Files.isRegularFile(p) || !Arrays.equals(Files.readAllBytes(p), expected)) {
                bad.add(p.toString());
            }
        }
        return bad;
    }

    private static TfliteModel read(byte[] bytes, String name) {
        try {
            return TfliteReader.read(bytes, name);
        } catch (IOException e) {
            throw new IllegalStateException("the exported " + name + " does not read back", e);
        }
    }

    private static void say(PrintStream log, String format, Object... args) {
        if (log != null) {
            log.println(String.format(Locale.ROOT, format, args));
        }
    }

    /** {@code DemoModels [--check] [DIR]}: writes (or, with --check, compares) the two files; exit 1 on a difference. */
    public static void main(String[] args) throws IOException {
        boolean check = Arrays.asList(args).contains("--check");
        Path dir = Arrays.stream(args).filter(a -> !a.startsWith("--")).findFirst().map(Path::of).orElse(DEFAULT_DIR);
        Result r = make(RECIPE, System.out);
        if (check) {
            List<String> bad = differences(r, dir);
            System.out.println(bad.isEmpty() ? "identical: " + dir.resolve(FLOAT_FILE) + ", " + dir.resolve(INT8_FILE)
                    : "DIFFERS: " + String.join(", ", bad));
            System.exit(bad.isEmpty() ? 0 : 1);
        }
        write(r, dir);
        System.out.println("wrote " + dir.resolve(FLOAT_FILE) + " and " + dir.resolve(INT8_FILE));
    }
}
