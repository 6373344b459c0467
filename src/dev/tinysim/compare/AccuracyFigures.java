package dev.tinysim.compare;

import dev.tinysim.tflite.Operator;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TfliteModel;

import java.util.ArrayList;
import java.util.List;

/** {@link Comparison}'s accuracy step: the int8 model against the float one (and both against labels) over every sample. */
final class AccuracyFigures {
    private AccuracyFigures() {
    }

    /** int8 against float32 over every sample (outputs after dequantization), and both against the labels. */
    static Accuracy of(TfliteModel f, TfliteModel q, Samples samples, List<byte[]> floatOutputs, List<byte[]> int8Outputs) {
        Tensor fo = f.mainSubgraph().outputTensor(0);
        Tensor qo = q.mainSubgraph().outputTensor(0);
        Metrics m = Metrics.of(qo, int8Outputs, fo, floatOutputs, samples.labelArray(), samples.labels(),
                endsInSoftmax(f) || endsInSoftmax(q));
        Accuracy.Labelled labelled = null;
        if (m.model() != null) {
            List<String> names = new ArrayList<>();
            for (int c = 0; c < m.classCount(); c++) {
                names.add(m.className(c));
            }
            List<Accuracy.ClassRow> rows = new ArrayList<>();
            for (int k = 0; k < m.model().perClass().size(); k++) {
                Metrics.ClassScore qc = m.model().perClass().get(k);
                Metrics.ClassScore fc = m.reference().perClass().get(k);
                rows.add(new Accuracy.ClassRow(qc.index(), qc.name(), qc.samples(), fc.correct(), qc.correct(), fc.accuracy(),
                        qc.accuracy()));
            }
            labelled = new Accuracy.Labelled(names, m.reference().correct(), m.model().correct(), m.reference().accuracy(),
                    m.model().accuracy(), rows, m.model().confusion() == null ? null
                    : new Accuracy.Confusion(m.reference().confusion(), m.model().confusion()));
        }
        String method = "Java reference interpreter on both models for every input (the firmware is bit-exact with it; "
                + "the cycles come from one firmware run per configuration)";
        return new Accuracy(method, samples.description(), samples.data(), samples.synthetic(), m.count(), m.classifier(), m.maxAbsError(),
                m.meanAbsError(), m.rmse(), m.snrDb(), m.agreeing(), m.agreement(), m.agreement(),
                m.reference() == null ? null : m.reference().accuracy(), m.model() == null ? null : m.model().accuracy(), m.drop(),
                labelled, 0, null, List.of());
    }

    /** Whether the model's (first) output is a SOFTMAX's, possibly through a (DE)QUANTIZE. */
    static boolean endsInSoftmax(TfliteModel m) {
        return endsInSoftmaxOf(m);
    }

    private static boolean endsInSoftmaxOf(TfliteModel m) {
        Subgraph g = m.mainSubgraph();
        int out = g.outputs().get(0);
        for (Operator op : g.operators()) {
            for (int t : op.outputs()) {
                if (t == out) {
                    String name = m.operatorCode(op).displayName();
                    if (name.equals("SOFTMAX")) {
                        return true;
                    }
                    if ((name.equals("DEQUANTIZE") || name.equals("QUANTIZE")) && op.inputs().size() > 0) {
                        int in = op.inputs().get(0);
                        for (Operator prev : g.operators()) {
                            if (prev.outputs().contains(in) && m.operatorCode(prev).displayName().equals("SOFTMAX")) {
                                return true;
                            }
                        }
                    }
                }
            }
        }
        return false;
    }
}
