package dev.tinysim.cli;

import dev.tinysim.compare.CompareReport;
import dev.tinysim.compare.CompareText;
import dev.tinysim.compare.Comparison;
import dev.tinysim.compare.Progress;
import dev.tinysim.compare.ReportRenderer;
import dev.tinysim.compare.Samples;
import dev.tinysim.demo.ActivityData;
import dev.tinysim.data.NpyWriter;
import dev.tinysim.demo.DemoModels;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.timing.TimingModels;
import dev.tinysim.inference.InferenceRunner;
import dev.tinysim.tflite.TfliteModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tinysim demo}: the project's own activity classifier, float32 and int8 (bundled), compared on the nRF52840
 * on its own held-out accelerometer windows; prints the table and writes the report file.
 */
@Command(name = "demo", header = "Start here: int8 vs float32, with and without FPU, on tinysim's own model.", sortOptions = false,
        description = {"The first thing to run: tinysim's own activity classifier (idle, walking, running, shaking from 2.56 s of",
                "accelerometer data), float32 and int8, compared on the nRF52840 in four configurations — int8 SIMD, int8",
                "reference, float32 with FPU, float32 soft-float — with the int8 model's accuracy on held-out windows.",
                "Prints the table and writes the HTML report (tinysim-demo.html; --report FILE.json writes the JSON report)."})
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    BoardOptions boardOptions;

    @Option(names = "--inputs", paramLabel = "N", defaultValue = "200",
            description = "Held-out activity windows for the accuracy figures (the firmware runs use the first). Default: ${DEFAULT-VALUE}.")
    int inputs;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Where to write the report: HTML, or JSON when FILE ends in .json. Default: tinysim-demo.html.")
    Path report;

    @Option(names = "--no-report", description = "Write no report file.")
    boolean noReport;

    @Option(names = "--export-data", paramLabel = "DIR",
            description = "Also write the demo's float model and data, to try quantize and validate on: DIR/demo_f32.tflite, "
                    + "DIR/calibration.npy (the 256 training windows the int8 model was calibrated on), DIR/held_out.npz "
                    + "(x: the held-out windows, y: their classes).")
    Path exportData;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Stack traces of errors.")
    boolean verbose;

    @Override
    public Integer call() {
        if (inputs < 1 || inputs > CompareCommand.MAX_INPUTS) {
            throw new CliException(ExitCode.USAGE, "--inputs must be between 1 and " + CompareCommand.MAX_INPUTS + " (got " + inputs + ")");
        }
        if (noReport && report != null) {
            throw new CliException(ExitCode.USAGE, "--report and --no-report exclude each other");
        }
        ReportRenderer renderer = Renderers.html().orElse(null);
        Path target = noReport ? null : report != null ? report
                : Path.of(renderer != null ? "tinysim-demo.html" : "tinysim-demo.json");
        Board board = boardOptions.load();
        Board noFpu = board.cpu().fpu() ? boardOptions.load(true) : board;
        Comparison.ModelFile f = bundled(DemoModels.FLOAT_FILE);
        Comparison.ModelFile q = bundled(DemoModels.INT8_FILE);
        TfliteModel fModel = InferenceRunner.read(f.bytes(), f.name());
        TfliteModel qModel = InferenceRunner.read(q.bytes(), q.name());
        List<Samples.Sample> samples = new ArrayList<>();
        for (ActivityData.Window w : ActivityData.generate(DemoModels.EXAMPLE_SEED, 0, inputs)) {
            samples.add(new Samples.Sample(DemoModels.inputBytes(fModel, w), DemoModels.inputBytes(qModel, w), w.label()));
        }
        Samples set = new Samples(inputs + " held-out activity window" + (inputs == 1 ? "" : "s") + " (seed "
                + DemoModels.EXAMPLE_SEED + ", never used in training; 2.56 s of 3-axis accelerometer data each, quantized for the int8 model)",
                samples, ActivityData.LABELS);
        CompareReport result;
        try (Progress progress = TerminalProgress.create(quiet)) {
            result = Comparison.run(new Comparison.Request(f, q, board, noFpu, set, inputs, DemoModels.EXAMPLE_SEED,
                    TimingModels.defaultName(), null, progress));
        }
        String exported = exportData == null ? null : export(exportData, inputs, f);
        StringBuilder text = new StringBuilder();
        text.append("tinysim demo: an activity classifier (").append(String.join(", ", ActivityData.LABELS))
                .append(") trained by tinysim itself, float32 and int8, on ").append(board.name()).append("\n\n");
        text.append(CompareText.render(result));
        if (target != null) {
            boolean html = renderer != null && !target.toString().endsWith(".json");
            byte[] bytes = (html ? renderer.render(result) : ReportWriter.json(result)).getBytes(StandardCharsets.UTF_8);
            ReportWriter.writeAtomically(target, bytes);
            text.append("report: ").append(target).append(html ? " (open it in a browser: charts, tables, the board and the timing model)"
                    : " (JSON, described in docs/json-reports.md)").append('\n');
        }
        if (exported != null) {
            text.append(exported);
        }
        ReportWriter.emit(text.toString(), null, Io.current().out());
        return result.result().exitCode();
    }

    /** Writes the calibration and held-out windows as NumPy files; returns what to say about them. */
    static String export(Path dir, int heldOut, Comparison.ModelFile floatModel) {
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CliException(ExitCode.CANNOT_WRITE, dir + ": cannot create the folder (" + dev.tinysim.files.IoReasons.reason(e) + ")", e);
        }
        int n = DemoModels.RECIPE.calibrationWindows();
        List<ActivityData.Window> cal = ActivityData.generate(DemoModels.RECIPE.dataSeed(), 0, n);
        Path calibration = dir.resolve("calibration.npy");
        ReportWriter.writeAtomically(calibration, NpyWriter.float32(new int[] {n, 1, ActivityData.SAMPLES, ActivityData.AXES},
                flatten(cal)));
        List<ActivityData.Window> test = ActivityData.generate(DemoModels.EXAMPLE_SEED, 0, heldOut);
        long[] labels = test.stream().mapToLong(ActivityData.Window::label).toArray();
        java.util.Map<String, byte[]> arrays = new java.util.LinkedHashMap<>();
        arrays.put("x", NpyWriter.float32(new int[] {heldOut, 1, ActivityData.SAMPLES, ActivityData.AXES}, flatten(test)));
        arrays.put("y", NpyWriter.int64(new int[] {heldOut}, labels));
        Path npz = dir.resolve("held_out.npz");
        ReportWriter.writeAtomically(npz, NpyWriter.npz(arrays));
        Path f = dir.resolve(floatModel.name());
        ReportWriter.writeAtomically(f, floatModel.bytes());
        return "data: " + f + " (the float32 model), " + calibration + " (" + n + " training windows, float32 [" + n + ",1,64,3], in g) and " + npz + " (x: "
                + heldOut + " held-out windows, y: their classes " + classes() + "); try:\n"
                + "  tinysim quantize " + f + " --calibration " + calibration + " -o my_int8.tflite\n"
                + "  tinysim validate my_int8.tflite --float " + f + " --dataset " + npz + " --array x --labels y --class-names "
                + String.join(",", ActivityData.LABELS) + "\n";
    }

    /** "idle=0, walking=1, running=2, shaking=3" */
    private static String classes() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ActivityData.LABELS.size(); i++) {
            out.add(ActivityData.LABELS.get(i) + "=" + i);
        }
        return String.join(", ", out);
    }

    private static float[] flatten(List<ActivityData.Window> windows) {
        float[] out = new float[windows.size() * ActivityData.SAMPLES * ActivityData.AXES];
        int k = 0;
        for (ActivityData.Window w : windows) {
            System.arraycopy(w.values(), 0, out, k, w.values().length);
            k += w.values().length;
        }
        return out;
    }

    private static Comparison.ModelFile bundled(String file) {
        try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream("models/" + file)) {
            if (in == null) {
                throw new CliException(ExitCode.INTERNAL, "the bundled demo model models/" + file + " is missing from the class path");
            }
            return new Comparison.ModelFile(file, in.readAllBytes());
        } catch (IOException e) {
            throw new CliException(ExitCode.INTERNAL, "cannot read the bundled demo model " + file + ": " + e.getMessage(), e);
        }
    }
}
