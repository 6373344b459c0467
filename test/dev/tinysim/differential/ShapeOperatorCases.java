package dev.tinysim.differential;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static dev.tinysim.differential.Gen.prod;

/**
 * Data movement, indexing and reductions: TRANSPOSE, STRIDED_SLICE (begin/end/shrink masks, negative
 * indices and strides), SLICE (int32 and int64 begin/size, size -1), SQUEEZE, EXPAND_DIMS, SPLIT, SPLIT_V and
 * UNPACK (several outputs, recombined by PACK or CONCATENATION so that every one reaches the graph output),
 * PACK, GATHER (axis, batch_dims), RESIZE_NEAREST_NEIGHBOR (align_corners, half_pixel_centers), ARG_MAX, SUM,
 * REDUCE_MAX (negative and repeated axes, keep_dims), MEAN int16 and RESHAPE int16; every type TFLite Micro
 * implements for each. About one model in twelve is made invalid on purpose (a mask TFLite Micro ignores, an
 * index out of range, a requantizing copy...), which both sides must reject.
 */
final class ShapeOperatorCases implements OperatorCases {

    @Override
    public List<Variant> variants() {
        List<Variant> v = new ArrayList<>();
        add(v, BuiltinOperator.TRANSPOSE, "int8", "int16", "float32");
        add(v, BuiltinOperator.STRIDED_SLICE, "int8", "int16", "int32", "float32", "bool");
        add(v, BuiltinOperator.SLICE, "int8", "int16", "int32", "float32", "bool");
        add(v, BuiltinOperator.SQUEEZE, "int8", "int16", "int32", "int64", "float32", "bool");
        add(v, BuiltinOperator.EXPAND_DIMS, "int8", "int16", "float32");
        add(v, BuiltinOperator.SPLIT, "int8", "int16", "int32", "float32");
        add(v, BuiltinOperator.SPLIT_V, "int8", "int16", "int32", "float32");
        add(v, BuiltinOperator.UNPACK, "int8", "int16", "int32", "float32");
        add(v, BuiltinOperator.PACK, "int8", "int16", "int32", "int64", "float32");
        add(v, BuiltinOperator.GATHER, "int8", "float32");
        add(v, BuiltinOperator.RESIZE_NEAREST_NEIGHBOR, "int8", "int16", "float32");
        add(v, BuiltinOperator.ARG_MAX, "int8", "float32");
        add(v, BuiltinOperator.ARG_MIN, "int8", "float32");
        add(v, BuiltinOperator.DEPTH_TO_SPACE, "int8", "float32");
        add(v, BuiltinOperator.SPACE_TO_DEPTH, "int8", "float32");
        add(v, BuiltinOperator.BROADCAST_TO, "int8", "int16", "int32", "float32", "bool");
        add(v, BuiltinOperator.SUM, "int8", "int16", "float32");
        add(v, BuiltinOperator.REDUCE_MAX, "int8", "float32");
        add(v, BuiltinOperator.MEAN, "int16");
        add(v, BuiltinOperator.RESHAPE, "int16");
        return v;
    }

    private static void add(List<Variant> v, BuiltinOperator op, String... types) {
        for (String t : types) {
            v.add(new Variant(op, t));
        }
    }

    @Override
    public void build(Variant v, Gen g, ModelBuilder b) {
        TensorType t = type(v.type());
        boolean broken = g.r(0, 11) == 0;
        switch (v.op()) {
            case TRANSPOSE -> transpose(t, broken, g, b);
            case STRIDED_SLICE -> stridedSlice(t, broken, g, b);
            case SLICE -> slice(t, broken, g, b);
            case SQUEEZE -> squeeze(t, broken, g, b);
            case EXPAND_DIMS -> expandDims(t, broken, g, b);
            case SPLIT, SPLIT_V -> split(v.op() == BuiltinOperator.SPLIT_V, t, broken, g, b);
            case UNPACK -> unpack(t, broken, g, b);
            case PACK -> pack(t, broken, g, b);
            case GATHER -> gather(t, broken, g, b);
            case RESIZE_NEAREST_NEIGHBOR -> resize(t, broken, g, b);
            case ARG_MAX, ARG_MIN -> argMax(v.op(), t, broken, g, b);
            case DEPTH_TO_SPACE, SPACE_TO_DEPTH -> depthSpace(v.op(), t, broken, g, b);
            case BROADCAST_TO -> broadcastTo(t, broken, g, b);
            case SUM, REDUCE_MAX, MEAN -> reduce(v.op(), t, broken, g, b);
            case RESHAPE -> reshape(t, broken, g, b);
            default -> throw new IllegalArgumentException("not in this family: " + v);
        }
    }

    private static TensorType type(String name) {
        return switch (name) {
            case "int8" -> TensorType.INT8;
            case "int16" -> TensorType.INT16;
            case "int32" -> TensorType.INT32;
            case "int64" -> TensorType.INT64;
            case "bool" -> TensorType.BOOL;
            case "float32" -> TensorType.FLOAT32;
            default -> throw new IllegalArgumentException("type " + name);
        };
    }

    private static Quantization quant(Gen g, TensorType t) {
        return switch (t) {
            case INT8 -> g.q();
            case INT16 -> g.q16();
            default -> Quantization.NONE;
        };
    }

    /** Another quantization than {@code q} (a requantizing copy, which both sides refuse). */
    private static Quantization other(Quantization q) {
        return Quantization.perTensor(q.scaleValue() * 1.5f, q.zeroPointValue());
    }

    private static int tensor(ModelBuilder b, String name, TensorType t, int[] shape, Quantization q) {
        return b.addTensor(name, t, shape, q);
    }

    /** A random constant of any type of this family. */
    private static int constant(ModelBuilder b, Gen g, String name, TensorType t, int[] shape, Quantization q) {
        int n = prod(shape);
        return switch (t) {
            case INT8 -> b.addInt8Constant(name, shape, q, g.bytes(n));
            case INT16 -> b.addInt16Constant(name, shape, q, g.shorts(n, 32767));
            case INT32 -> b.addInt32Constant(name, shape, q, g.ints(n, 100000));
            case INT64 -> b.addInt64Constant(name, shape, q, g.longs(n, 1L << 40));
            case BOOL -> {
                byte[] d = new byte[n];
                for (int i = 0; i < n; i++) {
                    d[i] = (byte) g.r(0, 1);
                }
                yield b.addConstant(name, TensorType.BOOL, shape, q, d);
            }
            default -> b.addFloatConstant(name, shape, g.floats(n, 2f));
        };
    }

    private static int ints(ModelBuilder b, String name, int[] shape, int... values) {
        return b.addInt32Constant(name, shape, Quantization.NONE, values);
    }

    private static int[] permutation(Gen g, int n) {
        List<Integer> p = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            p.add(i);
        }
        Collections.shuffle(p, new Random(g.nextLong()));
        return p.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] without(int[] shape, int axis) {
        int[] r = new int[shape.length - 1];
        for (int d = 0, k = 0; d < shape.length; d++) {
            if (d != axis) {
                r[k++] = shape[d];
            }
        }
        return r;
    }

    private static int[] with(int[] shape, int axis, int size) {
        int[] r = new int[shape.length + 1];
        for (int d = 0, k = 0; d < r.length; d++) {
            r[d] = d == axis ? size : shape[k++];
        }
        return r;
    }

    /** An axis of a rank-{@code rank} tensor, written negatively half of the time. */
    private static int axisValue(Gen g, int axis, int rank) {
        return g.coin() ? axis : axis - rank;
    }

    private static void transpose(TensorType t, boolean broken, Gen g, ModelBuilder b) {
        int rank = g.r(0, 5) == 0 ? 5 : g.r(1, 4);
        int[] s = g.shape(rank, 1, 4);
        int[] perm = permutation(g, rank);
        if (broken && rank > 1) {
            perm[0] = perm[1]; // not a permutation
        }
        int[] o = new int[rank];
        for (int d = 0; d < rank; d++) {
            o[d] = s[perm[d]];
        }
        Quantization q = quant(g, t);
        int in = tensor(b, "in", t, s, q);
        int p = ints(b, "perm", new int[] {rank}, perm);
        int out = tensor(b, "out", t, o, q);
        b.addOperator(BuiltinOperator.TRANSPOSE, new BuiltinOptions.NoFields(BuiltinOptions.TRANSPOSE),
                new int[] {in, p}, new int[] {out});
        b.inputs(in).outputs(out);
    }

    private static int clamp(int v, int stride, int size) {
        return stride > 0 ? Math.clamp(v, 0, size) : Math.clamp(v, -1, size - 1);
    }

    private static void stridedSlice(TensorType t, boolean broken, Gen g, ModelBuilder b) {
        int rank = g.r(1, 4);
        int[] s = g.shape(rank, 1, 6);
        int[] begin = new int[rank];
        int[] end = new int[rank];
        int[] strides = new int[rank];
        int beginMask = 0;
        int endMask = 0;
        int shrinkMask = 0;
        List<Integer> o = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            int dim = s[d];
            if (g.r(0, 4) == 0) { // shrink this axis: one valid position, stride 1
                shrinkMask |= 1 << d;
                begin[d] = g.r(-dim, dim - 1);
                end[d] = g.r(-dim - 2, dim + 2);
                strides[d] = 1;
                continue;
            }
            int count;
            do {
                int[] choices = {1, 1, 1, 1, 2, 3, -1, -2, 1, 2, Integer.MAX_VALUE, Integer.MIN_VALUE};
                strides[d] = choices[g.r(0, choices.length - 1)];
                begin[d] = g.r(-dim - 2, dim + 1);
                end[d] = g.r(-dim - 2, dim + 2);
                boolean bm = g.r(0, 3) == 0;
                boolean em = g.r(0, 3) == 0;
                beginMask = bm ? beginMask | 1 << d : beginMask & ~(1 << d);
                endMask = em ? endMask | 1 << d : endMask & ~(1 << d);
                // TFLite Micro's Prepare formula (StartForAxis / StopForAxis)
                int st = strides[d];
                int start = bm ? (st > 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE) : begin[d];
                start = clamp(start < 0 ? start + dim : start, st, dim);
                int stop = em ? (st > 0 ? Integer.MAX_VALUE : Integer.MIN_VALUE) : end[d];
                stop = clamp(stop < 0 ? stop + dim : stop, st, dim);
                count = Math.max(0, (int) Math.ceil((stop - start) / (float) st));
            } while (count == 0);
            o.add(count);
        }
        BuiltinOptions.StridedSlice options = new BuiltinOptions.StridedSlice(beginMask, endMask, 0, 0, shrinkMask, false);
        if (broken) {
            options = switch (g.r(0, 2)) {
                case 0 -> new BuiltinOptions.StridedSlice(beginMask, endMask, 1, 0, shrinkMask, false);
                case 1 -> new BuiltinOptions.StridedSlice(beginMask, endMask, 0, 1, shrinkMask, false);
                default -> new BuiltinOptions.StridedSlice(beginMask, endMask, 0, 0, shrinkMask, true);
            };
        }
        Quantization q = quant(g, t);
        int in = tensor(b, "in", t, s, q);
        int bt = ints(b, "begin", new int[] {rank}, begin);
        int et = ints(b, "end", new int[] {rank}, end);
        int st = ints(b, "strides", new int[] {rank}, strides);
        int out = tensor(b, "out", t, o.stream().mapToInt(Integer::intValue).toArray(), q);
        b.addOperator(BuiltinOperator.STRIDED_SLICE, options, new int[] {in, bt, et, st}, new int[] {out});
        b.inputs(in).outputs(out);
    }

    private static void slice(TensorType t, boolean broken, Gen g, ModelBuilder b) {
        int rank = g.r(0, 5) == 0 ? 5 : g.r(1, 4);
        int[] s = g.shape(rank, 1, 6);
        int[] begin = new int[rank];
        int[] size = new int[rank];
        int[] o = new int[rank];
        for (int d = 0; d < rank; d++) {
            begin[d] = g.r(0, s[d] - 1);
            o[d] = g.r(1, s[d] - begin[d]);
            size[d] = o[d] == s[d] - begin[d] && g.coin() ? -1 : o[d];
        }
        if (broken) {
            size[0] = s[0] - begin[0] + 1; // past the end
        }
        Quantization q = quant(g, t);
        int in = tensor(b, "in", t, s, q);
        int bt;
        int st;
        if (g.coin()) {
            bt = ints(b, "begin", new int[] {rank}, begin);
            st = ints(b, "size", new int[] {rank}, size);
        } else {
            bt = b.addInt64Constant("begin", new int[] {rank}, Quantization.NONE,
                    java.util.Arrays.stream(begin).asLongStream().toArray());
            st = b.addInt64Constant("size", new int[] {rank}, Quantization.NONE,
                    java.util.Arrays.stream(size).asLongStream().toArray());
        }
        int out = tensor(b, "out", t, o, q);
        b.addOperator(BuiltinOperator.SLICE, new BuiltinOptions.NoFields(BuiltinOptions.SLICE), new int[] {in, bt, st},
                new int[] {out});
        b.inputs(in).outputs(out);
    }

    private static void squeeze(TensorType t, boolean broken, Gen g, ModelBuilder b) {
        int rank = g.r(1, 5);
        int[] s = new int[rank];
        for (int d = 0; d < rank; d++) {
            s[d] = g.coin() ? 1 : g.r(2, 4);
        }
        List<Integer> dims = new ArrayList<>();
        boolean[] squeezed = new boolean[rank];
        boolean all = g.r(0, 2) == 0;
        for (int d = 0; d < rank; d++) {
            if (s[d] == 1 && (all || g.coin())) {
                squeezed[d] = true;
                if (!all) {
                    dims.add(axisValue(g, d, rank));
                    if (g.r(0, 5) == 0) {
                        dims.add(d); // repeated
                    }
                }
            }
        }
        if (dims.isEmpty()) { // no squeeze_dims: every dimension of size 1
            for (int d = 0; d < rank; d++) {
                squeezed[d] = s[d] == 1;
            }
        }
        if (broken) {
            for (int d = 0; d < rank; d++) {
                if (s[d] != 1) {
                    dims.add(d); // not of size 1
                    break;
                }
            }
        }
        List<Integer> o = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            if (!squeezed[d]) {
                o.add(s[d]);
            }
        }
        Quantization q = quant(g, t);
        int in = tensor(b, "in", t, s, q);
        int out = tensor(b, "out", t, o.stream().mapToInt(Integer::intValue).toArray(), q);
        b.addOperator(BuiltinOperator.SQUEEZE, new BuiltinOptions.Squeeze(dims), new int[] {in}, new int[] {out});
        b.inputs(in).outputs(out);
    }

    private static void expandDims(TensorType t, boolean broken, Gen g, ModelBuilder b) {
        int rank = g.r(1, 4);
        int[] s = g.shape(rank, 1, 5);
        int axis = g.r(0, rank);
        int value = g.coin() ? axis : axis - rank - 1;
        Quantization q = quant(g, t);
        int in = tensor(b, "in", t, s, q);
        int at = g.coin() ? ints(b, "axis", new int[0], value) : ints(b, "axis", new int[] {1}, value);
        int out = tensor(b, "out", t, with(s, axis, 1), broken && t != TensorType.FLOAT32 ? other(q) : q);
        b.addOperator(BuiltinOperator.EXPAND_DIMS, new BuiltinOptions.NoFields(BuiltinOptions.EXPAND_DIMS),
                new int[] {in, at}, new int[] {out});
        b.inputs(in).outputs(out);
    }

    /**
     * SPLIT or SPLIT_V; the outputs are stacked again (PACK, SPLIT) or concatenated in another order
     * (CONCATENATION, int8 and float32 SPLIT_V) so that every output reaches the single graph output, or one
     * of them is the graph output.
     */
    private static void split(boolean v, TensorType t, boolean broken, Gen g, ModelBuilder b) {
        int rank = g.r(1, 4);
        int axis = g.r(0, rank - 1);
        int n = g.r(1, 4);
        int[] s = g.shape(rank, 1, 4);
        int[] sizes = new int[n];
        if (v) {
            s[axis] = 0;
            for (int k = 0; k < n; k++) {
                sizes[k] = g.r(1, 3);
                s[axis] += sizes[k];
            }
        } else {
            int each = g.r(1, 3);
            java.util.Arrays.fill(sizes, each);
            s[axis] = each * n;
        }
        Quantization q = quant(g, t);
        int in = tensor(b, "in", t, s, q);
        int at = g.coin() ? ints(b, "axis", new int[0], axisValue(g, axis, rank))
                : ints(b, "axis", new int[] {1}, axisValue(g, axis, rank));
        int[] outs = new int[n];
        for (int k = 0; k < n; k++) {
            int[] os = s.clone();
            os[axis] = sizes[k];
            if (broken && k == n - 1) {
                os[axis] += 1; // the parts do not add up
            }
            outs[k] = tensor(b, "part" + k, t, os, q);
        }
        if (v) {
            int[] splits = sizes.clone();
            if (g.coin()) {
                splits[g.r(0, n - 1)] = -1;
            }
            int ss = ints(b, "size_splits", new int[] {n}, splits);
            b.addOperator(BuiltinOperator.SPLIT_V, new BuiltinOptions.SplitV(n), new int[] {in, ss, at}, outs);
        } else {
            b.addOperator(BuiltinOperator.SPLIT, new BuiltinOptions.Split(n), new int[] {at, in}, outs);
        }
        int out;
        boolean concat = v && (t == TensorType.INT8 || t == TensorType.FLOAT32);
        if (g.r(0, 3) == 0 || (v && !concat)) {
            out = outs[g.r(0, n - 1)];
        } else if (!v) {
            int packAxis = g.r(0, rank);
            int[] part = s.clone();
            part[axis] = sizes[0];
            int[] ps = with(part, packAxis, n);
            out = tensor(b, "stacked", t, ps, q);
            int[] order = permutation(g, n);
            int[] ins = new int[n];
            for (int k = 0; k < n; k++) {
                ins[k] = outs[order[k]];
            }
            b.addOperator(BuiltinOperator.PACK, new BuiltinOptions.Pack(n, axisValue(g, packAxis, rank + 1)), ins,
                    new int[] {out});
        } else {
            int[] order = permutation(g, n);
            int[] ins = new int[n];
            for (int k = 0; k < n; k++) {
                ins[k] = outs[order[k]];
            }
            out = tensor(b, "joined", t, s, q);
            b.addOperator(BuiltinOperator.CONCATENATION, new BuiltinOptions.Concatenation(axis, ActivationFunction.NONE),
                    ins, new int[] {out});
        }
        b.inputs(in).outputs(out);
    }

    private static void unpack(TensorType t, boolean broken, Gen g, ModelBuilder b) {
        int rank = g.r(1, 4);
        int[] s = g.shape(rank, 1, 4);
        int axis = g.r(0, rank - 1);
        int n = s[axis];
        Quantization q = quant(g, t);
        int in = tensor(b, "in", t, s, q);
        int[] os = without(s, axis);
        int[] outs = new int[n];
        for (int k = 0; k < n; k++) {
            outs[k] = tensor(b, "part" + k, t, os, q);
        }
        b.addOperator(BuiltinOperator.UNPACK, new BuiltinOptions.Unpack(broken ? n + 1 : n, axisValue(g, axis, rank)),
                new int[] {in}, outs);
        int out;
        if (g.r(0, 3) == 0) {
            out = outs[g.r(0, n - 1)];
        } else {
            int packAxis = g.r(0, rank - 1);
            out = tensor(b, "stacked", t, with(os, packAxis, n), q);
            int[] order = permutation(g, n);
            int[] ins = new int[n];
            for (int k = 0; k < n; k++) {
                ins[k] = outs[order[k]];
            }
            b.addOperator(BuiltinOperator.PACK, new BuiltinOptions.Pack(n, axisValue(g, packAxis, rank)), ins,
                    new int[] {out});
        }
        b.inputs(in).outputs(out);
    }

    private static void pack(TensorType t, boolean broken, Gen g, ModelBuilder b) {
        int rank = g.r(0, 3);
        int[] s = g.shape(rank, 1, 4);
        int n = g.r(1, 4);
        int axis = g.r(0, rank);
        Quantization q = quant(g, t);
        int first = g.r(0, n - 1);
        int[] ins = new int[n];
        int in = -1;
        for (int k = 0; k < n; k++) {
            if (k == first) {
                in = tensor(b, "in", t, s, q);
                ins[k] = in;
            } else {
                ins[k] = constant(b, g, "c" + k, t, s, broken && k == n - 1 && q.isQuantized() ? other(q) : q);
            }
        }
        int out = tensor(b, "out", t, with(s, axis, n), q);
        b.addOperator(BuiltinOperator.PACK, new BuiltinOptions.Pack(broken && !q.isQuantized() ? n + 1 : n,
                axisValue(g, axis, rank + 1)), ins, new int[] {out});
        b.inputs(in).outputs(out);
    }

    private static void gather(TensorType t, boolean broken, Gen g, ModelBuilder b) {
        int rank = g.r(1, 4);
        int[] s = g.shape(rank, 1, 5);
        int axis = g.r(0, rank - 1);
        int batchDims = axis > 0 && g.r(0, 2) == 0 ? g.r(1, axis) : 0;
        int coordRank = batchDims + g.r(0, 2);
        int[] cs = new int[coordRank];
        for (int d = 0; d < coordRank; d++) {
            cs[d] = d < batchDims ? s[d] : g.r(1, 3);
        }
        int[] positions = new int[prod(cs)];
        for (int k = 0; k < positions.length; k++) {
            positions[k] = g.r(0, s[axis] - 1);
        }
        if (broken) {
            positions[g.r(0, positions.length - 1)] = g.coin() ? s[axis] : -1;
        }
        List<Integer> o = new ArrayList<>();
        for (int d = 0; d < axis; d++) {
            o.add(s[d]);
        }
        for (int d = batchDims; d < coordRank; d++) {
            o.add(cs[d]);
        }
        for (int d = axis + 1; d < rank; d++) {
            o.add(s[d]);
        }
        Quantization q = quant(g, t);
        int in = tensor(b, "params", t, s, q);
        int pt = ints(b, "positions", cs, positions);
        int out = tensor(b, "out", t, o.stream().mapToInt(Integer::intValue).toArray(), q);
        int batchValue = batchDims > 0 && g.coin() ? batchDims - coordRank : batchDims;
        b.addOperator(BuiltinOperator.GATHER, new BuiltinOptions.Gather(axisValue(g, axis, rank), batchValue),
                new int[] {in, pt}, new int[] {out});
        b.inputs(in).outputs(out);
    }

    private static void resize(TensorType t, boolean broken, Gen g, ModelBuilder b) {
        int n = g.r(1, 2);
        int h = g.r(1, 6);
        int w = g.r(1, 6);
        int c = g.r(1, 4);
        int oh = g.r(1, 9);
        int ow = g.r(1, 9);
        Quantization q = quant(g, t);
        int in = tensor(b, "in", t, new int[] {n, h, w, c}, q);
        int size = ints(b, "size", new int[] {2}, oh, ow);
        int out = tensor(b, "out", t, new int[] {n, broken ? oh + 1 : oh, ow, c}, q);
        b.addOperator(BuiltinOperator.RESIZE_NEAREST_NEIGHBOR, new BuiltinOptions.ResizeNearestNeighbor(g.coin(),
                g.coin()), new int[] {in, size}, new int[] {out});
        b.inputs(in).outputs(out);
    }

    /** BROADCAST_TO: a target of rank 1 to 5, the input right-aligned with some dimensions 1; broken: a mismatch. */
    private static void broadcastTo(TensorType t, boolean broken, Gen g, ModelBuilder b) {
        int rank = g.r(1, 5);
        int[] target = g.shape(rank, 1, rank <= 3 ? 4 : 3);
        int inRank = g.r(0, rank);
        int[] s = java.util.Arrays.copyOfRange(target, rank - inRank, rank);
        for (int d = 0; d < s.length; d++) {
            if (g.coin()) {
                s[d] = 1;
            }
        }
        if (broken && s.length > 0) {
            s[0] = target[rank - inRank] + 1;
        }
        Quantization q = quant(g, t);
        int in = tensor(b, "in", t, s, q);
        int shape = g.coin() ? ints(b, "shape", new int[] {rank}, target)
                : b.addConstant("shape", TensorType.INT64, new int[] {rank}, Quantization.NONE, longs(target));
        int out = tensor(b, "out", t, target, q);
        b.addOperator(BuiltinOperator.BROADCAST_TO, BuiltinOptions.NONE, new int[] {in, shape}, new int[] {out});
        b.inputs(in).outputs(out);
    }

    private static byte[] longs(int[] v) {
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(8 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            bb.putLong(x);
        }
        return bb.array();
    }

    /** DEPTH_TO_SPACE / SPACE_TO_DEPTH, block size 1 to 3; broken: a shape that does not divide, or requantizing. */
    private static void depthSpace(BuiltinOperator op, TensorType t, boolean broken, Gen g, ModelBuilder b) {
        int bs = g.r(1, 3);
        int n = g.r(1, 2);
        int h = g.r(1, 3);
        int w = g.r(1, 3);
        int c = g.r(1, 3);
        boolean toSpace = op == BuiltinOperator.DEPTH_TO_SPACE;
        int[] in = toSpace ? new int[] {n, h, w, c * bs * bs} : new int[] {n, h * bs, w * bs, c};
        int[] out = toSpace ? new int[] {n, h * bs, w * bs, c} : new int[] {n, h, w, c * bs * bs};
        Quantization q = quant(g, t);
        if (broken && g.coin() && bs > 1) {
            in[toSpace ? 3 : 1] += 1; // not divisible
        }
        int x = tensor(b, "in", t, in, q);
        int y = tensor(b, "out", t, out, broken && t == TensorType.INT8 && g.coin() ? g.q() : q);
        b.addOperator(op, new BuiltinOptions.BlockSize(toSpace ? BuiltinOptions.DEPTH_TO_SPACE : BuiltinOptions.SPACE_TO_DEPTH, bs),
                new int[] {x}, new int[] {y});
        b.inputs(x).outputs(y);
    }

    private static void argMax(BuiltinOperator op, TensorType t, boolean broken, Gen g, ModelBuilder b) {
        int rank = g.r(1, 4);
        int[] s = g.shape(rank, 1, 6);
        int axis = g.r(0, rank - 1);
        int in = tensor(b, "in", t, s, quant(g, t));
        int at = g.coin() ? ints(b, "axis", new int[0], axisValue(g, axis, rank))
                : ints(b, "axis", new int[] {1}, axisValue(g, axis, rank));
        int out = b.addTensor("out", broken ? TensorType.INT64 : TensorType.INT32, without(s, axis));
        // ArgMinOptions (union type 41) has ArgMaxOptions' one field, output_type, which neither side reads
        b.addOperator(op, op == BuiltinOperator.ARG_MAX ? new BuiltinOptions.ArgMax(broken ? 4 : 2)
                : new BuiltinOptions.NoFields(41), new int[] {in, at}, new int[] {out});
        b.inputs(in).outputs(out);
    }

    /** SUM, REDUCE_MAX or MEAN over random axes (negative and repeated ones), with or without keep_dims. */
    private static void reduce(BuiltinOperator op, TensorType t, boolean broken, Gen g, ModelBuilder b) {
        int rank = g.r(1, 4);
        int[] s = g.shape(rank, 1, 6);
        List<Integer> axes = new ArrayList<>();
        boolean[] reduced = new boolean[rank];
        for (int d = 0; d < rank; d++) {
            if (g.coin()) {
                axes.add(axisValue(g, d, rank));
                reduced[d] = true;
                if (g.r(0, 4) == 0) {
                    axes.add(axisValue(g, d, rank));
                }
            }
        }
        if (axes.isEmpty()) { // (an empty axis tensor would be a zero-size tensor, which the runtime refuses)
            axes.add(rank - 1);
            reduced[rank - 1] = true;
        }
        Collections.shuffle(axes, new Random(g.nextLong()));
        boolean keep = g.coin();
        List<Integer> o = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            if (!reduced[d]) {
                o.add(s[d]);
            } else if (keep) {
                o.add(1);
            }
        }
        Quantization qi = quant(g, t);
        boolean sameQuant = op == BuiltinOperator.REDUCE_MAX ? !broken || !qi.isQuantized() : g.coin();
        Quantization qo = sameQuant || !qi.isQuantized() ? qi : t == TensorType.INT16 ? g.q16() : g.q();
        int in = tensor(b, "in", t, s, qi);
        int[] axisValues = axes.stream().mapToInt(Integer::intValue).toArray();
        if (broken && op != BuiltinOperator.REDUCE_MAX) {
            axisValues = java.util.Arrays.copyOf(axisValues, axisValues.length + 1);
            axisValues[axisValues.length - 1] = g.coin() ? rank : -rank - 1; // out of range
        }
        int ax = ints(b, "axes", new int[] {axisValues.length}, axisValues);
        int out = tensor(b, "out", t, o.stream().mapToInt(Integer::intValue).toArray(), qo);
        b.addOperator(op, new BuiltinOptions.Reducer(keep), new int[] {in, ax}, new int[] {out});
        b.inputs(in).outputs(out);
    }

    private static void reshape(TensorType t, boolean broken, Gen g, ModelBuilder b) {
        int[] s = {g.r(1, 4), g.r(1, 4), g.r(1, 4)};
        Quantization q = quant(g, t);
        int in = tensor(b, "in", t, s, q);
        int[] o = {s[0] * s[1], s[2]};
        int shape = ints(b, "shape", new int[] {2}, o);
        int out = tensor(b, "out", t, o, broken ? other(q) : q);
        b.addOperator(BuiltinOperator.RESHAPE, new BuiltinOptions.Reshape(List.of(o[0], o[1])),
                g.coin() ? new int[] {in, shape} : new int[] {in}, new int[] {out});
        b.inputs(in).outputs(out);
    }
}
