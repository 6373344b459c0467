package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Operator;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TfliteModel;

/**
 * Multiply-accumulate counts per operator, derived from shapes only (docs/inference-semantics.md §3):
 * CONV_2D = N*out_h*out_w*out_c*k_h*k_w*filter_in_c, DEPTHWISE_CONV_2D = N*out_h*out_w*out_c*k_h*k_w,
 * FULLY_CONNECTED = batches*out*in, SVDF = batch*filters*(input_size + memory),
 * UNIDIRECTIONAL_SEQUENCE_LSTM = batch*time*4*state*(input_size + state), TRANSPOSE_CONV =
 * N*in_h*in_w*in_c*k_h*k_w*out_c (every input value times every tap, those falling outside the output
 * included), BATCH_MATMUL = output elements * accumulation depth, everything else 0. The firmware's
 * {@code macs} figure must match.
 */
public final class MacCounter {

    private MacCounter() {
    }

    public static long macs(TfliteModel model, int operatorIndex) {
        Subgraph g = model.mainSubgraph();
        Operator op = g.operators().get(operatorIndex);
        BuiltinOperator kind = model.operatorCode(op).builtin().orElse(null);
        if (kind == null) {
            return 0;
        }
        return switch (kind) {
            case CONV_2D -> {
                Tensor out = g.tensor(op.output(0));
                Tensor filter = g.tensor(op.input(1));
                yield (long) out.dim(0) * out.dim(1) * out.dim(2) * out.dim(3) * filter.dim(1) * filter.dim(2)
                        * filter.dim(3);
            }
            case DEPTHWISE_CONV_2D -> {
                Tensor out = g.tensor(op.output(0));
                Tensor filter = g.tensor(op.input(1));
                yield (long) out.dim(0) * out.dim(1) * out.dim(2) * out.dim(3) * filter.dim(1) * filter.dim(2);
            }
            case FULLY_CONNECTED -> {
                Tensor in = g.tensor(op.input(0));
                Tensor weights = g.tensor(op.input(1));
                long depth = weights.dim(1);
                long batches = depth == 0 ? 0 : in.elementCount() / depth;
                yield batches * weights.dim(0) * depth;
            }
            case SVDF -> {
                // feature products (filters x input) and time products (filters x memory), per batch
                Tensor in = g.tensor(op.input(0));
                Tensor featureWeights = g.tensor(op.input(1));
                Tensor timeWeights = g.tensor(op.input(2));
                yield (long) in.dim(0) * featureWeights.dim(0) * (featureWeights.dim(1) + timeWeights.dim(1));
            }
            case UNIDIRECTIONAL_SEQUENCE_LSTM -> {
                // per batch and time step: four gates, each an input (S x I) and a recurrent (S x S) product
                Tensor in = g.tensor(op.input(0));
                Tensor inputToForget = g.tensor(op.input(2));
                long state = inputToForget.dim(0);
                long inputSize = inputToForget.dim(1);
                long steps = inputSize == 0 ? 0 : in.elementCount() / inputSize;
                yield steps * 4 * state * (inputSize + state);
            }
            case TRANSPOSE_CONV -> {
                Tensor in = g.tensor(op.input(2));
                Tensor filter = g.tensor(op.input(1));
                yield (long) in.elementCount() * filter.dim(1) * filter.dim(2) * filter.dim(0);
            }
            case BATCH_MATMUL -> {
                Tensor lhs = g.tensor(op.input(0));
                Tensor out = g.tensor(op.output(0));
                boolean adjX = op.options() instanceof BuiltinOptions.BatchMatMul o && o.adjX();
                long depth = lhs.dim(lhs.rank() - (adjX ? 2 : 1));
                yield (long) out.elementCount() * depth;
            }
            default -> 0;
        };
    }

    /** Sum over all operators of subgraph 0. */
    public static long totalMacs(TfliteModel model) {
        long total = 0;
        for (int i = 0; i < model.mainSubgraph().operators().size(); i++) {
            total += macs(model, i);
        }
        return total;
    }
}
