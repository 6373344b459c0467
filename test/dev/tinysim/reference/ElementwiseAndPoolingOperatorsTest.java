package dev.tinysim.reference;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Padding;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tinysim.reference.SingleOp.bytes;
import static dev.tinysim.reference.SingleOp.ints;
import static dev.tinysim.reference.SingleOp.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ADD, MUL, AVERAGE_POOL_2D, MAX_POOL_2D, MEAN, PAD, CONCATENATION, RESHAPE; expected values by hand. */
class ElementwiseAndPoolingOperatorsTest {

    @Test
    void floatAddBroadcastsAndClamps() {
        SingleOp s = new SingleOp();
        int a = s.input(s.builder.addTensor("a", TensorType.FLOAT32, shape(2, 2)));
        int b = s.input(s.builder.addTensor("b", TensorType.FLOAT32, shape(2)));
        int out = s.builder.addTensor("out", TensorType.FLOAT32, shape(2, 2));
        s.op(BuiltinOperator.ADD, new BuiltinOptions.Add(ActivationFunction.RELU_N1_TO_1), new int[] {a, b}, out);
        // rows (1,2) and (-3,0.25) plus (0.5,-0.5): 1.5 -> 1, 1.5 -> 1, -2.5 -> -1, -0.25.
        assertArrayEquals(new float[] {1, 1, -1, -0.25f}, s.runFloat(new float[] {1, 2, -3, 0.25f}, new float[] {0.5f, -0.5f}));
    }

    @Test
    void int8AddRescalesBothInputs() {
        SingleOp s = new SingleOp();
        int a = s.input(s.builder.addTensor("a", TensorType.INT8, shape(4), Quantization.perTensor(0.5f, 0)));
        int b = s.input(s.builder.addTensor("b", TensorType.INT8, shape(4), Quantization.perTensor(0.25f, 4)));
        int out = s.builder.addTensor("out", TensorType.INT8, shape(4), Quantization.perTensor(1.0f, -10));
        s.op(BuiltinOperator.ADD, new BuiltinOptions.Add(ActivationFunction.NONE), new int[] {a, b}, out);
        // real = 0.5*a + 0.25*(b-4); out = real - 10.
        //   a=10,b=12: 5 + 2 = 7 -> -3;  a=-20,b=4: -10 -> -20;  a=100,b=127: 50+30.75 = 80.75 -> 81 -> 71;
        //   a=127,b=127: 63.5 + 30.75 = 94.25 -> 94 -> 84.
        assertArrayEquals(new int[] {-3, -20, 71, 84}, ints(s.run(bytes(10, -20, 100, 127), bytes(12, 4, 127, 127))));
    }

    @Test
    void int8AddSaturatesAtTheActivationBounds() {
        SingleOp s = new SingleOp();
        int a = s.input(s.builder.addTensor("a", TensorType.INT8, shape(2), Quantization.perTensor(1f, 0)));
        int b = s.input(s.builder.addTensor("b", TensorType.INT8, shape(2), Quantization.perTensor(1f, 0)));
        int out = s.builder.addTensor("out", TensorType.INT8, shape(2), Quantization.perTensor(1f, 0));
        s.op(BuiltinOperator.ADD, new BuiltinOptions.Add(ActivationFunction.RELU6), new int[] {a, b}, out);
        assertArrayEquals(new int[] {6, 0}, ints(s.run(bytes(100, -100), bytes(100, -100))));
    }

    @Test
    void mulInt8AndFloat() {
        SingleOp s = new SingleOp();
        int a = s.input(s.builder.addTensor("a", TensorType.INT8, shape(1, 3), Quantization.perTensor(0.5f, 1)));
        int b = s.input(s.builder.addTensor("b", TensorType.INT8, shape(1, 1), Quantization.perTensor(0.25f, 0)));
        int out = s.builder.addTensor("out", TensorType.INT8, shape(1, 3), Quantization.perTensor(0.125f, 0));
        s.op(BuiltinOperator.MUL, new BuiltinOptions.Mul(ActivationFunction.NONE), new int[] {a, b}, out);
        // multiplier 0.5*0.25/0.125 = 1: out = (a-1) * b, with b = 3 broadcast: 9-1 -> 24, 1-1 -> 0, -3-1 -> -12.
        assertArrayEquals(new int[] {24, 0, -12}, ints(s.run(bytes(9, 1, -3), bytes(3))));

        SingleOp f = new SingleOp();
        int x = f.input(f.builder.addTensor("x", TensorType.FLOAT32, shape(3)));
        int y = f.input(f.builder.addTensor("y", TensorType.FLOAT32, shape(3)));
        int o = f.builder.addTensor("o", TensorType.FLOAT32, shape(3));
        f.op(BuiltinOperator.MUL, new BuiltinOptions.Mul(ActivationFunction.RELU), new int[] {x, y}, o);
        assertArrayEquals(new float[] {6, 0, 0.25f}, f.runFloat(new float[] {2, -2, 0.5f}, new float[] {3, 3, 0.5f}));
    }

    @Test
    void int8AveragePoolRoundsHalfAwayFromZero() {
        SingleOp s = new SingleOp();
        Quantization q = Quantization.perTensor(0.1f, 0);
        int in = s.input(s.builder.addTensor("in", TensorType.INT8, shape(1, 1, 4, 1), q));
        int out = s.builder.addTensor("out", TensorType.INT8, shape(1, 1, 2, 1), q);
        s.op(BuiltinOperator.AVERAGE_POOL_2D, new BuiltinOptions.Pool2D(Padding.VALID, 2, 1, 2, 1,
                ActivationFunction.NONE), new int[] {in}, out);
        // (1 + 2) / 2 = 1.5 -> 2;  (-1 + -2) / 2 = -1.5 -> -2.
        assertArrayEquals(new int[] {2, -2}, ints(s.run(bytes(1, 2, -1, -2))));
    }

    @Test
    void floatAveragePoolCountsOnlyPositionsInsideTheImage() {
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", TensorType.FLOAT32, shape(1, 2, 2, 1)));
        int out = s.builder.addTensor("out", TensorType.FLOAT32, shape(1, 2, 2, 1));
        s.op(BuiltinOperator.AVERAGE_POOL_2D, new BuiltinOptions.Pool2D(Padding.SAME, 1, 1, 2, 2,
                ActivationFunction.NONE), new int[] {in}, out);
        // SAME 2x2, stride 1 on 2x2: padding bottom/right. (0,0): (1+2+3+4)/4; (0,1): (2+4)/2; (1,0): (3+4)/2; (1,1): 4.
        assertArrayEquals(new float[] {2.5f, 3, 3.5f, 4}, s.runFloat(new float[] {1, 2, 3, 4}));
    }

    @Test
    void maxPoolInt8AndFloat() {
        SingleOp s = new SingleOp();
        Quantization q = Quantization.perTensor(1f, -128);
        int in = s.input(s.builder.addTensor("in", TensorType.INT8, shape(1, 2, 2, 2), q));
        int out = s.builder.addTensor("out", TensorType.INT8, shape(1, 1, 1, 2), q);
        s.op(BuiltinOperator.MAX_POOL_2D, new BuiltinOptions.Pool2D(Padding.VALID, 2, 2, 2, 2,
                ActivationFunction.RELU), new int[] {in}, out);
        // channel 0 max(-128, -100, -120, -110) = -100; channel 1 all -128 (RELU bound = zp -128).
        assertArrayEquals(new int[] {-100, -128}, ints(s.run(bytes(-128, -128, -100, -128, -120, -128, -110, -128))));

        SingleOp f = new SingleOp();
        int fin = f.input(f.builder.addTensor("in", TensorType.FLOAT32, shape(1, 1, 3, 1)));
        int fout = f.builder.addTensor("out", TensorType.FLOAT32, shape(1, 1, 2, 1));
        f.op(BuiltinOperator.MAX_POOL_2D, new BuiltinOptions.Pool2D(Padding.SAME, 2, 1, 2, 1,
                ActivationFunction.NONE), new int[] {fin}, fout);
        assertArrayEquals(new float[] {-1, -3}, f.runFloat(new float[] {-5, -1, -3}));
    }

    @Test
    void meanFloatAndInt8() {
        SingleOp f = new SingleOp();
        int in = f.input(f.builder.addTensor("in", TensorType.FLOAT32, shape(1, 2, 2, 2)));
        int axis = f.builder.addInt32Constant("axis", shape(2), Quantization.NONE, 1, 2);
        int out = f.builder.addTensor("out", TensorType.FLOAT32, shape(1, 1, 1, 2));
        f.op(BuiltinOperator.MEAN, new BuiltinOptions.Reducer(true), new int[] {in, axis}, out);
        assertArrayEquals(new float[] {2.5f, 25}, f.runFloat(new float[] {1, 10, 2, 20, 3, 30, 4, 40}));

        // Same quantization: truncating integer mean of the raw values: (-7 + 0) / 2 = -3 (C division).
        SingleOp s = new SingleOp();
        Quantization q = Quantization.perTensor(0.5f, 3);
        int qin = s.input(s.builder.addTensor("in", TensorType.INT8, shape(1, 2, 2), q));
        int qaxis = s.builder.addInt32Constant("axis", shape(1), Quantization.NONE, -1);
        int qout = s.builder.addTensor("out", TensorType.INT8, shape(1, 2), q);
        s.op(BuiltinOperator.MEAN, new BuiltinOptions.Reducer(false), new int[] {qin, qaxis}, qout);
        assertArrayEquals(new int[] {-3, 5}, ints(s.run(bytes(-7, 0, 4, 7))));

        // Different quantization: (sum - zp*n) * (s_in/s_out) / n = ((6+10) - 2*2) * 2 / 2 = 12, + zp_out 1 = 13.
        SingleOp r = new SingleOp();
        int rin = r.input(r.builder.addTensor("in", TensorType.INT8, shape(1, 2), Quantization.perTensor(1f, 2)));
        int raxis = r.builder.addInt32Constant("axis", shape(1), Quantization.NONE, 1);
        int rout = r.builder.addTensor("out", TensorType.INT8, shape(1), Quantization.perTensor(0.5f, 1));
        r.op(BuiltinOperator.MEAN, new BuiltinOptions.Reducer(false), new int[] {rin, raxis}, rout);
        assertArrayEquals(new int[] {13}, ints(r.run(bytes(6, 10))));
    }

    @Test
    void padFillsWithTheZeroPointOrZero() {
        SingleOp s = new SingleOp();
        Quantization q = Quantization.perTensor(0.5f, -7);
        int in = s.input(s.builder.addTensor("in", TensorType.INT8, shape(1, 2), q));
        int pads = s.builder.addInt32Constant("pads", shape(2, 2), Quantization.NONE, 1, 0, 1, 2);
        int out = s.builder.addTensor("out", TensorType.INT8, shape(2, 5), q);
        s.op(BuiltinOperator.PAD, new BuiltinOptions.NoFields(BuiltinOptions.PAD), new int[] {in, pads}, out);
        assertArrayEquals(new int[] {-7, -7, -7, -7, -7, -7, 1, 2, -7, -7}, ints(s.run(bytes(1, 2))));

        SingleOp f = new SingleOp();
        int fin = f.input(f.builder.addTensor("in", TensorType.FLOAT32, shape(2)));
        int fpads = f.builder.addInt32Constant("pads", shape(1, 2), Quantization.NONE, 2, 1);
        int fout = f.builder.addTensor("out", TensorType.FLOAT32, shape(5));
        f.op(BuiltinOperator.PAD, new BuiltinOptions.NoFields(BuiltinOptions.PAD), new int[] {fin, fpads}, fout);
        assertArrayEquals(new float[] {0, 0, 3, 4, 0}, f.runFloat(new float[] {3, 4}));
    }

    @Test
    void concatenationAlongLastAndMiddleAxes() {
        SingleOp s = new SingleOp();
        int a = s.input(s.builder.addTensor("a", TensorType.FLOAT32, shape(2, 1)));
        int b = s.input(s.builder.addTensor("b", TensorType.FLOAT32, shape(2, 2)));
        int out = s.builder.addTensor("out", TensorType.FLOAT32, shape(2, 3));
        s.op(BuiltinOperator.CONCATENATION, new BuiltinOptions.Concatenation(-1, ActivationFunction.NONE),
                new int[] {a, b}, out);
        assertArrayEquals(new float[] {1, 10, 11, 2, 20, 21}, s.runFloat(new float[] {1, 2}, new float[] {10, 11, 20, 21}));

        SingleOp q = new SingleOp();
        Quantization qp = Quantization.perTensor(0.1f, 0);
        int qa = q.input(q.builder.addTensor("a", TensorType.INT8, shape(1, 1, 2), qp));
        int qb = q.input(q.builder.addTensor("b", TensorType.INT8, shape(1, 1, 2), qp));
        int qo = q.builder.addTensor("o", TensorType.INT8, shape(1, 2, 2), qp);
        q.op(BuiltinOperator.CONCATENATION, new BuiltinOptions.Concatenation(1, ActivationFunction.NONE),
                new int[] {qa, qb}, qo);
        assertArrayEquals(new int[] {1, 2, 3, 4}, ints(q.run(bytes(1, 2), bytes(3, 4))));
    }

    @Test
    void reshapeCopiesBytes() {
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", TensorType.FLOAT32, shape(1, 2, 2)));
        int out = s.builder.addTensor("out", TensorType.FLOAT32, shape(4));
        s.op(BuiltinOperator.RESHAPE, new BuiltinOptions.Reshape(List.of(4)), new int[] {in}, out);
        assertArrayEquals(new float[] {1, -2, 3, -4}, s.runFloat(new float[] {1, -2, 3, -4}));
    }

    @Test
    void copyingOperatorsRejectDifferentQuantization() {
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", TensorType.INT8, shape(1, 1, 2, 1), Quantization.perTensor(0.1f, 0)));
        int out = s.builder.addTensor("out", TensorType.INT8, shape(1, 1, 1, 1), Quantization.perTensor(0.2f, 0));
        s.op(BuiltinOperator.AVERAGE_POOL_2D, new BuiltinOptions.Pool2D(Padding.VALID, 2, 1, 2, 1,
                ActivationFunction.NONE), new int[] {in}, out);
        var e = org.junit.jupiter.api.Assertions.assertThrows(UnsupportedModelException.class,
                () -> ReferenceInterpreter.prepare(s.model()));
        assertTrue(e.getMessage().startsWith("AVERAGE_POOL_2D (operator 0): int8 input 'in'"), e.getMessage());
        assertEquals(true, e.getMessage().contains("must share quantization parameters"));
    }
}
