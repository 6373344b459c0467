package dev.tinysim.plan;

import dev.tinysim.tflite.Operator;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TfliteModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The buffers TFLite Micro plans for subgraph 0 of a model, with their lifetimes, in the order its planner
 * receives them (which decides ties). The rules of AllocationInfoBuilder (micro_allocation_info.cc) and
 * CreatePlan (micro_allocator.cc):
 * <ul>
 *   <li>planned: every tensor without constant data, not a variable (variables are persistent), of non-zero
 *       size; then every scratch buffer, in request order;</li>
 *   <li>time 0 is the start of the inference; operator i runs at time i + 1;</li>
 *   <li>a graph input is created at 0 and lives to its last reader; a tensor an operator writes lives from
 *       that operator to its last reader (or only during it); a graph output lives to the end (time = the
 *       number of operators); a scratch buffer lives during its operator; a tensor nothing touches has the
 *       lifetime [-1, -1] and is planned all the same;</li>
 *   <li>an OfflineMemoryAllocation plan in the model's metadata fixes the offsets it gives (not -1).</li>
 * </ul>
 */
public final class Lifetimes {
    private Lifetimes() {
    }

    /** The buffers of {@code model} with the given scratch requests (request order). */
    public static List<Buffer> of(TfliteModel model, List<Scratch> scratch) {
        Subgraph g = model.mainSubgraph();
        int n = g.tensors().size();
        int[] first = new int[n];
        int[] last = new int[n];
        Arrays.fill(first, -1);
        Arrays.fill(last, -1);
        for (int t : g.inputs()) {
            first[t] = 0;
            last[t] = 0;
        }
        for (int t : g.outputs()) {
            first[t] = 0;
            last[t] = 0;
        }
        List<Operator> ops = g.operators();
        for (int i = 0; i < ops.size(); i++) {
            int time = i + 1;
            Operator op = ops.get(i);
            for (int t : op.outputs()) {
                first[t] = time;
                last[t] = time;
            }
            for (int t : op.inputs()) {
                if (t >= 0) {
                    last[t] = time;
                }
            }
            for (int t : op.outputs()) {
                last[t] = time;
            }
        }
        for (int t : g.outputs()) {
            last[t] = ops.size();
        }
        long[] offline = OfflinePlan.read(model).orElse(null);
        List<Buffer> buffers = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            Tensor tensor = g.tensor(t);
            long bytes = tensor.type().hasFixedSize() ? tensor.type().bytesFor(tensor.elementCount()) : 0;
            if (model.isConstant(tensor) || tensor.isVariable() || bytes == 0) {
                continue;
            }
            buffers.add(new Buffer(Buffer.Kind.tensor, t, -1, first[t], last[t], bytes, offline == null ? -1 : offline[t]));
        }
        for (int s = 0; s < scratch.size(); s++) {
            Scratch r = scratch.get(s);
            if (r.operator() < 0 || r.operator() >= ops.size()) {
                throw new IllegalArgumentException("scratch request " + s + " of operator " + r.operator() + ": the model has "
                        + ops.size() + " operators");
            }
            buffers.add(new Buffer(Buffer.Kind.scratch, s, r.operator(), r.operator() + 1, r.operator() + 1, r.bytes(), -1));
        }
        return List.copyOf(buffers);
    }

    /** The last allocation time of the model: the number of operators. */
    public static int end(TfliteModel model) {
        return model.mainSubgraph().operators().size();
    }
}
