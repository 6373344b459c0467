package dev.tinysim.tflite;

/** Encodes {@link BuiltinOptions} records as their schema tables (field indices as in schema.fbs). */
final class OptionsWriter {

    private OptionsWriter() {
    }

    /** The options table, or null for NONE. */
    static FlatBufferWriter.Table table(BuiltinOptions options) {
        FlatBufferWriter.Table t = new FlatBufferWriter.Table();
        return switch (options) {
            case BuiltinOptions.None n -> null;
            case BuiltinOptions.Conv2D o -> t.i8(0, o.padding().code(), 0).i32(1, o.strideW(), 0)
                    .i32(2, o.strideH(), 0).i8(3, o.activation().code(), 0).i32(4, o.dilationW(), 1)
                    .i32(5, o.dilationH(), 1).i8(6, o.quantizedBiasType(), 0);
            case BuiltinOptions.DepthwiseConv2D o -> t.i8(0, o.padding().code(), 0).i32(1, o.strideW(), 0)
                    .i32(2, o.strideH(), 0).i32(3, o.depthMultiplier(), 0).i8(4, o.activation().code(), 0)
                    .i32(5, o.dilationW(), 1).i32(6, o.dilationH(), 1);
            case BuiltinOptions.Pool2D o -> t.i8(0, o.padding().code(), 0).i32(1, o.strideW(), 0)
                    .i32(2, o.strideH(), 0).i32(3, o.filterW(), 0).i32(4, o.filterH(), 0)
                    .i8(5, o.activation().code(), 0);
            case BuiltinOptions.FullyConnected o -> t.i8(0, o.activation().code(), 0).i8(1, o.weightsFormat(), 0)
                    .bool(2, o.keepNumDims(), false).bool(3, o.asymmetricQuantizeInputs(), false)
                    .i8(4, o.quantizedBiasType(), 0);
            case BuiltinOptions.Softmax o -> t.f32(0, o.beta(), 0f);
            case BuiltinOptions.Concatenation o -> t.i32(0, o.axis(), 0).i8(1, o.activation().code(), 0);
            case BuiltinOptions.Add o -> t.i8(0, o.activation().code(), 0).bool(1, o.potScaleInt16(), true);
            case BuiltinOptions.Mul o -> t.i8(0, o.activation().code(), 0);
            case BuiltinOptions.Reshape o -> t.child(0, FlatBufferWriter.ints(o.newShape(), false));
            case BuiltinOptions.Reducer o -> t.bool(0, o.keepDims(), false);
            case BuiltinOptions.Sub o -> t.i8(0, o.activation().code(), 0).bool(1, o.potScaleInt16(), true);
            case BuiltinOptions.Div o -> t.i8(0, o.activation().code(), 0);
            case BuiltinOptions.Svdf o -> t.i32(0, o.rank(), 0).i8(1, o.activation().code(), 0)
                    .bool(2, o.asymmetricQuantizeInputs(), false);
            case BuiltinOptions.UnidirectionalSequenceLstm o -> t.i8(0, o.activation().code(), 0)
                    .f32(1, o.cellClip(), 0f).f32(2, o.projClip(), 0f).bool(3, o.timeMajor(), false)
                    .bool(4, o.asymmetricQuantizeInputs(), false).bool(5, o.diagonalRecurrentTensors(), false);
            case BuiltinOptions.Gather o -> t.i32(0, o.axis(), 0).i32(1, o.batchDims(), 0);
            case BuiltinOptions.Squeeze o -> t.child(0, FlatBufferWriter.ints(o.squeezeDims(), false));
            case BuiltinOptions.Split o -> t.i32(0, o.numSplits(), 0);
            case BuiltinOptions.SplitV o -> t.i32(0, o.numSplits(), 0);
            case BuiltinOptions.StridedSlice o -> t.i32(0, o.beginMask(), 0).i32(1, o.endMask(), 0)
                    .i32(2, o.ellipsisMask(), 0).i32(3, o.newAxisMask(), 0).i32(4, o.shrinkAxisMask(), 0)
                    .bool(5, o.offset(), false);
            case BuiltinOptions.Cast o -> t.i8(0, o.inDataType(), 0).i8(1, o.outDataType(), 0);
            case BuiltinOptions.ArgMax o -> t.i8(0, o.outputType(), 0);
            case BuiltinOptions.TransposeConv o -> t.i8(0, o.padding().code(), 0).i32(1, o.strideW(), 0)
                    .i32(2, o.strideH(), 0).i8(3, o.activation().code(), 0).i8(4, o.quantizedBiasType(), 0);
            case BuiltinOptions.BlockSize o -> t.i32(0, o.blockSize(), 0);
            case BuiltinOptions.Pack o -> t.i32(0, o.valuesCount(), 0).i32(1, o.axis(), 0);
            case BuiltinOptions.Unpack o -> t.i32(0, o.num(), 0).i32(1, o.axis(), 0);
            case BuiltinOptions.LeakyRelu o -> t.f32(0, o.alpha(), 0f);
            case BuiltinOptions.ResizeNearestNeighbor o -> t.bool(0, o.alignCorners(), false)
                    .bool(1, o.halfPixelCenters(), false);
            case BuiltinOptions.BatchMatMul o -> t.bool(0, o.adjX(), false).bool(1, o.adjY(), false)
                    .bool(2, o.asymmetricQuantizeInputs(), false);
            case BuiltinOptions.NoFields o -> t;
            case BuiltinOptions.Unparsed o -> throw new IllegalArgumentException("cannot write "
                    + o.unionTypeName() + ": tinysim does not decode that options table");
        };
    }
}
