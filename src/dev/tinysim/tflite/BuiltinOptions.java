package dev.tinysim.tflite;

import java.util.List;

/**
 * The builtin_options union of an operator. The operator families tinysim runs have typed records;
 * tables without fields (PadOptions, QuantizeOptions, ...) are {@link NoFields}; any other union member
 * is kept as {@link Unparsed} (its type only: such a model can be read and named, not rewritten).
 */
public sealed interface BuiltinOptions {

    /** No builtin_options (union type NONE). */
    BuiltinOptions NONE = new None();

    /** The schema's union type code (0 = NONE). */
    int unionType();

    /** Name of the union member, e.g. {@code Conv2DOptions}. */
    default String unionTypeName() {
        return typeName(unionType());
    }

    static String typeName(int unionType) {
        if (unionType == 0) {
            return "NONE";
        }
        return unionType > 0 && unionType <= UNION_NAMES.size() ? UNION_NAMES.get(unionType - 1)
                : "unknown options type " + unionType;
    }

    int CONV_2D = 1;
    int DEPTHWISE_CONV_2D = 2;
    int POOL_2D = 5;
    int FULLY_CONNECTED = 8;
    int SOFTMAX = 9;
    int CONCATENATION = 10;
    int ADD = 11;
    int RESHAPE = 17;
    int MUL = 21;
    int PAD = 22;
    int REDUCER = 27;
    int DEQUANTIZE = 38;
    int PAD_V2 = 43;
    int QUANTIZE = 89;

    /** Union member names in schema order; index i holds union type i + 1. */
    List<String> UNION_NAMES = List.of(
            "Conv2DOptions",
            "DepthwiseConv2DOptions",
            "ConcatEmbeddingsOptions",
            "LSHProjectionOptions",
            "Pool2DOptions",
            "SVDFOptions",
            "RNNOptions",
            "FullyConnectedOptions",
            "SoftmaxOptions",
            "ConcatenationOptions",
            "AddOptions",
            "L2NormOptions",
            "LocalResponseNormalizationOptions",
            "LSTMOptions",
            "ResizeBilinearOptions",
            "CallOptions",
            "ReshapeOptions",
            "SkipGramOptions",
            "SpaceToDepthOptions",
            "EmbeddingLookupSparseOptions",
            "MulOptions",
            "PadOptions",
            "GatherOptions",
            "BatchToSpaceNDOptions",
            "SpaceToBatchNDOptions",
            "TransposeOptions",
            "ReducerOptions",
            "SubOptions",
            "DivOptions",
            "SqueezeOptions",
            "SequenceRNNOptions",
            "StridedSliceOptions",
            "ExpOptions",
            "TopKV2Options",
            "SplitOptions",
            "LogSoftmaxOptions",
            "CastOptions",
            "DequantizeOptions",
            "MaximumMinimumOptions",
            "ArgMaxOptions",
            "LessOptions",
            "NegOptions",
            "PadV2Options",
            "GreaterOptions",
            "GreaterEqualOptions",
            "LessEqualOptions",
            "SelectOptions",
            "SliceOptions",
            "TransposeConvOptions",
            "SparseToDenseOptions",
            "TileOptions",
            "ExpandDimsOptions",
            "EqualOptions",
            "NotEqualOptions",
            "ShapeOptions",
            "PowOptions",
            "ArgMinOptions",
            "FakeQuantOptions",
            "PackOptions",
            "LogicalOrOptions",
            "OneHotOptions",
            "LogicalAndOptions",
            "LogicalNotOptions",
            "UnpackOptions",
            "FloorDivOptions",
            "SquareOptions",
            "ZerosLikeOptions",
            "FillOptions",
            "BidirectionalSequenceLSTMOptions",
            "BidirectionalSequenceRNNOptions",
            "UnidirectionalSequenceLSTMOptions",
            "FloorModOptions",
            "RangeOptions",
            "ResizeNearestNeighborOptions",
            "LeakyReluOptions",
            "SquaredDifferenceOptions",
            "MirrorPadOptions",
            "AbsOptions",
            "SplitVOptions",
            "UniqueOptions",
            "ReverseV2Options",
            "AddNOptions",
            "GatherNdOptions",
            "CosOptions",
            "WhereOptions",
            "RankOptions",
            "ReverseSequenceOptions",
            "MatrixDiagOptions",
            "QuantizeOptions",
            "MatrixSetDiagOptions",
            "HardSwishOptions",
            "IfOptions",
            "WhileOptions",
            "DepthToSpaceOptions",
            "NonMaxSuppressionV4Options",
            "NonMaxSuppressionV5Options",
            "ScatterNdOptions",
            "SelectV2Options",
            "DensifyOptions",
            "SegmentSumOptions",
            "BatchMatMulOptions",
            "CumsumOptions",
            "CallOnceOptions",
            "BroadcastToOptions",
            "Rfft2dOptions",
            "Conv3DOptions",
            "HashtableOptions",
            "HashtableFindOptions",
            "HashtableImportOptions",
            "HashtableSizeOptions",
            "VarHandleOptions",
            "ReadVariableOptions",
            "AssignVariableOptions",
            "RandomOptions",
            "BucketizeOptions",
            "GeluOptions",
            "DynamicUpdateSliceOptions",
            "UnsortedSegmentProdOptions",
            "UnsortedSegmentMaxOptions",
            "UnsortedSegmentMinOptions",
            "UnsortedSegmentSumOptions",
            "ATan2Options",
            "SignOptions",
            "BitcastOptions",
            "BitwiseXorOptions",
            "RightShiftOptions");

    record None() implements BuiltinOptions {
        @Override
        public int unionType() {
            return 0;
        }
    }

    record Conv2D(Padding padding, int strideW, int strideH, ActivationFunction activation,
                  int dilationW, int dilationH, int quantizedBiasType) implements BuiltinOptions {
        public Conv2D(Padding padding, int strideW, int strideH, ActivationFunction activation) {
            this(padding, strideW, strideH, activation, 1, 1, 0);
        }

        @Override
        public int unionType() {
            return CONV_2D;
        }
    }

    /** {@code depthMultiplier} is informational: current TFLite derives it from the shapes. */
    record DepthwiseConv2D(Padding padding, int strideW, int strideH, int depthMultiplier,
                           ActivationFunction activation, int dilationW, int dilationH) implements BuiltinOptions {
        public DepthwiseConv2D(Padding padding, int strideW, int strideH, int depthMultiplier,
                               ActivationFunction activation) {
            this(padding, strideW, strideH, depthMultiplier, activation, 1, 1);
        }

        @Override
        public int unionType() {
            return DEPTHWISE_CONV_2D;
        }
    }

    /** Options of AVERAGE_POOL_2D, MAX_POOL_2D and L2_POOL_2D. */
    record Pool2D(Padding padding, int strideW, int strideH, int filterW, int filterH,
                  ActivationFunction activation) implements BuiltinOptions {
        @Override
        public int unionType() {
            return POOL_2D;
        }
    }

    record FullyConnected(ActivationFunction activation, int weightsFormat, boolean keepNumDims,
                          boolean asymmetricQuantizeInputs, int quantizedBiasType) implements BuiltinOptions {
        public FullyConnected(ActivationFunction activation) {
            this(activation, 0, false, false, 0);
        }

        @Override
        public int unionType() {
            return FULLY_CONNECTED;
        }
    }

    record Softmax(float beta) implements BuiltinOptions {
        @Override
        public int unionType() {
            return SOFTMAX;
        }
    }

    record Concatenation(int axis, ActivationFunction activation) implements BuiltinOptions {
        @Override
        public int unionType() {
            return CONCATENATION;
        }
    }

    record Add(ActivationFunction activation, boolean potScaleInt16) implements BuiltinOptions {
        public Add(ActivationFunction activation) {
            this(activation, true);
        }

        @Override
        public int unionType() {
            return ADD;
        }
    }

    record Mul(ActivationFunction activation) implements BuiltinOptions {
        @Override
        public int unionType() {
            return MUL;
        }
    }

    /** {@code newShape} is empty when the file stores none (the shape then comes from the tensors). */
    record Reshape(List<Integer> newShape) implements BuiltinOptions {
        public Reshape {
            newShape = List.copyOf(newShape);
        }

        @Override
        public int unionType() {
            return RESHAPE;
        }
    }

    /** Options of MEAN, SUM, REDUCE_MAX and the other reductions. */
    record Reducer(boolean keepDims) implements BuiltinOptions {
        @Override
        public int unionType() {
            return REDUCER;
        }
    }

    /** A union member whose table has no fields in the schema (PadOptions, QuantizeOptions, ...). */
    record NoFields(int unionType) implements BuiltinOptions {
    }

    /** A union member tinysim does not decode; only its type is kept. */
    record Unparsed(int unionType) implements BuiltinOptions {
    }

    /** Whether union type {@code t} is a table without fields in the schema. */
    static boolean isFieldless(int t) {
        return t == PAD || t == DEQUANTIZE || t == PAD_V2 || t == QUANTIZE;
    }
}
