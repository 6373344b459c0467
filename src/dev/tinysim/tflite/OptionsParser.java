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
