package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a one-operator model with {@link ModelBuilder}, writes it to .tflite bytes, reads it back (so every
 * operator test also exercises writer and reader) and runs it.
 */
final class SingleOp {

    final ModelBuilder builder = new ModelBuilder();
    private final List<Integer> inputs = new ArrayList<>();
    private int output = -1;

    int input(int tensor) {
        inputs.add(tensor);
        return tensor;
    }

    SingleOp op(BuiltinOperator op, BuiltinOptions options, int[] opInputs, int out) {
        builder.addOperator(op, options, opInputs, new int[] {out});
        output = out;
        return this;
    }

    TfliteModel model() {
        byte[] bytes = builder.inputs(inputs.stream().mapToInt(Integer::intValue).toArray()).outputs(output).toBytes();
        try {
            return TfliteReader.read(bytes, "single-op.tflite");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    byte[] run(byte[]... in) {
        return ReferenceInterpreter.run(model(), List.of(in)).get(0);
    }

    float[] runFloat(float[]... in) {
        List<byte[]> bytes = new ArrayList<>();
        for (float[] f : in) {
            bytes.add(TensorValues.fromFloats(f));
        }
        byte[] out = ReferenceInterpreter.run(model(), bytes).get(0);
        float[] r = new float[out.length / 4];
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(r);
        return r;
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static int[] ints(byte[] values) {
        int[] r = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            r[i] = values[i];
        }
        return r;
    }

    static int[] shape(int... dims) {
        return dims;
    }
}
