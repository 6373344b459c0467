package dev.tinysim.cli;

import dev.tinysim.compare.Progress;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.timing.TimingModels;
import dev.tinysim.inference.InferenceRunner;
import dev.tinysim.inference.ModelTable;
import dev.tinysim.sweep.Sweep;
import dev.tinysim.sweep.SweepCsv;
import dev.tinysim.sweep.SweepReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code tinysim sweep MODEL|DIR… --board A --board B}: every model on every board in every configuration that applies,
 * on parallel threads, into one CSV or JSON file.
 */
@Command(name = "sweep", header = "Measure many models on many boards in parallel, into one CSV or JSON.", sortOptions = false,
        description = {"Measure many models on many boards: int8 models with SIMD and reference kernels,",
                "float32 (and hybrid) models with the FPU (boards that have one) and as soft-float",
                "on the FPU-less configuration. Configurations run in parallel, one emulator per",
                "thread; each row is what `tinysim run --model` measures for it alone.",
                "Writes one CSV (default) or JSON document. Exit 0 when every configuration ran",
                "(not fitting is a result), else the first failure's code (the file is written).", ""})
public final class SweepCommand implements Callable<Integer> {
    enum Format { csv, json }

    @Parameters(arity = "1..*", paramLabel = "MODEL|DIR", description = "Models (.tflite) or directories of them (their *.tflite files, sorted).")
    List<Path> paths;

    @Option(names = "--board", paramLabel = "NAME|FILE",
            description = "A board: a bundled name (`tinysim boards`) or a JSON file. Repeatable. Default: nrf52840.")
    List<String> boards = new ArrayList<>();

    @Option(names = "--boards", paramLabel = "BOARD", split = ",", description = "Boards, comma-separated (with --board: both).")
    List<String> boardList = new ArrayList<>();

    @Option(names = "--configs", paramLabel = "CONFIG", split = ",",
            description = {"Only these configurations: int8-simd, int8-reference, float32-fpu, float32-soft. Default: all that apply.",
                    "A hybrid model's (int8 weights, float activations) float rows are named hybrid-fpu and hybrid-soft;",
                    "either name selects them."})
    List<String> configs;

    @Option(names = "--jobs", paramLabel = "N", description = "Configurations measured at once (one emulator each). Default: the number of processors.")
    Integer jobs;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the random input (as `run --model --seed`). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--timing", paramLabel = "MODEL", description = "Timing model (as for `tinysim run --timing`). Default: the board's.")
    String timing;

    @Option(names = "--reserve-flash", paramLabel = "SIZE", description = "Flash set aside for other software on every board, instead of the profiles'.")
    String reserveFlash;

    @Option(names = "--reserve-ram", paramLabel = "SIZE", description = "RAM set aside for other software on every board, instead of the profiles'.")
    String reserveRam;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv",
            description = "${COMPLETION-CANDIDATES}: one row per model × board × configuration. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write to FILE (a temporary file renamed: never half-written). Default: stdout.")
    Path output;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Stack traces of errors.")
    boolean verbose;

    /** Most configurations at once (each holds a machine: a few MB of memory and a thread). */
    static final int MAX_JOBS = 256;

    @Override
    public Integer call() {
        int n = jobs == null ? Math.max(1, Runtime.getRuntime().availableProcessors()) : jobs;
        if (n < 1 || n > MAX_JOBS) {
            throw new CliException(ExitCode.USAGE, "--jobs must be between 1 and " + MAX_JOBS + " (got " + n + ")");
        }
        List<String> configurations = new ArrayList<>(Sweep.CONFIGURATIONS);
        if (configs != null) {
            Set<String> asked = new LinkedHashSet<>();
            for (String c : configs) {
                String x = c.strip();
                x = x.startsWith("hybrid-") ? "float32-" + x.substring("hybrid-".length()) : x; // hybrid models' float rows
                if (!Sweep.CONFIGURATIONS.contains(x)) {
                    throw new CliException(ExitCode.USAGE, "--configs: unknown configuration '" + x + "' (known: "
                            + String.join(", ", Sweep.CONFIGURATIONS) + ")");
                }
                asked.add(x);
            }
            configurations.retainAll(asked);
        }

        // boards first: a bad name is a usage error before anything runs
        Set<String> names = new LinkedHashSet<>();
        for (String b : boards) {
            names.add(b.strip());
        }
        for (String b : boardList) {
            if (!b.isBlank()) {
                names.add(b.strip());
            }
        }
        if (names.isEmpty()) {
            names.add("nrf52840");
        }
        List<Sweep.BoardChoice> choices = new ArrayList<>();
        for (String name : names) {
            BoardOptions o = new BoardOptions();
            o.board = name;
            o.reserveFlash = reserveFlash;
            o.reserveRam = reserveRam;
            Board board = o.load(false);
            choices.add(new Sweep.BoardChoice(name, board, board.cpu().fpu() ? o.load(true) : board));
        }

        // models: files as given, directories expanded; a missing one is exit 66 before anything runs
        List<Sweep.ModelFile> models = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        for (Path p : paths) {
            List<Path> found = ModelTable.modelFiles(List.of(p));
            if (Files.isDirectory(p) && found.isEmpty()) {
                throw new CliException(ExitCode.NO_INPUT, p + ": no .tflite files in this directory");
            }
            for (Path f : found) {
                if (seen.add(f.toAbsolutePath().normalize())) {
                    models.add(new Sweep.ModelFile(f, InferenceRunner.readFile(f)));
                }
            }
        }

        SweepReport report;
        try (Progress progress = TerminalProgress.create(quiet)) {
            report = Sweep.run(new Sweep.Request(List.copyOf(models), List.copyOf(choices), configurations, seed,
                    timing == null ? TimingModels.defaultName() : timing, n, progress));
        }
        String rendered = format == Format.json ? ReportWriter.json(report) : SweepCsv.render(report);
        ReportWriter.emit(rendered, output, Io.current().out());
        if (report.result().exitCode() != 0) {
            Io.current().err().println("tinysim: " + report.result().message());
        }
        return report.result().exitCode();
    }
}
