package dev.tinysim.reference;

import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

import java.util.Arrays;

/**
 * SELECT_V2 (TFLite Micro select.cc): a bool condition, x and y of one type (float32, int8, int16), the output of
 * x's type; {@code out = cond ? x : y} on the raw values (no requantization and no check of the quantization, as
 * TFLite Micro); the three shapes broadcast by numpy rules (at most rank 5 when they differ, TFLite Micro's
 * BroadcastSelect5DSlow) to the output's shape, leading 1s aside. The runtime's twin: prepare_select_v2 in
 * firmware-images/runtime/ts_ops_compare.c.
 */
final class SelectKernel {

    private SelectKernel() {
    }

    static Kernel create(OpContext c) {
        c.requireInputs(3, 3);
        Tensor cond = c.input(0);
        Tensor x = c.input(1);
        Tensor y = c.input(2);
        Tensor out = c.output(0);
        c.requireType(cond, "condition", TensorType.BOOL);
        c.requireType(x, "x", TensorType.FLOAT32, TensorType.INT8, TensorType.INT16);
        c.requireType(y, "y", x.type());
        c.requireType(out, "output", x.type());
        boolean same = cond.shape().equals(x.shape()) && x.shape().equals(y.shape());
        if (!same && (cond.rank() > 5 || x.rank() > 5 || y.rank() > 5 || out.rank() > 5)) {
            throw c.fail("input shapes " + cond.shape() + ", " + x.shape() + " and " + y.shape()
                    + " differ: broadcasting is limited to rank 5");
        }
        int[] cxShape = Broadcast.shape(cond.shape(), x.shape());
        int[] allShape = cxShape == null ? null : Broadcast.shape(Arrays.stream(cxShape).boxed().toList(), y.shape());
        if (allShape == null || !Arrays.equals(BinaryOperands.withoutLeadingOnes(allShape),
                BinaryOperands.withoutLeadingOnes(out.shapeArray()))) {
            throw c.fail("input shapes " + cond.shape() + ", " + x.shape() + " and " + y.shape()
                    + " do not broadcast to output shape " + out.shape());
        }
        Broadcast cx = Broadcast.of(cond.shape(), x.shape());
        Broadcast all = Broadcast.of(Arrays.stream(cxShape).boxed().toList(), y.shape());
        int n = all.index1().length;
        int[] ic = new int[n];
        int[] ix = new int[n];
        int[] iy = all.index2();
        for (int k = 0; k < n; k++) {
            ic[k] = cx.index1()[all.index1()[k]];
            ix[k] = cx.index2()[all.index1()[k]];
        }
        int ci = c.inputIndex(0);
        int xi = c.inputIndex(1);
        int yi = c.inputIndex(2);
        int o = c.outputIndex(0);
        return t -> {
            byte[] cv = t.int8(ci);
            Object xv = t.raw(xi);
            Object yv = t.raw(yi);
            Object r = ConvKernel.newOutput(t, o, out);
            for (int k = 0; k < n; k++) {
                boolean pick = cv[ic[k]] != 0;
                switch (r) {
                    case float[] f -> f[k] = pick ? ((float[]) xv)[ix[k]] : ((float[]) yv)[iy[k]];
                    case short[] s -> s[k] = pick ? ((short[]) xv)[ix[k]] : ((short[]) yv)[iy[k]];
                    case byte[] b -> b[k] = pick ? ((byte[]) xv)[ix[k]] : ((byte[]) yv)[iy[k]];
                    default -> throw new IllegalStateException("SELECT_V2 output " + r.getClass());
                }
            }
        };
    }
}
