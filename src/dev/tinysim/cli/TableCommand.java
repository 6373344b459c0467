package dev.tinysim.cli;

import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.timing.TimingModels;
import dev.tinysim.inference.ModelTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * `tinysim table DIR|MODEL...`: every model in the configurations that matter for it (int8: SIMD and
 * reference kernels on the M4F; float32/hybrid: the M4F's FPU and soft float on the FPU-less M4), with
 * cycles, ms, flash, RAM and wall time per inference, and the timing model used.
 */
@Command(name = "table", header = "Cycles, ms, flash and RAM of every model in a directory.", sortOptions = false,
        description = {"Measure every .tflite model of a directory (or the models given) on the inference runtime:",
                "int8 models with SIMD and reference kernels on the Cortex-M4F, float32 and hybrid models with the FPU and",
                "soft-float on the FPU-less Cortex-M4. Prints cycles, ms at the board clock, flash, RAM and wall time per inference."})
public final class TableCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DIR|MODEL", description = "A directory of .tflite files, or model files.")
    List<Path> paths;

    @Mixin
    BoardOptions boardOptions;

    @Mixin
    OutputOptions output;

    @Option(names = "--timing", paramLabel = "MODEL", description = "Timing model (as for `tinysim run --timing`). Default: the default model, named in the table.")
    String timing;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "1", description = "Inferences per configuration (the table shows the last). Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the random inputs. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "1",
            description = "Configurations measured at once (wall times are only undisturbed with 1). Default: ${DEFAULT-VALUE}.")
    int jobs;

    @Override
    public Integer call() {
        if (runs < 1 || jobs < 1) {
            throw new CliException(ExitCode.USAGE, "--runs and --jobs must be at least 1");
        }
        Board fpu = boardOptions.load();
        Board noFpu = boardOptions.load(true);
        List<Path> files = ModelTable.modelFiles(paths);
        for (Path f : files) {
            if (!java.nio.file.Files.isRegularFile(f)) {
                throw new CliException(ExitCode.NO_INPUT, f + ": no such file");
            }
        }
        if (files.isEmpty()) {
            throw new CliException(ExitCode.NO_INPUT, paths + ": no .tflite files");
        }
        ModelTable table = ModelTable.measure(files, fpu, noFpu, runs, seed,
                timing == null ? TimingModels.defaultName() : timing, jobs);
        String text = output.format == OutputOptions.Format.json ? ReportWriter.json(table) : table.render();
        ReportWriter.emit(text, output.output, Io.current().out());
        // 0 when every configuration ran (67, a model that does not fit, is part of the table, not a failure)
        return table.rows().stream().mapToInt(ModelTable.Row::exitCode).filter(c -> c != 0 && c != ExitCode.DOES_NOT_FIT.code())
                .findFirst().orElse(0);
    }
}
