package dev.tinysim.cli;

import dev.tinysim.compare.Budgets;
import dev.tinysim.compare.CompareReport;
import dev.tinysim.compare.CompareText;
import dev.tinysim.compare.Comparison;
import dev.tinysim.compare.Csv;
import dev.tinysim.compare.Progress;
import dev.tinysim.compare.ReportRenderer;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.timing.TimingModels;
import dev.tinysim.inference.InferenceRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code tinysim compare --float F.tflite --int8 Q.tflite --board B}: the four configurations side by side, the
 * int8 model's accuracy against the float one, and per-layer cycles.
 */
@Command(name = "compare", header = "Compare a float32 model with its int8 twin: cycles, memory, accuracy.", sortOptions = false,
        description = {"Compare a float32 model and its int8 twin on a board: int8 with SIMD and with reference kernels,",
                "float32 with the FPU and as soft-float without it — flash, RAM, cycles, ms, speed-up, fits? — the int8 model's",
                "accuracy against the float one over generated inputs (Java reference interpreter), and per-layer cycles.",
                "Exit 0 (configurations that do not fit are measured on enlarged memory and marked), 68 when a budget is exceeded."})
public final class CompareCommand implements Callable<Integer> {
    /** Most generated inputs for the accuracy figures. */
    static final int MAX_INPUTS = 100_000;

    @Option(names = "--float", paramLabel = "F.tflite", description = "The float32 (or hybrid) model.")
    Path floatModel;

    @Option(names = "--int8", paramLabel = "Q.tflite", description = "The int8 model (the same network quantized).")
    Path int8Model;

    @Mixin
    BoardOptions boardOptions;

    @Option(names = "--inputs", paramLabel = "N", defaultValue = "10",
            description = "Generated inputs for the accuracy figures (the firmware runs use the first). Default: ${DEFAULT-VALUE}.")
    int inputs;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the first input (input i uses S+i). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--timing", paramLabel = "MODEL", description = "Timing model (as for `tinysim run --timing`). Default: the board's.")
    String timing;

    @Mixin
    ReportOptions output;

    @Mixin
    BudgetOptions budgetOptions;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write the HTML report to FILE.")
    Path html;

    @Override
    public Integer call() {
        output.check();
        Budgets budgets = budgetOptions.parse();
        if (floatModel == null || int8Model == null) {
            throw new CliException(ExitCode.USAGE, "missing " + (floatModel == null ? "--float F.tflite (the float32 model)"
                    : "--int8 Q.tflite (the int8 model)"));
        }
        if (inputs < 1 || inputs > MAX_INPUTS) {
            throw new CliException(ExitCode.USAGE, "--inputs must be between 1 and " + MAX_INPUTS + " (got " + inputs + ")");
        }
        ReportRenderer renderer = html == null && output.format != ReportOptions.Format.html ? null
                : ReportRenderer.html().orElseThrow(() -> new CliException(ExitCode.USAGE, "this build of tinysim has no HTML renderer"));
        Comparison.ModelFile f = new Comparison.ModelFile(String.valueOf(floatModel.getFileName()), InferenceRunner.readFile(floatModel));
        Comparison.ModelFile q = new Comparison.ModelFile(String.valueOf(int8Model.getFileName()), InferenceRunner.readFile(int8Model));
        CompareReport report;
        // the models are read and checked on other threads while the board profile loads
        try (Comparison.Pending pending = Comparison.start(f, q)) {
            Board board = boardOptions.load();
            Board noFpu = board.cpu().fpu() ? boardOptions.load(true) : board;
            try (Progress progress = TerminalProgress.create(output.quiet)) {
                report = pending.run(new Comparison.Request(f, q, board, noFpu, null, inputs, seed,
                        timing == null ? TimingModels.defaultName() : timing, budgets, progress));
            }
        }
        return emit(report, output, renderer, html);
    }

    /** Prints or writes the report in the chosen format (and the HTML file); returns the exit code. */
    static int emit(CompareReport report, ReportOptions output, ReportRenderer renderer, Path html) {
        String rendered = switch (output.format) {
            case json -> ReportWriter.json(report);
            case csv -> output.layers ? Csv.layers(report) : Csv.configurations(report.configurations());
            case text -> CompareText.render(report);
            case html -> renderer.render(report);
        };
        if (renderer != null && html != null) {
            ReportWriter.writeAtomically(html, renderer.render(report).getBytes(StandardCharsets.UTF_8));
        }
        ReportWriter.emit(rendered, output.output, Io.current().out());
        if (report.result().exitCode() != 0 && (output.output != null || output.format != ReportOptions.Format.text)) {
            Io.current().err().println("tinysim: " + report.result().message());
        }
        return report.result().exitCode();
    }
}
