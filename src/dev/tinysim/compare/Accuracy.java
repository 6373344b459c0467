package dev.tinysim.compare;

import java.util.List;

/**
 * How close the int8 model's outputs are to the float model's, over the comparison's inputs. Computed with
 * the Java reference interpreter (the firmware is bit-exact with it: {@code firmwareCheck} confirms it on the
 * first input for every configuration that ran).
 *
 * @param method        how it was computed, one line
 * @param inputs        how the inputs were made
 * @param count         number of inputs
 * @param classifier    the models end in SOFTMAX (top-1 agreement applies)
 * @param maxAbsError   largest |int8 − float32| over every output value of every input, after dequantization
 * @param meanAbsError  mean |int8 − float32| over every output value
 * @param snrDb         10·log10(Σ float² / Σ (int8 − float)²) over every output value; null when the outputs are identical
 * @param top1Matches   inputs whose argmax agrees (classifiers only, else null)
 * @param top1Agreement top1Matches / count (classifiers only, else null)
 * @param labelled      accuracy of each model against true labels (the demo's windows), else null
 * @param firmwareCheck per configuration: the firmware's output for input 0 equals the reference interpreter's, byte for byte
 */
public record Accuracy(String method, String inputs, int count, boolean classifier, double maxAbsError, double meanAbsError,
                       Double snrDb, Integer top1Matches, Double top1Agreement, Labelled labelled,
                       List<FirmwareCheck> firmwareCheck) {

    /**
     * @param labels        class names
     * @param floatCorrect  inputs the float model classifies right
     * @param int8Correct   inputs the int8 model classifies right
     * @param floatAccuracy floatCorrect / count
     * @param int8Accuracy  int8Correct / count
     */
    public record Labelled(List<String> labels, int floatCorrect, int int8Correct, double floatAccuracy, double int8Accuracy) {
    }

    /** @param bitExact the firmware's output tensor equals the reference interpreter's for the same input */
    public record FirmwareCheck(String configuration, boolean bitExact) {
    }

    public Accuracy withFirmwareCheck(List<FirmwareCheck> checks) {
        return new Accuracy(method, inputs, count, classifier, maxAbsError, meanAbsError, snrDb, top1Matches, top1Agreement,
                labelled, List.copyOf(checks));
    }
}
