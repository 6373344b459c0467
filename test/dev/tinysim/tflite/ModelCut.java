package dev.tinysim.tflite;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A consecutive run of operators of a real model as a model of its own (tensors, constants, variables and
 * options copied), so that a test can run the part of a model tinysim supports, e.g. the SVDF layers of a
 * keyword model whose first and last operators belong to another helper.
 */
public final class ModelCut {

    private ModelCut() {
    }

    /** Operators {@code first..last} of {@code m}'s main graph, with graph input {@code input} and output {@code output}. */
    public static byte[] of(TfliteModel m, int first, int last, int input, int output) {
        Subgraph g = m.mainSubgraph();
        ModelBuilder b = new ModelBuilder();
        Map<Integer, Integer> map = new LinkedHashMap<>();
        for (int k = first; k <= last; k++) {
            Operator op = g.operators().get(k);
            int[] ins = op.inputs().stream().mapToInt(t -> t < 0 ? -1 : copy(m, b, map, t)).toArray();
            int[] outs = op.outputs().stream().mapToInt(t -> copy(m, b, map, t)).toArray();
            b.addOperator(m.operatorCode(op).builtin().orElseThrow(), op.options(), ins, outs);
        }
        return b.inputs(map.get(input)).outputs(map.get(output)).description("cut of operators " + first + ".." + last)
                .toBytes();
    }

    private static int copy(TfliteModel m, ModelBuilder b, Map<Integer, Integer> map, int t) {
        return map.computeIfAbsent(t, k -> {
            Tensor tensor = m.mainSubgraph().tensor(k);
            int[] shape = tensor.shapeArray();
            if (tensor.isVariable()) {
                return b.addVariable(tensor.name(), tensor.type(), shape, tensor.quantization());
            }
            if (m.isConstant(tensor)) {
                ByteBuffer data = m.tensorData(tensor).duplicate();
                byte[] bytes = new byte[tensor.byteSize()];
                data.get(bytes);
                return b.addConstant(tensor.name(), tensor.type(), shape, tensor.quantization(), bytes);
            }
            return b.addTensor(tensor.name(), tensor.type(), shape, tensor.quantization());
        });
    }
}
