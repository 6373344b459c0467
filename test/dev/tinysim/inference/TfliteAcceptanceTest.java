package dev.tinysim.inference;

import dev.tinysim.reference.InputGenerator;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.Padding;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Models TFLite Micro runs are run, not refused as corrupt (docs/inference-semantics.md §8a): per-channel
 * quantization whose stored quantized_dimension is wrong (a bias carrying its filter's dimension 3, a filter
 * whose dimension field disagrees with the operator's channel dimension) and one zero point for all channels.
 */
class TfliteAcceptanceTest {

    @Test
    void perChannelArraysAreReadAsTfliteMicroReadsThem() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addTensor("in", TensorType.INT8, new int[] {1, 4, 4, 2}, Quantization.perTensor(0.05f, 3));
        List<Float> scales = List.of(0.01f, 0.02f, 0.015f);
        // dimension 3 stored, but the CONV_2D filter's channels are dimension 0 (TFLM checks only the count)
        int filter = b.addInt8Constant("filter", new int[] {3, 2, 2, 2}, new Quantization(scales, List.of(0L), 3,
                List.of(), List.of()), new byte[] {1, -2, 3, -4, 5, -6, 7, -8, 9, 10, -11, 12, -13, 14, 15, -16, 17,
                -18, 19, 20, -21, 22, -23, 24});
        // the converter copied the filter's dimension into the bias (rank 1: no dimension 3)
        int bias = b.addInt32Constant("bias", new int[] {3}, new Quantization(List.of(0.0005f, 0.001f, 0.00075f),
                List.of(0L, 0L, 0L), 3, List.of(), List.of()), 100, -200, 300);
        int out = b.addTensor("out", TensorType.INT8, new int[] {1, 3, 3, 3}, Quantization.perTensor(0.1f, -5));
        b.addOperator(BuiltinOperator.CONV_2D, new BuiltinOptions.Conv2D(Padding.VALID, 1, 1, ActivationFunction.NONE),
                new int[] {in, filter, bias}, new int[] {out});
        byte[] model = b.inputs(in).outputs(out).toBytes();

        TfliteModel m = InferenceRunner.check(model, "per-channel.tflite");
        byte[] input = InputGenerator.random(m.mainSubgraph().inputTensor(0), 7);
        byte[] expected = ReferenceInterpreter.run(m, List.of(input)).get(0);
        FirmwareOracle.Result r = FirmwareOracle.run(model, "per-channel.tflite", List.of(input), true, Kernels.simd);
        assertEquals(0, r.exitCode(), r.message());
        assertArrayEquals(expected, r.outputs().get(0));
    }
}
