package dev.tinysim.tflite;

import java.util.Arrays;

/** Decodes the builtin_options union member of an operator into a {@link BuiltinOptions} record. */
final class OptionsParser {

    private OptionsParser() {
    }

    static BuiltinOptions parse(FlatBufferReader fb, int type, FlatBufferReader.Table t) throws TfliteFormatException {
        if (type == 0) {
            return BuiltinOptions.NONE;
        }
        // t may be null (a union type without its value): TFLite then uses default-constructed options.
        return switch (type) {
            case BuiltinOptions.CONV_2D -> new BuiltinOptions.Conv2D(
                    padding(fb, t, 0), i32(t, 1, 0, "stride_w"), i32(t, 2, 0, "stride_h"), activation(fb, t, 3),
                    i32(t, 4, 1, "dilation_w_factor"), i32(t, 5, 1, "dilation_h_factor"),
                    i8(t, 6, 0, "quantized_bias_type"));
            case BuiltinOptions.DEPTHWISE_CONV_2D -> new BuiltinOptions.DepthwiseConv2D(
                    padding(fb, t, 0), i32(t, 1, 0, "stride_w"), i32(t, 2, 0, "stride_h"),
                    i32(t, 3, 0, "depth_multiplier"), activation(fb, t, 4),
                    i32(t, 5, 1, "dilation_w_factor"), i32(t, 6, 1, "dilation_h_factor"));
            case BuiltinOptions.POOL_2D -> new BuiltinOptions.Pool2D(
                    padding(fb, t, 0), i32(t, 1, 0, "stride_w"), i32(t, 2, 0, "stride_h"),
                    i32(t, 3, 0, "filter_width"), i32(t, 4, 0, "filter_height"), activation(fb, t, 5));
            case BuiltinOptions.FULLY_CONNECTED -> new BuiltinOptions.FullyConnected(
                    activation(fb, t, 0), i8(t, 1, 0, "weights_format"), bool(t, 2, "keep_num_dims"),
                    bool(t, 3, "asymmetric_quantize_inputs"), i8(t, 4, 0, "quantized_bias_type"));
            case BuiltinOptions.SOFTMAX -> new BuiltinOptions.Softmax(t == null ? 0f : t.f32(0, 0f, "beta"));
            case BuiltinOptions.CONCATENATION -> new BuiltinOptions.Concatenation(
                    i32(t, 0, 0, "axis"), activation(fb, t, 1));
            case BuiltinOptions.ADD -> new BuiltinOptions.Add(activation(fb, t, 0),
                    t == null || t.bool(1, true, "pot_scale_int16"));
            case BuiltinOptions.MUL -> new BuiltinOptions.Mul(activation(fb, t, 0));
            case BuiltinOptions.RESHAPE -> {
                int[] shape = t == null ? null : t.intVector(0, "new_shape", TfliteReader.MAX_RANK);
                yield new BuiltinOptions.Reshape(shape == null ? java.util.List.of()
                        : Arrays.stream(shape).boxed().toList());
            }
            case BuiltinOptions.REDUCER -> new BuiltinOptions.Reducer(bool(t, 0, "keep_dims"));
            case BuiltinOptions.SUB -> new BuiltinOptions.Sub(activation(fb, t, 0),
                    t == null || t.bool(1, true, "pot_scale_int16"));
            case BuiltinOptions.DIV -> new BuiltinOptions.Div(activation(fb, t, 0));
            case BuiltinOptions.SVDF -> new BuiltinOptions.Svdf(i32(t, 0, 0, "rank"), activation(fb, t, 1),
                    bool(t, 2, "asymmetric_quantize_inputs"));
            case BuiltinOptions.UNIDIRECTIONAL_SEQUENCE_LSTM -> new BuiltinOptions.UnidirectionalSequenceLstm(
                    activation(fb, t, 0), f32(t, 1, "cell_clip"), f32(t, 2, "proj_clip"), bool(t, 3, "time_major"),
                    bool(t, 4, "asymmetric_quantize_inputs"), bool(t, 5, "diagonal_recurrent_tensors"));
            case BuiltinOptions.GATHER -> new BuiltinOptions.Gather(i32(t, 0, 0, "axis"), i32(t, 1, 0, "batch_dims"));
            case BuiltinOptions.SQUEEZE -> new BuiltinOptions.Squeeze(ints(t, 0, "squeeze_dims"));
            case BuiltinOptions.SPLIT -> new BuiltinOptions.Split(i32(t, 0, 0, "num_splits"));
            case BuiltinOptions.SPLIT_V -> new BuiltinOptions.SplitV(i32(t, 0, 0, "num_splits"));
            case BuiltinOptions.STRIDED_SLICE -> new BuiltinOptions.StridedSlice(i32(t, 0, 0, "begin_mask"),
                    i32(t, 1, 0, "end_mask"), i32(t, 2, 0, "ellipsis_mask"), i32(t, 3, 0, "new_axis_mask"),
                    i32(t, 4, 0, "shrink_axis_mask"), bool(t, 5, "offset"));
            case BuiltinOptions.CAST -> new BuiltinOptions.Cast(i8(t, 0, 0, "in_data_type"),
                    i8(t, 1, 0, "out_data_type"));
            case BuiltinOptions.ARG_MAX -> new BuiltinOptions.ArgMax(i8(t, 0, 0, "output_type"));
            case BuiltinOptions.TRANSPOSE_CONV -> new BuiltinOptions.TransposeConv(padding(fb, t, 0),
                    i32(t, 1, 0, "stride_w"), i32(t, 2, 0, "stride_h"), activation(fb, t, 3),
                    i8(t, 4, 0, "quantized_bias_type"));
            case BuiltinOptions.SPACE_TO_DEPTH, BuiltinOptions.DEPTH_TO_SPACE -> new BuiltinOptions.BlockSize(type,
                    i32(t, 0, 0, "block_size"));
            case BuiltinOptions.PACK -> new BuiltinOptions.Pack(i32(t, 0, 0, "values_count"), i32(t, 1, 0, "axis"));
            case BuiltinOptions.UNPACK -> new BuiltinOptions.Unpack(i32(t, 0, 0, "num"), i32(t, 1, 0, "axis"));
            case BuiltinOptions.LEAKY_RELU -> new BuiltinOptions.LeakyRelu(f32(t, 0, "alpha"));
            case BuiltinOptions.RESIZE_NEAREST_NEIGHBOR -> new BuiltinOptions.ResizeNearestNeighbor(
                    bool(t, 0, "align_corners"), bool(t, 1, "half_pixel_centers"));
            case BuiltinOptions.BATCH_MATMUL -> new BuiltinOptions.BatchMatMul(bool(t, 0, "adj_x"),
                    bool(t, 1, "adj_y"), bool(t, 2, "asymmetric_quantize_inputs"));
            default -> BuiltinOptions.isFieldless(type) ? new BuiltinOptions.NoFields(type)
                    : new BuiltinOptions.Unparsed(type);
        };
    }

    private static int i32(FlatBufferReader.Table t, int field, int defaultValue, String name)
            throws TfliteFormatException {
        return t == null ? defaultValue : t.i32(field, defaultValue, name);
    }

    private static int i8(FlatBufferReader.Table t, int field, int defaultValue, String name)
            throws TfliteFormatException {
        return t == null ? defaultValue : t.i8(field, defaultValue, name);
    }

    private static float f32(FlatBufferReader.Table t, int field, String name) throws TfliteFormatException {
        return t == null ? 0f : t.f32(field, 0f, name);
    }

    private static java.util.List<Integer> ints(FlatBufferReader.Table t, int field, String name)
            throws TfliteFormatException {
        int[] v = t == null ? null : t.intVector(field, name, TfliteReader.MAX_RANK);
        return v == null ? java.util.List.of() : Arrays.stream(v).boxed().toList();
    }

    private static boolean bool(FlatBufferReader.Table t, int field, String name) throws TfliteFormatException {
        return t != null && t.bool(field, false, name);
    }

    private static Padding padding(FlatBufferReader fb, FlatBufferReader.Table t, int field)
            throws TfliteFormatException {
        int code = i8(t, field, 0, "padding");
        return Padding.fromCode(code).orElseThrow(() -> fb.error(t.where, "padding " + code + " is not SAME or VALID"));
    }

    private static ActivationFunction activation(FlatBufferReader fb, FlatBufferReader.Table t, int field)
            throws TfliteFormatException {
        int code = i8(t, field, 0, "fused_activation_function");
        return ActivationFunction.fromCode(code).orElseThrow(
                () -> fb.error(t.where, "fused_activation_function " + code + " is not a valid activation"));
    }
}
