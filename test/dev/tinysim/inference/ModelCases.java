package dev.tinysim.inference;

import dev.tinysim.emulator.board.Board;
import dev.tinysim.reference.InputGenerator;
import dev.tinysim.tflite.Models;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

/**
 * The firmware runs of the six MLPerf Tiny models the tests share: which build, kernels and inputs
 * each model gets, within the CI budget (soft-float float models are slow: one inference each for
 * the two large ones).
 */
final class ModelCases {
    /** Generated inputs (no data sets ship with the models): seeded random, real zero, alternating extremes. */
    enum Inputs { THREE, ONE }

    record Case(String model, boolean fpu, Kernels kernels, Inputs inputs) {
        String key() {
            return model + "|" + (fpu ? "m4f" : "m4") + "|" + kernels + "|" + inputs;
        }

        Board board() {
            return FirmwareRuns.board(fpu);
        }

        List<byte[]> inputBytes() {
            Tensor in = Models.model(model).mainSubgraph().inputTensor(0);
            return inputs == Inputs.ONE ? List.of(InputGenerator.random(in, 1))
                    : List.of(InputGenerator.random(in, 1), InputGenerator.zeros(in), InputGenerator.extremes(in));
        }

        List<String> inputNames() {
            return inputs == Inputs.ONE ? List.of("random(seed 1)") : List.of("random(seed 1)", "zeros", "extremes");
        }

        Future<InferenceRunner.Outcome> start() {
            return FirmwareRuns.submit(key(), () -> {
                List<byte[]> in = inputBytes();
                InferenceOptions o = InferenceOptions.of(board(), kernels, in.size(),
                        new InputSource.Given(in, String.join(", ", inputNames())));
                return InferenceRunner.run(Models.bytes(model), model, o);
            });
        }

        @Override
        public String toString() {
            return model + " on " + (fpu ? "runtime-m4f (hard float)" : "runtime-m4 (soft float, nrf52840-nofpu)")
                    + ", " + kernels + " kernels";
        }
    }

    private static final Map<String, byte[]> REFERENCE = new ConcurrentHashMap<>();

    private ModelCases() {
    }

    static boolean isFloat(String model) {
        return Models.model(model).mainSubgraph().inputTensor(0).type() == TensorType.FLOAT32;
    }

    /** Every case, the slowest first (so that two threads finish together). */
    static List<Case> all() {
        List<Case> out = new ArrayList<>();
        // soft float, float models: one inference each for the two big ones
        out.add(new Case("pretrainedResnet.tflite", false, Kernels.simd, Inputs.ONE));
        out.add(new Case("kws_ref_model_float32.tflite", false, Kernels.simd, Inputs.ONE));
        for (String m : Models.ALL) {
            for (boolean fpu : new boolean[]{true, false}) {
                for (Kernels k : Kernels.values()) {
                    if (isFloat(m) && !fpu && !m.startsWith("ad01")) {
                        continue;   // above (one inference, SIMD setting; float kernels exist once)
                    }
                    out.add(new Case(m, fpu, k, Inputs.THREE));
                }
            }
        }
        return out;
    }

    /** The run that proves the FPU-less build never executes an FPU instruction, per model. */
    static Case noFpuCase(String model) {
        return all().stream().filter(c -> c.model().equals(model) && !c.fpu()).findFirst().orElseThrow();
    }

    /**
     * The reference interpreter's output for run {@code run} of a case's runs (cached per model and input
     * sequence): one session over the runs, as the firmware keeps variable tensors from run to run.
     */
    static byte[] reference(Case c, int run) {
        String key = c.model() + "|" + String.join(",", c.inputNames()) + "|" + run;
        return REFERENCE.computeIfAbsent(key, k -> ReferenceRuns.outputs(Models.model(c.model()), c.inputBytes()).get(run))
                .clone();
    }
}
