package dev.tinysim.inference;

import dev.tinysim.cli.ExitCode;
import dev.tinysim.tflite.Models;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The soft-float runtime never executes an FPU instruction: every model runs to completion on
 * nrf52840-nofpu, where the machine faults (exit 88) on the first floating-point instruction. The
 * runs are shared with {@link BitExactnessTest} (one inference at least per model).
 */
class NoFpuTest {

    @TestFactory
    List<DynamicTest> everyModelRunsOnTheFpuLessBoardWithoutTouchingTheFpu() {
        List<ModelCases.Case> cases = Models.ALL.stream().map(ModelCases::noFpuCase).toList();
        cases.forEach(ModelCases.Case::start);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.model(), () -> {
            InferenceRunner.Outcome o = FirmwareRuns.await(c.start());
            InferenceReport r = o.report();
            assertFalse(r.board().fpu());
            assertEquals("nrf52840-nofpu", r.board().name());
            assertEquals("soft", r.runtime().abi());
            assertNotEquals(ExitCode.NO_FPU.code(), r.result().exitCode(), r.result().message());
            assertEquals("exited with status 0", r.result().firmwareEnd());
            assertTrue(r.runs().size() >= 1 && o.outputs().size() == r.runs().size());
        })).toList();
    }

    @org.junit.jupiter.api.Test
    void theHardFloatBuildFaultsOnTheFpuLessBoard() {
        // The check above only means something if the machine really faults on FP instructions: run the
        // hard-float image there on purpose (bypassing the build selection) and expect exit 88.
        var image = InferenceRunner.runtimeImage(FirmwareRuns.board(true));
        var o = InferenceRunner.runWithImage(Models.bytes("ad01_fp32.tflite"), "ad01_fp32.tflite",
                InferenceOptions.of(FirmwareRuns.board(false), Kernels.simd, 1, new InputSource.Seeded(1)), image);
        assertEquals("fault", o.report().result().kind(), o.report().result().message());
        assertEquals(ExitCode.NO_FPU.code(), o.exitCode(), o.report().result().message());
        assertTrue(o.report().result().message().contains("has no FPU"), o.report().result().message());
    }
}
