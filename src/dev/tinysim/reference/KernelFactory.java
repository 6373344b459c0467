package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.OperatorCode;

import java.util.EnumSet;
import java.util.Set;

/** Maps an operator to its kernel; the single place that lists what the reference interpreter supports. */
final class KernelFactory {

    /** The operators tinysim's runtime contract covers (docs/inference-semantics.md). */
    static final Set<BuiltinOperator> SUPPORTED = EnumSet.of(
            BuiltinOperator.CONV_2D, BuiltinOperator.DEPTHWISE_CONV_2D, BuiltinOperator.FULLY_CONNECTED,
            BuiltinOperator.ADD, BuiltinOperator.MUL, BuiltinOperator.AVERAGE_POOL_2D, BuiltinOperator.MAX_POOL_2D,
            BuiltinOperator.RESHAPE, BuiltinOperator.SOFTMAX, BuiltinOperator.QUANTIZE, BuiltinOperator.DEQUANTIZE,
            BuiltinOperator.RELU, BuiltinOperator.RELU6, BuiltinOperator.PAD, BuiltinOperator.MEAN,
            BuiltinOperator.CONCATENATION, BuiltinOperator.LOGISTIC,
            // elementwise and activation operators
            BuiltinOperator.SUB, BuiltinOperator.MAXIMUM, BuiltinOperator.MINIMUM,
            BuiltinOperator.SQUARED_DIFFERENCE, BuiltinOperator.DIV, BuiltinOperator.PRELU,
            BuiltinOperator.HARD_SWISH, BuiltinOperator.LEAKY_RELU, BuiltinOperator.EXP, BuiltinOperator.RSQRT,
            BuiltinOperator.LOG_SOFTMAX, BuiltinOperator.CAST,
            // shape family (data movement, indexing, reductions)
            BuiltinOperator.TRANSPOSE, BuiltinOperator.STRIDED_SLICE, BuiltinOperator.SLICE, BuiltinOperator.SQUEEZE,
            BuiltinOperator.EXPAND_DIMS, BuiltinOperator.SPLIT, BuiltinOperator.SPLIT_V, BuiltinOperator.PACK,
            BuiltinOperator.UNPACK, BuiltinOperator.GATHER, BuiltinOperator.RESIZE_NEAREST_NEIGHBOR,
            BuiltinOperator.ARG_MAX, BuiltinOperator.SUM, BuiltinOperator.REDUCE_MAX,
            BuiltinOperator.SVDF, BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM,
            BuiltinOperator.TRANSPOSE_CONV, BuiltinOperator.BATCH_MATMUL,
            BuiltinOperator.LOG_SOFTMAX, BuiltinOperator.CAST, BuiltinOperator.TANH,
            // elementwise math (MathKernels)
            BuiltinOperator.ABS, BuiltinOperator.NEG, BuiltinOperator.SQRT, BuiltinOperator.SQUARE, BuiltinOperator.FLOOR,
            BuiltinOperator.CEIL, BuiltinOperator.ROUND, BuiltinOperator.ZEROS_LIKE, BuiltinOperator.ARG_MIN,
            // comparisons (CompareKernel)
            BuiltinOperator.EQUAL, BuiltinOperator.NOT_EQUAL, BuiltinOperator.LESS, BuiltinOperator.LESS_EQUAL,
            BuiltinOperator.GREATER, BuiltinOperator.GREATER_EQUAL,
            BuiltinOperator.DEPTH_TO_SPACE, BuiltinOperator.SPACE_TO_DEPTH, BuiltinOperator.PADV2,
            BuiltinOperator.FLOOR_DIV, BuiltinOperator.SELECT_V2, BuiltinOperator.BROADCAST_TO,
            BuiltinOperator.FILL);

    private KernelFactory() {
    }

    /** The supported builtin operator of a code, or an exception naming the operator and its index. */
    static BuiltinOperator supportedOperator(OperatorCode code, int index) {
        BuiltinOperator op = code.builtin().orElse(null);
        if (op == null || !SUPPORTED.contains(op)) {
            throw new UnsupportedModelException("model uses " + code.displayName() + " (operator " + index
                    + "), which the runtime does not support");
        }
        return op;
    }

    static Kernel create(BuiltinOperator op, OpContext c) {
        return switch (op) {
            case CONV_2D -> ConvKernel.create(c);
            case DEPTHWISE_CONV_2D -> DepthwiseConvKernel.create(c);
            case FULLY_CONNECTED -> FullyConnectedKernel.create(c);
            case ADD, MUL -> ElementwiseKernel.create(c, op);
            case AVERAGE_POOL_2D, MAX_POOL_2D -> PoolKernel.create(c, op);
            case RESHAPE -> ShapeKernels.reshape(c);
            case SOFTMAX -> SoftmaxKernel.create(c);
            case QUANTIZE -> UnaryKernels.quantize(c);
            case DEQUANTIZE -> UnaryKernels.dequantize(c);
            case RELU -> UnaryKernels.relu(c);
            case RELU6 -> UnaryKernels.relu6(c);
            case PAD, PADV2 -> ShapeKernels.pad(c);
            case DEPTH_TO_SPACE, SPACE_TO_DEPTH -> DepthSpaceKernel.create(c, op);
            case MEAN -> MeanKernel.mean(c);
            case CONCATENATION -> ShapeKernels.concatenation(c);
            case LOGISTIC -> UnaryKernels.logistic(c);
            case SUB -> SubKernel.create(c);
            case MAXIMUM, MINIMUM -> MinMaxKernel.create(c, op);
            case SQUARED_DIFFERENCE -> SquaredDifferenceKernel.create(c);
            case DIV -> DivKernel.create(c);
            case PRELU -> PreluKernel.create(c);
            case HARD_SWISH -> HardSwishKernel.create(c);
            case LEAKY_RELU -> LeakyReluKernel.create(c);
            case EXP -> ExpKernel.create(c);
            case RSQRT -> RsqrtKernel.create(c);
            case LOG_SOFTMAX -> LogSoftmaxKernel.create(c);
            case CAST -> CastKernel.create(c);
            case TRANSPOSE -> TransposeKernel.create(c);
            case STRIDED_SLICE -> StridedSliceKernel.create(c);
            case SLICE -> SliceKernel.create(c);
            case SQUEEZE -> SqueezeExpandKernels.squeeze(c);
            case EXPAND_DIMS -> SqueezeExpandKernels.expandDims(c);
            case SPLIT -> SplitKernels.split(c);
            case SPLIT_V -> SplitKernels.splitV(c);
            case UNPACK -> SplitKernels.unpack(c);
            case PACK -> PackKernel.create(c);
            case GATHER -> GatherKernel.create(c);
            case RESIZE_NEAREST_NEIGHBOR -> ResizeNearestNeighborKernel.create(c);
            case ARG_MAX -> ArgMaxKernel.create(c);
            case ARG_MIN -> ArgMaxKernel.createMin(c);
            case SUM -> MeanKernel.sum(c);
            case REDUCE_MAX -> ReduceMaxKernel.create(c);
            case SVDF -> SvdfKernel.create(c);
            case UNIDIRECTIONAL_SEQUENCE_LSTM -> LstmKernel.create(c);
            case TRANSPOSE_CONV -> TransposeConvKernel.create(c);
            case BATCH_MATMUL -> BatchMatMulKernel.create(c);
            case TANH -> TanhKernel.create(c);
            case ABS -> MathKernels.abs(c);
            case NEG, SQRT, SQUARE, FLOOR, CEIL, ROUND -> MathKernels.float32(c, op);
            case ZEROS_LIKE -> MathKernels.zerosLike(c);
            case FLOOR_DIV -> MathKernels.floorDiv(c);
            case FILL -> MathKernels.fill(c);
            case SELECT_V2 -> SelectKernel.create(c);
            case BROADCAST_TO -> BroadcastToKernel.create(c);
            case EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL -> CompareKernel.create(c, op);
            default -> throw c.fail("is not supported");
        };
    }
}
