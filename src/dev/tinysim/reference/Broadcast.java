package dev.tinysim.reference;

import java.util.List;

/**
 * Numpy-style broadcasting of two shapes: for each output element (row-major order) the flat index of
 * the element of each input that it reads.
 */
record Broadcast(int[] outShape, int[] index1, int[] index2) {

    /**
     * The broadcast shape alone, null when the shapes are not broadcast-compatible. Callers compare it with the
     * output's shape before {@link #of} builds the index arrays: a corrupt model can declare input shapes whose
     * broadcast has billions of elements (found by the model-reader fuzz target: out of memory).
     */
    static int[] shape(List<Integer> shape1, List<Integer> shape2) {
        int rank = Math.max(shape1.size(), shape2.size());
        int[] a = extend(shape1, rank);
        int[] b = extend(shape2, rank);
        int[] out = new int[rank];
        for (int d = 0; d < rank; d++) {
            if (a[d] != b[d] && a[d] != 1 && b[d] != 1) {
                return null;
            }
            out[d] = a[d] == 1 ? b[d] : a[d];
        }
        return out;
    }

    /** Null when the shapes are not broadcast-compatible. */
    static Broadcast of(List<Integer> shape1, List<Integer> shape2) {
        int[] out = shape(shape1, shape2);
        if (out == null) {
            return null;
        }
        int rank = out.length;
        int[] a = extend(shape1, rank);
        int[] b = extend(shape2, rank);
        int count = 1;
        for (int d : out) {
            count = Math.multiplyExact(count, d);
        }
        int[] strideA = strides(a);
        int[] strideB = strides(b);
        int[] idxA = new int[count];
        int[] idxB = new int[count];
        int[] pos = new int[rank];
        for (int i = 0; i < count; i++) {
            int ia = 0;
            int ib = 0;
            for (int d = 0; d < rank; d++) {
                ia += (a[d] == 1 ? 0 : pos[d]) * strideA[d];
                ib += (b[d] == 1 ? 0 : pos[d]) * strideB[d];
            }
            idxA[i] = ia;
            idxB[i] = ib;
            for (int d = rank - 1; d >= 0; d--) {
                if (++pos[d] < out[d]) {
                    break;
                }
                pos[d] = 0;
            }
        }
        return new Broadcast(out, idxA, idxB);
    }

    private static int[] extend(List<Integer> shape, int rank) {
        int[] out = new int[rank];
        java.util.Arrays.fill(out, 1);
        for (int i = 0; i < shape.size(); i++) {
            out[rank - shape.size() + i] = shape.get(i);
        }
        return out;
    }

    static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = stride;
            stride *= shape[d];
        }
        return s;
    }
}
