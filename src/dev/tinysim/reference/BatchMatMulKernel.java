package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.text.Printable;

/**
 * BATCH_MATMUL as TFLite Micro's batch_matmul.cc: {@code out[..., a, c] = sum_k lhs[..., a, k] * rhs[..., k, c]}
 * with adj_x / adj_y transposing the last two dimensions of an operand, ranks 2 to 5 and numpy broadcasting of
 * the batch dimensions; float32, int8 (zero points, a float-product multiplier, int32 accumulator) and int16
 * (zero points 0, int64 accumulator). No fused activation.
 */
final class BatchMatMulKernel {

    private BatchMatMulKernel() {
    }

    /** Shapes extended to 5 dimensions: 3 batch dimensions (strides 0 where broadcast) and the matrices. */
    record Plan(int[] batch, int[] lhsStride, int[] rhsStride, int rows, int cols, int depth, boolean adjX,
                boolean adjY) {
    }

    static Kernel create(OpContext c) {
        c.requireInputs(2, 2);
        BuiltinOptions.BatchMatMul o = c.options(BuiltinOptions.BatchMatMul.class);
        Tensor lhs = c.input(0);
        Tensor rhs = c.input(1);
        Tensor out = c.output(0);
        c.requireType(lhs, "lhs", TensorType.FLOAT32, TensorType.INT8, TensorType.INT16);
        c.requireType(rhs, "rhs", lhs.type());
        c.requireType(out, "output", lhs.type());
        Plan p = plan(c, lhs, rhs, out, o.adjX(), o.adjY());
        int l = c.inputIndex(0);
        int r = c.inputIndex(1);
        int oi = c.outputIndex(0);
        if (lhs.type() == TensorType.FLOAT32) {
            return t -> runFloat(p, t.f32(l), t.f32(r), (float[]) ConvKernel.newOutput(t, oi, out));
        }
        for (Tensor x : new Tensor[] {lhs, rhs, out}) {
            if (x.quantization().isPerChannel()) {
                throw c.fail("'" + Printable.name(x.name()) + "' is per-channel quantized; BATCH_MATMUL needs per-tensor parameters");
            }
        }
        float ls = c.scale(lhs, "lhs");
        float rs = c.scale(rhs, "rhs");
        float os = c.scale(out, "output");
        // GetQuantizedConvolutionMultipler: the scale product in float, then widened.
        QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier((double) (ls * rs) / (double) os);
        if (lhs.type() == TensorType.INT8) {
            int lhsOffset = -c.zeroPoint(lhs, "lhs");
            int rhsOffset = -c.zeroPoint(rhs, "rhs");
            int outZp = c.zeroPoint(out, "output");
            return t -> runInt8(p, t.int8(l), t.int8(r), lhsOffset, rhsOffset, m, outZp,
                    (byte[]) ConvKernel.newOutput(t, oi, out));
        }
        Int16Quantization.symmetricScale(c, lhs, "lhs");
        Int16Quantization.symmetricScale(c, rhs, "rhs");
        Int16Quantization.symmetricScale(c, out, "output");
        Int16Quantization.requireInt64Rescalable(c, m, "output");
        return t -> runInt16(p, t.int16(l), t.int16(r), m, (short[]) ConvKernel.newOutput(t, oi, out));
    }

    private static Plan plan(OpContext c, Tensor lhs, Tensor rhs, Tensor out, boolean adjX, boolean adjY) {
        if (lhs.rank() < 2 || lhs.rank() > 5 || rhs.rank() < 2 || rhs.rank() > 5) {
            throw c.fail("lhs " + lhs.shape() + " and rhs " + rhs.shape() + " must have rank 2 to 5");
        }
        int r = Math.max(lhs.rank(), rhs.rank());
        if (out.rank() != r) {
            throw c.fail("output shape " + out.shape() + " must have rank " + r);
        }
        int[] le = extend(lhs, r);
        int[] re = extend(rhs, r);
        int rows = adjX ? le[r - 1] : le[r - 2];
        int depth = adjX ? le[r - 2] : le[r - 1];
        int rdepth = adjY ? re[r - 1] : re[r - 2];
        int cols = adjY ? re[r - 2] : re[r - 1];
        if (depth != rdepth) {
            throw c.fail("lhs " + lhs.shape() + " (adj_x " + adjX + ") and rhs " + rhs.shape() + " (adj_y " + adjY
                    + ") disagree on the accumulation depth: " + depth + " vs " + rdepth);
        }
        int[] batch = {1, 1, 1};
        int[] lstride = new int[3];
        int[] rstride = new int[3];
        for (int j = 0; j < 3; j++) {
            int dim = r - 5 + j;
            if (dim < 0) {
                continue;
            }
            if (le[dim] != re[dim] && le[dim] != 1 && re[dim] != 1) {
                throw c.fail("batch dimension " + dim + " of lhs " + lhs.shape() + " and rhs " + rhs.shape()
                        + " cannot be broadcast");
            }
            batch[j] = Math.max(le[dim], re[dim]);
            lstride[j] = le[dim] == 1 ? 0 : product(le, dim + 1);
            rstride[j] = re[dim] == 1 ? 0 : product(re, dim + 1);
            if (out.dim(dim) != batch[j]) {
                throw c.fail("output shape " + out.shape() + " differs from the broadcast batch dimensions");
            }
        }
        if (out.dim(r - 2) != rows || out.dim(r - 1) != cols) {
            throw c.fail("output shape " + out.shape() + " differs from the product's [..., " + rows + ", " + cols + "]");
        }
        return new Plan(batch, lstride, rstride, rows, cols, depth, adjX, adjY);
    }

    private static int[] extend(Tensor t, int rank) {
        int[] e = new int[rank];
        for (int i = 0; i < rank; i++) {
            int k = i - (rank - t.rank());
            e[i] = k < 0 ? 1 : t.dim(k);
        }
        return e;
    }

    private static int product(int[] dims, int from) {
        int p = 1;
        for (int i = from; i < dims.length; i++) {
            p *= dims[i];
        }
        return p;
    }

    /** Index of lhs[a, k] in its matrix (stored [rows, depth], or [depth, rows] with adj_x). */
    private static int lhsIndex(Plan p, int a, int k) {
        return p.adjX() ? k * p.rows() + a : a * p.depth() + k;
    }

    /** Index of rhs[k, c] in its matrix (stored [depth, cols], or [cols, depth] with adj_y). */
    private static int rhsIndex(Plan p, int k, int col) {
        return p.adjY() ? col * p.depth() + k : k * p.cols() + col;
    }

    /** Visits every output element: its lhs and rhs matrix offsets and its index. */
    private interface Cell {
        void compute(int lhsBase, int rhsBase, int a, int col, int outIndex);
    }

    private static void forEachOutput(Plan p, Cell cell) {
        int o = 0;
        for (int b0 = 0; b0 < p.batch()[0]; b0++) {
            for (int b1 = 0; b1 < p.batch()[1]; b1++) {
                for (int b2 = 0; b2 < p.batch()[2]; b2++) {
                    int lb = b0 * p.lhsStride()[0] + b1 * p.lhsStride()[1] + b2 * p.lhsStride()[2];
                    int rb = b0 * p.rhsStride()[0] + b1 * p.rhsStride()[1] + b2 * p.rhsStride()[2];
                    for (int a = 0; a < p.rows(); a++) {
                        for (int col = 0; col < p.cols(); col++) {
                            cell.compute(lb, rb, a, col, o++);
                        }
                    }
                }
            }
        }
    }

    private static void runFloat(Plan p, float[] lhs, float[] rhs, float[] out) {
        forEachOutput(p, (lb, rb, a, col, o) -> {
            float total = 0.0f;
            for (int k = 0; k < p.depth(); k++) {
                total += lhs[lb + lhsIndex(p, a, k)] * rhs[rb + rhsIndex(p, k, col)];
            }
            out[o] = total;
        });
    }

    private static void runInt8(Plan p, byte[] lhs, byte[] rhs, int lhsOffset, int rhsOffset,
                                QuantizedMath.Multiplier m, int outZp, byte[] out) {
        forEachOutput(p, (lb, rb, a, col, o) -> {
            int total = 0; // int32, wrapping
            for (int k = 0; k < p.depth(); k++) {
                total += (rhs[rb + rhsIndex(p, k, col)] + rhsOffset) * (lhs[lb + lhsIndex(p, a, k)] + lhsOffset);
            }
            out[o] = (byte) QuantizedMath.clamp(QuantizedMath.multiplyByQuantizedMultiplier(total, m) + outZp, -128, 127);
        });
    }

    private static void runInt16(Plan p, short[] lhs, short[] rhs, QuantizedMath.Multiplier m, short[] out) {
        forEachOutput(p, (lb, rb, a, col, o) -> {
            long total = 0;
            for (int k = 0; k < p.depth(); k++) {
                total += rhs[rb + rhsIndex(p, k, col)] * lhs[lb + lhsIndex(p, a, k)];
            }
            int scaled = QuantizedMath.multiplyByQuantizedMultiplier(total, m.multiplier(), m.shift());
            out[o] = (short) QuantizedMath.clamp(scaled, -32768, 32767);
        });
    }
}
