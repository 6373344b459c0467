package dev.tinysim.data;

import dev.tinysim.reference.DeterministicMath;
import dev.tinysim.reference.TensorValues;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A dataset bound to a model input: split into samples of the input's size, each encoded as the input tensor's
 * bytes the way a deployment feeds it.
 *
 * <ul>
 *   <li>Samples: an array holding exactly one input's values is one sample; otherwise its first dimension
 *       counts the samples ([100, 49, 10] is 100 samples for an input of 490 values); a one-dimensional array
 *       (audio, raw bytes) is cut into consecutive inputs. Anything else is refused with what the data is and
 *       what the model wants.</li>
 *   <li>Values: a FLOAT32 input takes real values as they are; an INT8 (or INT16) input takes them quantized
 *       with its own scale and zero point ({@code clamp(round_half_away(x / scale) + zp)}, what a QUANTIZE
 *       operator does). int8 data for an int8 input are its codes and go in as they are; int8 codes read for an
 *       int8 input (raw bytes) are dequantized for a float input, so both models see the same real values.</li>
 * </ul>
 *
 * @param tensor      the input
 * @param inputs      one tensor's bytes per sample
 * @param labels      the true class per sample, or null
 * @param classes     class names by index, or null
 * @param description one line: "data [100,49,10] float32; model input [1,49,10,1] int8: 100 samples, layout ok,
 *                    quantized with scale 0.52 zero point -2"
 */
public record Binding(Tensor tensor, List<byte[]> inputs, int[] labels, List<String> classes, String description) {

    public int size() {
        return inputs.size();
    }

    /** Binds {@code d} to input {@code t}; {@code maxSamples} (null: all) keeps the first ones. */
    public static Binding bind(Dataset d, Tensor t, Integer maxSamples) {
        int per = t.elementCount();
        String data = "data " + d.shapeText() + " " + d.type();
        String model = "model input " + Dataset.shape(t.shape()) + " " + DataReader.typeName(t);
        List<float[]> samples = new ArrayList<>();
        List<Integer> partLabels = new ArrayList<>();
        String layout = null;
        for (Dataset.Part p : d.parts()) {
            int v = p.values().length;
            List<Integer> sampleShape;
            int count;
            if (v == per) {
                count = 1;
                sampleShape = p.shape();
            } else if (p.shape().size() >= 2 && (long) p.shape().get(0) * per == v) {
                count = p.shape().get(0);
                sampleShape = p.shape().subList(1, p.shape().size());
            } else if (p.shape().size() == 1 && per > 0 && v % per == 0 && v > 0) {
                count = v / per;
                sampleShape = List.of(per);
            } else {
                String what = p.shape().size() >= 2 && p.shape().get(0) > 0 && v % p.shape().get(0) == 0
                        ? (v / p.shape().get(0)) + " values per sample (the first dimension counts the samples), the input takes " + per
                        : v + " values, not a multiple of the " + per + " the input takes";
                throw new DataException(DataException.Kind.MISMATCH, (d.parts().size() > 1 ? d.source() + "/" + p.origin()
                        : d.source()) + ": " + data + "; " + model + ": " + what);
            }
            String l = layout(sampleShape, t.shape(), d.format().startsWith("raw"));
            layout = layout == null || layout.equals(l) ? l : "layouts differ between files";
            for (int i = 0; i < count; i++) {
                float[] s = new float[per];
                System.arraycopy(p.values(), i * per, s, 0, per);
                samples.add(s);
                partLabels.add(p.label());
            }
        }
        int total = samples.size();
        int[] labels = null;
        if (d.labels() != null) {
            if (d.labels().length != total) {
                throw new DataException(DataException.Kind.MISMATCH, d.source() + ": " + data + "; " + model + ": " + total
                        + " samples but " + d.labels().length + " labels");
            }
            labels = d.labels().clone();
        } else if (partLabels.stream().anyMatch(x -> x >= 0)) {
            labels = partLabels.stream().mapToInt(Integer::intValue).toArray();
        }
        int n = maxSamples == null ? total : Math.min(total, maxSamples);
        if (n < total) {
            samples = samples.subList(0, n);
            labels = labels == null ? null : java.util.Arrays.copyOf(labels, n);
        }
        for (int i = 0; i < n; i++) {
            float[] s = samples.get(i);
            for (float x : s) {
                if (Float.isNaN(x) || Float.isInfinite(x)) {
                    throw new DataException(DataException.Kind.CORRUPT, d.source() + ": sample " + i + " holds " + x
                            + "; data must be finite numbers");
                }
            }
        }
        Encoder enc = encoder(d, t, data, model);
        List<byte[]> inputs = new ArrayList<>(n);
        for (float[] s : samples) {
            inputs.add(enc.encode(s));
        }
        long clamped = enc.clamped;
        String counted = n + " sample" + (n == 1 ? "" : "s") + (n < total ? " (the first " + n + " of " + total + ")" : "");
        String clampText = clamped == 0 ? "" : String.format(Locale.ROOT, "; %d of %d values (%.1f%%) clamped to the %s range",
                clamped, (long) n * per, 100.0 * clamped / ((long) n * per), DataReader.typeName(t));
        return new Binding(t, inputs, labels, d.classes(),
                data + "; " + model + ": " + counted + ", " + layout + ", " + enc.how + clampText);
    }

    /** "layout ok" when the sizes other than 1 agree in order, else how the values are laid out. */
    static String layout(List<Integer> sample, List<Integer> input, boolean raw) {
        if (raw) {
            return "layout as stored";
        }
        List<Integer> a = sample.stream().filter(x -> x != 1).toList();
        List<Integer> b = input.stream().filter(x -> x != 1).toList();
        return a.equals(b) ? "layout ok" : "each sample's " + Dataset.shape(sample) + " taken as " + Dataset.shape(input)
                + " in row-major order";
    }

    /** Checks the labels against a classifier's number of classes (the output's size). */
    public void checkLabels(int classCount, String output) {
        if (labels == null) {
            return;
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classCount) {
                String l = labels[i] == Integer.MAX_VALUE ? "too large" : String.valueOf(labels[i]);
                throw new DataException(DataException.Kind.MISMATCH, "label " + l + " of sample " + i
                        + " is not a class of the model's output " + output + " (classes 0.." + (classCount - 1) + ")");
            }
        }
        if (classes != null && classes.size() > classCount) {
            throw new DataException(DataException.Kind.MISMATCH, classes.size() + " classes in the data ("
                    + String.join(", ", classes.subList(0, Math.min(5, classes.size())).stream().map(dev.tinysim.text.Printable::name).toList()) + (classes.size() > 5 ? ", …" : "")
                    + "), but the model's output " + output + " has " + classCount);
        }
    }

    private abstract static class Encoder {
        final String how;
        long clamped;

        Encoder(String how) {
            this.how = how;
        }

        abstract byte[] encode(float[] values);
    }

    private static Encoder encoder(Dataset d, Tensor t, String data, String model) {
        Dataset.Codes codes = d.codes();
        switch (t.type()) {
            case FLOAT32 -> {
                if (codes != null) {
                    return new Encoder("dequantized from int8 codes with scale " + num(codes.scale()) + " zero point "
                            + codes.zeroPoint()) {
                        @Override
                        byte[] encode(float[] v) {
                            float[] real = new float[v.length];
                            for (int i = 0; i < v.length; i++) {
                                real[i] = (float) ((int) v[i] - codes.zeroPoint()) * codes.scale();
                            }
                            return TensorValues.fromFloats(real);
                        }
                    };
                }
                return new Encoder(d.type() == DataType.FLOAT32 ? "as float32" : "converted to float32") {
                    @Override
                    byte[] encode(float[] v) {
                        return TensorValues.fromFloats(v);
                    }
                };
            }
            case INT8, INT16, UINT8 -> {
                int lo = t.type() == TensorType.INT8 ? -128 : t.type() == TensorType.INT16 ? -32768 : 0;
                int hi = t.type() == TensorType.INT8 ? 127 : t.type() == TensorType.INT16 ? 32767 : 255;
                int size = t.type() == TensorType.INT16 ? 2 : 1;
                boolean quantized = t.quantization().isQuantized();
                float scale = quantized ? t.quantization().scaleValue() : 1f;
                int zp = quantized ? t.quantization().zeroPointValue() : 0;
                boolean sameType = d.type() == (t.type() == TensorType.INT8 ? DataType.INT8
                        : t.type() == TensorType.INT16 ? DataType.INT16 : DataType.UINT8);
                boolean sameCodes = codes == null || codes.scale() == scale && codes.zeroPoint() == zp;
                if (sameType && sameCodes) {
                    return new Encoder(d.type() + " values passed as they are (codes of the input's scale " + num(scale)
                            + " zero point " + zp + ")") {
                        @Override
                        byte[] encode(float[] v) {
                            return pack(v, size, lo, hi, this);
                        }
                    };
                }
                if (!quantized) {
                    throw new DataException(DataException.Kind.MISMATCH, d.source() + ": " + data + "; " + model + ": the input has no scale "
                            + "and zero point to quantize " + d.type() + " data with; give " + DataReader.typeName(t) + " data");
                }
                return new Encoder("quantized with scale " + num(scale) + " zero point " + zp) {
                    @Override
                    byte[] encode(float[] v) {
                        float[] real = v;
                        if (codes != null) {
                            real = new float[v.length];
                            for (int i = 0; i < v.length; i++) {
                                real[i] = (float) ((int) v[i] - codes.zeroPoint()) * codes.scale();
                            }
                        }
                        if (t.type() == TensorType.INT8) {
                            for (float x : real) {
                                float q = DeterministicMath.roundHalfAway(x / scale) + zp;
                                if (q < lo || q > hi) {
                                    clamped++;
                                }
                            }
                            return TensorValues.quantize(t, real);
                        }
                        float[] q = new float[real.length];
                        for (int i = 0; i < real.length; i++) {
                            q[i] = DeterministicMath.roundHalfAway(real[i] / scale) + zp;
                        }
                        return pack(q, size, lo, hi, this);
                    }
                };
            }
            default -> throw new DataException(DataException.Kind.MISMATCH, d.source() + ": " + data + "; " + model + ": tinysim feeds data to "
                    + "FLOAT32, INT8, INT16 and UINT8 inputs, not " + t.type());
        }
    }

    /** Integral values clamped to [lo, hi], little-endian, {@code size} bytes each. */
    private static byte[] pack(float[] v, int size, int lo, int hi, Encoder counter) {
        ByteBuffer b = ByteBuffer.allocate(v.length * size).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            long q = (long) x;
            if (q < lo || q > hi) {
                counter.clamped++;
                q = Math.max(lo, Math.min(hi, q));
            }
            if (size == 1) {
                b.put((byte) q);
            } else {
                b.putShort((short) q);
            }
        }
        return b.array();
    }

    /** A scale as people read it: 0.5847029, 1, 0.00390625. */
    static String num(float v) {
        return v == Math.rint(v) && Math.abs(v) < 1e7 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
