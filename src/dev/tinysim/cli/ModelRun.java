package dev.tinysim.cli;

import dev.tinysim.emulator.board.Board;
import dev.tinysim.inference.InferenceOptions;
import dev.tinysim.inference.InferenceRunner;
import dev.tinysim.inference.InferenceTextReport;
import dev.tinysim.inference.InputSource;
import dev.tinysim.inference.Kernels;
import dev.tinysim.inference.ModelTable;

import java.nio.file.Path;

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

    static int call(Path model, Board board, OutputOptions output, String timing, Long maxInstructions,
                    Path input, Long seed, int runs, Kernels kernels, dev.tinysim.data.DataOptions data) {
        if (runs < 1 || runs > InferenceOptions.MAX_RUNS) {
            throw new CliException(ExitCode.USAGE, "--runs must be between 1 and " + InferenceOptions.MAX_RUNS + " (got " + runs + ")");
        }
        if (input != null && seed != null) {
            throw new CliException(ExitCode.USAGE, "--input and --seed exclude each other (--seed chooses random input)");
        }
        if (maxInstructions != null && maxInstructions <= 0) {
            throw new CliException(ExitCode.USAGE, "--max-instructions must be positive (got " + maxInstructions + ")");
        }
        if (kernels == Kernels.reference) {
            String name = String.valueOf(model.getFileName());
            String precision = ModelTable.precision(InferenceRunner.read(InferenceRunner.readFile(model), name));
            if (!precision.equals("int8")) {
                throw new CliException(ExitCode.USAGE, "--kernels reference chooses the int8 kernels; " + name + " is a " + precision
                        + " model, whose float kernels have one variant");
            }
        }
        InputSource source = input != null ? DataInputs.forRun(input, model, data) : new InputSource.Seeded(seed == null ? 1 : seed);
        InferenceOptions options = new InferenceOptions(board, kernels, runs, source, timing,
                maxInstructions == null ? 0 : maxInstructions, false);
        InferenceRunner.Outcome outcome = InferenceRunner.run(model, options);
        String rendered = output.format == OutputOptions.Format.json ? ReportWriter.json(outcome.report())
                : InferenceTextReport.render(outcome.report(), output.verbose);
        ReportWriter.emit(rendered, output.output, Io.current().out());
        return outcome.exitCode();
    }
}
