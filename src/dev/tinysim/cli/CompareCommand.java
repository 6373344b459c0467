package dev.tinysim.cli;

import dev.tinysim.compare.AccuracyBudget;
import dev.tinysim.compare.Budgets;
import dev.tinysim.compare.CompareReport;
import dev.tinysim.compare.CompareText;
import dev.tinysim.compare.Comparison;
import dev.tinysim.compare.Csv;
import dev.tinysim.compare.Progress;
import dev.tinysim.compare.ReportRenderer;
import dev.tinysim.compare.Samples;
import dev.tinysim.data.DataOptions;
import dev.tinysim.data.DataReader;
import dev.tinysim.data.Dataset;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.timing.TimingModels;
import dev.tinysim.inference.InferenceRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tinysim compare --float F.tflite --int8 Q.tflite --board B}: the four configurations side by side, the
 * int8 model's accuracy against the float one, and per-layer cycles.
 */
@Command(name = "compare", header = "Compare a float32 model with its int8 twin: cycles, memory, accuracy.", sortOptions = false,
        description = {"Compare a float32 model and its int8 twin on a board: int8 with SIMD and with reference kernels,",
                "float32 with the FPU and as soft-float without it — flash, RAM, cycles, ms, speed-up, fits? — the int8 model's",
                "accuracy against the float one over generated inputs or a --dataset (Java reference interpreter), and per-layer cycles.",
                "Exit 0 (configurations that do not fit are measured on enlarged memory and marked), 68 when a budget is exceeded,",
                "94 when a configuration passes --timeout, 65/66 for a bad or missing data file."})
public final class CompareCommand implements Callable<Integer> {
    /** Most generated inputs for the accuracy figures. */
    static final int MAX_INPUTS = 100_000;

    @Option(names = "--float", paramLabel = "F.tflite", description = "The float32 (or hybrid) model.")
    Path floatModel;

    @Option(names = "--int8", paramLabel = "Q.tflite", description = "The int8 model (the same network quantized).")
    Path int8Model;

    @Mixin
    BoardOptions boardOptions;

    @Option(names = "--inputs", paramLabel = "N", defaultValue = "10",
            description = "Generated inputs for the accuracy figures (the firmware runs use the first). Default: ${DEFAULT-VALUE}.")
    int inputs;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the first input (input i uses S+i). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--timing", paramLabel = "MODEL", description = "Timing model (as for `tinysim run --timing`). Default: the board's.")
    String timing;

    @Mixin
    ReportOptions output;

    @Mixin
    BudgetOptions budgetOptions;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write the HTML report to FILE.")
    Path html;

    @Option(names = "--dataset", paramLabel = "DATA",
            description = "Real inputs for the accuracy figures instead of generated ones: .npy, .npz, .csv, .wav, "
                    + ".png/.jpg/.bmp, raw .bin, or a folder of them. Float data is quantized with the int8 model's input "
                    + "scale and zero point. With labels (--labels, class folders, --label-column): top-1 accuracy of both "
                    + "models, per class, confusion.")
    Path dataset;

    @Mixin
    DatasetOptions datasetOptions;

    @Mixin
    DataFileOptions dataFileOptions;

    @Option(names = "--device-samples", paramLabel = "N", defaultValue = "3",
            description = "Inputs also run on the emulated firmware, which must be bit-exact with the reference interpreter. "
                    + "Default: ${DEFAULT-VALUE}.")
    int deviceSamples;

    @Mixin
    TimeoutOption timeout;

    @Option(names = "--max-accuracy-drop", paramLabel = "PCT",
            description = "Budget: the int8 model loses at most PCT percentage points of top-1 accuracy (needs labelled "
                    + "--dataset).")
    String maxAccuracyDrop;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        output.check();
        Budgets budgets = budgetOptions.parse();
        if (floatModel == null || int8Model == null) {
            throw new CliException(ExitCode.USAGE, "missing " + (floatModel == null ? "--float F.tflite (the float32 model)"
                    : "--int8 Q.tflite (the int8 model)"));
        }
        if (inputs < 1 || inputs > MAX_INPUTS) {
            throw new CliException(ExitCode.USAGE, "--inputs must be between 1 and " + MAX_INPUTS + " (got " + inputs + ")");
        }
        if (deviceSamples < 0 || deviceSamples > dev.tinysim.inference.InferenceOptions.MAX_RUNS) {
            throw new CliException(ExitCode.USAGE, "--device-samples must be between 0 and "
                    + dev.tinysim.inference.InferenceOptions.MAX_RUNS + " (got " + deviceSamples + ")");
        }
        if (dataset != null && (given("--inputs") || given("--seed"))) {
            throw new CliException(ExitCode.USAGE, "--dataset gives the inputs; --inputs and --seed choose generated ones");
        }
        if (dataset == null && (datasetOptions.labels != null || datasetOptions.maxSamples != null || datasetOptions.classNames != null)) {
            throw new CliException(ExitCode.USAGE, (datasetOptions.labels != null ? "--labels" : datasetOptions.maxSamples != null
                    ? "--max-samples" : "--class-names") + " goes with --dataset");
        }
        long timeoutMillis = timeout.millis();
        AccuracyBudget accuracyBudget = AccuracyBudget.parse(maxAccuracyDrop);
        if (accuracyBudget != null && dataset == null) {
            throw new CliException(ExitCode.USAGE, "--max-accuracy-drop needs labelled data: --dataset (with labels)");
        }
        ReportRenderer renderer = html == null && output.format != ReportOptions.Format.html ? null
                : Renderers.html().orElseThrow(() -> new CliException(ExitCode.USAGE, "this build of tinysim has no HTML renderer"));
        Comparison.ModelFile f = new Comparison.ModelFile(String.valueOf(floatModel.getFileName()), InferenceRunner.readFile(floatModel));
        Comparison.ModelFile q = new Comparison.ModelFile(String.valueOf(int8Model.getFileName()), InferenceRunner.readFile(int8Model));
        CompareReport report;
        // the models are read and checked on other threads while the board profile loads
        try (Comparison.Pending pending = Comparison.start(f, q)) {
            Board board = boardOptions.load();
            Board noFpu = board.cpu().fpu() ? boardOptions.load(true) : board;
            Samples samples = dataset == null ? null : samples(pending.models(), f.name(), q.name());
            try (Progress progress = TerminalProgress.create(output.quiet)) {
                report = pending.run(new Comparison.Request(f, q, board, noFpu, samples, inputs, seed,
                        timing == null ? TimingModels.defaultName() : timing, budgets, progress, deviceSamples, accuracyBudget,
                        timeoutMillis));
            }
        }
        return emit(report, output, renderer, html);
    }

    /** The dataset bound to both models' inputs (float data quantized with the int8 model's input parameters). */
    private Samples samples(List<TfliteModel> models, String fName, String qName) {
        TfliteModel fm = models.get(0);
        TfliteModel qm = models.get(1);
        Comparison.checkPair(fName, fm, qName, qm);
        Tensor fIn = DataInputs.firstInput(fm, fName);
        Tensor qIn = DataInputs.firstInput(qm, qName);
        DataOptions o = dataFileOptions.toOptions(datasetOptions);
        Tensor int8 = qIn.type() == TensorType.INT8 && qIn.quantization().isQuantized() ? qIn : null;
        Dataset d;
        try {
            d = DataReader.read(dataset, o, new DataReader.Target(qIn, int8));
        } catch (dev.tinysim.data.DataException e) {
            throw DataInputs.translate(e);
        }
        DataInputs.Bound bf = DataInputs.bind(d, o, fIn);
        DataInputs.Bound bq = DataInputs.bind(d, o, qIn);
        DataInputs.checkLabels(bq.binding(), qm.mainSubgraph().outputTensor(0));
        int n = bq.binding().size();
        String description = n + " sample" + (n == 1 ? "" : "s") + " of " + d.source() + " (" + d.format()
                + (bq.binding().labels() != null ? "; labelled" : "; no labels") + ")";
        List<String> lines = new java.util.ArrayList<>();
        lines.add(fName + ": " + bf.binding().description());
        lines.add(qName + ": " + bq.binding().description());
        lines.addAll(d.notes());
        return Samples.of(description, bf.binding(), bq.binding(), lines);
    }

    private boolean given(String option) {
        return spec != null && spec.commandLine().getParseResult() != null && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** Prints or writes the report in the chosen format (and the HTML file); returns the exit code. */
    static int emit(CompareReport report, ReportOptions output, ReportRenderer renderer, Path html) {
        String rendered = switch (output.format) {
            case json -> ReportWriter.json(report);
            case csv -> output.layers ? Csv.layers(report) : Csv.configurations(report.configurations());
            case text -> CompareText.render(report);
            case html -> renderer.render(report);
        };
        if (renderer != null && html != null) {
            ReportWriter.writeAtomically(html, renderer.render(report).getBytes(StandardCharsets.UTF_8));
        }
        ReportWriter.emit(rendered, output.output, Io.current().out());
        if (report.result().exitCode() != 0 && (output.output != null || output.format != ReportOptions.Format.text)) {
            Io.current().err().println("tinysim: " + report.result().message());
        }
        return report.result().exitCode();
    }
}
