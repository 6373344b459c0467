package dev.tinysim.quantize;

import dev.tinysim.reference.InferenceResult;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.reference.UnsupportedModelException;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Calibration: the float model is run on representative inputs with the Java reference interpreter,
 * and every non-constant FLOAT32 tensor's minimum and maximum over all of them is recorded (TFLite's
 * calibrator keeps the same global min/max, no averaging or percentiles).
 */
public final class Calibration {

    /** A tensor's observed range. */
    public record Range(float min, float max) {
    }

    private final Map<Integer, Range> ranges;
    private final int samples;

    private Calibration(Map<Integer, Range> ranges, int samples) {
        this.ranges = Collections.unmodifiableMap(ranges);
        this.samples = samples;
    }

    /**
     * Runs the float model on each input set (one byte array per subgraph input, little-endian FLOAT32)
     * and records the range of every non-constant FLOAT32 tensor.
     */
    public static Calibration run(TfliteModel model, Iterable<List<byte[]>> inputs) {
        ReferenceInterpreter interpreter;
        try {
            interpreter = ReferenceInterpreter.prepare(model);
        } catch (UnsupportedModelException e) {
            throw new QuantizationException("the float model does not run in the reference interpreter: " + e.getMessage());
        }
        Subgraph graph = model.mainSubgraph();
        float[] min = new float[graph.tensors().size()];
        float[] max = new float[graph.tensors().size()];
        boolean[] seen = new boolean[graph.tensors().size()];
        int n = 0;
        for (List<byte[]> in : inputs) {
            InferenceResult r = interpreter.invokeWithIntermediates(in);
            for (Map.Entry<Integer, byte[]> e : r.tensors().entrySet()) {
                int index = e.getKey();
                Tensor t = graph.tensor(index);
                if (t.type() != TensorType.FLOAT32 || model.isConstant(t)) {
                    continue;
                }
                FloatBuffer values = ByteBuffer.wrap(e.getValue()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                float lo = seen[index] ? min[index] : Float.POSITIVE_INFINITY;
                float hi = seen[index] ? max[index] : Float.NEGATIVE_INFINITY;
                while (values.hasRemaining()) {
                    float v = values.get();
                    if (Float.isNaN(v) || Float.isInfinite(v)) {
                        throw new QuantizationException("tensor " + index + " ('" + dev.tinysim.text.Printable.name(t.name()) + "') is " + v
                                + " for calibration input " + n + "; cannot calibrate");
                    }
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
                min[index] = lo;
                max[index] = hi;
                seen[index] = true;
            }
            n++;
        }
        if (n == 0) {
            throw new QuantizationException("calibration needs at least one representative input");
        }
        Map<Integer, Range> ranges = new TreeMap<>();
        for (int i = 0; i < seen.length; i++) {
            if (seen[i]) {
                ranges.put(i, new Range(min[i], max[i]));
            }
        }
        return new Calibration(ranges, n);
    }

    /**
     * A calibration from ranges recorded elsewhere (e.g. the min/max another converter stored in a
     * quantized model), tensor index of the float model -> range.
     */
    public static Calibration of(Map<Integer, Range> ranges, int samples) {
        return new Calibration(new TreeMap<>(ranges), samples);
    }

    /** The observed range of tensor {@code index}, or null if it never had a value. */
    public Range range(int index) {
        return ranges.get(index);
    }

    /** Tensor index -> observed range, in index order. */
    public Map<Integer, Range> ranges() {
        return ranges;
    }

    /** Number of representative inputs. */
    public int samples() {
        return samples;
    }
}
