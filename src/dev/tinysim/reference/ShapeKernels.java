package dev.tinysim.reference;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

import java.util.List;
import dev.tinysim.text.Printable;

/** Operators that only move data: RESHAPE, PAD, CONCATENATION (and see DataMovement for the others). */
final class ShapeKernels {

    private ShapeKernels() {
    }

    /**
     * RESHAPE (TFLite Micro reshape_common.cc): the output shape is the output tensor's (new_shape in the
     * options and the shape input are not read); only the type and the element count are checked. Any stored
     * type; quantized types keep their scale and zero point.
     */
    static Kernel reshape(OpContext c) {
        DataMovement.requireCounts(c, 1, 2, 1);
        Tensor in = c.input(0);
        Tensor out = c.output(0);
        DataMovement.requireCopy(c, in, "input", out, "output", DataMovement.STORED_TYPES);
        c.requireSameElementCount(in, out);
        return DataMovement.copyKernel(c);
    }

    /** PAD (and PADV2 without a constant value): paddings [rank, 2] int32, padded with zp_out or 0.0f. */
    /**
     * PAD and PADV2 (TFLite Micro pad.cc: one kernel, 2 or 3 inputs): the optional third input, constant_values,
     * gives the pad value (its first element; it must be constant here, and for int8 have the output's scale and
     * zero point, as TFLite Micro requires); without it, 0 (int8: the output's zero point).
     */
    static Kernel pad(OpContext c) {
        c.requireInputs(2, 3);
        Tensor in = c.input(0);
        Tensor out = c.output(0);
        c.requireType(in, "input", TensorType.INT8, TensorType.FLOAT32);
        c.requireType(out, "output", in.type());
        Tensor paddingsTensor = c.input(1);
        c.requireType(paddingsTensor, "paddings", TensorType.INT32);
        int rank = in.rank();
        if (!paddingsTensor.shape().equals(List.of(rank, 2))) {
            throw c.fail("paddings shape " + paddingsTensor.shape() + " does not match input rank " + rank);
        }
        int[] paddings = (int[]) c.constant(1, "paddings");
        int[] outShape = new int[rank];
        for (int d = 0; d < rank; d++) {
            if (paddings[2 * d] < 0 || paddings[2 * d + 1] < 0) {
                throw c.fail("negative paddings are not supported");
            }
            outShape[d] = in.dim(d) + paddings[2 * d] + paddings[2 * d + 1];
        }
        if (!java.util.Arrays.equals(outShape, out.shapeArray())) {
            throw c.fail("output shape " + out.shape() + " differs from the padded input shape");
        }
        // For each input element, where it lands in the output.
        int[] target = new int[in.elementCount()];
        int[] outStrides = Broadcast.strides(outShape);
        int[] pos = new int[rank];
        for (int k = 0; k < target.length; k++) {
            int offset = 0;
            for (int d = 0; d < rank; d++) {
                offset += (pos[d] + paddings[2 * d]) * outStrides[d];
            }
            target[k] = offset;
            for (int d = rank - 1; d >= 0; d--) {
                if (++pos[d] < in.dim(d)) {
                    break;
                }
                pos[d] = 0;
            }
        }
        int i = c.inputIndex(0);
        int o = c.outputIndex(0);
        int cvIndex = c.inputCount() == 3 ? c.optionalInputIndex(2) : -1;
        Object cv = null;
        if (cvIndex >= 0) {
            Tensor cvt = c.input(2);
            c.requireType(cvt, "constant_values", in.type());
            cv = c.constant(2, "constant_values");
            if (cvt.elementCount() < 1) {
                throw c.fail("constant_values '" + Printable.name(cvt.name()) + "' is empty");
            }
            if (in.type() == TensorType.INT8 && (!cvt.quantization().isQuantized()
                    || cvt.quantization().scaleValue() != out.quantization().scaleValue()
                    || cvt.quantization().zeroPointValue() != out.quantization().zeroPointValue())) {
                throw c.fail("constant_values '" + Printable.name(cvt.name()) + "' must have the output's scale and zero point");
            }
        }
        if (in.type() == TensorType.INT8) {
            c.requireSameQuantization(in, out);
            byte padValue = cv != null ? ((byte[]) cv)[0] : (byte) c.zeroPoint(out, "output");
            return t -> {
                byte[] x = t.int8(i);
                byte[] r = (byte[]) ConvKernel.newOutput(t, o, out);
                java.util.Arrays.fill(r, padValue);
                for (int k = 0; k < x.length; k++) {
                    r[target[k]] = x[k];
                }
            };
        }
        float padFloat = cv != null ? ((float[]) cv)[0] : 0f;
        return t -> {
            float[] x = t.f32(i);
            float[] r = (float[]) ConvKernel.newOutput(t, o, out);
            if (Float.floatToRawIntBits(padFloat) != 0) {
                java.util.Arrays.fill(r, padFloat);
            }
            for (int k = 0; k < x.length; k++) {
                r[target[k]] = x[k];
            }
        };
    }

    static Kernel concatenation(OpContext c) {
        BuiltinOptions.Concatenation options = c.options(BuiltinOptions.Concatenation.class);
        if (options.activation() != ActivationFunction.NONE) {
            throw c.fail("fused activation " + options.activation() + " is not supported on CONCATENATION");
        }
        int n = c.inputCount();
        if (n < 1 || c.op.outputs().size() != 1) {
            throw c.fail("needs at least one input and exactly one output");
        }
        Tensor out = c.output(0);
        c.requireType(out, "output", TensorType.INT8, TensorType.FLOAT32);
        int rank = out.rank();
        int axis = options.axis() < 0 ? options.axis() + rank : options.axis();
        if (axis < 0 || axis >= rank) {
            throw c.fail("axis " + options.axis() + " is out of range for rank " + rank);
        }
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= out.dim(d);
        }
        int inner = 1;
        for (int d = axis + 1; d < rank; d++) {
            inner *= out.dim(d);
        }
        int[] inputs = new int[n];
        int[] blocks = new int[n];
        int axisTotal = 0;
        for (int k = 0; k < n; k++) {
            Tensor in = c.input(k);
            c.requireType(in, "input " + k, out.type());
            if (in.rank() != rank) {
                throw c.fail("input " + k + " shape " + in.shape() + " has a different rank than the output");
            }
            for (int d = 0; d < rank; d++) {
                if (d != axis && in.dim(d) != out.dim(d)) {
                    throw c.fail("input " + k + " shape " + in.shape() + " does not fit output shape " + out.shape());
                }
            }
            if (out.type() == TensorType.INT8) {
                c.requireSameQuantization(in, out);
            }
            inputs[k] = c.inputIndex(k);
            blocks[k] = in.dim(axis) * inner;
            axisTotal += in.dim(axis);
        }
        if (axisTotal != out.dim(axis)) {
            throw c.fail("inputs add up to " + axisTotal + " along axis " + axis + " but the output has " + out.dim(axis));
        }
        int o = c.outputIndex(0);
        int outerCount = outer;
        return t -> {
            Object r = ConvKernel.newOutput(t, o, out);
            int pos = 0;
            for (int outerIndex = 0; outerIndex < outerCount; outerIndex++) {
                for (int k = 0; k < inputs.length; k++) {
                    System.arraycopy(t.raw(inputs[k]), outerIndex * blocks[k], r, pos, blocks[k]);
                    pos += blocks[k];
                }
            }
        };
    }
}
