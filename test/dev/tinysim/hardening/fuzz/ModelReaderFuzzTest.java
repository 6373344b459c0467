package dev.tinysim.hardening.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tinysim.failure.FailureException;
import dev.tinysim.hardening.FuzzChecks;
import dev.tinysim.inference.InferenceRunner;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Set;

/**
 * Coverage-guided fuzzing of the {@code .tflite} reader and the Java validation that runs before anything else
 * ({@link InferenceRunner#check}: the reader, graph checks, the runtime's load rules, the offline plan, the
 * reference interpreter's prepare step, the runtime's limits). A corrupt model must be refused with exit 65 or 72
 * and a safe one-line message; any other exception is a finding.
 */
@ExtendWith(ClassVersionBridge.class)
class ModelReaderFuzzTest {
    @MethodSource("dev.tinysim.hardening.fuzz.FuzzSeeds#models")
    @FuzzTest(maxDuration = "15s")
    void readerAndValidator(byte[] model) {
        try {
            InferenceRunner.check(model, "fuzz.tflite");
        } catch (FailureException e) {
            FuzzChecks.assertDocumented("model", FuzzChecks.asPrinted(e), Set.of(65, 72));
        }
    }
}
