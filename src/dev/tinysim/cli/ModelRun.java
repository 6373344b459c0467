package dev.tinysim.cli;

import dev.tinysim.emulator.board.Board;
import dev.tinysim.inference.InferenceOptions;
import dev.tinysim.inference.InferenceRunner;
import dev.tinysim.inference.InferenceTextReport;
import dev.tinysim.inference.InputSource;
import dev.tinysim.inference.Kernels;
import dev.tinysim.inference.ModelTable;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code tinysim run --model M.tflite}: the part of {@link RunCommand} that runs a model on the bundled
 * inference runtime (docs/inference-report.md). Exit codes: 0 ok; 65 corrupt model or bad --input
 * file; 66 missing file; 67 the model does not fit the board (it is still measured, on enlarged
 * memory, and reported); 72 an operator the runtime does not support; 93 the runtime reported an
 * error; 80–89 a firmware fault.
 */
final class ModelRun {
    private ModelRun() {
    }

    /**
     * {@code --kernels reference} on a float32 or hybrid model is refused (exit 64), not ignored: the reference kernels
     * are int8 kernels, and the float kernels have one variant (run --model, validate, plan).
     */
    static void refuseReferenceKernels(dev.tinysim.tflite.TfliteModel model, String name, Kernels kernels) {
        if (kernels != Kernels.reference) {
            return;
        }
        String precision = ModelTable.precision(model);
        if (!precision.equals("int8")) {
            throw new CliException(ExitCode.USAGE, "--kernels reference chooses the int8 kernels; " + name + " is a " + precision
                    + " model, whose float kernels have one variant");
        }
    }

    static int call(Path model, Board board, OutputOptions output, String timing, Long maxInstructions,
                    List<String> input, Long seed, int runs, Kernels kernels, dev.tinysim.data.DataOptions data) {
        return call(model, board, output, timing, maxInstructions, input, seed, runs, kernels, data, null);
    }

    /**
     * As above; with {@code profile} not null, the inference is profiled per function (the runtime's own functions, under
     * one frame per operator) and the collapsed stacks written to {@code profile} ({@link ModelProfile}).
     */
    static int call(Path model, Board board, OutputOptions output, String timing, Long maxInstructions,
                    List<String> input, Long seed, int runs, Kernels kernels, dev.tinysim.data.DataOptions data, Path profile) {
        return call(model, board, output, timing, maxInstructions, input, seed, runs, kernels, data, profile, 0);
    }

    /**
     * As above; with {@code timeoutMillis} above 0 the whole firmware run (every inference, and the rerun on enlarged
     * memory when the arena did not fit) stops after that much wall-clock time: result "timeout", exit 94.
     */
    static int call(Path model, Board board, OutputOptions output, String timing, Long maxInstructions,
                    List<String> input, Long seed, int runs, Kernels kernels, dev.tinysim.data.DataOptions data, Path profile,
                    long timeoutMillis) {
        if (profile != null && runs != 1) {
            throw new CliException(ExitCode.USAGE, "--profile profiles one inference: leave out --runs (or give --runs 1)");
        }
        if (runs < 1 || runs > InferenceOptions.MAX_RUNS) {
            throw new CliException(ExitCode.USAGE, "--runs must be between 1 and " + InferenceOptions.MAX_RUNS + " (got " + runs + ")");
        }
        if (input != null && !input.isEmpty() && seed != null) {
            throw new CliException(ExitCode.USAGE, "--input and --seed exclude each other (--seed chooses random input)");
        }
        if (maxInstructions != null && maxInstructions <= 0) {
            throw new CliException(ExitCode.USAGE, "--max-instructions must be positive (got " + maxInstructions + ")");
        }
        if (kernels == Kernels.reference) {
            String name = String.valueOf(model.getFileName());
            refuseReferenceKernels(InferenceRunner.read(InferenceRunner.readFile(model), name), name, kernels);
        }
        InputSource source;
        if (input == null || input.isEmpty()) {
            source = new InputSource.Seeded(seed == null ? 1 : seed);
        } else if (input.size() == 1 && DataInputs.isData(input.get(0))) {
            source = DataInputs.forRun(java.nio.file.Path.of(input.get(0)), model, data); // a data file: the first input
        } else {
            source = new InputSource.FromFiles(input.stream().map(InputSource.InputFile::parse).toList());
        }
        InferenceOptions options = new InferenceOptions(board, kernels, runs, source, timing,
                maxInstructions == null ? 0 : maxInstructions, false).withTimeoutMillis(timeoutMillis);
        ModelProfile profiler = profile == null ? null : new ModelProfile(InferenceRunner.runtimeImage(board));
        java.util.function.Consumer<dev.tinysim.emulator.machine.Machine> instrument = profiler == null ? null : profiler::attach;
        InferenceRunner.Outcome outcome = instrument == null ? InferenceRunner.run(model, options)
                : InferenceRunner.run(model, options, instrument);
        ModelProfile.Result profiled = profiler == null ? null : profiler.finish(outcome, profile);
        String rendered;
        if (output.format == OutputOptions.Format.json) {
            rendered = profiled == null ? ReportWriter.json(outcome.report()) : ReportWriter.json(outcome.report(), "profile", profiled);
        } else {
            rendered = InferenceTextReport.render(outcome.report(), output.verbose) + (profiled != null ? profiled.text()
                    : profile != null ? "  profile    none: no inference completed, so nothing was profiled and " + profile + " was not written\n" : "");
        }
        ReportWriter.emit(rendered, output.output, Io.current().out());
        return outcome.exitCode();
    }
}
