package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;
import org.junit.jupiter.api.Test;

import static dev.tinysim.reference.DataMovementOperatorsTest.assertRejected;
import static dev.tinysim.reference.DataMovementOperatorsTest.shorts;
import static dev.tinysim.reference.SingleOp.bytes;
import static dev.tinysim.reference.SingleOp.ints;
import static dev.tinysim.reference.SingleOp.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** SUM, REDUCE_MAX and MEAN int16 (TFLite Micro reduce.cc); expected values derived by hand in the comments. */
class ReductionOperatorsTest {

    private static SingleOp reduce(BuiltinOperator op, TensorType t, int[] inShape, Quantization qin, int[] axes,
                                   boolean keep, int[] outShape, Quantization qout) {
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", t, inShape, qin));
        int axis = s.builder.addInt32Constant("axis", shape(axes.length), Quantization.NONE, axes);
        int out = s.builder.addTensor("out", t, outShape, qout);
        s.op(op, new BuiltinOptions.Reducer(keep), new int[] {in, axis}, out);
        return s;
    }

    @Test
    void floatSumWithNegativeAndRepeatedAxes() {
        // [2, 3, 2] = 1..12 over axes {-1, 0, 2} = {0, 2}: out[j] = sum over i, k of (6i + 2j + k + 1)
        //   j=0: 1+2+7+8 = 18, j=1: 3+4+9+10 = 26, j=2: 5+6+11+12 = 34; keep_dims: shape [1, 3, 1].
        SingleOp s = reduce(BuiltinOperator.SUM, TensorType.FLOAT32, shape(2, 3, 2), Quantization.NONE, new int[] {-1, 0, 2},
                true, shape(1, 3, 1), Quantization.NONE);
        assertArrayEquals(new float[] {18, 26, 34}, s.runFloat(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
        // The order of additions is the input's: (0 + 1e8) + 1 + (-1e8) = 0 in float, not 1.
        SingleOp o = reduce(BuiltinOperator.SUM, TensorType.FLOAT32, shape(3), Quantization.NONE, new int[] {0}, false,
                shape(), Quantization.NONE);
        assertArrayEquals(new float[] {0}, o.runFloat(new float[] {1e8f, 1, -1e8f}));
    }

    @Test
    void int8SumRequantizesTheRawSum() {
        // scale_in 0.5, scale_out 1: QuantizeMultiplier(0.5) = (2^30, 0). out = MBQM(sum - zp_in * n) + zp_out:
        //   {3, 4} (zp_in 0): 7 * 0.5 = 3.5 -> SRDHM rounds half up: 4;   {-3, -4}: -3.5 -> -3 (toward +inf on halves).
        SingleOp s = reduce(BuiltinOperator.SUM, TensorType.INT8, shape(2, 2), Quantization.perTensor(0.5f, 0),
                new int[] {1}, false, shape(2), Quantization.perTensor(1f, 0));
        assertArrayEquals(new int[] {4, -3}, ints(s.run(bytes(3, 4, -3, -4))));
        // zp_in 2, zp_out -1: {3, 4, 100} -> (107 - 2*3) * 0.5 = 50.5 -> 51, -1 = 50; {127, 127, 127} -> 187.5 ->
        // 188 - 1 = 187 -> clamped to 127.
        SingleOp z = reduce(BuiltinOperator.SUM, TensorType.INT8, shape(2, 3), Quantization.perTensor(0.5f, 2),
                new int[] {-1}, true, shape(2, 1), Quantization.perTensor(1f, -1));
        assertArrayEquals(new int[] {50, 127}, ints(z.run(bytes(3, 4, 100, 127, 127, 127))));
    }

    @Test
    void int16SumAndMean() {
        // SUM int16, scale 1/1024 in, 1/256 out: QuantizeMultiplier(0.25) = (2^30, -1); {1000, 2000, 3001}: 6001 * 0.25 =
        // 1500.25, but TFLite rounds twice: SRDHM(6001, 2^30) = 3000.5 -> 3001, then RoundingDivideByPOT(3001, 1) =
        // 1500.5 -> 1501.
        SingleOp s = reduce(BuiltinOperator.SUM, TensorType.INT16, shape(3), Quantization.perTensor(1f / 1024, 0),
                new int[] {0}, false, shape(), Quantization.perTensor(1f / 256, 0));
        assertArrayEquals(shorts(1501), s.run(shorts(1000, 2000, 3001)));
        // clamped to the int16 range: 3 * 30000 * 1.0 -> 32767
        SingleOp c = reduce(BuiltinOperator.SUM, TensorType.INT16, shape(3), Quantization.perTensor(1f, 0),
                new int[] {0}, false, shape(), Quantization.perTensor(1f, 0));
        assertArrayEquals(shorts(32767), c.run(shorts(30000, 30000, 30000)));
        // MEAN int16, same quantization: truncating division of the raw sum: (-7 + 0 + 2) / 3 = -5 / 3 = -1.
        SingleOp m = reduce(BuiltinOperator.MEAN, TensorType.INT16, shape(1, 3), Quantization.perTensor(0.01f, 0),
                new int[] {1}, false, shape(1), Quantization.perTensor(0.01f, 0));
        assertArrayEquals(shorts(-1), m.run(shorts(-7, 0, 2)));
        // MEAN int16, output scale half the input's: multiplier 2 folded with 1/n = 1/4: {100, 200, 300, 401}
        // -> 1001 * 2 / 4 = 500.5 -> 501.
        SingleOp h = reduce(BuiltinOperator.MEAN, TensorType.INT16, shape(4), Quantization.perTensor(0.02f, 0),
                new int[] {0}, false, shape(), Quantization.perTensor(0.01f, 0));
        assertArrayEquals(shorts(501), h.run(shorts(100, 200, 300, 401)));
    }

    @Test
    void reduceMaxStartsAtTheLowestValue() {
        // float: a NaN is never taken; all -inf gives -FLT_MAX (the initial value), as TFLite Micro.
        SingleOp f = reduce(BuiltinOperator.REDUCE_MAX, TensorType.FLOAT32, shape(2, 3), Quantization.NONE, new int[] {1},
                false, shape(2), Quantization.NONE);
        float inf = Float.POSITIVE_INFINITY;
        assertArrayEquals(new float[] {1, -Float.MAX_VALUE}, f.runFloat(new float[] {Float.NaN, 1, -inf, -inf, -inf, -inf}));
        // int8 over axes {0, 1} of [2, 2, 2]: per last index max of {-128, 5, -3, 7} = 7 and {-128, -128, -128, -128}.
        Quantization q = Quantization.perTensor(0.1f, 4);
        SingleOp s = reduce(BuiltinOperator.REDUCE_MAX, TensorType.INT8, shape(2, 2, 2), q, new int[] {1, 0}, false,
                shape(2), q);
        assertArrayEquals(new int[] {7, -128}, ints(s.run(bytes(-128, -128, 5, -128, -3, -128, 7, -128))));

        assertRejected("must share quantization parameters", b -> {
            int x = b.addTensor("in", TensorType.INT8, shape(2), q);
            int a = b.addInt32Constant("axis", shape(1), Quantization.NONE, 0);
            int o = b.addTensor("out", TensorType.INT8, shape(), Quantization.perTensor(0.1f, 5));
            b.addOperator(BuiltinOperator.REDUCE_MAX, new BuiltinOptions.Reducer(false), new int[] {x, a}, new int[] {o});
            return new int[] {x, o};
        });
        assertRejected("has type INT16, expected [INT8, FLOAT32]", b -> {
            int x = b.addTensor("in", TensorType.INT16, shape(2), q);
            int a = b.addInt32Constant("axis", shape(1), Quantization.NONE, 0);
            int o = b.addTensor("out", TensorType.INT16, shape(), q);
            b.addOperator(BuiltinOperator.REDUCE_MAX, new BuiltinOptions.Reducer(false), new int[] {x, a}, new int[] {o});
            return new int[] {x, o};
        });
        assertRejected("axis 2 is out of range for rank 2", b -> {
            int x = b.addTensor("in", TensorType.FLOAT32, shape(2, 2));
            int a = b.addInt32Constant("axis", shape(1), Quantization.NONE, 2);
            int o = b.addTensor("out", TensorType.FLOAT32, shape(2));
            b.addOperator(BuiltinOperator.SUM, new BuiltinOptions.Reducer(false), new int[] {x, a}, new int[] {o});
            return new int[] {x, o};
        });
    }
}
