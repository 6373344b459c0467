import dev.tinysim.reference.InputGenerator;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.Padding;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Dev tool (not part of the build): writes random single-operator models for every operator the
 * runtime implements, with seeded inputs and the Java reference interpreter's output, for the
 * differential test in random-ops.sh. Per case: NNNN.tflite, NNNN.in and NNNN.out, or NNNN.rej
 * when the reference rejects the model (then the C runtime must reject it too).
 *   RandomOps DIR COUNT SEED
 */
public final class RandomOps {
    static SplittableRandom rng;

    static int r(int lo, int hi) { return rng.nextInt(lo, hi + 1); }
    static boolean coin() { return rng.nextBoolean(); }
    static float scale() { return (float) (0.005 + rng.nextDouble() * 0.2); }
    static Quantization q() { return Quantization.perTensor(scale(), r(-30, 30)); }
    static ActivationFunction act() {
        ActivationFunction[] a = { ActivationFunction.NONE, ActivationFunction.RELU, ActivationFunction.RELU6,
                ActivationFunction.RELU_N1_TO_1 };
        return a[r(0, 3)];
    }
    static byte[] randBytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) r(-128, 127);
        return b;
    }
    static float[] randFloats(int n, float range) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) ((rng.nextDouble() * 2 - 1) * range);
        return f;
    }
    static int[] randInts(int n, int range) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) v[i] = r(-range, range);
        return v;
    }
    static int prod(int[] s) { int p = 1; for (int d : s) p *= d; return p; }
    static int outSize(Padding p, int in, int k, int stride, int dil) {
        int eff = (k - 1) * dil + 1;
        return p == Padding.SAME ? (in + stride - 1) / stride : (in + stride - eff) / stride;
    }

    /** A graph-input activation tensor of the given type. */
    static int act(ModelBuilder b, String name, TensorType t, int[] shape, Quantization qz) {
        return b.addTensor(name, t, shape, t == TensorType.INT8 ? qz : Quantization.NONE);
    }
    /** A constant operand (second input of binary ops etc.). */
    static int constant(ModelBuilder b, String name, TensorType t, int[] shape, Quantization qz) {
        int n = prod(shape);
        if (t == TensorType.INT8) return b.addInt8Constant(name, shape, qz, randBytes(n));
        return b.addFloatConstant(name, shape, randFloats(n, 2f));
    }

    static void build(ModelBuilder b, int kind) {
        TensorType t = coin() ? TensorType.INT8 : TensorType.FLOAT32;
        switch (kind) {
            case 0, 1 -> { // CONV_2D, DEPTHWISE_CONV_2D (int8, float, hybrid)
                boolean dw = kind == 1;
                boolean hybrid = t == TensorType.FLOAT32 && coin();
                int n = r(1, 2), h = r(1, 9), w = r(1, 9), cin = r(1, 8);
                int kh = r(1, 4), kw = r(1, 4), sh = r(1, 3), sw = r(1, 3), dh = r(1, 2), dwl = r(1, 2);
                boolean dw3x3 = dw && r(0, 2) == 0; // the runtime's 3x3 stride-1 depthwise kernel
                if (dw3x3) {
                    kh = kw = 3;
                    sh = sw = dh = dwl = 1;
                }
                if (hybrid && !dw && r(0, 3) == 0) { // K = kh * kw * cin > 256: the runtime's table path
                    cin = r(29, 40);
                    kh = r(3, 4);
                    kw = r(3, 4);
                }
                Padding pad = coin() ? Padding.SAME : Padding.VALID;
                if (pad == Padding.VALID && ((kh - 1) * dh + 1 > h || (kw - 1) * dwl + 1 > w)) pad = Padding.SAME;
                int groups = (!dw && cin % 2 == 0 && r(0, 4) == 0) ? 2 : 1;
                int dm = dw && !dw3x3 ? r(1, 3) : 1;
                int cout = dw ? cin * dm : groups * r(1, 4);
                int fic = cin / groups;
                int oh = outSize(pad, h, kh, sh, dh), ow = outSize(pad, w, kw, sw, dwl);
                Quantization qin = q(), qout = q();
                int in = act(b, "in", t, new int[] {n, h, w, cin}, qin);
                int[] fshape = dw ? new int[] {1, kh, kw, cout} : new int[] {cout, kh, kw, fic};
                boolean perChannel = coin();
                List<Float> scales = new ArrayList<>();
                for (int c = 0; c < (perChannel ? cout : 1); c++) scales.add((float) (0.002 + rng.nextDouble() * 0.02));
                Quantization qf = perChannel ? Quantization.perChannel(scales, dw ? 3 : 0) : Quantization.perTensor(scales.get(0), 0);
                int filt = (t == TensorType.INT8 || hybrid) ? b.addInt8Constant("f", fshape, qf, randBytes(prod(fshape)))
                        : b.addFloatConstant("f", fshape, randFloats(prod(fshape), 0.5f));
                int bias = -1;
                if (coin()) {
                    bias = t == TensorType.INT8 ? b.addInt32Constant("b", new int[] {cout}, Quantization.NONE, randInts(cout, 3000))
                            : b.addFloatConstant("b", new int[] {cout}, randFloats(cout, 1f));
                }
                int out = act(b, "out", t, new int[] {n, oh, ow, cout}, qout);
                BuiltinOptions o = dw ? new BuiltinOptions.DepthwiseConv2D(pad, sw, sh, dm, act(), dwl, dh)
                        : new BuiltinOptions.Conv2D(pad, sw, sh, act(), dwl, dh, 0);
                b.addOperator(dw ? BuiltinOperator.DEPTHWISE_CONV_2D : BuiltinOperator.CONV_2D, o, new int[] {in, filt, bias}, new int[] {out});
                b.inputs(in).outputs(out);
            }
            case 2 -> { // FULLY_CONNECTED
                boolean hybrid = t == TensorType.FLOAT32 && coin();
                int batches = r(1, 3), k = r(1, 70), outd = r(1, 20);
                if (hybrid && r(0, 2) == 0) k = r(257, 300); // the runtime's table path (K > 256)
                int in = act(b, "in", t, coin() ? new int[] {batches, k} : new int[] {batches, 1, k}, q());
                boolean perChannel = coin();
                List<Float> scales = new ArrayList<>();
                for (int c = 0; c < (perChannel ? outd : 1); c++) scales.add((float) (0.002 + rng.nextDouble() * 0.02));
                Quantization qf = perChannel ? Quantization.perChannel(scales, 0)
                        : Quantization.perTensor(scales.get(0), (t == TensorType.INT8 && coin()) ? r(-3, 3) : 0);
                int filt = (t == TensorType.INT8 || hybrid) ? b.addInt8Constant("f", new int[] {outd, k}, qf, randBytes(outd * k))
                        : b.addFloatConstant("f", new int[] {outd, k}, randFloats(outd * k, 0.5f));
                int bias = coin() ? (t == TensorType.INT8 ? b.addInt32Constant("b", new int[] {outd}, Quantization.NONE, randInts(outd, 3000))
                        : b.addFloatConstant("b", new int[] {outd}, randFloats(outd, 1f))) : -1;
                int out = act(b, "out", t, new int[] {batches, outd}, q());
                b.addOperator(BuiltinOperator.FULLY_CONNECTED, new BuiltinOptions.FullyConnected(act()), new int[] {in, filt, bias}, new int[] {out});
                b.inputs(in).outputs(out);
            }
            case 3, 4 -> { // AVERAGE_POOL_2D, MAX_POOL_2D
                int n = r(1, 2), h = r(1, 9), w = r(1, 9), c = r(1, 6), kh = r(1, 4), kw = r(1, 4), sh = r(1, 3), sw = r(1, 3);
                Padding pad = coin() ? Padding.SAME : Padding.VALID;
                if (pad == Padding.VALID && (kh > h || kw > w)) pad = Padding.SAME;
                Quantization qq = q();
                int in = act(b, "in", t, new int[] {n, h, w, c}, qq);
                int out = act(b, "out", t, new int[] {n, outSize(pad, h, kh, sh, 1), outSize(pad, w, kw, sw, 1), c}, qq);
                b.addOperator(kind == 3 ? BuiltinOperator.AVERAGE_POOL_2D : BuiltinOperator.MAX_POOL_2D,
                        new BuiltinOptions.Pool2D(pad, sw, sh, kw, kh, act()), new int[] {in}, new int[] {out});
                b.inputs(in).outputs(out);
            }
            case 5, 6 -> { // ADD, MUL with broadcasting (second operand constant)
                int rank = r(1, 4);
                int[] s = new int[rank];
                for (int i = 0; i < rank; i++) s[i] = r(1, 5);
                int[] s2 = s.clone();
                for (int i = 0; i < rank; i++) if (r(0, 2) == 0) s2[i] = 1;
                int in = act(b, "a", t, s, q());
                int other = constant(b, "b", t, s2, q());
                int out = act(b, "out", t, s, q());
                boolean swap = coin();
                int[] ins = swap ? new int[] {other, in} : new int[] {in, other};
                if (kind == 5) b.addOperator(BuiltinOperator.ADD, new BuiltinOptions.Add(act()), ins, new int[] {out});
                else b.addOperator(BuiltinOperator.MUL, new BuiltinOptions.Mul(act()), ins, new int[] {out});
                b.inputs(in).outputs(out);
            }
            case 7 -> { // SOFTMAX
                int[] s = coin() ? new int[] {r(1, 3), r(1, 20)} : new int[] {1, r(1, 4), r(1, 12)};
                int in = act(b, "in", t, s, q());
                int out = b.addTensor("out", t, s, t == TensorType.INT8 ? Quantization.perTensor(1f / 256f, -128) : Quantization.NONE);
                b.addOperator(BuiltinOperator.SOFTMAX, new BuiltinOptions.Softmax((float) (0.3 + rng.nextDouble() * 2)), new int[] {in}, new int[] {out});
                b.inputs(in).outputs(out);
            }
            case 8 -> { // LOGISTIC
                int[] s = {r(1, 4), r(1, 30)};
                int in = b.addTensor("in", t, s, t == TensorType.INT8 ? Quantization.perTensor((float) (0.01 + rng.nextDouble() * 0.3), r(-20, 20)) : Quantization.NONE);
                int out = b.addTensor("out", t, s, t == TensorType.INT8 ? Quantization.perTensor(1f / 256f, -128) : Quantization.NONE);
                b.addOperator(BuiltinOperator.LOGISTIC, BuiltinOptions.NONE, new int[] {in}, new int[] {out});
                b.inputs(in).outputs(out);
            }
            case 9 -> { // QUANTIZE (float -> int8, int8 -> int8)
                int[] s = {r(1, 3), r(1, 40)};
                int in = act(b, "in", t, s, q());
                int out = b.addTensor("out", TensorType.INT8, s, q());
                b.addOperator(BuiltinOperator.QUANTIZE, new BuiltinOptions.NoFields(BuiltinOptions.QUANTIZE), new int[] {in}, new int[] {out});
                b.inputs(in).outputs(out);
            }
            case 10 -> { // DEQUANTIZE
                int[] s = {r(1, 3), r(1, 40)};
                int in = b.addTensor("in", TensorType.INT8, s, q());
                int out = b.addTensor("out", TensorType.FLOAT32, s);
                b.addOperator(BuiltinOperator.DEQUANTIZE, new BuiltinOptions.NoFields(BuiltinOptions.DEQUANTIZE), new int[] {in}, new int[] {out});
                b.inputs(in).outputs(out);
            }
            case 11, 12 -> { // RELU, RELU6
                int[] s = {r(1, 3), r(1, 40)};
                Quantization qi = q();
                int in = act(b, "in", t, s, qi);
                int out = act(b, "out", t, s, kind == 12 || coin() ? qi : q());
                b.addOperator(kind == 11 ? BuiltinOperator.RELU : BuiltinOperator.RELU6, BuiltinOptions.NONE, new int[] {in}, new int[] {out});
                b.inputs(in).outputs(out);
            }
            case 13 -> { // PAD
                int rank = r(1, 4);
                int[] s = new int[rank], o = new int[rank], p = new int[2 * rank];
                for (int i = 0; i < rank; i++) {
                    s[i] = r(1, 5); p[2 * i] = r(0, 2); p[2 * i + 1] = r(0, 2); o[i] = s[i] + p[2 * i] + p[2 * i + 1];
                }
                Quantization qq = q();
                int in = act(b, "in", t, s, qq);
                int pads = b.addInt32Constant("pads", new int[] {rank, 2}, Quantization.NONE, p);
                int out = act(b, "out", t, o, qq);
                b.addOperator(BuiltinOperator.PAD, new BuiltinOptions.NoFields(BuiltinOptions.PAD), new int[] {in, pads}, new int[] {out});
                b.inputs(in).outputs(out);
            }
            case 14 -> { // MEAN
                int rank = r(1, 4);
                int[] s = new int[rank];
                for (int i = 0; i < rank; i++) s[i] = r(1, 6);
                List<Integer> axes = new ArrayList<>();
                boolean[] red = new boolean[rank];
                for (int i = 0; i < rank; i++) if (coin()) { axes.add(coin() ? i : i - rank); red[i] = true; }
                if (axes.isEmpty()) { axes.add(rank - 1); red[rank - 1] = true; }
                boolean keep = coin();
                List<Integer> os = new ArrayList<>();
                for (int i = 0; i < rank; i++) if (!red[i]) os.add(s[i]); else if (keep) os.add(1);
                int[] o = os.stream().mapToInt(Integer::intValue).toArray();
                Quantization qi = q();
                int in = act(b, "in", t, s, qi);
                int ax = b.addInt32Constant("axes", new int[] {axes.size()}, Quantization.NONE, axes.stream().mapToInt(Integer::intValue).toArray());
                int out = act(b, "out", t, o, coin() ? qi : q());
                b.addOperator(BuiltinOperator.MEAN, new BuiltinOptions.Reducer(keep), new int[] {in, ax}, new int[] {out});
                b.inputs(in).outputs(out);
            }
            case 15 -> { // CONCATENATION
                int rank = r(1, 4);
                int axis = r(0, rank - 1);
                int[] s = new int[rank];
                for (int i = 0; i < rank; i++) s[i] = r(1, 4);
                Quantization qq = q();
                int in = act(b, "in", t, s, qq);
                int total = s[axis];
                List<Integer> ins = new ArrayList<>(List.of(in));
                for (int k = r(1, 2); k > 0; k--) {
                    int[] s2 = s.clone();
                    s2[axis] = r(1, 3);
                    total += s2[axis];
                    ins.add(constant(b, "c" + k, t, s2, qq));
                }
                if (coin()) java.util.Collections.shuffle(ins, new java.util.Random(rng.nextLong()));
                int[] o = s.clone();
                o[axis] = total;
                int out = act(b, "out", t, o, qq);
                b.addOperator(BuiltinOperator.CONCATENATION, new BuiltinOptions.Concatenation(coin() ? axis : axis - rank, ActivationFunction.NONE),
                        ins.stream().mapToInt(Integer::intValue).toArray(), new int[] {out});
                b.inputs(in).outputs(out);
            }
            default -> { // RESHAPE
                int[] s = {r(1, 4), r(1, 4), r(1, 4)};
                Quantization qq = q();
                int in = act(b, "in", t, s, qq);
                int out = act(b, "out", t, new int[] {s[0] * s[1], s[2]}, qq);
                b.addOperator(BuiltinOperator.RESHAPE, new BuiltinOptions.Reshape(List.of(s[0] * s[1], s[2])), new int[] {in}, new int[] {out});
                b.inputs(in).outputs(out);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        rng = new SplittableRandom(Long.parseLong(args[2]));
        Files.createDirectories(dir);
        int rejected = 0;
        for (int i = 0; i < count; i++) {
            ModelBuilder b = new ModelBuilder();
            int kind = i % 17;
            build(b, kind);
            String base = String.format("%04d", i);
            byte[] bytes = b.toBytes();
            Files.write(dir.resolve(base + ".tflite"), bytes);
            TfliteModel model = TfliteReader.read(bytes, base);
            var g = model.mainSubgraph();
            List<byte[]> in = InputGenerator.random(g.inputs().stream().map(g::tensor).toList(), rng.nextLong());
            Files.write(dir.resolve(base + ".in"), RunReference.concat(in)); // every input, back to back
            try {
                Files.write(dir.resolve(base + ".out"), RunReference.concat(ReferenceInterpreter.run(model, in)));
            } catch (RuntimeException e) {
                Files.writeString(dir.resolve(base + ".rej"), e.toString() + "\n");
                rejected++;
            }
        }
        System.out.println(count + " models written to " + dir + ", " + rejected + " rejected by the reference");
    }
}
