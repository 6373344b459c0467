package dev.tinysim.reference;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Padding;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;
import org.junit.jupiter.api.Test;

import static dev.tinysim.reference.SingleOp.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UnsupportedModelTest {

    @Test
    void unsupportedOperatorIsNamedWithItsIndexBeforeAnythingRuns() {
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", TensorType.FLOAT32, shape(2)));
        int mid = s.builder.addTensor("mid", TensorType.FLOAT32, shape(2));
        int out = s.builder.addTensor("out", TensorType.FLOAT32, shape(2));
        s.builder.addOperator(BuiltinOperator.RELU, BuiltinOptions.NONE, new int[] {in}, new int[] {mid});
        s.op(BuiltinOperator.LSH_PROJECTION, BuiltinOptions.NONE, new int[] {mid, mid}, out);
        var e = assertThrows(UnsupportedModelException.class, () -> ReferenceInterpreter.prepare(s.model()));
        assertEquals("model uses LSH_PROJECTION (operator 1), which the runtime does not support", e.getMessage());
    }

    @Test
    void unsupportedActivationAndTypesAreRejected() {
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", TensorType.FLOAT32, shape(1, 1, 1, 1)));
        int w = s.builder.addFloatConstant("w", shape(1, 1, 1, 1), 1);
        int out = s.builder.addTensor("out", TensorType.FLOAT32, shape(1, 1, 1, 1));
        s.op(BuiltinOperator.CONV_2D, new BuiltinOptions.Conv2D(Padding.VALID, 1, 1, ActivationFunction.TANH),
                new int[] {in, w, -1}, out);
        assertEquals("CONV_2D (operator 0): fused activation TANH is not supported",
                assertThrows(UnsupportedModelException.class, () -> ReferenceInterpreter.prepare(s.model())).getMessage());

        SingleOp u = new SingleOp();
        int uin = u.input(u.builder.addTensor("in", TensorType.FLOAT16, shape(2)));
        int uout = u.builder.addTensor("out", TensorType.FLOAT16, shape(2));
        u.op(BuiltinOperator.RELU, BuiltinOptions.NONE, new int[] {uin}, uout);
        assertEquals("subgraph input 'in' has type FLOAT16; only INT8, UINT8, BOOL, INT16, INT32, INT64 and FLOAT32 tensors are supported",
                assertThrows(UnsupportedModelException.class, () -> ReferenceInterpreter.prepare(u.model())).getMessage());
    }

    @Test
    void int8SoftmaxNeedsTheStandardOutputQuantization() {
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", TensorType.INT8, shape(1, 4), Quantization.perTensor(0.1f, 0)));
        int out = s.builder.addTensor("out", TensorType.INT8, shape(1, 4), Quantization.perTensor(0.1f, 0));
        s.op(BuiltinOperator.SOFTMAX, new BuiltinOptions.Softmax(1f), new int[] {in}, out);
        assertEquals("SOFTMAX (operator 0): int8 output must have zero point -128 and scale 1/256",
                assertThrows(UnsupportedModelException.class, () -> ReferenceInterpreter.prepare(s.model())).getMessage());
    }
}
