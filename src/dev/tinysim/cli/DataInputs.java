package dev.tinysim.cli;

import dev.tinysim.data.Binding;
import dev.tinysim.data.DataException;
import dev.tinysim.data.DataOptions;
import dev.tinysim.data.DataReader;
import dev.tinysim.data.Dataset;
import dev.tinysim.inference.InferenceRunner;
import dev.tinysim.inference.InputSource;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TfliteModel;

import java.nio.file.Path;
import java.util.List;

/**
 * Data files on the command line: reads them by format ({@link DataReader}), binds them to a model's input
 * ({@link Binding}) and turns the data package's errors into exit codes (missing 66, corrupt or not for this model
 * 65, bad option 64).
 */
final class DataInputs {
    private DataInputs() {
    }

    /**
     * The input of {@code run --model M --input FILE}: raw tensor bytes as always (any name that is not a data
     * format), or a data file bound to the model's first input, run i taking sample i (modulo their number).
     */
    /** Whether an {@code --input} argument is data (a directory, or a data format by its name) rather than raw bytes. */
    static boolean isData(String arg) {
        Path p = Path.of(arg);
        return java.nio.file.Files.isDirectory(p) || DataReader.Format.of(p) != DataReader.Format.RAW;
    }

    static InputSource forRun(Path input, Path modelPath, DataOptions options) {
        if (!java.nio.file.Files.isDirectory(input) && DataReader.Format.of(input) == DataReader.Format.RAW) {
            return InputSource.FromFiles.of(InputSource.InputFile.read(null, input));
        }
        TfliteModel model = InferenceRunner.read(InferenceRunner.readFile(modelPath), String.valueOf(modelPath.getFileName()));
        Tensor in = firstInput(model, String.valueOf(modelPath.getFileName()));
        Bound b = bind(input, options, in, in.type() == dev.tinysim.tflite.TensorType.INT8 ? in : null, in);
        return InputSource.Given.single(b.binding().inputs(), b.line() + "; run i takes sample i"
                + (b.binding().size() > 1 ? " modulo " + b.binding().size() : ""));
    }

    /**
     * A dataset and its binding to one input, with the line that says both ("test.npy (npy): data [100,49,10]
     * float32; model input [1,49,10,1] int8: 100 samples, layout ok, quantized with scale 0.52 zero point -2").
     */
    record Bound(Dataset dataset, Binding binding, String line) {
    }

    /** Reads {@code data} for {@code shapeFrom} (see {@link DataReader.Target}) and binds it to {@code tensor}. */
    static Bound bind(Path data, DataOptions options, Tensor shapeFrom, Tensor int8Input, Tensor tensor) {
        try {
            Dataset d = DataReader.read(data, options, new DataReader.Target(shapeFrom, int8Input));
            return bind(d, options, tensor);
        } catch (DataException e) {
            throw translate(e);
        }
    }

    /** Binds a dataset already read to {@code tensor}. */
    static Bound bind(Dataset d, DataOptions options, Tensor tensor) {
        try {
            Binding b = Binding.bind(d, tensor, options.maxSamples());
            return new Bound(d, b, d.source() + " (" + d.format() + "): " + b.description());
        } catch (DataException e) {
            throw translate(e);
        }
    }

    /** The model's only input (a dataset feeds single-input models). */
    static Tensor firstInput(TfliteModel model, String name) {
        Subgraph g = model.mainSubgraph();
        dev.tinysim.inference.GraphChecks.requireInputsAndOutputs(name, g);
        if (g.inputs().size() > 1) {
            throw new CliException(ExitCode.USAGE, name + " has " + g.inputs().size() + " inputs; data files feed models with one "
                    + "input (give raw tensor bytes for a multi-input model)");
        }
        return g.inputTensor(0);
    }

    /** Checks a dataset's labels against a classifier's output. */
    static void checkLabels(Binding b, Tensor output) {
        try {
            b.checkLabels(output.elementCount(), Dataset.shape(output.shape()));
        } catch (DataException e) {
            throw translate(e);
        }
    }

    static CliException translate(DataException e) {
        ExitCode code = switch (e.kind()) {
            case MISSING -> ExitCode.NO_INPUT;
            case CORRUPT, MISMATCH -> ExitCode.BAD_INPUT;
            case USAGE -> ExitCode.USAGE;
        };
        return new CliException(code, e.getMessage(), e);
    }

    /** Notes of the dataset, as lines. */
    static List<String> notes(Dataset d) {
        return d.notes();
    }
}
