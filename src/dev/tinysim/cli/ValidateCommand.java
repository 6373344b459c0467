package dev.tinysim.cli;

import dev.tinysim.compare.AccuracyBudget;
import dev.tinysim.compare.Comparison;
import dev.tinysim.compare.Progress;
import dev.tinysim.compare.ValidateReport;
import dev.tinysim.compare.ValidateText;
import dev.tinysim.compare.Validation;
import dev.tinysim.data.DataException;
import dev.tinysim.data.DataOptions;
import dev.tinysim.data.DataReader;
import dev.tinysim.data.Dataset;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.timing.TimingModels;
import dev.tinysim.inference.InferenceOptions;
import dev.tinysim.inference.InferenceRunner;
import dev.tinysim.inference.Kernels;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tinysim validate MODEL --dataset DATA [--float FLOAT.tflite]}: the model's accuracy on a dataset (labels),
 * its agreement with and error against its float32 twin, and the first samples on the emulated firmware, which must
 * be bit-exact with the reference interpreter. Exit 0; 64 bad options; 65 corrupt model or data; 66 missing file;
 * 68 --max-accuracy-drop exceeded; 70 the firmware differs from the reference interpreter (a tinysim bug);
 * 72 unsupported model; the firmware run's own code when it fails.
 */
@Command(name = "validate", header = "A model's accuracy on your dataset, against its float32 twin and on the emulated firmware.",
        sortOptions = false,
        description = {"Run a model over a dataset with the Java reference interpreter: top-1 accuracy, per class and the confusion",
                "matrix (with labels); with --float, the float32 twin's accuracy, the drop, top-1 agreement, max abs error, RMSE",
                "and SNR. The first --device-samples samples also run on the emulated firmware, which must give the same bytes.",
                "Exit 0; 68 when --max-accuracy-drop is exceeded; 70 when the firmware differs (please report it)."})
public final class ValidateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.tflite", description = "The model to validate (usually the int8 one).")
    Path model;

    @Option(names = "--dataset", paramLabel = "DATA", required = true,
            description = "The inputs: .npy, .npz, .csv, .wav, .png/.jpg/.bmp, raw .bin, or a folder of them (one subfolder per "
                    + "class = labels). Float data is quantized with the model's input scale and zero point.")
    Path dataset;

    @Option(names = "--float", paramLabel = "FLOAT.tflite", description = "The float32 model to compare with (the same network before quantization).")
    Path floatModel;

    @Mixin
    DatasetOptions datasetOptions;

    @Mixin
    DataFileOptions dataFileOptions;

    @Option(names = "--device-samples", paramLabel = "N", defaultValue = "3",
            description = "The first N samples also run on the emulated firmware (0: none). Default: ${DEFAULT-VALUE}.")
    int deviceSamples;

    @Option(names = "--max-accuracy-drop", paramLabel = "PCT",
            description = "Budget: at most PCT percentage points of top-1 accuracy lost against --float (needs labels). Exit 68.")
    String maxAccuracyDrop;

    @Mixin
    BoardOptions boardOptions;

    @Option(names = "--kernels", paramLabel = "KIND", description = "int8 kernels of the firmware run: ${COMPLETION-CANDIDATES}. Default: simd.")
    Kernels kernels;

    @Option(names = "--timing", paramLabel = "MODEL", description = "Timing model (as for `tinysim run --timing`). Default: the board's.")
    String timing;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        if (deviceSamples < 0 || deviceSamples > InferenceOptions.MAX_RUNS) {
            throw new CliException(ExitCode.USAGE, "--device-samples must be between 0 and " + InferenceOptions.MAX_RUNS
                    + " (got " + deviceSamples + ")");
        }
        AccuracyBudget budget = AccuracyBudget.parse(maxAccuracyDrop);
        if (budget != null && floatModel == null) {
            throw new CliException(ExitCode.USAGE, "--max-accuracy-drop needs --float FLOAT.tflite (the drop is against it) and labels");
        }
        Comparison.ModelFile mf = file(model);
        Comparison.ModelFile ff = floatModel == null ? null : file(floatModel);
        TfliteModel m = InferenceRunner.read(mf.bytes(), mf.name());
        TfliteModel f = ff == null ? null : InferenceRunner.read(ff.bytes(), ff.name());
        ReferenceInterpreter mRef = InferenceRunner.prepare(m, mf.name());
        ReferenceInterpreter fRef = f == null ? null : InferenceRunner.prepare(f, ff.name());
        Tensor mIn = DataInputs.firstInput(m, mf.name());
        Tensor fIn = f == null ? null : DataInputs.firstInput(f, ff.name());
        Tensor mOut = m.mainSubgraph().outputTensor(0);
        if (f != null) {
            Tensor fOut = f.mainSubgraph().outputTensor(0);
            if (!fIn.shape().equals(mIn.shape()) || !fOut.shape().equals(mOut.shape())) {
                throw new CliException(ExitCode.BAD_INPUT, "the models do not match: " + mf.name() + " takes " + mIn.shape() + " and gives "
                        + mOut.shape() + ", " + ff.name() + " takes " + fIn.shape() + " and gives " + fOut.shape());
            }
        }
        ModelRun.refuseReferenceKernels(m, mf.name(), kernels);
        DataOptions o = dataFileOptions.toOptions(datasetOptions);
        Tensor int8 = mIn.type() == TensorType.INT8 && mIn.quantization().isQuantized() ? mIn : null;
        Dataset d;
        try {
            d = DataReader.read(dataset, o, new DataReader.Target(mIn, int8));
        } catch (DataException e) {
            throw DataInputs.translate(e);
        }
        DataInputs.Bound bm = DataInputs.bind(d, o, mIn);
        DataInputs.Bound bf = f == null ? null : DataInputs.bind(d, o, fIn);
        DataInputs.checkLabels(bm.binding(), mOut);
        if (budget != null && bm.binding().labels() == null) {
            throw new CliException(ExitCode.USAGE, "--max-accuracy-drop needs labels (--labels, class folders or --label-column)");
        }
        List<String> bindings = new ArrayList<>();
        bindings.add(mf.name() + ": " + bm.binding().description());
        if (bf != null) {
            bindings.add(ff.name() + ": " + bf.binding().description());
        }
        ValidateReport.Data data = new ValidateReport.Data(d.source(), d.format(), bm.binding().size(), bm.binding().labels() != null,
                bindings, d.notes());
        Board board = boardOptions.load();
        ValidateReport report;
        try (Progress progress = TerminalProgress.create(output.quiet)) {
            report = Validation.run(new Validation.Request(
                    new Validation.Subject(mf, m, mRef, bm.binding().inputs()),
                    f == null ? null : new Validation.Subject(ff, f, fRef, bf.binding().inputs()),
                    data, bm.binding().labels(), bm.binding().classes(), board, kernels == null ? Kernels.simd : kernels,
                    deviceSamples, budget, timing == null ? TimingModels.defaultName() : timing, progress));
        }
        String rendered = output.format == OutputOptions.Format.json ? ReportWriter.json(report) : ValidateText.render(report);
        ReportWriter.emit(rendered, output.output, Io.current().out());
        if (report.result().exitCode() != 0 && (output.output != null || output.format != OutputOptions.Format.text)) {
            Io.current().err().println("tinysim: " + report.result().message());
        }
        return report.result().exitCode();
    }

    private static Comparison.ModelFile file(Path p) {
        return new Comparison.ModelFile(String.valueOf(p.getFileName()), InferenceRunner.readFile(p));
    }
}
