package dev.tinysim.cli;

import dev.tinysim.compare.Comparison;
import dev.tinysim.compare.CompareReport;
import dev.tinysim.compare.Metrics;
import dev.tinysim.compare.QuantizeReport;
import dev.tinysim.compare.QuantizeText;
import dev.tinysim.compare.ReferenceRuns;
import dev.tinysim.data.DataOptions;
import dev.tinysim.quantize.Calibration;
import dev.tinysim.quantize.PostTrainingQuantizer;
import dev.tinysim.quantize.QuantizationException;
import dev.tinysim.quantize.QuantizationMath;
import dev.tinysim.reference.MacCounter;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.run.Version;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.Operator;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TfliteFormatException;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;
import dev.tinysim.tflite.TfliteWriter;
import dev.tinysim.inference.InferenceRunner;
import dev.tinysim.inference.ModelTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tinysim quantize FLOAT.tflite --calibration DATA -o INT8.tflite}: post-training full-integer quantization
 * (docs/quantization.md) on the user's representative data, then the int8 model's agreement with the float one.
 * Exit 0; 64 bad options; 65 corrupt model or data; 66 missing file; 72 an operator or type the quantizer cannot
 * handle (named); 73 the output cannot be written. The -o file is written only when everything succeeded.
 */
@Command(name = "quantize", header = "Quantize a float32 model to int8 on your calibration data (post-training).", sortOptions = false,
        description = {"Post-training full-integer quantization, as TensorFlow Lite's converter does it (docs/quantization.md): the",
                "float model runs on the calibration data (Java reference interpreter) to find every activation's range; weights",
                "become int8 (per output channel for convolutions), biases int32. Prints the ranges and how the int8 model agrees",
                "with the float one on the calibration data (or --validation DATA). The output file is written only on success.",
                "Exit 72 names an operator or type it cannot quantize."})
public final class QuantizeCommand implements Callable<Integer> {
    public enum IoType { int8, float32 }

    public enum ReportFormat { text, json }

    @Parameters(index = "0", paramLabel = "FLOAT.tflite", description = "The float32 model.")
    Path floatModel;

    @Option(names = "--calibration", paramLabel = "DATA", required = true,
            description = "Representative inputs (a few hundred typical ones): .npy, .npz, .csv, .wav, .png/.jpg/.bmp, raw .bin "
                    + "(float32), or a folder of them.")
    Path calibration;

    @Option(names = {"-o", "--output"}, paramLabel = "INT8.tflite", required = true, description = "Where to write the int8 model.")
    Path output;

    @Option(names = "--io", paramLabel = "TYPE", defaultValue = "int8",
            description = "Input and output tensors: int8 (full integer: the caller quantizes inputs, as deployments do) or "
                    + "float32 (QUANTIZE after the input, DEQUANTIZE before the output). Default: ${DEFAULT-VALUE}.")
    IoType io;

    @Option(names = "--per-channel-fc", description = "FULLY_CONNECTED weights per output channel (default per tensor, as TFLite's converter).")
    boolean perChannelFc;

    @Option(names = "--validation", paramLabel = "DATA",
            description = "Held-out data for the agreement figures (default: the calibration data).")
    Path validation;

    @Mixin
    DatasetOptions datasetOptions;

    @Mixin
    DataFileOptions dataFileOptions;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "Report: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    ReportFormat format;

    @Option(names = {"-v", "--verbose"}, description = "Stack traces of errors.")
    boolean verbose;

    @Override
    public Integer call() {
        String name = String.valueOf(floatModel.getFileName());
        byte[] bytes = InferenceRunner.readFile(floatModel);
        TfliteModel model = InferenceRunner.read(bytes, name);
        try {
            PostTrainingQuantizer.checkSupported(model);
        } catch (QuantizationException e) {
            throw new CliException(ExitCode.UNSUPPORTED_MODEL, name + ": cannot quantize: " + e.getMessage(), e);
        }
        Tensor in = DataInputs.firstInput(model, name);
        DataOptions calOptions = dataFileOptions.toOptions(validation == null ? datasetOptions.labels : null,
                datasetOptions.maxSamples()).withClassNames(validation == null ? datasetOptions.classNames : null);
        DataInputs.Bound cal = DataInputs.bind(calibration, calOptions, in, null, in);
        DataInputs.Bound val = null;
        if (validation != null) {
            DataOptions valOptions = dataFileOptions.toOptions(datasetOptions);
            val = DataInputs.bind(validation, valOptions, in, null, in);
        }

        Calibration calib = calibrate(model, name, cal);
        Quantized q = quantize(model, name, calib);
        byte[] out = q.bytes();
        TfliteModel written = q.model();
        QuantizeReport.Agreement agreement = agreement(model, name, written, cal, val, calOptions);

        List<String> notes = new ArrayList<>();
        if (val == null) {
            notes.add("the agreement is measured on the calibration data the ranges came from; give held-out data with "
                    + "--validation DATA for an unbiased figure");
        }
        if (cal.binding().size() < 50) {
            notes.add("only " + cal.binding().size() + " calibration sample" + (cal.binding().size() == 1 ? "" : "s")
                    + ": TFLite recommends a few hundred typical inputs, so that every activation's range is seen");
        }
        ReportWriter.writeAtomically(output, out);
        String message = "wrote " + output + " (" + dev.tinysim.emulator.units.Units.grouped(out.length) + " bytes, "
                + dev.tinysim.emulator.units.Units.grouped(bytes.length) + " as float32)";
        QuantizeReport report = new QuantizeReport(new CompareReport.Tool("tinysim", Version.get(), null),
                new QuantizeReport.Model(name, bytes.length, ModelTable.precision(model), model.mainSubgraph().operators().size(),
                        MacCounter.totalMacs(model)),
                new QuantizeReport.Output(String.valueOf(output), out.length, io.name(), perChannelFc,
                        written.mainSubgraph().operators().size()),
                new QuantizeReport.Data(String.valueOf(calibration), cal.dataset().format(), cal.binding().size(),
                        cal.binding().description(), cal.dataset().notes()),
                ranges(model, calib, written), weights(model, written), agreement,
                new CompareReport.Result("ok", 0, message), notes);
        String rendered = format == ReportFormat.json ? ReportWriter.json(report) : QuantizeText.render(report);
        ReportWriter.emit(rendered, null, Io.current().out());
        return 0;
    }

    /** The float model run on the calibration data: every activation's range (a bad calibration input is exit 65). */
    private Calibration calibrate(TfliteModel model, String name, DataInputs.Bound cal) {
        try {
            List<List<byte[]>> inputs = cal.binding().inputs().stream().map(List::of).toList();
            return Calibration.run(model, inputs);
        } catch (QuantizationException e) {
            boolean data = e.getMessage().contains("calibration input");
            throw new CliException(data ? ExitCode.BAD_INPUT : ExitCode.UNSUPPORTED_MODEL, (data ? calibration + ": " : name
                    + ": cannot quantize: ") + e.getMessage(), e);
        }
    }

    /** The int8 model's file bytes and the model read back from them. */
    private record Quantized(byte[] bytes, TfliteModel model) {
    }

    /** Quantizes with the options given and reads the written file back (it must read). */
    private Quantized quantize(TfliteModel model, String name, Calibration calib) {
        PostTrainingQuantizer.Options options = PostTrainingQuantizer.Options.DEFAULT
                .withIo(io == IoType.float32 ? PostTrainingQuantizer.IoType.FLOAT32 : PostTrainingQuantizer.IoType.INT8)
                .withPerChannelFullyConnected(perChannelFc);
        try {
            TfliteModel quantized = PostTrainingQuantizer.quantize(model, calib, options);
            byte[] out = TfliteWriter.write(quantized);
            return new Quantized(out, TfliteReader.read(out, String.valueOf(output.getFileName())));
        } catch (QuantizationException e) {
            throw new CliException(ExitCode.UNSUPPORTED_MODEL, name + ": cannot quantize: " + e.getMessage(), e);
        } catch (TfliteFormatException e) {
            throw new CliException(ExitCode.INTERNAL, "the quantized model does not read back: " + e.getMessage(), e);
        }
    }

    /** The int8 model against the float one, on the validation data ({@code val}) or the calibration data. */
    private QuantizeReport.Agreement agreement(TfliteModel model, String name, TfliteModel written, DataInputs.Bound cal,
                                               DataInputs.Bound val, DataOptions calOptions) {
        DataInputs.Bound on = val != null ? val : cal;
        Tensor qIn = written.mainSubgraph().inputTensor(0);
        DataInputs.Bound onQ = DataInputs.bind(on.dataset(), val != null
                ? dataFileOptions.toOptions(datasetOptions) : calOptions, qIn);
        ReferenceInterpreter fRef = InferenceRunner.prepare(model, name);
        ReferenceInterpreter qRef = InferenceRunner.prepare(written, String.valueOf(output.getFileName()));
        Tensor fOut = model.mainSubgraph().outputTensor(0);
        Tensor qOut = written.mainSubgraph().outputTensor(0);
        DataInputs.checkLabels(onQ.binding(), qOut);
        List<byte[]> fOutputs = ReferenceRuns.outputs(fRef, on.binding().inputs());
        List<byte[]> qOutputs = ReferenceRuns.outputs(qRef, onQ.binding().inputs());
        Metrics m = Metrics.of(qOut, qOutputs, fOut, fOutputs, onQ.binding().labels(), onQ.binding().classes(),
                Comparison.endsInSoftmax(model));
        return new QuantizeReport.Agreement(val != null ? "validation" : "calibration",
                val != null ? on.line() : cal.line(), m.count(), m.classifier(), m.agreeing(), m.agreement(), m.maxAbsError(),
                m.meanAbsError(), m.rmse(), m.snrDb(), m.reference() == null ? null : m.reference().accuracy(),
                m.model() == null ? null : m.model().accuracy(), m.drop());
    }

    /** Every calibrated tensor with the parameters the int8 model gave it. */
    static List<QuantizeReport.Range> ranges(TfliteModel f, Calibration c, TfliteModel q) {
        List<QuantizeReport.Range> out = new ArrayList<>();
        Subgraph qg = q.mainSubgraph();
        for (Map.Entry<Integer, Calibration.Range> e : c.ranges().entrySet()) {
            int t = e.getKey();
            Tensor qt = qg.tensor(t);
            Quantization p = qt.quantization();
            if (!p.isQuantized()) {
                // a float32 input or output (--io float32): its int8 twin is the tensor the QUANTIZE/DEQUANTIZE converts
                Tensor twin = qg.tensors().stream().filter(x -> x.name().equals(qt.name() + "/int8")).findFirst().orElse(null);
                if (twin == null) {
                    continue;
                }
                p = twin.quantization();
            }
            Calibration.Range r = e.getValue();
            QuantizationMath.Affine own = QuantizationMath.asymmetric(r.min(), r.max());
            boolean fixed = own.scale() != p.scaleValue() || own.zeroPoint() != p.zeroPointValue();
            out.add(new QuantizeReport.Range(t, f.mainSubgraph().tensor(t).name(), r.min(), r.max(), p.scaleValue(),
                    p.zeroPointValue(), fixed));
        }
        return out;
    }

    /** How the weights of every CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED were quantized. */
    static List<QuantizeReport.Weights> weights(TfliteModel f, TfliteModel q) {
        List<QuantizeReport.Weights> out = new ArrayList<>();
        Subgraph g = f.mainSubgraph();
        for (int i = 0; i < g.operators().size(); i++) {
            Operator op = g.operators().get(i);
            BuiltinOperator b = f.operatorCode(op).builtin().orElse(null);
            if (b != BuiltinOperator.CONV_2D && b != BuiltinOperator.DEPTHWISE_CONV_2D && b != BuiltinOperator.FULLY_CONNECTED) {
                continue;
            }
            int w = op.input(1);
            Quantization p = q.mainSubgraph().tensor(w).quantization();
            int scales = p.scale().size();
            out.add(new QuantizeReport.Weights(i, b.name(), w, scales > 1 || p.isPerChannel() ? "per-channel" : "per-tensor", scales));
        }
        return out;
    }
}
