package dev.tinysim.hardening.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tinysim.cli.ExitCode;
import dev.tinysim.data.Binding;
import dev.tinysim.data.DataException;
import dev.tinysim.data.DataOptions;
import dev.tinysim.data.DataReader;
import dev.tinysim.data.Dataset;
import dev.tinysim.hardening.FuzzChecks;
import dev.tinysim.support.Cli;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TfliteReader;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

/**
 * Coverage-guided fuzzing of the data readers ({@code .npy}, {@code .npz}, {@code .csv}, {@code .wav}, images) and
 * the binding of what they read to a model input: the first byte of an input picks the format
 * ({@link FuzzSeeds#DATA_EXTENSIONS}), the rest is the file. The demo float model's input ([1,1,64,3]) is the
 * target, as in {@code run --model demo_f32.tflite --input FILE}. A bad file is a {@link DataException} with a safe
 * one-line message (exit 64-66 on the command line); any other exception is a finding.
 */
@ExtendWith(ClassVersionBridge.class)
class DataFuzzTest {
    private static final Tensor INPUT;

    static {
        try {
            INPUT = TfliteReader.read(Path.of("firmware-images", "models", "demo_f32.tflite")).mainSubgraph().inputTensor(0);
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @MethodSource("dev.tinysim.hardening.fuzz.FuzzSeeds#data")
    @FuzzTest(maxDuration = "15s")
    void readData(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        String ext = FuzzSeeds.DATA_EXTENSIONS.get(Math.floorMod(input[0], FuzzSeeds.DATA_EXTENSIONS.size()));
        Path file = Files.write(FuzzFiles.file("d." + ext), Arrays.copyOfRange(input, 1, input.length));
        DataOptions options = ext.equals("npz") ? DataOptions.DEFAULT.withArray("x") : DataOptions.DEFAULT;
        try {
            Dataset d = DataReader.read(file, options, new DataReader.Target(INPUT, null));
            Binding.bind(d, INPUT, null);
        } catch (DataException e) {
            int code = switch (e.kind()) {
                case MISSING -> ExitCode.NO_INPUT.code();
                case CORRUPT, MISMATCH -> ExitCode.BAD_INPUT.code();
                case USAGE -> ExitCode.USAGE.code();
            };
            FuzzChecks.assertDataRunDocumented("data ." + ext, new Cli.Result(code, "", "tinysim: " + e.getMessage() + "\n"));
        }
    }
}
