package dev.tinysim.compare;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * How the int8 model does against the float one over the comparison's inputs — and, when the inputs are a
 * labelled dataset, how both do against the true classes. Computed with the Java reference interpreter over every
 * input (the firmware is bit-exact with it: {@code firmwareCheck} confirms it on the first inputs).
 *
 * @param method         how it was computed, one line
 * @param inputs         what the inputs were
 * @param data           how the data fed each model, one line each ("float32 model: data [100,49,10] float32; model input
 *                       [1,49,10,1] float32: 100 samples, layout ok, as float32"); empty for generated inputs
 * @param synthetic      the inputs were generated, not data: agreement only, not accuracy
 * @param count          number of inputs
 * @param classifier     the models end in SOFTMAX or the inputs have labels (top-1 applies)
 * @param maxAbsError    largest |int8 − float32| over every output value of every input, after dequantization
 * @param meanAbsError   mean |int8 − float32| over every output value
 * @param rmse           root mean square of int8 − float32 over every output value
 * @param snrDb          10·log10(Σ float² / Σ (int8 − float)²) over every output value; null when the outputs are identical
 * @param top1Matches    inputs whose argmax agrees (classifiers only, else null)
 * @param top1Agreement  top1Matches / count (classifiers only, else null)
 * @param agreement      the same figure as top1Agreement, under the name {@code validate} uses
 * @param float32        top-1 accuracy of the float32 model against the labels (a fraction), or null without labels
 * @param int8           top-1 accuracy of the int8 model against the labels, or null
 * @param drop           float32 − int8 accuracy (a fraction; --max-accuracy-drop is in percentage points), or null
 * @param labelled       per-class figures and confusion matrices against the labels, else null
 * @param deviceSamples  inputs also run on the emulated firmware and compared with the reference interpreter
 * @param deviceBitExact every firmware output checked equals the reference interpreter's, byte for byte
 * @param firmwareCheck  per configuration: how many inputs were checked on the firmware, and whether they matched
 */
public record Accuracy(String method, String inputs, List<String> data, boolean synthetic, int count, boolean classifier, double maxAbsError,
                       double meanAbsError, Double rmse, Double snrDb, Integer top1Matches, Double top1Agreement,
                       Double agreement, @JsonProperty("float32") Double float32, @JsonProperty("int8") Double int8, Double drop,
                       Labelled labelled, int deviceSamples, Boolean deviceBitExact, List<FirmwareCheck> firmwareCheck) {

    /**
     * @param labels        class names
     * @param floatCorrect  inputs the float model classifies right
     * @param int8Correct   inputs the int8 model classifies right
     * @param floatAccuracy floatCorrect / count
     * @param int8Accuracy  int8Correct / count
     * @param perClass      every class with inputs, in class order
     * @param confusion     [true class][predicted class] counts of each model (null above 100 classes)
     */
    public record Labelled(List<String> labels, int floatCorrect, int int8Correct, double floatAccuracy, double int8Accuracy,
                           List<ClassRow> perClass, Confusion confusion) {
    }

    /** One class: its inputs and how many each model got right. */
    public record ClassRow(int index, String name, int samples, int float32Correct, int int8Correct,
                           @JsonProperty("float32") double float32, @JsonProperty("int8") double int8) {
    }

    public record Confusion(@JsonProperty("float32") int[][] float32, @JsonProperty("int8") int[][] int8) {
    }

    /**
     * @param samples  inputs of this configuration checked on the firmware (input 0; the int8-simd row also inputs
     *                 1 … deviceSamples − 1, from one more run of inputs 0 … deviceSamples − 1)
     * @param bitExact the firmware's output tensors equal the reference interpreter's for the same inputs
     */
    public record FirmwareCheck(String configuration, int samples, boolean bitExact) {
    }

    public Accuracy withFirmwareCheck(List<FirmwareCheck> checks) {
        int device = checks.stream().mapToInt(FirmwareCheck::samples).max().orElse(0);
        Boolean exact = checks.isEmpty() ? null : checks.stream().allMatch(FirmwareCheck::bitExact);
        return new Accuracy(method, inputs, data, synthetic, count, classifier, maxAbsError, meanAbsError, rmse, snrDb, top1Matches,
                top1Agreement, agreement, float32, int8, drop, labelled, device, exact, List.copyOf(checks));
    }
}
