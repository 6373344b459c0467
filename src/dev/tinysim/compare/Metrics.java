package dev.tinysim.compare;

import dev.tinysim.reference.TensorValues;
import dev.tinysim.tflite.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * How a model does on a set of inputs: against true labels (top-1 accuracy, per class, confusion matrix) and
 * against a reference model (the float32 twin: top-1 agreement, max and mean absolute error, RMSE and SNR of the
 * outputs after dequantization). Pure arithmetic on output tensors; shared by {@code compare} and {@code validate}.
 *
 * @param count        inputs
 * @param classifier   outputs are class scores (the model ends in SOFTMAX, or the inputs have labels): top-1 applies
 * @param classCount   classes (the output's size) when a classifier, else 0
 * @param classes      class names by index, or null
 * @param model        the model's score against the labels (null without labels)
 * @param reference    the reference model's score against the labels (null without labels or reference)
 * @param drop         reference accuracy − model accuracy, a fraction (null unless both are scored)
 * @param agreeing     inputs on which both models pick the same class (classifiers with a reference)
 * @param agreement    agreeing / count
 * @param maxAbsError  largest |model − reference| over every output value (null without reference)
 * @param meanAbsError mean |model − reference|
 * @param rmse         root mean square of model − reference
 * @param snrDb        10·log10(Σ reference² / Σ (model − reference)²); null when identical or without reference
 */
public record Metrics(int count, boolean classifier, int classCount, List<String> classes, Score model, Score reference,
                      Double drop, Integer agreeing, Double agreement, Double maxAbsError, Double meanAbsError, Double rmse,
                      Double snrDb) {

    /** Confusion matrices are left out above this many classes (the JSON would be mostly zeros). */
    public static final int MAX_CONFUSION_CLASSES = 100;

    /**
     * @param correct   inputs classified right
     * @param accuracy  correct / count
     * @param perClass  every class that has inputs, in class order
     * @param confusion [true class][predicted class] counts (null above {@link #MAX_CONFUSION_CLASSES} classes)
     */
    public record Score(int correct, double accuracy, List<ClassScore> perClass, int[][] confusion) {
    }

    /** @param accuracy correct / samples */
    public record ClassScore(int index, String name, int samples, int correct, double accuracy) {
    }

    /**
     * @param modelOut      the model's output tensor (its type and quantization turn bytes into values)
     * @param modelOutputs  its output bytes per input
     * @param refOut        the reference model's output tensor, or null
     * @param refOutputs    its output bytes per input, or null
     * @param labels        the true class per input, or null
     * @param classes       class names, or null
     * @param softmax       the models end in SOFTMAX
     */
    public static Metrics of(Tensor modelOut, List<byte[]> modelOutputs, Tensor refOut, List<byte[]> refOutputs, int[] labels,
                             List<String> classes, boolean softmax) {
        int n = modelOutputs.size();
        boolean classifier = softmax || labels != null;
        int k = classifier ? modelOut.elementCount() : 0;
        boolean withRef = refOutputs != null;
        int[][] mConf = labels != null ? new int[k][k] : null;
        int[][] rConf = labels != null && withRef ? new int[k][k] : null;
        int mCorrect = 0;
        int rCorrect = 0;
        int agree = 0;
        double maxAbs = 0;
        double sumAbs = 0;
        double signal = 0;
        double noise = 0;
        long values = 0;
        for (int i = 0; i < n; i++) {
            float[] ym = TensorValues.toFloats(modelOut, modelOutputs.get(i));
            float[] yr = withRef ? TensorValues.toFloats(refOut, refOutputs.get(i)) : null;
            int am = TensorValues.argmax(ym);
            int ar = withRef ? TensorValues.argmax(yr) : -1;
            if (withRef) {
                for (int j = 0; j < ym.length; j++) {
                    double d = (double) ym[j] - yr[j];
                    maxAbs = Math.max(maxAbs, Math.abs(d));
                    sumAbs += Math.abs(d);
                    signal += (double) yr[j] * yr[j];
                    noise += d * d;
                    values++;
                }
                agree += am == ar ? 1 : 0;
            }
            if (labels != null) {
                int l = labels[i];
                mConf[l][am]++;
                mCorrect += am == l ? 1 : 0;
                if (withRef) {
                    rConf[l][ar]++;
                    rCorrect += ar == l ? 1 : 0;
                }
            }
        }
        Score model = labels == null ? null : score(mConf, mCorrect, n, classes);
        Score reference = rConf == null ? null : score(rConf, rCorrect, n, classes);
        Double drop = model != null && reference != null ? round((double) (rCorrect - mCorrect) / n, 6) : null;
        return new Metrics(n, classifier, k, classes, model, reference, drop,
                classifier && withRef ? agree : null, classifier && withRef ? round((double) agree / n, 6) : null,
                withRef ? round(maxAbs, 6) : null, withRef ? round(values == 0 ? 0 : sumAbs / values, 6) : null,
                withRef ? round(values == 0 ? 0 : Math.sqrt(noise / values), 6) : null,
                withRef && noise > 0 ? round(10 * Math.log10(signal / noise), 2) : null);
    }

    private static Score score(int[][] confusion, int correct, int n, List<String> classes) {
        List<ClassScore> per = new ArrayList<>();
        for (int c = 0; c < confusion.length; c++) {
            int samples = 0;
            for (int v : confusion[c]) {
                samples += v;
            }
            if (samples > 0) {
                String name = classes != null && c < classes.size() ? classes.get(c) : String.valueOf(c);
                per.add(new ClassScore(c, name, samples, confusion[c][c], round((double) confusion[c][c] / samples, 6)));
            }
        }
        return new Score(correct, round((double) correct / n, 6), List.copyOf(per),
                confusion.length <= MAX_CONFUSION_CLASSES ? confusion : null);
    }

    /** A class's name: its name, else its index. */
    public String className(int c) {
        return classes != null && c < classes.size() ? classes.get(c) : String.valueOf(c);
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
