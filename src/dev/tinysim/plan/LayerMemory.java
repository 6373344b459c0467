package dev.tinysim.plan;

import dev.tinysim.tflite.Operator;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TfliteModel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Memory per operator, what {@code stedgeai analyze} and TFLite Micro's RecordingMicroAllocator tell: for each
 * operator the bytes of its constant inputs (weights and biases, in flash), the arena bytes of the tensors alive
 * while it runs (its inputs and outputs, and every tensor kept for a later operator) and of its scratch buffers;
 * then the operator where the most is alive (the peak) and what is alive there, largest first — what to shrink.
 * Arena bytes are the planner's: each buffer rounded up to 16.
 *
 * @param operators one entry per operator, in execution order
 * @param peak      the operator with the most bytes alive (the first of equals), or null without operators
 */
public record LayerMemory(List<Layer> operators, Peak peak) {

    /**
     * @param index       operator index
     * @param operator    its name (CONV_2D, …)
     * @param weights     bytes of its constant inputs, each tensor once (in flash, not in the arena)
     * @param activations arena bytes of the tensors alive while it runs
     * @param scratch     arena bytes of its scratch buffers
     * @param live        activations + scratch
     */
    public record Layer(int index, String operator, long weights, long activations, long scratch, long live) {
    }

    /**
     * @param operator the peak operator's index
     * @param name     its name
     * @param bytes    arena bytes alive while it runs (activations + scratch): no plan is smaller
     * @param buffers  what is alive then, largest first
     */
    public record Peak(int operator, String name, long bytes, List<LiveBuffer> buffers) {
    }

    /**
     * @param kind  tensor or scratch
     * @param id    the tensor's index, or the scratch buffer's request number
     * @param name  the tensor's name; for scratch, "scratch of OPERATOR i"
     * @param bytes bytes requested
     * @param size  arena bytes (rounded up to 16)
     */
    public record LiveBuffer(String kind, int id, String name, long bytes, long size) {
    }

    public static LayerMemory of(TfliteModel model, List<Buffer> buffers) {
        Subgraph g = model.mainSubgraph();
        List<Layer> layers = new ArrayList<>();
        Layer top = null;
        for (int i = 0; i < g.operators().size(); i++) {
            Operator op = g.operators().get(i);
            int time = i + 1;
            long weights = 0;
            Set<Integer> seen = new HashSet<>();
            for (int t : op.inputs()) {
                if (t >= 0 && seen.add(t)) {
                    Tensor tensor = g.tensor(t);
                    if (model.isConstant(tensor) && tensor.type().hasFixedSize()) {
                        weights += tensor.type().bytesFor(tensor.elementCount());
                    }
                }
            }
            long activations = 0, scratch = 0;
            for (Buffer b : buffers) {
                if (b.aliveAt(time)) {
                    if (b.kind() == Buffer.Kind.scratch) {
                        scratch += b.size();
                    } else {
                        activations += b.size();
                    }
                }
            }
            Layer layer = new Layer(i, model.operatorCode(op).displayName(), weights, activations, scratch, activations + scratch);
            layers.add(layer);
            if (top == null || layer.live() > top.live()) {
                top = layer;
            }
        }
        Peak peak = null;
        if (top != null) {
            List<LiveBuffer> live = new ArrayList<>();
            for (Buffer b : buffers) {
                if (b.aliveAt(top.index() + 1)) {
                    String name = b.kind() == Buffer.Kind.tensor ? g.tensor(b.id()).name()
                            : "scratch of " + top.operator() + " " + top.index();
                    live.add(new LiveBuffer(b.kind().name(), b.id(), name, b.bytes(), b.size()));
                }
            }
            live.sort(Comparator.comparingLong(LiveBuffer::size).reversed());
            peak = new Peak(top.index(), top.operator(), top.live(), List.copyOf(live));
        }
        return new LayerMemory(List.copyOf(layers), peak);
    }
}
