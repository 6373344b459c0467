package dev.tinysim.differential;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.Padding;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the single-operator models whose cycles docs/inference-semantics.md ("16-bit activations ...",
 * Cycles) reports: 16x8 CONV_2D (int64 and int32 bias) and its int8 twin, 16x8 FULLY_CONNECTED and
 * DEPTHWISE_CONV_2D, BATCH_MATMUL and TRANSPOSE_CONV in int8, int16 and float32. Seeded: the same bytes
 * every time.
 * <pre>
 * mvn -q -o test-compile
 * java -cp target/classes:target/test-classes dev.tinysim.differential.Int16BenchModels /tmp/m
 * ./tinysim run --model /tmp/m/conv16_b64.tflite --kernels simd
 * </pre>
 */
public final class Int16BenchModels {

    private Int16BenchModels() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "int16-bench-models");
        Files.createDirectories(dir);
        Gen g = new Gen(5);
        for (String bias : List.of("b64", "b32")) {
            ModelBuilder b = new ModelBuilder();
            int in = b.addTensor("in", TensorType.INT16, new int[] {1, 16, 16, 32}, Quantization.perTensor(0.001f, 0));
            int w = b.addInt8Constant("w", new int[] {32, 3, 3, 32}, Quantization.perTensor(0.01f, 0), g.bytes(32 * 9 * 32));
            int bb = bias.equals("b64") ? b.addInt64Constant("b", new int[] {32}, Quantization.NONE, g.longs(32, 1000))
                    : b.addInt32Constant("b", new int[] {32}, Quantization.NONE, g.ints(32, 1000));
            int out = b.addTensor("out", TensorType.INT16, new int[] {1, 16, 16, 32}, Quantization.perTensor(0.5f, 0));
            b.addOperator(BuiltinOperator.CONV_2D, new BuiltinOptions.Conv2D(Padding.SAME, 1, 1, ActivationFunction.NONE),
                    new int[] {in, w, bb}, new int[] {out});
            Files.write(dir.resolve("conv16_" + bias + ".tflite"), b.inputs(in).outputs(out).toBytes());
        }
        ModelBuilder c8 = new ModelBuilder();
        int in8 = c8.addTensor("in", TensorType.INT8, new int[] {1, 16, 16, 32}, Quantization.perTensor(0.1f, 0));
        int w8 = c8.addInt8Constant("w", new int[] {32, 3, 3, 32}, Quantization.perTensor(0.01f, 0), g.bytes(32 * 9 * 32));
        int b8 = c8.addInt32Constant("b", new int[] {32}, Quantization.NONE, g.ints(32, 1000));
        int out8 = c8.addTensor("out", TensorType.INT8, new int[] {1, 16, 16, 32}, Quantization.perTensor(5f, 0));
        c8.addOperator(BuiltinOperator.CONV_2D, new BuiltinOptions.Conv2D(Padding.SAME, 1, 1, ActivationFunction.NONE),
                new int[] {in8, w8, b8}, new int[] {out8});
        Files.write(dir.resolve("conv8.tflite"), c8.inputs(in8).outputs(out8).toBytes());

        ModelBuilder fc = new ModelBuilder();
        int fin = fc.addTensor("in", TensorType.INT16, new int[] {1, 512}, Quantization.perTensor(0.001f, 0));
        int fw = fc.addInt8Constant("w", new int[] {128, 512}, Quantization.perTensor(0.01f, 0), g.bytes(128 * 512));
        int fb = fc.addInt64Constant("b", new int[] {128}, Quantization.NONE, g.longs(128, 1000));
        int fout = fc.addTensor("out", TensorType.INT16, new int[] {1, 128}, Quantization.perTensor(0.5f, 0));
        fc.addOperator(BuiltinOperator.FULLY_CONNECTED, new BuiltinOptions.FullyConnected(ActivationFunction.NONE),
                new int[] {fin, fw, fb}, new int[] {fout});
        Files.write(dir.resolve("fc16.tflite"), fc.inputs(fin).outputs(fout).toBytes());

        ModelBuilder dw = new ModelBuilder();
        int din = dw.addTensor("in", TensorType.INT16, new int[] {1, 16, 16, 32}, Quantization.perTensor(0.001f, 0));
        int dww = dw.addInt8Constant("w", new int[] {1, 3, 3, 32}, Quantization.perTensor(0.01f, 0), g.bytes(9 * 32));
        int db = dw.addInt64Constant("b", new int[] {32}, Quantization.NONE, g.longs(32, 1000));
        int dout = dw.addTensor("out", TensorType.INT16, new int[] {1, 16, 16, 32}, Quantization.perTensor(0.05f, 0));
        dw.addOperator(BuiltinOperator.DEPTHWISE_CONV_2D, new BuiltinOptions.DepthwiseConv2D(Padding.SAME, 1, 1, 1,
                ActivationFunction.NONE, 1, 1), new int[] {din, dww, db}, new int[] {dout});
        Files.write(dir.resolve("dw16.tflite"), dw.inputs(din).outputs(dout).toBytes());

        for (TensorType t : List.of(TensorType.INT8, TensorType.INT16, TensorType.FLOAT32)) {
            Quantization q = switch (t) {
                case INT8 -> Quantization.perTensor(0.05f, 3);
                case INT16 -> Quantization.perTensor(0.001f, 0);
                default -> Quantization.NONE;
            };
            Quantization qo = switch (t) {
                case INT8 -> Quantization.perTensor(0.5f, -2);
                case INT16 -> Quantization.perTensor(0.05f, 0);
                default -> Quantization.NONE;
            };
            String name = t.name().toLowerCase();
            ModelBuilder m = new ModelBuilder();
            int lhs = m.addTensor("lhs", t, new int[] {64, 64}, q);
            int rhs = g.constant(m, "rhs", t, new int[] {64, 64}, q);
            int mo = m.addTensor("out", t, new int[] {64, 64}, qo);
            m.addOperator(BuiltinOperator.BATCH_MATMUL, new BuiltinOptions.BatchMatMul(false, false),
                    new int[] {lhs, rhs}, new int[] {mo});
            Files.write(dir.resolve("bmm_" + name + ".tflite"), m.inputs(lhs).outputs(mo).toBytes());

            ModelBuilder tc = new ModelBuilder();
            int shape = tc.addInt32Constant("shape", new int[] {4}, Quantization.NONE, 1, 16, 16, 16);
            int tw = t == TensorType.FLOAT32 ? tc.addFloatConstant("w", new int[] {16, 3, 3, 16}, g.floats(16 * 9 * 16, 0.5f))
                    : tc.addInt8Constant("w", new int[] {16, 3, 3, 16}, Quantization.perTensor(0.01f, 0), g.bytes(16 * 9 * 16));
            int ti = tc.addTensor("in", t, new int[] {1, 8, 8, 16}, q);
            int to = tc.addTensor("out", t, new int[] {1, 16, 16, 16}, qo);
            tc.addOperator(BuiltinOperator.TRANSPOSE_CONV, new BuiltinOptions.TransposeConv(Padding.SAME, 2, 2),
                    new int[] {shape, tw, ti}, new int[] {to});
            Files.write(dir.resolve("tconv_" + name + ".tflite"), tc.inputs(ti).outputs(to).toBytes());
        }
    }
}
