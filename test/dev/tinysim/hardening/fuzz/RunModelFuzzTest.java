package dev.tinysim.hardening.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tinysim.hardening.FuzzChecks;
import dev.tinysim.support.Cli;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Coverage-guided fuzzing of the whole {@code run --model} path in-process: the command line, the file checks,
 * the Java validation, the reference interpreter, the bundled runtime on the emulator, the comparison and the
 * report. Every run ends with a documented exit ({@link FuzzChecks#MODEL_RUN_EXITS}) and a safe message, and a model
 * the Java checks passed is never refused by the firmware at load.
 */
@ExtendWith(ClassVersionBridge.class)
class RunModelFuzzTest {
    /** One file per JVM, rewritten for every input (the fuzzer reuses the test instance). */
    private static final Path FILE = FuzzFiles.file("m.tflite");

    @MethodSource("dev.tinysim.hardening.fuzz.FuzzSeeds#smallModels")
    @FuzzTest(maxDuration = "15s")
    void runModel(byte[] model) throws IOException {
        Files.write(FILE, model);
        Cli.Result r = Cli.run("run", "--model", FILE.toString(), "--max-instructions", "20000000", "--timeout", "20");
        FuzzChecks.assertDocumented("run --model", r, FuzzChecks.MODEL_RUN_EXITS);
        assertFalse(FuzzChecks.refusedAtLoadAfterJavaChecks(r),
                "a model the Java checks passed was refused by the firmware at load: " + FuzzChecks.runtimeErrorResult(r));
    }
}
