package dev.tinysim.differential;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;

import java.util.ArrayList;
import java.util.List;

import static dev.tinysim.differential.Gen.prod;

/**
 * The elementwise and activation operators (SUB, MAXIMUM, MINIMUM, SQUARED_DIFFERENCE, DIV, PRELU,
 * TANH, HARD_SWISH, LEAKY_RELU, EXP, RSQRT, LOG_SOFTMAX, CAST) and the int16 (16x8) variants of ADD, MUL,
 * SOFTMAX and LOGISTIC: numpy broadcasting up to rank 6 in either direction, every fused activation, random
 * quantization, CAST between every supported pair of types.
 */
final class ElementwiseOperatorCases implements OperatorCases {

    /** CAST's input types; its output type is drawn per model from {@link #CAST_OUTPUTS}. */
    private static final List<String> CAST_INPUTS = List.of("int8", "int16", "int32", "float32", "bool");
    private static final List<TensorType> CAST_OUTPUTS = List.of(TensorType.INT8, TensorType.INT16,
            TensorType.INT32, TensorType.FLOAT32);

    /** The float32-only elementwise math operators (TFLM elementwise.cc, neg.cc, floor.cc, ceil.cc, round.cc). */
    private static final List<BuiltinOperator> MATH_FLOAT32 = List.of(BuiltinOperator.NEG, BuiltinOperator.SQRT,
            BuiltinOperator.SQUARE, BuiltinOperator.FLOOR, BuiltinOperator.CEIL, BuiltinOperator.ROUND);

    private static final List<BuiltinOperator> COMPARISONS = List.of(BuiltinOperator.EQUAL, BuiltinOperator.NOT_EQUAL,
            BuiltinOperator.LESS, BuiltinOperator.LESS_EQUAL, BuiltinOperator.GREATER, BuiltinOperator.GREATER_EQUAL);

    @Override
    public List<Variant> variants() {
        List<Variant> v = new ArrayList<>();
        for (String t : List.of("int8", "int16", "float32")) {
            v.add(new Variant(BuiltinOperator.SUB, t));
        }
        v.add(new Variant(BuiltinOperator.ADD, "int16"));
        v.add(new Variant(BuiltinOperator.MUL, "int16"));
        v.add(new Variant(BuiltinOperator.SOFTMAX, "int16"));
        v.add(new Variant(BuiltinOperator.SOFTMAX, "int8-to-int16"));
        for (BuiltinOperator op : List.of(BuiltinOperator.MAXIMUM, BuiltinOperator.MINIMUM)) {
            for (String t : List.of("int8", "int16", "int32", "float32")) {
                v.add(new Variant(op, t));
            }
        }
        for (BuiltinOperator op : List.of(BuiltinOperator.SQUARED_DIFFERENCE, BuiltinOperator.DIV,
                BuiltinOperator.PRELU, BuiltinOperator.HARD_SWISH, BuiltinOperator.LEAKY_RELU, BuiltinOperator.RSQRT,
                BuiltinOperator.LOG_SOFTMAX)) {
            for (String t : List.of("int8", "float32")) {
                v.add(new Variant(op, t));
            }
        }
        v.add(new Variant(BuiltinOperator.EXP, "float32"));
        for (String t : List.of("int8", "int16", "float32")) {
            v.add(new Variant(BuiltinOperator.TANH, t));
        }
        v.add(new Variant(BuiltinOperator.LOGISTIC, "int16"));
        for (String t : CAST_INPUTS) {
            v.add(new Variant(BuiltinOperator.CAST, t));
        }
        for (String t : List.of("int8", "int16", "float32")) {
            v.add(new Variant(BuiltinOperator.ABS, t));
        }
        for (BuiltinOperator op : MATH_FLOAT32) {
            v.add(new Variant(op, "float32"));
        }
        v.add(new Variant(BuiltinOperator.ZEROS_LIKE, "int32"));
        v.add(new Variant(BuiltinOperator.ZEROS_LIKE, "float32"));
        for (BuiltinOperator op : COMPARISONS) {
            for (String t : List.of("int8", "int32", "float32")) {
                v.add(new Variant(op, t));
            }
        }
        v.add(new Variant(BuiltinOperator.FLOOR_DIV, "float32"));
        for (String t : List.of("int8", "int32", "float32")) {
            v.add(new Variant(BuiltinOperator.FILL, t));
        }
        for (String t : List.of("int8", "int16", "float32")) {
            v.add(new Variant(BuiltinOperator.SELECT_V2, t));
        }
        v.add(new Variant(BuiltinOperator.EQUAL, "bool"));
        v.add(new Variant(BuiltinOperator.NOT_EQUAL, "bool"));
        return v;
    }

    private static TensorType type(String name) {
        return switch (name) {
            case "int32" -> TensorType.INT32;
            case "bool" -> TensorType.BOOL;
            case "int8-to-int16" -> TensorType.INT8;
            default -> Gen.activationType(name);
        };
    }

    @Override
    public void build(Variant v, Gen g, ModelBuilder b) {
        TensorType t = type(v.type());
        switch (v.op()) {
            case SUB, ADD, MUL, DIV -> arithmetic(v.op(), t, g, b);
            case MAXIMUM, MINIMUM, SQUARED_DIFFERENCE -> binary(v.op(), t, g, b);
            case PRELU -> prelu(t, g, b);
            case SOFTMAX -> softmax(v.type(), g, b);
            case HARD_SWISH, LEAKY_RELU, EXP, RSQRT, LOG_SOFTMAX -> unary(v.op(), t, g, b);
            case CAST -> cast(t, g, b);
            case ABS, NEG, SQRT, SQUARE, FLOOR, CEIL, ROUND, ZEROS_LIKE -> math(v.op(), t, g, b);
            case EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL -> compare(v.op(), t, g, b);
            case FLOOR_DIV -> floorDiv(g, b);
            case SELECT_V2 -> select(t, g, b);
            case FILL -> fill(t, g, b);
            case TANH, LOGISTIC -> {
                if (t == TensorType.INT16) {
                    int16Activation(v.op(), g, b);
                } else {
                    unary(v.op(), t, g, b);
                }
            }
            default -> throw new IllegalArgumentException("not in this family: " + v);
        }
    }

    /** Shapes of the graph input, the constant operand and the output: both operands may broadcast. */
    private static int[][] broadcastShapes(Gen g) {
        int rank = g.r(1, 6);
        int[] full = g.shape(rank, 1, rank <= 3 ? 5 : 3);
        int[] a = full.clone();
        int[] c = full.clone();
        for (int i = 0; i < rank; i++) {
            int pick = g.r(0, 5);
            if (pick == 0) {
                a[i] = 1;
            } else if (pick == 1) {
                c[i] = 1;
            }
        }
        int dropA = g.r(0, 3) == 0 ? g.r(0, rank - 1) : 0; // fewer dimensions: right-aligned
        int dropC = g.r(0, 3) == 0 ? g.r(0, rank - 1) : 0;
        for (int i = 0; i < dropA; i++) {
            a[i] = 1;
        }
        for (int i = 0; i < dropC; i++) {
            c[i] = 1;
        }
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            out[i] = Math.max(a[i], c[i]);
        }
        return new int[][] {java.util.Arrays.copyOfRange(a, dropA, rank), java.util.Arrays.copyOfRange(c, dropC, rank),
                out};
    }

    /** Activation quantization of {@code t}: int8 random, int16 symmetric (sometimes not, where allowed). */
    private static Quantization q(TensorType t, Gen g, boolean int16ZeroPointFree) {
        if (t == TensorType.INT16) {
            Quantization q = g.q16();
            return int16ZeroPointFree && g.r(0, 3) == 0 ? Quantization.perTensor(q.scaleValue(), g.r(-300, 300)) : q;
        }
        return t == TensorType.INT8 ? g.q() : Quantization.NONE;
    }

    /** A random constant of {@code t}: int8, int16, int32 or float32 (values in +-2). */
    private static int constant(ModelBuilder b, Gen g, TensorType t, int[] shape, Quantization q) {
        return t == TensorType.INT32 ? b.addInt32Constant("k", shape, Quantization.NONE, g.ints(prod(shape), 5000))
                : g.constant(b, "k", t, shape, q);
    }

    /** SUB, ADD, MUL, DIV: broadcasting, a fused activation; the graph input is either operand. */
    private static void arithmetic(BuiltinOperator op, TensorType t, Gen g, ModelBuilder b) {
        int[][] s = broadcastShapes(g);
        boolean zeroPointFree = op == BuiltinOperator.SUB || op == BuiltinOperator.ADD;
        int in = Gen.activation(b, "a", t, s[0], q(t, g, zeroPointFree));
        int other = constant(b, g, t, s[1], q(t, g, zeroPointFree));
        int out = Gen.activation(b, "out", t, s[2], q(t, g, zeroPointFree));
        ActivationFunction act = g.act();
        BuiltinOptions o = switch (op) {
            case SUB -> new BuiltinOptions.Sub(act, g.coin());
            case ADD -> new BuiltinOptions.Add(act, g.coin());
            case MUL -> new BuiltinOptions.Mul(act);
            default -> new BuiltinOptions.Div(act);
        };
        b.addOperator(op, o, g.coin() ? new int[] {in, other} : new int[] {other, in}, new int[] {out});
        b.inputs(in).outputs(out);
    }

    /** MAXIMUM, MINIMUM, SQUARED_DIFFERENCE: broadcasting, no options but the (fieldless) table. */
    private static void binary(BuiltinOperator op, TensorType t, Gen g, ModelBuilder b) {
        int[][] s = broadcastShapes(g);
        Quantization qi = q(t, g, false);
        // MAXIMUM/MINIMUM compare raw values: the converter gives inputs and output one quantization
        boolean shared = op != BuiltinOperator.SQUARED_DIFFERENCE;
        int in = Gen.activation(b, "a", t, s[0], qi);
        int other = constant(b, g, t, s[1], shared ? qi : q(t, g, false));
        int out = Gen.activation(b, "out", t, s[2], shared ? qi : q(t, g, false));
        int union = op == BuiltinOperator.SQUARED_DIFFERENCE ? BuiltinOptions.SQUARED_DIFFERENCE
                : BuiltinOptions.MAXIMUM_MINIMUM;
        b.addOperator(op, new BuiltinOptions.NoFields(union), g.coin() ? new int[] {in, other} : new int[] {other, in},
                new int[] {out});
        b.inputs(in).outputs(out);
    }

    /** PRELU: alpha a constant that broadcasts over the input (per channel, per position or scalar). */
    private static void prelu(TensorType t, Gen g, ModelBuilder b) {
        int[][] s = broadcastShapes(g);
        int in = Gen.activation(b, "in", t, s[0], q(t, g, false));
        int alpha = t == TensorType.INT8
                ? b.addInt8Constant("alpha", s[1], Quantization.perTensor((float) (0.002 + g.unit() * 0.01), g.r(-20, 20)),
                g.bytes(prod(s[1])))
                : b.addFloatConstant("alpha", s[1], g.floats(prod(s[1]), 0.5f));
        int out = Gen.activation(b, "out", t, s[2], q(t, g, false));
        b.addOperator(BuiltinOperator.PRELU, BuiltinOptions.NONE, new int[] {in, alpha}, new int[] {out});
        b.inputs(in).outputs(out);
    }

    private static void softmax(String type, Gen g, ModelBuilder b) {
        int[] s = g.coin() ? new int[] {g.r(1, 3), g.r(1, 40)} : new int[] {1, g.r(1, 4), g.r(1, 12)};
        boolean int16In = type.equals("int16");
        int in = int16In ? b.addTensor("in", TensorType.INT16, s, g.q16())
                : b.addTensor("in", TensorType.INT8, s, g.q());
        int out = b.addTensor("out", TensorType.INT16, s, int16In ? Quantization.perTensor(1f / 32768, 0)
                : Quantization.perTensor(1f / 65536, -32768));
        float beta = (float) (0.3 + g.unit() * 2);
        b.addOperator(BuiltinOperator.SOFTMAX, new BuiltinOptions.Softmax(beta), new int[] {in}, new int[] {out});
        b.inputs(in).outputs(out);
    }

    /** One-input operators; a float input carries a quantization only to widen the generated values. */
    private static void unary(BuiltinOperator op, TensorType t, Gen g, ModelBuilder b) {
        int rank = g.r(1, 4);
        int[] s = g.shape(rank, 1, 6);
        Quantization qi;
        Quantization qo;
        if (t == TensorType.FLOAT32) {
            qi = Quantization.perTensor((float) (0.01 + g.unit() * 0.15), 0); // values within about +-20
            qo = Quantization.NONE;
        } else if (op == BuiltinOperator.RSQRT) {
            // TFLM fails at run time on inputs below the zero point: mostly -128, sometimes not (both fail)
            qi = Quantization.perTensor(g.scale(), g.r(0, 4) == 0 ? g.r(-128, -100) : -128);
            qo = Quantization.perTensor((float) (0.05 + g.unit()), g.r(-128, -60));
        } else if (op == BuiltinOperator.LOG_SOFTMAX) {
            qi = g.q();
            qo = Quantization.perTensor(16f / 256, 127);
        } else if (op == BuiltinOperator.TANH) {
            qi = Quantization.perTensor((float) (0.005 + g.unit() * 0.1), g.r(-30, 30));
            qo = Quantization.perTensor(1f / 128, 0); // TFLM's int8 TANH output, whatever the tensor says
        } else {
            qi = g.q();
            qo = g.q();
        }
        int in = b.addTensor("in", t, s, qi);
        int out = b.addTensor("out", t, s, qo);
        BuiltinOptions o = switch (op) {
            case LEAKY_RELU -> new BuiltinOptions.LeakyRelu(g.r(0, 5) == 0 ? 0f : (float) (g.unit() * 3 - 1.5));
            case HARD_SWISH -> new BuiltinOptions.NoFields(BuiltinOptions.HARD_SWISH);
            case EXP -> new BuiltinOptions.NoFields(BuiltinOptions.EXP);
            case LOG_SOFTMAX -> new BuiltinOptions.NoFields(BuiltinOptions.LOG_SOFTMAX);
            default -> BuiltinOptions.NONE;
        };
        b.addOperator(op, o, new int[] {in}, new int[] {out});
        b.inputs(in).outputs(out);
    }

    /**
     * int16 TANH / LOGISTIC: the power-of-two input scales TFLite's LSTM-style models use (2^-12, and
     * 2^-11 for TANH) or a general one; output scale 2^-15.
     */
    private static void int16Activation(BuiltinOperator op, Gen g, ModelBuilder b) {
        int[] s = g.shape(g.r(1, 3), 1, 8);
        int pick = g.r(0, 3);
        float scale = pick == 0 ? 1f / 4096 : pick == 1 && op == BuiltinOperator.TANH ? 1f / 2048
                : g.q16().scaleValue();
        int in = b.addTensor("in", TensorType.INT16, s, Quantization.perTensor(scale, 0));
        int out = b.addTensor("out", TensorType.INT16, s, Quantization.perTensor(1f / 32768, 0));
        b.addOperator(op, BuiltinOptions.NONE, new int[] {in}, new int[] {out});
        b.inputs(in).outputs(out);
    }

    /** CAST from the variant's type to a random one of int8, int16, int32, float32. */
    private static void cast(TensorType from, Gen g, ModelBuilder b) {
        int[] s = g.shape(g.r(1, 3), 1, 8);
        TensorType to = CAST_OUTPUTS.get(g.r(0, CAST_OUTPUTS.size() - 1));
        // a float input with a wide quantization range (values up to about +-40000), so that narrowing wraps
        Quantization qi = from == TensorType.FLOAT32 ? Quantization.perTensor((float) (0.01 + g.unit() * 300), 0)
                : Quantization.NONE;
        int in = b.addTensor("in", from, s, qi);
        int out = b.addTensor("out", to, s);
        b.addOperator(BuiltinOperator.CAST, new BuiltinOptions.Cast(from.code(), to.code()), new int[] {in},
                new int[] {out});
        b.inputs(in).outputs(out);
    }

    /**
     * ABS (int8: the same or another quantization, so both TFLM paths run; int16: symmetric, sometimes without
     * quantization), the float32 math operators (values within about +-20, negatives for SQRT's NaN) and ZEROS_LIKE.
     * Exact halves for ROUND, FLOOR and CEIL come from a FLOOR then a MUL by 0.5 in front of them, half the time.
     */
    private static void math(BuiltinOperator op, TensorType t, Gen g, ModelBuilder b) {
        int[] s = g.shape(g.r(1, 4), 1, 6);
        Quantization qi;
        Quantization qo;
        if (t == TensorType.INT8) {
            qi = g.q();
            qo = g.coin() ? qi : g.q();
        } else if (t == TensorType.INT16) {
            int pick = g.r(0, 2);
            qi = pick == 0 ? Quantization.NONE : g.q16();
            qo = pick == 0 ? Quantization.NONE : pick == 1 ? qi : g.q16();
        } else if (t == TensorType.FLOAT32) {
            qi = Quantization.perTensor((float) (0.01 + g.unit() * 0.15), 0); // only widens the generated values
            qo = Quantization.NONE;
        } else {
            qi = Quantization.NONE;
            qo = Quantization.NONE;
        }
        int in = b.addTensor("in", t, s, qi);
        int x = in;
        boolean halves = g.coin() && (op == BuiltinOperator.ROUND || op == BuiltinOperator.FLOOR || op == BuiltinOperator.CEIL);
        if (halves) {
            int floored = b.addTensor("floored", t, s);
            b.addOperator(BuiltinOperator.FLOOR, BuiltinOptions.NONE, new int[] {in}, new int[] {floored});
            int half = b.addFloatConstant("half", new int[] {1}, 0.5f);
            x = b.addTensor("halves", t, s);
            b.addOperator(BuiltinOperator.MUL, new BuiltinOptions.Mul(ActivationFunction.NONE), new int[] {floored, half},
                    new int[] {x});
        }
        int out = b.addTensor("out", t, s, qo);
        b.addOperator(op, BuiltinOptions.NONE, new int[] {x}, new int[] {out});
        b.inputs(in).outputs(out);
    }

    /**
     * A comparison with broadcasting (mostly up to rank 4; beyond, with differing shapes, both sides refuse), either
     * operand the graph input. So that equal values occur, half the time the graph input first goes to a few values:
     * int8 / int32 clamped by MINIMUM and MAXIMUM to zp +- 3 (int8: the constant shares the input's quantization),
     * float32 through FLOOR (integers against a constant of small integers).
     */
    private static void compare(BuiltinOperator op, TensorType t, Gen g, ModelBuilder b) {
        int[][] s = broadcastShapes(g);
        while (s[2].length > 4 && g.r(0, 4) != 0) {
            s = broadcastShapes(g);
        }
        boolean few = g.coin();
        Quantization qa = t == TensorType.INT8 ? g.q() : Quantization.NONE;
        Quantization qc = t == TensorType.INT8 && !(few && g.coin()) ? g.q() : qa;
        int in = b.addTensor("a", t, s[0], t == TensorType.FLOAT32
                ? Quantization.perTensor((float) (0.01 + g.unit() * 0.15), 0) : qa);
        int x = in;
        int n = prod(s[1]);
        int other;
        int zp = t == TensorType.INT8 ? qa.zeroPointValue() : 0;
        if (few && (t == TensorType.INT8 || t == TensorType.INT32)) {
            int hi = t == TensorType.INT8 ? b.addInt8Constant("hi", new int[] {1}, qa, (byte) Math.min(127, zp + 3))
                    : b.addInt32Constant("hi", new int[] {1}, Quantization.NONE, 3);
            int lo = t == TensorType.INT8 ? b.addInt8Constant("lo", new int[] {1}, qa, (byte) Math.max(-128, zp - 3))
                    : b.addInt32Constant("lo", new int[] {1}, Quantization.NONE, -3);
            int mid = b.addTensor("min", t, s[0], qa);
            b.addOperator(BuiltinOperator.MINIMUM, BuiltinOptions.NONE, new int[] {x, hi}, new int[] {mid});
            x = b.addTensor("clamped", t, s[0], qa);
            b.addOperator(BuiltinOperator.MAXIMUM, BuiltinOptions.NONE, new int[] {mid, lo}, new int[] {x});
        } else if (few && t == TensorType.FLOAT32) {
            x = b.addTensor("floored", t, s[0]);
            b.addOperator(BuiltinOperator.FLOOR, BuiltinOptions.NONE, new int[] {in}, new int[] {x});
        }
        int[] small = new int[n];
        for (int i = 0; i < n; i++) {
            small[i] = g.r(-3, 3);
        }
        if (t == TensorType.INT8) {
            byte[] raw = few ? new byte[n] : g.bytes(n);
            for (int i = 0; few && i < n; i++) {
                raw[i] = (byte) Math.max(-128, Math.min(127, zp + small[i]));
            }
            other = b.addInt8Constant("k", s[1], qc, raw);
        } else if (t == TensorType.INT32) {
            other = b.addInt32Constant("k", s[1], Quantization.NONE, few ? small : g.ints(n, 1000));
        } else if (t == TensorType.FLOAT32) {
            float[] f = few ? new float[n] : g.floats(n, 20f);
            for (int i = 0; few && i < n; i++) {
                f[i] = small[i];
            }
            other = b.addFloatConstant("k", s[1], f);
        } else { // bool
            byte[] raw = new byte[n];
            for (int i = 0; i < n; i++) {
                raw[i] = (byte) g.r(0, 1);
            }
            other = b.addConstant("k", TensorType.BOOL, s[1], Quantization.NONE, raw);
        }
        int out = b.addTensor("out", TensorType.BOOL, s[2]);
        b.addOperator(op, BuiltinOptions.NONE, g.coin() ? new int[] {x, other} : new int[] {other, x}, new int[] {out});
        b.inputs(in).outputs(out);
    }

    /**
     * FLOOR_DIV: values within about +-20 over a constant divisor (small integers, halves and random values, so that
     * exact quotients and their floors occur; a zero in one model in six, which both sides refuse at run time), the
     * graph input either operand.
     */
    private static void floorDiv(Gen g, ModelBuilder b) {
        int[][] s = broadcastShapes(g);
        while (s[2].length > 4 && g.r(0, 4) != 0) {
            s = broadcastShapes(g);
        }
        int in = b.addTensor("a", TensorType.FLOAT32, s[0], Quantization.perTensor((float) (0.01 + g.unit() * 0.15), 0));
        int n = prod(s[1]);
        float[] k = new float[n];
        boolean zero = g.r(0, 5) == 0;
        for (int i = 0; i < n; i++) {
            int pick = g.r(0, 2);
            k[i] = pick == 0 ? g.r(1, 4) * (g.coin() ? 1 : -1) : pick == 1 ? g.r(1, 7) * 0.5f * (g.coin() ? 1 : -1)
                    : (float) (g.unit() * 6 - 3);
            if (k[i] == 0f && !zero) {
                k[i] = 1f;
            }
        }
        if (zero) {
            k[g.r(0, n - 1)] = 0f;
        }
        int other = b.addFloatConstant("k", s[1], k);
        int out = b.addTensor("out", TensorType.FLOAT32, s[2]);
        boolean numerator = g.coin();
        b.addOperator(BuiltinOperator.FLOOR_DIV, BuiltinOptions.NONE, numerator ? new int[] {in, other} : new int[] {other, in},
                new int[] {out});
        b.inputs(in).outputs(out);
    }

    /**
     * SELECT_V2: condition (a bool graph input) and x (a graph input) and y (a constant), the three shapes broadcast
     * (the condition's is x's, y's, the output's or [1]; beyond rank 5 with differing shapes both sides refuse); int8
     * and int16 with unrelated quantizations (the raw values are selected, as TFLM).
     */
    private static void select(TensorType t, Gen g, ModelBuilder b) {
        int[][] s = broadcastShapes(g);
        while (s[2].length > 5 && g.r(0, 4) != 0) {
            s = broadcastShapes(g);
        }
        int pick = g.r(0, 3);
        int[] cs = pick == 0 ? s[0] : pick == 1 ? s[1] : pick == 2 ? s[2] : new int[] {1};
        int cond = b.addTensor("cond", TensorType.BOOL, cs);
        int x = b.addTensor("x", t, s[0], q(t, g, false));
        int y = constant(b, g, t, s[1], q(t, g, false));
        int out = b.addTensor("out", t, s[2], q(t, g, false));
        b.addOperator(BuiltinOperator.SELECT_V2, BuiltinOptions.NONE, new int[] {cond, x, y}, new int[] {out});
        b.inputs(cond, x).outputs(out);
    }

    /** FILL: a scalar graph input copied into a shape of rank 1 to 4 given by a constant int32 or int64 dims vector. */
    private static void fill(TensorType t, Gen g, ModelBuilder b) {
        int[] s = g.shape(g.r(1, 4), 1, 5); // rank 0 would need an empty dims vector, which both sides refuse
        int value = b.addTensor("value", t, new int[0], q(t, g, false));
        int dims;
        if (g.coin()) {
            dims = b.addInt32Constant("dims", new int[] {s.length}, Quantization.NONE, s);
        } else {
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(8 * s.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int x : s) {
                bb.putLong(x);
            }
            dims = b.addConstant("dims", TensorType.INT64, new int[] {s.length}, Quantization.NONE, bb.array());
        }
        int out = b.addTensor("out", t, s, q(t, g, false));
        b.addOperator(BuiltinOperator.FILL, BuiltinOptions.NONE, new int[] {dims, value}, new int[] {out});
        b.inputs(value).outputs(out);
    }
}
