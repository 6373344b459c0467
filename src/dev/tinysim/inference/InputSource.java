package dev.tinysim.inference;

import dev.tinysim.cli.CliException;
import dev.tinysim.cli.ExitCode;
import dev.tinysim.files.InputFiles;
import dev.tinysim.files.UnreadableFileException;
import dev.tinysim.reference.InputGenerator;
import dev.tinysim.tflite.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the bytes of the model's (first) input tensor come from, per inference.
 *
 * <p>The {@code --input} file format (docs/inference-report.md): raw little-endian tensor bytes, no
 * header — exactly what the tensor holds in memory (INT8: one signed byte per element; FLOAT32: IEEE
 * 754 binary32, 4 bytes per element; row-major NHWC, the order of the .tflite shape). Either one
 * tensor's bytes, used for every run, or {@code runs} tensors back to back, one per run.
 */
public sealed interface InputSource {

    /** The input bytes of inference {@code run} (0-based) for {@code tensor}. */
    byte[] forRun(int run, Tensor tensor);

    /** For reports: "seed 1", "file x.bin", … */
    String describe();

    /** Checks the source against the tensor and the run count before anything runs (throws CliException). */
    default void check(Tensor tensor, int runs) {
    }

    /** Seeded random ({@link InputGenerator#random(Tensor, long)}): run i uses seed + i. */
    record Seeded(long seed) implements InputSource {
        @Override
        public byte[] forRun(int run, Tensor tensor) {
            return InputGenerator.random(tensor, seed + run);
        }

        @Override
        public String describe() {
            return "seed " + seed;
        }
    }

    /** Bytes given by the caller: run i uses {@code inputs.get(i % inputs.size())}. */
    record Given(List<byte[]> inputs, String description) implements InputSource {
        public Given {
            inputs = List.copyOf(inputs);
            if (inputs.isEmpty()) {
                throw new IllegalArgumentException("no inputs");
            }
        }

        @Override
        public byte[] forRun(int run, Tensor tensor) {
            return inputs.get(run % inputs.size()).clone();
        }

        @Override
        public String describe() {
            return description;
        }

        @Override
        public void check(Tensor tensor, int runs) {
            for (byte[] b : inputs) {
                if (b.length != tensor.byteSize()) {
                    throw new CliException(ExitCode.BAD_INPUT, description + ": " + b.length + " bytes, but "
                            + InputSource.describe(tensor) + " needs " + tensor.byteSize());
                }
            }
        }
    }

    /** A raw tensor file (--input): one tensor for every run, or one per run back to back. */
    record FromFile(Path path, byte[] bytes) implements InputSource {
        /** Largest raw input file (one or more samples) tinysim reads. */
        public static final long MAX_INPUT_BYTES = 256L << 20;

        /** Reads the file (exit 66 when it is missing or unreadable). */
        public static FromFile read(Path path) {
            try {
                return new FromFile(path, InputFiles.read(path, "input", MAX_INPUT_BYTES));
            } catch (UnreadableFileException e) {
                throw new CliException(ExitCode.NO_INPUT, e.getMessage());
            }
        }

        @Override
        public byte[] forRun(int run, Tensor tensor) {
            int n = tensor.byteSize();
            int count = bytes.length / n;
            int k = count <= 1 ? 0 : run % count;
            return java.util.Arrays.copyOfRange(bytes, k * n, k * n + n);
        }

        @Override
        public String describe() {
            return "file " + path.getFileName();
        }

        @Override
        public void check(Tensor tensor, int runs) {
            long n = tensor.byteSize();
            if (bytes.length == n || (runs > 1 && bytes.length == n * runs)) {
                return;
            }
            throw new CliException(ExitCode.BAD_INPUT, path + ": " + bytes.length + " bytes, but "
                    + InputSource.describe(tensor) + " needs exactly " + n + " bytes"
                    + (runs > 1 ? " (or " + n * runs + " for one input per run with --runs " + runs + ")" : "")
                    + "; the file holds the raw tensor bytes, no header (see docs/inference-report.md)");
        }
    }

    /** "input tensor 'x' (INT8 [1, 49, 10, 1])" */
    static String describe(Tensor t) {
        return "input tensor '" + t.name() + "' (" + t.type() + " " + t.shape() + ")";
    }
}
