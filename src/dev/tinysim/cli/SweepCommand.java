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

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
                "(not fitting is a result), else the first failure's code (the file is written;",
                "a configuration that passes --timeout is a `timeout` row, exit 94).", ""})
public final class SweepCommand implements Callable<Integer> {
    enum Format { csv, json }

    @Parameters(arity = "1..*", paramLabel = "MODEL|DIR",
            description = "Models (.tflite) or directories of them (their *.tflite files, sorted). With --merge: the shards' outputs.")
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

    @Option(names = "--jobs", paramLabel = "N", description = "At most N configurations measured at once (one emulator each; fewer when the free host memory holds fewer). Default: the number of processors.")
    Integer jobs;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the random input (as `run --model --seed`). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--timing", paramLabel = "MODEL", description = "Timing model (as for `tinysim run --timing`). Default: the board's.")
    String timing;

    @picocli.CommandLine.Mixin
    TimeoutOption timeout;

    @Option(names = "--reserve-flash", paramLabel = "SIZE", description = "Flash set aside for other software on every board, instead of the profiles'.")
    String reserveFlash;

    @Option(names = "--reserve-ram", paramLabel = "SIZE", description = "RAM set aside for other software on every board, instead of the profiles'.")
    String reserveRam;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "${COMPLETION-CANDIDATES}: one row per model × board × configuration. Default: csv (--merge: the shards').")
    Format format;

    @Option(names = "--shard", paramLabel = "I/N",
            description = "Measure only the I-th of N deterministic slices of the rows, balanced by estimated cost "
                    + "(for a batch scheduler: Slurm array, Kubernetes Indexed Job, CI matrix). The other rows "
                    + "are written as `other-shard` rows; --merge joins the shards.")
    String shard;

    @Option(names = "--merge", description = "Join the outputs of the shards of one sweep (the arguments, all CSV or all JSON) "
            + "into what one machine gives; exit as that sweep would.")
    boolean merge;

    @Option(names = "--resume", paramLabel = "FILE",
            description = "An earlier output of this sweep (same format, e.g. a merged set of shards): its rows "
                    + "(not `other-shard` ones) are taken as they are instead of being measured again.")
    Path resume;

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
        if (merge) {
            return merge();
        }
        Sweep.Shard part = Sweep.Shard.WHOLE;
        if (shard != null) {
            part = shard(shard);
        }
        Format fmt = format == null ? Format.csv : format;
        SweepReport previous = null;
        if (resume != null) {
            Loaded l = load(resume);
            if (l.format() != fmt) {
                throw new CliException(ExitCode.USAGE, "--resume " + resume + ": a " + l.format() + " file, and this sweep writes "
                        + fmt + " (use --format " + l.format() + ")");
            }
            previous = l.report() != null ? l.report()
                    : new SweepReport(null, null, null, 0, List.of(), List.of(), List.of(), l.rows(), null, List.of());
        }
        int n = jobs == null ? Math.max(1, Runtime.getRuntime().availableProcessors()) : jobs;
        if (n < 1 || n > MAX_JOBS) {
            throw new CliException(ExitCode.USAGE, "--jobs must be between 1 and " + MAX_JOBS + " (got " + n + ")");
        }
        List<String> configurations = configurations(configs);
        long timeoutMillis = timeout.millis();

        // boards first: a bad name is a usage error before anything runs
        List<String> names = new ArrayList<>(boards);
        names.addAll(boardList);
        List<Sweep.BoardChoice> choices = boardChoices(names, reserveFlash, reserveRam);

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
                    timing == null ? TimingModels.defaultName() : timing, n, progress, part, previous, resume == null ? null : "--resume " + resume, timeoutMillis));
        }
        String rendered = fmt == Format.json ? ReportWriter.json(report) : SweepCsv.render(report);
        ReportWriter.emit(rendered, output, Io.current().out());
        if (report.result().exitCode() != 0) {
            Io.current().err().println("tinysim: " + report.result().message());
        }
        return report.result().exitCode();
    }

    /** The configurations asked for ({@code --configs}; null: all), in row order; an unknown one is a usage error. */
    public static List<String> configurations(List<String> configs) {
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
        return configurations;
    }

    /**
     * The boards of a sweep ({@code --board}/{@code --boards} names or files, duplicates once; none: nrf52840), each with
     * its FPU-less configuration; a bad one is a usage error.
     */
    public static List<Sweep.BoardChoice> boardChoices(List<String> given, String reserveFlash, String reserveRam) {
        Set<String> names = new LinkedHashSet<>();
        for (String b : given) {
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
        return List.copyOf(choices);
    }

    /** A sweep's JSON report read back (as {@link ReportWriter#json} wrote it). */
    public static SweepReport readReport(String json) throws IOException {
        return JSON.readValue(json, SweepReport.class);
    }

    private static final Pattern SHARD = Pattern.compile("(\\d{1,9})/(\\d{1,9})");

    static Sweep.Shard shard(String text) {
        Matcher m = SHARD.matcher(text.strip());
        if (m.matches()) {
            int i = Integer.parseInt(m.group(1)), count = Integer.parseInt(m.group(2));
            if (count >= 1 && i >= 1 && i <= count) {
                return new Sweep.Shard(i, count);
            }
        }
        throw new CliException(ExitCode.USAGE, "--shard: expected I/N with 1 <= I <= N, e.g. 2/8 (got '" + text + "')");
    }

    /** A sweep output read back: its format, its rows and (JSON) the whole report. */
    private record Loaded(Format format, List<SweepReport.Row> rows, SweepReport report) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Loaded load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCode.NO_INPUT, file + ": no such file");
        } catch (IOException e) {
            throw new CliException(ExitCode.NO_INPUT, file + ": cannot read (" + dev.tinysim.files.IoReasons.reason(e) + ")");
        } catch (UncheckedIOException e) {
            throw new CliException(ExitCode.NO_INPUT, file + ": cannot read (" + e.getMessage() + ")");
        }
        try {
            if (text.stripLeading().startsWith("{")) {
                SweepReport r = readReport(text);
                if (r.rows() == null) {
                    throw new IllegalArgumentException("no rows");
                }
                return new Loaded(Format.json, r.rows(), r);
            }
            return new Loaded(Format.csv, SweepCsv.parse(text), null);
        } catch (IOException | RuntimeException e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new CliException(ExitCode.BAD_INPUT, file + ": not a tinysim sweep output (" + why.lines().findFirst().orElse("") + ")");
        }
    }

    private int merge() {
        if (shard != null || resume != null || !boards.isEmpty() || !boardList.isEmpty() || configs != null
                || timeout.seconds != null) {
            throw new CliException(ExitCode.USAGE, "--merge takes only the shards' outputs (and -o, --format)");
        }
        List<Loaded> inputs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path p : paths) {
            Loaded l = load(p);
            if (!inputs.isEmpty() && l.format() != inputs.get(0).format()) {
                throw new CliException(ExitCode.USAGE, "--merge: " + p + " is " + l.format() + " and " + names.get(0) + " "
                        + inputs.get(0).format() + " (merge outputs of one format)");
            }
            inputs.add(l);
            names.add(p.toString());
        }
        Format fmt = inputs.get(0).format();
        if (format != null && format != fmt) {
            throw new CliException(ExitCode.USAGE, "--merge: the shards are " + fmt + "; --format " + format + " cannot be made from them");
        }
        List<SweepReport.Row> rows;
        try {
            rows = Sweep.merge(names, inputs.stream().map(Loaded::rows).toList());
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.BAD_INPUT, "--merge: " + e.getMessage());
        }
        SweepReport.Result result;
        String rendered;
        if (fmt == Format.json) {
            SweepReport r = inputs.get(0).report();
            result = Sweep.summarize(rows, r.models().size(), r.boards().size());
            List<String> notes = r.notes().stream().filter(x -> !x.startsWith("shard ")).toList();
            rendered = ReportWriter.json(new SweepReport(r.tool(), r.timing(), r.input(), r.jobs(), r.configurations(), r.models(),
                    r.boards(), rows, result, notes));
        } else {
            long models = rows.stream().map(SweepReport.Row::path).distinct().count();
            long boardCount = rows.stream().map(SweepReport.Row::board).distinct().count();
            result = Sweep.summarize(rows, (int) models, (int) boardCount);
            rendered = SweepCsv.render(rows);
        }
        ReportWriter.emit(rendered, output, Io.current().out());
        if (result.exitCode() != 0) {
            Io.current().err().println("tinysim: " + result.message());
        }
        return result.exitCode();
    }
}
