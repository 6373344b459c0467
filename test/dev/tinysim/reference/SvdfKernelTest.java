package dev.tinysim.reference;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SVDF on TFLite Micro's own test vectors (tensorflow/lite/micro/kernels/svdf_test.cc, the "2x2x10" case:
 * batch 2, 4 units, input size 2, memory 10, rank 2, a sequence of 10 inputs whose expected outputs depend on
 * the state carried from one invoke to the next), float32 and int8 with int16 and int8 state, run through a
 * {@link ReferenceSession}; plus the preconditions TFLM checks.
 */
class SvdfKernelTest {

    // svdf_test.cc: input_data_2x2x10 (10 inputs of shape [2, 2])
    static final float[] INPUT = {
        0.12609188f, -0.46347019f, 0.35867718f, 0.36897406f,
        0.14278367f, -1.64410412f, -0.57290924f, 0.12729003f,
        0.49837467f, 0.19278903f, 0.17660543f, 0.52949083f,
        -0.11186574f, 0.13164264f, -0.72674477f, -0.5683046f,
        -0.68892461f, 0.37783599f, -0.63690937f, 0.44483393f,
        -0.81299269f, -0.86831826f, -0.95760226f, 1.82078898f,
        -1.45006323f, -0.82251364f, -1.65087092f, -1.89238167f,
        0.03966608f, -0.24936394f, 2.06740379f, -1.51439476f,
        0.11771342f, -0.23761693f, 0.31088525f, -1.55601168f,
        -0.89477462f, 1.67204106f, -0.6230064f, 0.29819036f};
    // feature_weights_data_2x2x10, shape [8, 2]
    static final float[] FEATURE = {
        -0.31930989f, 0.0079667f, 0.39296314f, 0.37613347f, 0.12416199f, 0.15785322f,
        0.27901134f, 0.3905206f, 0.21931258f, -0.36137494f, -0.10640851f, 0.31053296f,
        -0.36118156f, -0.0976817f, -0.36916667f, 0.22197971f};
    // time_weights_data_2x2x10, shape [8, 10]
    static final float[] TIME = {
        -0.31930989f, 0.37613347f, 0.27901134f, -0.36137494f, -0.36118156f,
        0.22197971f, 0.27557442f, -0.06634006f, 0.0079667f, 0.12416199f,
        0.3905206f, -0.10640851f, -0.0976817f, 0.15294972f, 0.39635518f,
        -0.02702999f, 0.39296314f, 0.15785322f, 0.21931258f, 0.31053296f,
        -0.36916667f, 0.38031587f, -0.21580373f, 0.27072677f, 0.23622236f,
        0.34936687f, 0.18174365f, 0.35907319f, -0.17493086f, 0.324846f,
        -0.10781813f, 0.27201805f, 0.14324132f, -0.23681851f, -0.27115166f,
        -0.01580888f, -0.14943552f, 0.15465137f, 0.09784451f, -0.0337657f,
        -0.14884081f, 0.19931212f, -0.36002168f, 0.34663299f, -0.11405486f,
        0.12672701f, 0.39463779f, -0.07886535f, -0.06384811f, 0.08249187f,
        -0.26816407f, -0.19905911f, 0.29211238f, 0.31264046f, -0.28664589f,
        0.05698794f, 0.11613581f, 0.14078894f, 0.02187902f, -0.21781836f,
        -0.15567942f, 0.08693647f, -0.38256618f, 0.36580828f, -0.22922277f,
        -0.0226903f, 0.12878349f, -0.28122205f, -0.10850525f, -0.11955214f,
        0.27179423f, -0.04710215f, 0.31069002f, 0.22672787f, 0.09580326f,
        0.08682203f, 0.1258215f, 0.1851041f, 0.29228821f, 0.12366763f};
    // golden_output_2x2x10: 10 outputs of shape [2, 4]
    static final float[] GOLDEN = {
        -0.044205f, -0.013757f, 0.050369f, -0.018447f, 0.073010f, 0.025142f, -0.021154f, 0.013551f,
        -0.209613f, -0.062421f, 0.150209f, -0.108334f, 0.028256f, -0.006950f, -0.030885f, 0.009603f,
        -0.076800f, -0.037075f, -0.087198f, -0.155183f, 0.091069f, 0.098446f, -0.016083f, 0.106475f,
        -0.082123f, -0.162238f, -0.084434f, -0.141074f, -0.029340f, -0.090685f, 0.053302f, -0.030604f,
        -0.201440f, 0.088424f, 0.139877f, 0.012416f, -0.113212f, 0.103893f, -0.100842f, 0.122780f,
        -0.166632f, -0.116705f, 0.175298f, -0.047163f, 0.313077f, -0.166485f, -0.285860f, 0.129069f,
        -0.625911f, 0.046134f, 0.138081f, -0.129581f, -0.521455f, -0.061579f, 0.230289f, 0.114963f,
        -0.216693f, -0.161643f, -0.179177f, -0.052599f, -0.213239f, 0.029502f, 0.260858f, 0.275045f,
        -0.213689f, -0.323608f, -0.285635f, -0.317687f, -0.324092f, -0.317972f, -0.208450f, -0.462504f,
        -0.255126f, -0.218576f, -0.041528f, 0.179421f, -0.440583f, 0.072127f, -0.284136f, 0.241570f};

    static final int BATCH = 2;
    static final int UNITS = 4;
    static final int INPUT_SIZE = 2;
    static final int MEMORY = 10;
    static final int RANK = 2;
    static final int FILTERS = UNITS * RANK;

    private static TfliteModel read(ModelBuilder b) {
        try {
            return TfliteReader.read(b.toBytes(), "svdf.tflite");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static TfliteModel floatModel(ActivationFunction act) {
        ModelBuilder b = new ModelBuilder();
        int in = b.addTensor("in", TensorType.FLOAT32, new int[] {BATCH, INPUT_SIZE});
        int wf = b.addFloatConstant("weights_feature", new int[] {FILTERS, INPUT_SIZE}, FEATURE);
        int wt = b.addFloatConstant("weights_time", new int[] {FILTERS, MEMORY}, TIME);
        int bias = b.addFloatConstant("bias", new int[] {UNITS}, new float[UNITS]);
        int state = b.addVariable("state", TensorType.FLOAT32, new int[] {BATCH, MEMORY * FILTERS}, Quantization.NONE);
        int out = b.addTensor("out", TensorType.FLOAT32, new int[] {BATCH, UNITS});
        b.addOperator(BuiltinOperator.SVDF, new BuiltinOptions.Svdf(RANK, act, false), new int[] {in, wf, wt, bias, state},
                new int[] {out});
        b.inputs(in).outputs(out);
        return read(b);
    }

    private static float[] floats(byte[] b) {
        float[] f = new float[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    private static byte[] step(float[] all, int i) {
        return TensorValues.fromFloats(Arrays.copyOfRange(all, i * BATCH * INPUT_SIZE, (i + 1) * BATCH * INPUT_SIZE));
    }

    @Test
    void floatSequenceMatchesTflmGoldensWithStateCarried() {
        TfliteModel m = floatModel(ActivationFunction.NONE);
        ReferenceSession session = ReferenceInterpreter.prepare(m).newSession();
        for (int i = 0; i < 10; i++) {
            float[] got = floats(session.invoke(List.of(step(INPUT, i))).get(0));
            for (int k = 0; k < BATCH * UNITS; k++) {
                assertEquals(GOLDEN[i * BATCH * UNITS + k], got[k], 1e-5f, "step " + i + " output " + k);
            }
        }
        assertEquals(10, session.invokes());
        // Without the carried state the later steps differ: the state is what the goldens test.
        float[] fresh = floats(ReferenceInterpreter.run(m, List.of(step(INPUT, 1))).get(0));
        assertTrue(Math.abs(fresh[0] - GOLDEN[8]) > 1e-3f, "fresh " + fresh[0]);
        // reset() starts over
        session.reset();
        assertEquals(GOLDEN[0], floats(session.invoke(List.of(step(INPUT, 0))).get(0))[0], 1e-5f);
    }

    @Test
    void floatActivationsAreTflmsActivationValFloat() {
        assertEquals(0.0f, SvdfKernel.activate(ActivationFunction.RELU, -3f));
        assertEquals(0.0f, SvdfKernel.activate(ActivationFunction.RELU, Float.NaN));   // std::max(0, NaN) = 0
        assertEquals(1.0f, SvdfKernel.activate(ActivationFunction.RELU_N1_TO_1, 7f));
        assertEquals(6.0f, SvdfKernel.activate(ActivationFunction.RELU6, 7f));
        assertEquals(DeterministicMath.tanhf(0.3f), SvdfKernel.activate(ActivationFunction.TANH, 0.3f));
        assertEquals(1.0f, SvdfKernel.activate(ActivationFunction.SIGN_BIT, -0.0f));
        assertEquals(0.0f, SvdfKernel.activate(ActivationFunction.SIGN_BIT, 2f));
        // the float model with RELU: the goldens clamped at 0 (first step)
        float[] got = floats(ReferenceInterpreter.run(floatModel(ActivationFunction.RELU), List.of(step(INPUT, 0))).get(0));
        for (int k = 0; k < BATCH * UNITS; k++) {
            assertEquals(Math.max(0f, GOLDEN[k]), got[k], 1e-5f);
        }
    }

    /** tflite::testing's Quantize: round half away from zero, plus the zero point, clamped to the type. */
    private static int q(float v, float scale, int zp, int lo, int hi) {
        return (int) Math.max(lo, Math.min(hi, DeterministicMath.roundHalfAway(v / scale) + zp));
    }

    /** SvdfQuantized2x2Input2x4OutputShouldMatchGolden&lt;T&gt; of svdf_test.cc: T = int16 or int8 state. */
    private static void quantizedSequence(boolean int16) {
        int tmax = int16 ? Short.MAX_VALUE : Byte.MAX_VALUE;
        int tmin = int16 ? Short.MIN_VALUE : Byte.MIN_VALUE;
        float inScale = 2.5f / 127;
        float featureScale = 1.0f / 127;
        float timeScale = 1.0f / tmax;
        float stateScale = 1.49f / tmax;
        float outScale = 1.0f / 127;
        ModelBuilder b = new ModelBuilder();
        int in = b.addTensor("in", TensorType.INT8, new int[] {BATCH, INPUT_SIZE}, Quantization.perTensor(inScale, 0));
        byte[] wfq = new byte[FEATURE.length];
        for (int i = 0; i < wfq.length; i++) {
            wfq[i] = (byte) q(FEATURE[i], featureScale, 0, -128, 127);
        }
        int wf = b.addInt8Constant("weights_feature", new int[] {FILTERS, INPUT_SIZE}, Quantization.perTensor(featureScale, 0), wfq);
        int wt;
        int state;
        TensorType stateType = int16 ? TensorType.INT16 : TensorType.INT8;
        if (int16) {
            short[] wtq = new short[TIME.length];
            for (int i = 0; i < wtq.length; i++) {
                wtq[i] = (short) q(TIME[i], timeScale, 0, tmin, tmax);
            }
            wt = b.addInt16Constant("weights_time", new int[] {FILTERS, MEMORY}, Quantization.perTensor(timeScale, 0), wtq);
        } else {
            byte[] wtq = new byte[TIME.length];
            for (int i = 0; i < wtq.length; i++) {
                wtq[i] = (byte) q(TIME[i], timeScale, 0, tmin, tmax);
            }
            wt = b.addInt8Constant("weights_time", new int[] {FILTERS, MEMORY}, Quantization.perTensor(timeScale, 0), wtq);
        }
        int bias = b.addInt32Constant("bias", new int[] {UNITS}, Quantization.perTensor(timeScale * stateScale, 0), new int[UNITS]);
        state = b.addVariable("state", stateType, new int[] {BATCH, MEMORY * FILTERS}, Quantization.perTensor(stateScale, 0));
        int out = b.addTensor("out", TensorType.INT8, new int[] {BATCH, UNITS}, Quantization.perTensor(outScale, 0));
        b.addOperator(BuiltinOperator.SVDF, new BuiltinOptions.Svdf(RANK, ActivationFunction.RELU, false),
                new int[] {in, wf, wt, bias, state}, new int[] {out});
        b.inputs(in).outputs(out);
        ReferenceSession session = ReferenceInterpreter.prepare(read(b)).newSession();
        for (int i = 0; i < 10; i++) {
            byte[] x = new byte[BATCH * INPUT_SIZE];
            for (int k = 0; k < x.length; k++) {
                x[k] = (byte) q(INPUT[i * x.length + k], inScale, 0, -128, 127);
            }
            byte[] got = session.invoke(List.of(x)).get(0);
            for (int k = 0; k < BATCH * UNITS; k++) {
                int want = q(GOLDEN[i * BATCH * UNITS + k], outScale, 0, -128, 127);
                assertTrue(Math.abs(want - got[k]) <= 1, (int16 ? "int16" : "int8") + " state, step " + i + " output " + k
                        + ": " + got[k] + " vs golden " + want);
            }
        }
    }

    @Test
    void int8WithInt16StateMatchesTflmGoldens() {
        quantizedSequence(true);
    }

    @Test
    void int8WithInt8StateMatchesTflmGoldens() {
        quantizedSequence(false);
    }

    @Test
    void preconditionsOfTflmsPrepare() {
        // the state must be a variable
        ModelBuilder b = new ModelBuilder();
        int in = b.addTensor("in", TensorType.FLOAT32, new int[] {1, 2});
        int wf = b.addFloatConstant("wf", new int[] {2, 2}, new float[4]);
        int wt = b.addFloatConstant("wt", new int[] {2, 3}, new float[6]);
        int state = b.addTensor("state", TensorType.FLOAT32, new int[] {1, 6});
        int out = b.addTensor("out", TensorType.FLOAT32, new int[] {1, 2});
        b.addOperator(BuiltinOperator.SVDF, new BuiltinOptions.Svdf(1, ActivationFunction.NONE, false),
                new int[] {in, wf, wt, -1, state}, new int[] {out});
        b.inputs(in).outputs(out);
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class, () -> ReferenceInterpreter.prepare(read(b)));
        assertTrue(e.getMessage().contains("SVDF (operator 0)") && e.getMessage().contains("variable"), e.getMessage());

        // filters not a multiple of the rank
        ModelBuilder c = new ModelBuilder();
        int in2 = c.addTensor("in", TensorType.FLOAT32, new int[] {1, 2});
        int wf2 = c.addFloatConstant("wf", new int[] {3, 2}, new float[6]);
        int wt2 = c.addFloatConstant("wt", new int[] {3, 3}, new float[9]);
        int st2 = c.addVariable("state", TensorType.FLOAT32, new int[] {1, 9}, Quantization.NONE);
        int out2 = c.addTensor("out", TensorType.FLOAT32, new int[] {1, 1});
        c.addOperator(BuiltinOperator.SVDF, new BuiltinOptions.Svdf(2, ActivationFunction.NONE, false),
                new int[] {in2, wf2, wt2, -1, st2}, new int[] {out2});
        c.inputs(in2).outputs(out2);
        e = assertThrows(UnsupportedModelException.class, () -> ReferenceInterpreter.prepare(read(c)));
        assertTrue(e.getMessage().contains("not a multiple of rank 2"), e.getMessage());
    }

    @Test
    void withoutBiasTheSumStartsAtZero() {
        // a 1-filter, memory-1 SVDF without bias is a dot product
        ModelBuilder b = new ModelBuilder();
        int in = b.addTensor("in", TensorType.FLOAT32, new int[] {1, 3});
        int wf = b.addFloatConstant("wf", new int[] {1, 3}, 1f, 2f, 3f);
        int wt = b.addFloatConstant("wt", new int[] {1, 1}, 0.5f);
        int st = b.addVariable("state", TensorType.FLOAT32, new int[] {1, 1}, Quantization.NONE);
        int out = b.addTensor("out", TensorType.FLOAT32, new int[] {1, 1});
        b.addOperator(BuiltinOperator.SVDF, new BuiltinOptions.Svdf(1, ActivationFunction.NONE, false),
                new int[] {in, wf, wt, -1, st}, new int[] {out});
        b.inputs(in).outputs(out);
        float[] got = floats(ReferenceInterpreter.run(read(b), List.of(TensorValues.fromFloats(new float[] {1f, 1f, 2f}))).get(0));
        assertArrayEquals(new float[] {(1f + 2f + 6f) * 0.5f}, got);
        assertTrue(ReferenceInterpreter.prepare(read(b)).isStateful());
    }
}
