package dev.tinysim.cli;

import dev.tinysim.compare.Budgets;
import dev.tinysim.compare.Comparison;
import dev.tinysim.compare.Csv;
import dev.tinysim.compare.FitReport;
import dev.tinysim.compare.FitRunner;
import dev.tinysim.compare.FitText;
import dev.tinysim.compare.Progress;
import dev.tinysim.elf.ElfFormatException;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.timing.TimingModels;
import dev.tinysim.firmware.BundledImages;
import dev.tinysim.firmware.FirmwareImage;
import dev.tinysim.inference.InferenceRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code tinysim fit MODEL.tflite|FIRMWARE.elf --board B}: does it fit? Exit 0 when it fits, 67 when it does not
 * (naming what overflows and by how much), 68 when it fits but a budget is exceeded.
 */
@Command(name = "fit", header = "Does a model or a firmware fit the board? Verdict and margins.", sortOptions = false,
        description = {"Does a model (on the bundled inference runtime) or a firmware ELF fit the board?",
                "A model runs once in every FPU configuration of the board (with the FPU, and on its FPU-less configuration);",
                "for each: flash (runtime + model), RAM (static + arena + stack peak), margins, cycles and a verdict.",
                "The verdict and the exit code judge the board as given (--no-fpu: the FPU-less configuration).",
                "A firmware ELF runs once, as `tinysim run` runs it, and its fit is the one `run` reports.",
                "Exit 0: fits; 67: does not fit; 68: fits but a --max-* budget is exceeded."})
public final class FitCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.tflite|FIRMWARE.elf",
            description = "A TensorFlow Lite model, an ARM ELF firmware, or a bundled image name (selftest, bench, faults, irq, timing).")
    Path target;

    @Mixin
    BoardOptions boardOptions;

    @Mixin
    ReportOptions output;

    @Mixin
    BudgetOptions budgetOptions;

    @Option(names = "--timing", paramLabel = "MODEL", description = "Timing model (as for `tinysim run --timing`). Default: the board's.")
    String timing;

    @Option(names = "--max-instructions", paramLabel = "N", defaultValue = "5000000000",
            description = "Firmware ELF: stop runaway firmware after N instructions. Default: ${DEFAULT-VALUE}.")
    long maxInstructions;

    @Override
    public Integer call() {
        output.check();
        Budgets budgets = budgetOptions.parse();
        if (maxInstructions <= 0) {
            throw new CliException(ExitCode.USAGE, "--max-instructions must be positive (got " + maxInstructions + ")");
        }
        Board board = boardOptions.load();
        if (!java.nio.file.Files.exists(target) && BundledImages.NAMES.contains(target.toString())) {
            FirmwareImage image = RunCommand.resolveFirmware(target.toString(), board, java.util.List.of());
            return emit(FitRunner.firmware(image, image.elf().bytes().length, board, timing == null ? TimingModels.defaultName() : timing,
                    maxInstructions, budgets));
        }
        byte[] bytes = InferenceRunner.readFile(target);
        String name = String.valueOf(target.getFileName());
        String timingName = timing == null ? TimingModels.defaultName() : timing;
        FitReport report;
        if (bytes.length >= 4 && bytes[0] == 0x7F && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F') {
            FirmwareImage image;
            try {
                image = FirmwareImage.read(target);
            } catch (ElfFormatException e) {
                throw new CliException(ExitCode.BAD_INPUT, e.getMessage());
            }
            report = FitRunner.firmware(image, bytes.length, board, timingName, maxInstructions, budgets);
        } else {
            try (Progress progress = TerminalProgress.create(output.quiet)) {
                report = FitRunner.model(new Comparison.ModelFile(name, bytes), board, board.cpu().fpu() ? boardOptions.load(true) : board,
                        timingName, budgets, progress);
            }
        }
        return emit(report);
    }

    private int emit(FitReport report) {
        String rendered = switch (output.format) {
            case json -> ReportWriter.json(report);
            case csv -> output.layers ? Csv.layers(report.configurations()) : Csv.configurations(report.configurations());
            case text -> FitText.render(report);
            case html -> Renderers.html().orElseThrow(() -> new CliException(ExitCode.USAGE,
                    "this build of tinysim has no HTML renderer")).render(report);
        };
        ReportWriter.emit(rendered, output.output, Io.current().out());
        if (report.result().exitCode() != 0 && (output.output != null || output.format != ReportOptions.Format.text)) {
            Io.current().err().println("tinysim: " + report.result().message());
        }
        return report.result().exitCode();
    }
}
