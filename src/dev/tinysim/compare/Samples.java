package dev.tinysim.compare;

import dev.tinysim.reference.InputGenerator;
import dev.tinysim.reference.TensorValues;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

import java.util.ArrayList;
import java.util.List;

/**
 * The inputs of a comparison: the same real values encoded for each model's input tensor (float32: the
 * values; int8: quantized with the tensor's scale and zero point, as a QUANTIZE operator would).
 *
 * @param description how they were made, for the report
 * @param samples     the inputs; the first one also goes to the firmware runs
 * @param labels      class names when the samples have true labels and the classes have names, else null
 * @param synthetic   generated inputs, not data: the report gives agreement only, not accuracy
 * @param data        how the data fed each model, one line each (empty for generated inputs)
 */
public record Samples(String description, List<Sample> samples, List<String> labels, boolean synthetic, List<String> data) {

    /**
     * @param floatInput bytes for the float model's input tensor
     * @param int8Input  bytes for the int8 model's input tensor
     * @param label      the true class, or -1
     */
    public record Sample(byte[] floatInput, byte[] int8Input, int label) {
    }

    public Samples {
        samples = List.copyOf(samples);
        labels = labels == null ? null : List.copyOf(labels);
        data = data == null ? List.of() : List.copyOf(data);
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
    }

    /** Data samples (not synthetic). */
    public Samples(String description, List<Sample> samples, List<String> labels) {
        this(description, samples, labels, false, List.of());
    }

    /**
     * A dataset bound to both models' inputs (the same samples in the same order: the float model's encoding and
     * the int8 model's).
     */
    public static Samples of(String description, dev.tinysim.data.Binding floatInput, dev.tinysim.data.Binding int8Input,
                             List<String> data) {
        if (floatInput.size() != int8Input.size()) {
            throw new IllegalArgumentException("the bindings hold different sample counts");
        }
        int[] labels = int8Input.labels();
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < int8Input.size(); i++) {
            out.add(new Sample(floatInput.inputs().get(i), int8Input.inputs().get(i), labels == null ? -1 : labels[i]));
        }
        return new Samples(description, out, int8Input.classes(), false, data);
    }

    /** Whether the samples have true classes. */
    public boolean labelled() {
        return samples.stream().anyMatch(s -> s.label() >= 0);
    }

    /** The true class of every sample, or null when unlabelled. */
    public int[] labelArray() {
        return labelled() ? samples.stream().mapToInt(Sample::label).toArray() : null;
    }

    /**
     * {@code count} seeded inputs (seeds {@code seed} … {@code seed + count - 1}). When the int8 model takes
     * INT8 input: uniform over its whole int8 range ({@link InputGenerator#random}), and the float model gets
     * exactly those values dequantized; when it takes FLOAT32: uniform over its input's quantized range if it
     * has one, else [-1, 1), the same floats for both.
     */
    public static Samples generated(Tensor floatIn, Tensor int8In, int count, long seed) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] q;
            float[] real;
            if (int8In.type() == TensorType.INT8) {
                q = InputGenerator.random(int8In, seed + i);
                real = TensorValues.toFloats(int8In, q);
            } else {
                byte[] f = InputGenerator.random(int8In, seed + i);
                real = TensorValues.toFloats(int8In, f);
                q = f;
            }
            out.add(new Sample(encode(floatIn, real), q, -1));
        }
        String how = int8In.type() == TensorType.INT8
                ? "uniform int8 over the int8 model's whole input range, dequantized for the float model"
                : "uniform float32 over the input's range, the same values for both models";
        return new Samples(count + " generated input" + (count == 1 ? "" : "s") + " (seed " + seed
                + (count > 1 ? ".." + (seed + count - 1) : "") + "; " + how + ")", out, null, true, List.of());
    }

    /** Real values as bytes for a tensor: FLOAT32 as they are, INT8 quantized. */
    public static byte[] encode(Tensor t, float[] real) {
        return switch (t.type()) {
            case FLOAT32 -> TensorValues.fromFloats(real);
            case INT8 -> TensorValues.quantize(t, real);
            default -> throw new IllegalArgumentException("input type " + t.type() + " is neither FLOAT32 nor INT8");
        };
    }

    public int size() {
        return samples.size();
    }
}
