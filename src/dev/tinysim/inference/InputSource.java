package dev.tinysim.inference;

import dev.tinysim.failure.Failure;
import dev.tinysim.failure.FailureException;
import dev.tinysim.files.InputFiles;
import dev.tinysim.files.UnreadableFileException;
import dev.tinysim.reference.InputGenerator;
import dev.tinysim.tflite.Tensor;


import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where the bytes of the model's graph inputs come from, per inference. Every graph input is written
 * before every inference (the runtime's planner reuses an input's bytes once its last reader has run).
 *
 * <p>The {@code --input} file format (docs/inference-report.md): raw little-endian tensor bytes, no
 * header — exactly what the tensor holds in memory (INT8: one signed byte per element; FLOAT32: IEEE
 * 754 binary32, 4 bytes per element; row-major NHWC, the order of the .tflite shape). One file per
 * graph input, each holding either one tensor's bytes, used for every run, or {@code runs} tensors back
 * to back, one per run.
 */
public sealed interface InputSource {

    /** The bytes of graph input {@code input} (its position in the subgraph's inputs) for inference {@code run}. */
    byte[] forRun(int run, int input, Tensor tensor);

    /** For reports: "seed 1", "file x.bin", … */
    String describe();

    /**
     * Checks the source against the graph inputs (in graph order) and the run count before anything runs, and
     * returns the source to run with (a file list ordered as the graph inputs). Throws {@link FailureException}.
     */
    default InputSource resolve(List<Tensor> inputs, int runs) {
        return this;
    }

    /**
     * Seeded random ({@link InputGenerator#random(Tensor, long)}): graph input 0 of run i uses seed + i (as
     * before there was more than one input); input k ≥ 1 uses (seed + i) · 1,000,003 + k.
     */
    record Seeded(long seed) implements InputSource {
        @Override
        public byte[] forRun(int run, int input, Tensor tensor) {
            return InputGenerator.random(tensor, seedOf(seed, run, input));
        }

        /** The seed of graph input {@code input} in run {@code run}. */
        public static long seedOf(long seed, int run, int input) {
            long s = seed + run;
            return input == 0 ? s : s * 1_000_003L + input;
        }

        /** "default (seed 1)" for the default input every command uses (run --model, fit, table, sweep, compare); else "seed S". */
        @Override
        public String describe() {
            return seed == DEFAULT_SEED ? "default (seed " + seed + ")" : "seed " + seed;
        }

        /** The seed of the default input. */
        public static final long DEFAULT_SEED = 1;
    }

    /**
     * Bytes given by the caller: run i uses {@code runs.get(i % runs.size())}, one array per graph input, in
     * graph order.
     */
    record Given(List<List<byte[]>> runs, String description) implements InputSource {
        public Given {
            runs = runs.stream().map(List::copyOf).toList();
            if (runs.isEmpty()) {
                throw new IllegalArgumentException("no inputs");
            }
        }

        /** A model with one graph input: run i uses {@code perRun.get(i % perRun.size())}. */
        public static Given single(List<byte[]> perRun, String description) {
            return new Given(perRun.stream().map(List::of).toList(), description);
        }

        @Override
        public byte[] forRun(int run, int input, Tensor tensor) {
            return runs.get(run % runs.size()).get(input).clone();
        }

        @Override
        public String describe() {
            return description;
        }

        @Override
        public InputSource resolve(List<Tensor> inputs, int count) {
            for (List<byte[]> run : runs) {
                if (run.size() != inputs.size()) {
                    throw new FailureException(Failure.BAD_INPUT, description + ": " + run.size() + " input tensors given, but the model has "
                            + inputs.size());
                }
                for (int k = 0; k < inputs.size(); k++) {
                    if (run.get(k).length != inputs.get(k).byteSize()) {
                        throw new FailureException(Failure.BAD_INPUT, description + ": " + run.get(k).length + " bytes, but "
                                + InputSource.describe(inputs.get(k)) + " needs " + inputs.get(k).byteSize());
                    }
                }
            }
            return this;
        }
    }

    /**
     * Raw tensor files ({@code --input}), one per graph input: in graph order, or named ({@code NAME=FILE}, NAME
     * being the input tensor's name); named files take their input, the others fill the rest in graph order.
     * Resolved against the model before anything runs; then {@code files} is in graph order, one per input.
     */
    record FromFiles(List<InputFile> files) implements InputSource {
        public FromFiles {
            files = List.copyOf(files);
        }

        /** A single file for a single-input model (no name). */
        public static FromFiles of(InputFile file) {
            return new FromFiles(List.of(file));
        }

        @Override
        public byte[] forRun(int run, int input, Tensor tensor) {
            return files.get(input).forRun(run, tensor);
        }

        @Override
        public String describe() {
            return (files.size() == 1 ? "file " : "files ")
                    + files.stream().map(f -> String.valueOf(f.path().getFileName())).collect(Collectors.joining(", "));
        }

        @Override
        public InputSource resolve(List<Tensor> inputs, int runs) {
            InputFile[] byInput = new InputFile[inputs.size()];
            List<InputFile> positional = new ArrayList<>();
            for (InputFile f : files) {
                if (f.name() == null) {
                    positional.add(f);
                    continue;
                }
                int k = -1;
                for (int i = 0; i < inputs.size(); i++) {
                    if (inputs.get(i).name().equals(f.name())) {
                        k = i;
                        break;
                    }
                }
                if (k < 0) {
                    throw new FailureException(Failure.USAGE, "--input " + f.name() + "=" + f.path() + ": the model has no input named '"
                            + f.name() + "' (its inputs: " + names(inputs) + ")");
                }
                if (byInput[k] != null) {
                    throw new FailureException(Failure.USAGE, "--input: two files for input '" + f.name() + "'");
                }
                byInput[k] = f;
            }
            int next = 0;
            for (InputFile f : positional) {
                while (next < byInput.length && byInput[next] != null) {
                    next++;
                }
                if (next == byInput.length) {
                    throw new FailureException(Failure.USAGE, files.size() + " --input files for " + inputs.size() + " model input"
                            + (inputs.size() == 1 ? "" : "s") + " (" + names(inputs) + "): give one file per input");
                }
                byInput[next++] = f;
            }
            for (int k = 0; k < byInput.length; k++) {
                if (byInput[k] == null) {
                    throw new FailureException(Failure.USAGE, "no --input file for input " + k + " " + InputSource.describe(inputs.get(k))
                            + ": the model has " + inputs.size() + " inputs (" + names(inputs)
                            + "); give one --input FILE per input in graph order, or --input NAME=FILE");
                }
                byInput[k].check(inputs.get(k), runs);
            }
            return new FromFiles(Arrays.asList(byInput));
        }

        private static String names(List<Tensor> inputs) {
            return inputs.stream().map(t -> "'" + dev.tinysim.text.Printable.name(t.name()) + "'").collect(Collectors.joining(", "));
        }
    }

    /**
     * One {@code --input} file: one tensor for every run, or one per run back to back.
     *
     * @param name the input tensor's name ({@code --input NAME=FILE}), or null (graph order)
     */
    record InputFile(String name, Path path, byte[] bytes) {
        /**
         * Reads an {@code --input} argument: FILE, or NAME=FILE when the argument is not itself an existing file and
         * has an '=' (exit 66 when the file is missing or unreadable).
         */
        public static InputFile parse(String arg) {
            Path whole = Path.of(arg);
            int eq = arg.indexOf('=');
            if (eq > 0 && !java.nio.file.Files.exists(whole)) {
                return read(arg.substring(0, eq), Path.of(arg.substring(eq + 1)));
            }
            return read(null, whole);
        }

        /** Largest raw input file (one or more samples) tinysim reads. */
        public static final long MAX_INPUT_BYTES = 256L << 20;

        /** Reads the file (exit 66 when it is missing or unreadable). */
        public static InputFile read(String name, Path path) {
            try {
                return new InputFile(name, path, InputFiles.read(path, "input", MAX_INPUT_BYTES));
            } catch (UnreadableFileException e) {
                throw new FailureException(Failure.NO_INPUT, e.getMessage());
            }
        }

        byte[] forRun(int run, Tensor tensor) {
            int n = tensor.byteSize();
            int count = n == 0 ? 1 : bytes.length / n;
            int k = count <= 1 ? 0 : run % count;
            return Arrays.copyOfRange(bytes, k * n, k * n + n);
        }

        void check(Tensor tensor, int runs) {
            long n = tensor.byteSize();
            if (bytes.length == n || (runs > 1 && bytes.length == n * runs)) {
                return;
            }
            throw new FailureException(Failure.BAD_INPUT, path + ": " + bytes.length + " bytes, but "
                    + InputSource.describe(tensor) + " needs exactly " + n + " bytes"
                    + (runs > 1 ? " (or " + n * runs + " for one input per run with --runs " + runs + ")" : "")
                    + "; the file holds the raw tensor bytes, no header (see docs/inference-report.md)");
        }
    }

    /** "input tensor 'x' (INT8 [1, 49, 10, 1])" */
    static String describe(Tensor t) {
        return "input tensor '" + dev.tinysim.text.Printable.name(t.name()) + "' (" + t.type() + " " + t.shape() + ")";
    }
}
