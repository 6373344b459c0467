package dev.tinysim.compare;

import dev.tinysim.failure.Failure;
import dev.tinysim.failure.FailureException;
import dev.tinysim.inference.GraphChecks;
import dev.tinysim.tflite.Operator;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;

import java.util.List;

/** {@link Comparison#checkPair}: a float model and its int8 twin, with the same input and output shapes (else 64 / 65 / 72). */
final class ModelPair {
    private ModelPair() {
    }

    /** The two models must be a float model and its int8 twin with the same input and output shapes (else 64 / 65). */
    static void check(String fName, TfliteModel f, String qName, TfliteModel q) {
        for (var e : List.of(java.util.Map.entry(fName, f), java.util.Map.entry(qName, q))) {
            Subgraph g = e.getValue().mainSubgraph();
            GraphChecks.requireInputsAndOutputs(e.getKey(), g);
        }
        if (int8Activations(f)) {
            throw new FailureException(Failure.USAGE, "--float " + fName + " is not a float32 model: its activations are int8"
                    + (int8Activations(q) ? "" : " (were --float and --int8 swapped?)"));
        }
        if (!int8Activations(q)) {
            throw new FailureException(Failure.USAGE, "--int8 " + qName + " is not an int8 model: its activations are float32");
        }
        for (var e : List.of(java.util.Map.entry(fName, f), java.util.Map.entry(qName, q))) {
            int inputs = e.getValue().mainSubgraph().inputs().size();
            if (inputs != 1) {
                throw new FailureException(Failure.USAGE, e.getKey() + " has " + inputs + " inputs: compare measures accuracy over "
                        + "generated inputs of models with one input (run --model runs it with one --input per input)");
            }
        }
        Tensor fi = f.mainSubgraph().inputTensor(0);
        Tensor qi = q.mainSubgraph().inputTensor(0);
        Tensor fo = f.mainSubgraph().outputTensor(0);
        Tensor qo = q.mainSubgraph().outputTensor(0);
        if (!fi.shape().equals(qi.shape())) {
            throw new FailureException(Failure.BAD_INPUT, "the models do not match: input '" + dev.tinysim.text.Printable.name(fi.name()) + "' of " + fName + " is "
                    + fi.shape() + ", input '" + dev.tinysim.text.Printable.name(qi.name()) + "' of " + qName + " is " + qi.shape());
        }
        if (!fo.shape().equals(qo.shape())) {
            throw new FailureException(Failure.BAD_INPUT, "the models do not match: output '" + dev.tinysim.text.Printable.name(fo.name()) + "' of " + fName + " is "
                    + fo.shape() + ", output '" + dev.tinysim.text.Printable.name(qo.name()) + "' of " + qName + " is " + qo.shape());
        }
        for (Tensor t : List.of(fi, qi)) {
            if (t.type() != TensorType.FLOAT32 && t.type() != TensorType.INT8) {
                throw new FailureException(Failure.UNSUPPORTED_MODEL, "input '" + dev.tinysim.text.Printable.name(t.name()) + "' has type " + t.type()
                        + "; compare needs FLOAT32 or INT8 inputs");
            }
        }
        for (Tensor t : List.of(fo, qo)) {
            if (t.type() != TensorType.FLOAT32 && t.type() != TensorType.INT8) {
                throw new FailureException(Failure.UNSUPPORTED_MODEL, "output '" + dev.tinysim.text.Printable.name(t.name()) + "' has type " + t.type()
                        + "; compare needs FLOAT32 or INT8 outputs");
            }
        }
    }

    /** Whether some operator writes an INT8 tensor (quantized activations). */
    static boolean int8Activations(TfliteModel m) {
        Subgraph g = m.mainSubgraph();
        for (Operator op : g.operators()) {
            for (int t : op.outputs()) {
                if (t >= 0 && g.tensor(t).type() == TensorType.INT8) {
                    return true;
                }
            }
        }
        return false;
    }
}
