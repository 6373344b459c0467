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
    int SVDF = 6;
    int FULLY_CONNECTED = 8;
    int SOFTMAX = 9;
    int CONCATENATION = 10;
    int ADD = 11;
    int RESHAPE = 17;
    int MUL = 21;
    int PAD = 22;
    int SPACE_TO_DEPTH = 19;
    int DEPTH_TO_SPACE = 94;
    int GATHER = 23;
    int TRANSPOSE = 26;
    int REDUCER = 27;
    int SUB = 28;
    int DIV = 29;
    int SQUEEZE = 30;
    int STRIDED_SLICE = 32;
    int EXP = 33;
    int SPLIT = 35;
    int LOG_SOFTMAX = 36;
    int CAST = 37;
    int DEQUANTIZE = 38;
    int MAXIMUM_MINIMUM = 39;
    int ARG_MAX = 40;
    int PAD_V2 = 43;
    int SLICE = 48;
    int TRANSPOSE_CONV = 49;
    int EXPAND_DIMS = 52;
    int PACK = 59;
    int UNPACK = 64;
    int UNIDIRECTIONAL_SEQUENCE_LSTM = 71;
    int RESIZE_NEAREST_NEIGHBOR = 74;
    int LEAKY_RELU = 75;
    int SQUARED_DIFFERENCE = 76;
    int SPLIT_V = 79;
    int QUANTIZE = 89;
    int HARD_SWISH = 91;
    int BATCH_MATMUL = 101;

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

    record Sub(ActivationFunction activation, boolean potScaleInt16) implements BuiltinOptions {
        public Sub(ActivationFunction activation) {
            this(activation, true);
        }

        @Override
        public int unionType() {
            return SUB;
        }
    }

    record Div(ActivationFunction activation) implements BuiltinOptions {
        @Override
        public int unionType() {
            return DIV;
        }
    }

    record Svdf(int rank, ActivationFunction activation, boolean asymmetricQuantizeInputs) implements BuiltinOptions {
        @Override
        public int unionType() {
            return SVDF;
        }
    }

    /** Clips of 0 mean no clipping. */
    record UnidirectionalSequenceLstm(ActivationFunction activation, float cellClip, float projClip, boolean timeMajor,
                                      boolean asymmetricQuantizeInputs, boolean diagonalRecurrentTensors)
            implements BuiltinOptions {
        @Override
        public int unionType() {
            return UNIDIRECTIONAL_SEQUENCE_LSTM;
        }
    }

    record Gather(int axis, int batchDims) implements BuiltinOptions {
        @Override
        public int unionType() {
            return GATHER;
        }
    }

    /** {@code squeezeDims} empty: every dimension of size 1. */
    record Squeeze(List<Integer> squeezeDims) implements BuiltinOptions {
        public Squeeze {
            squeezeDims = List.copyOf(squeezeDims);
        }

        @Override
        public int unionType() {
            return SQUEEZE;
        }
    }

    record Split(int numSplits) implements BuiltinOptions {
        @Override
        public int unionType() {
            return SPLIT;
        }
    }

    record SplitV(int numSplits) implements BuiltinOptions {
        @Override
        public int unionType() {
            return SPLIT_V;
        }
    }

    record StridedSlice(int beginMask, int endMask, int ellipsisMask, int newAxisMask, int shrinkAxisMask,
                        boolean offset) implements BuiltinOptions {
        @Override
        public int unionType() {
            return STRIDED_SLICE;
        }
    }

    /** Type codes of the schema's TensorType (0 when the file leaves them out). */
    record Cast(int inDataType, int outDataType) implements BuiltinOptions {
        @Override
        public int unionType() {
            return CAST;
        }
    }

    /** {@code outputType}: a TensorType code (INT32 = 2, INT64 = 4; 0 when absent). */
    record ArgMax(int outputType) implements BuiltinOptions {
        @Override
        public int unionType() {
            return ARG_MAX;
        }
    }

    record TransposeConv(Padding padding, int strideW, int strideH, ActivationFunction activation,
                         int quantizedBiasType) implements BuiltinOptions {
        public TransposeConv(Padding padding, int strideW, int strideH) {
            this(padding, strideW, strideH, ActivationFunction.NONE, 0);
        }

        @Override
        public int unionType() {
            return TRANSPOSE_CONV;
        }
    }

    /** SpaceToDepthOptions or DepthToSpaceOptions (one field, block_size): {@code unionType} says which. */
    record BlockSize(int unionType, int blockSize) implements BuiltinOptions {
    }

    record Pack(int valuesCount, int axis) implements BuiltinOptions {
        @Override
        public int unionType() {
            return PACK;
        }
    }

    record Unpack(int num, int axis) implements BuiltinOptions {
        @Override
        public int unionType() {
            return UNPACK;
        }
    }

    record LeakyRelu(float alpha) implements BuiltinOptions {
        @Override
        public int unionType() {
            return LEAKY_RELU;
        }
    }

    record ResizeNearestNeighbor(boolean alignCorners, boolean halfPixelCenters) implements BuiltinOptions {
        @Override
        public int unionType() {
            return RESIZE_NEAREST_NEIGHBOR;
        }
    }

    record BatchMatMul(boolean adjX, boolean adjY, boolean asymmetricQuantizeInputs) implements BuiltinOptions {
        public BatchMatMul(boolean adjX, boolean adjY) {
            this(adjX, adjY, false);
        }

        @Override
        public int unionType() {
            return BATCH_MATMUL;
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
        return t == PAD || t == DEQUANTIZE || t == PAD_V2 || t == QUANTIZE || t == TRANSPOSE || t == EXP
                || t == LOG_SOFTMAX || t == MAXIMUM_MINIMUM || t == SLICE || t == EXPAND_DIMS
                || t == SQUARED_DIFFERENCE || t == HARD_SWISH;
    }
}
