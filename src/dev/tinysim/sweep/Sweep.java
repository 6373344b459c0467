package dev.tinysim.sweep;

import dev.tinysim.run.Futures;
import dev.tinysim.failure.Failure;
import dev.tinysim.failure.FailureException;
import dev.tinysim.compare.CompareReport;
import dev.tinysim.compare.Progress;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.timing.TimingModels;
import dev.tinysim.inference.GraphChecks;
import dev.tinysim.inference.InferenceOptions;
import dev.tinysim.inference.InferenceReport;
import dev.tinysim.inference.InferenceRunner;
import dev.tinysim.inference.InputSource;
import dev.tinysim.inference.Kernels;
import dev.tinysim.inference.ModelTable;
import dev.tinysim.reference.MacCounter;
import dev.tinysim.run.Version;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.TfliteModel;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code tinysim sweep}: many models × boards × configurations, measured on parallel threads (one emulated machine per
 * thread, {@code --jobs} at once). Each configuration is exactly what {@code tinysim run --model M --board B
 * [--no-fpu] [--kernels K] --seed S} would measure alone: the same runtime image, the same input, the same fit; the
 * rows come out in model × board × configuration order whatever the number of jobs.
 *
 * <p>Configurations by model type and board: an int8 model runs with the SIMD and with the reference kernels on the
 * board as given; a float32 (or hybrid) model runs with the FPU on a board that has one ({@code float32-fpu}) and as
 * soft-float on the board's FPU-less configuration ({@code float32-soft}). A model that cannot be read or uses an
 * operator the runtime does not support gets one failed row per board, and the others still run.
 */
public final class Sweep {
    /** Every configuration, in row order. */
    public static final List<String> CONFIGURATIONS = List.of("int8-simd", "int8-reference", "float32-fpu", "float32-soft");
    /** Estimated emulated instructions per MAC, to weigh progress and start the longest runs first (as compare does). */
    private static final double SIMD = 4, REFERENCE = 8, FPU = 17, SOFT = 130;
    private static final long PER_OPERATOR = 2000;

    /**
     * A model file: its path as found (a local path, or any Hadoop-style URI such as {@code s3a://bucket/m.tflite}), its
     * file name, and its bytes.
     */
    public record ModelFile(String path, String name, byte[] bytes) {
        public ModelFile(Path path, byte[] bytes) {
            this(path.toString(), String.valueOf(path.getFileName()), bytes);
        }
    }

    /**
     * @param name       the board as given (a bundled name or a file)
     * @param board      the board loaded
     * @param noFpuBoard its FPU-less configuration (the board itself when it has no FPU)
     */
    public record BoardChoice(String name, Board board, Board noFpuBoard) {
    }

    /**
     * @param models         the models, in order
     * @param boards         the boards, in order
     * @param configurations the configurations to run (a subset of {@link #CONFIGURATIONS}; others are skipped)
     * @param seed           the input's seed (as {@code tinysim run --model --seed})
     * @param timing         timing model name (null: the default)
     * @param jobs           configurations measured at once
     * @param progress       where to report progress (null: nowhere)
     * @param shard          the slice of the rows to measure ({@link Shard#WHOLE}: all)
     * @param previous       null, or an earlier output of this sweep whose rows (other than {@link #OTHER_SHARD} ones) are
     *                       taken as they are, matched by {@link #key}; its tool and timing stand for the measurement's
     *                       when nothing is measured again (null in a report read from CSV)
     * @param previousSource null, or what {@code previous} is, for the report's note
     * @param timeoutMillis  the wall-clock limit of each configuration's firmware run (--timeout; 0: none): one that
     *                       passes it is a row with result {@code timeout} (exit 94), the others go on
     */
    public record Request(List<ModelFile> models, List<BoardChoice> boards, List<String> configurations, long seed, String timing,
                          int jobs, Progress progress, Shard shard, SweepReport previous, String previousSource,
                          long timeoutMillis) {
        /** No wall-clock limit. */
        public Request(List<ModelFile> models, List<BoardChoice> boards, List<String> configurations, long seed, String timing,
                       int jobs, Progress progress, Shard shard, SweepReport previous, String previousSource) {
            this(models, boards, configurations, seed, timing, jobs, progress, shard, previous, previousSource, 0);
        }

        public Request(List<ModelFile> models, List<BoardChoice> boards, List<String> configurations, long seed, String timing,
                       int jobs, Progress progress) {
            this(models, boards, configurations, seed, timing, jobs, progress, Shard.WHOLE, null, null);
        }
    }

    /**
     * The {@code index}-th (from 1) of {@code count} slices of a sweep's rows ({@code tinysim sweep --shard I/N}).
     *
     * <p>The slices are deterministic and balanced by estimated cost: every row of the whole sweep gets the cost used
     * to start the longest runs first (emulated instructions estimated from the model's MACs and operators, times the
     * configuration's weight: int8-simd 4, int8-reference 8, float32-fpu 17, float32-soft 130 per MAC, plus
     * {@value #PER_OPERATOR} per operator; a model that cannot run costs 1 per board); the rows are taken from the
     * costliest down (ties: row order) and each goes to the slice with the least cost so far (ties: the lowest
     * index), the "longest processing time first" greedy rule. The costs are computed from the model files alone,
     * so every machine given the same arguments computes the same slices.
     */
    public record Shard(int index, int count) {
        public static final Shard WHOLE = new Shard(1, 1);

        public Shard {
            if (count < 1 || index < 1 || index > count) {
                throw new IllegalArgumentException("shard " + index + "/" + count);
            }
        }

        public boolean whole() {
            return count == 1;
        }

        @Override
        public String toString() {
            return index + "/" + count;
        }
    }

    /** Result kind of a row left to another shard (its measurement columns are empty). */
    public static final String OTHER_SHARD = "other-shard";

    /** The key of a row: the model's path, the board as given and the configuration (empty for a model that did not run). */
    public static String key(SweepReport.Row r) {
        return key(r.path(), r.board(), r.configuration());
    }

    public static String key(String path, String board, String configuration) {
        return path + "\u0000" + board + "\u0000" + (configuration == null ? "" : configuration);
    }

    /**
     * One row of the sweep as planned, in row order: a configuration to run (or, configuration null, a model that
     * cannot run, on one board), with the cost that orders and balances the work.
     */
    public record Slot(int row, int model, int board, String configuration, double cost, String key) {
    }

    /** The rows a sweep will have, before anything runs (reads and checks every model). */
    public static List<Slot> plan(Request req) {
        List<Parsed> models = parse(req.models());
        List<Slot> out = new ArrayList<>();
        for (Job j : jobs(models, req)) {
            Parsed p = models.get(j.model());
            out.add(new Slot(out.size(), j.model(), req.boards().indexOf(j.board()), j.configuration(), j.cost(),
                    key(p.info().path(), j.board().board().name(), SweepRows.displayName(p, j.configuration()))));
        }
        return out;
    }

    /** The rows (indices into {@code slots}) of one shard, in row order; see {@link Shard}. */
    public static List<Integer> shardRows(List<Slot> slots, Shard shard) {
        if (shard.whole()) {
            return slots.stream().map(Slot::row).toList();
        }
        List<Slot> byCost = new ArrayList<>(slots);
        byCost.sort(Comparator.comparingDouble(Slot::cost).reversed().thenComparingInt(Slot::row));
        double[] load = new double[shard.count()];
        List<Integer> mine = new ArrayList<>();
        for (Slot s : byCost) {
            int least = 0;
            for (int k = 1; k < load.length; k++) {
                if (load[k] < load[least]) {
                    least = k;
                }
            }
            load[least] += s.cost();
            if (least == shard.index() - 1) {
                mine.add(s.row());
            }
        }
        Collections.sort(mine);
        return mine;
    }

    /** A row of the plan: a configuration to run, or (configuration null) a model that cannot run, on one board. */
    record Job(int model, BoardChoice board, String configuration, Board runsOn, Kernels kernels, double cost) {
    }

    /** A model read and checked, or (model null) why it cannot run: its exit code and message. */
    record Parsed(ModelFile file, TfliteModel model, SweepReport.ModelInfo info, int errorCode, String error) {
    }

    private Sweep() {
    }

    public static SweepReport run(Request req) {
        if (req.jobs() < 1) {
            throw new IllegalArgumentException("jobs must be at least 1");
        }
        String timing = req.timing() == null ? TimingModels.defaultName() : req.timing();
        Progress progress = req.progress() == null ? Progress.NONE : req.progress();

        List<Parsed> models = parse(req.models());
        List<Job> all = jobs(models, req);
        List<String> notes = fpuNotes(models, req);
        // this shard's rows, less those a previous run already has (--resume)
        Set<Integer> mine = rowsOfThisShard(all, req);
        Map<String, SweepReport.Row> resumedRows = new HashMap<>();
        if (req.previous() != null) {
            for (SweepReport.Row r : req.previous().rows()) {
                if (!OTHER_SHARD.equals(r.result().kind())) {
                    resumedRows.putIfAbsent(key(r), r);
                }
            }
        }
        SweepReport.Row[] done = new SweepReport.Row[all.size()];
        List<Job> plan = new ArrayList<>();
        List<Integer> planRow = new ArrayList<>();
        int resumed = 0;
        for (int i = 0; i < all.size(); i++) {
            Job j = all.get(i);
            Parsed p = models.get(j.model());
            if (!mine.contains(i)) {
                done[i] = SweepRows.placeholder(p, j, req.shard());
                continue;
            }
            SweepReport.Row previous = resumedRows.get(key(p.info().path(), j.board().board().name(), SweepRows.displayName(p, j.configuration())));
            if (previous != null) {
                done[i] = previous;
                resumed++;
            } else if (j.configuration() == null) {
                done[i] = SweepRows.failed(p, j.board(), null, null, p.errorCode() == Failure.UNSUPPORTED_MODEL.status() ? "unsupported-model"
                        : "invalid-model", p.errorCode(), p.error());
            } else {
                plan.add(j);
                planRow.add(i);
            }
        }

        // 3. run, the longest first, rows in plan order
        InferenceReport any = measure(plan, planRow, models, req, timing, progress, done);

        List<SweepReport.Row> rows = List.of(done);
        SweepReport.Result result = summarize(rows, models.size(), req.boards().size());
        if (!req.shard().whole()) {
            notes.add("shard " + req.shard() + ": " + mine.size() + " of " + rows.size() + " rows; the others are `" + OTHER_SHARD
                    + "` rows (tinysim sweep --merge joins the shards)");
        }
        if (resumed > 0 && req.previousSource() != null) {
            notes.add(resumed + " row" + (resumed == 1 ? "" : "s") + " taken from " + req.previousSource() + ", not measured again");
        }
        CompareReport.Tool previousTool = req.previous() == null ? null : req.previous().tool();
        boolean fromPrevious = any == null && resumed > 0 && previousTool != null && previousTool.engine() != null;
        if (any != null || fromPrevious) {
            notes.add("each row is what `tinysim run --model` measures for that configuration alone (same runtime, input and fit); "
                    + "wallSeconds is disturbed by the other jobs");
        }

        List<CompareReport.BoardInfo> boards = new ArrayList<>();
        for (BoardChoice b : req.boards()) {
            Board x = b.board();
            boards.add(new CompareReport.BoardInfo(x.name(), x.description(), x.cpu().clockHz(), x.cpu().fpu(), b.noFpuBoard().name(),
                    x.flash().size(), x.ram().size(), x.reservedFlash(), x.reservedRam()));
        }
        CompareReport.Tool tool = fromPrevious ? previousTool : any == null ? new CompareReport.Tool("tinysim", Version.get(), null)
                : new CompareReport.Tool(any.tool().name(), any.tool().version() == null ? Version.get() : any.tool().version(), any.tool().engine());
        CompareReport.Timing t = fromPrevious ? req.previous().timing() : any == null ? new CompareReport.Timing(timing, null)
                : new CompareReport.Timing(any.timing().model(), any.timing().description());
        return new SweepReport(tool, t, new dev.tinysim.inference.InputSource.Seeded(req.seed()).describe() + " (seeded random input, as `tinysim run --model --seed " + req.seed() + "`)",
                req.jobs(), List.copyOf(req.configurations()), models.stream().map(Parsed::info).toList(), List.copyOf(boards),
                List.copyOf(rows), result, List.copyOf(notes));
    }

    /** A note for each FPU-less board on which float32 models run as float32-soft only. */
    private static List<String> fpuNotes(List<Parsed> models, Request req) {
        List<String> notes = new ArrayList<>();
        for (BoardChoice b : req.boards()) {
            if (!b.board().cpu().fpu() && req.configurations().contains("float32-fpu")
                    && models.stream().anyMatch(p -> p.model() != null && !p.info().precision().equals("int8"))) {
                notes.add(b.board().name() + " has no FPU: its float32 models run as float32-soft only");
            }
        }
        return notes;
    }

    /** The rows of {@code all} (indices) this shard measures. */
    private static Set<Integer> rowsOfThisShard(List<Job> all, Request req) {
        Set<Integer> mine = new HashSet<>();
        if (req.shard().whole()) {
            for (int i = 0; i < all.size(); i++) {
                mine.add(i);
            }
        } else {
            List<Slot> slots = new ArrayList<>();
            for (Job j : all) {
                slots.add(new Slot(slots.size(), j.model(), req.boards().indexOf(j.board()), j.configuration(), j.cost(), null));
            }
            mine.addAll(shardRows(slots, req.shard()));
        }
        return mine;
    }

    /**
     * Runs the planned configurations on parallel threads, the longest first, into {@code done} (at {@code planRow}); a
     * configuration that fails is a failed row and the others go on. Returns the report of one that ran (null: none).
     */
    private static InferenceReport measure(List<Job> plan, List<Integer> planRow, List<Parsed> models, Request req, String timing,
                                           Progress progress, SweepReport.Row[] done) {
        long total = Math.max(1, (long) plan.stream().mapToDouble(Job::cost).sum());
        progress.start("sweep", total);
        List<Future<Object>> futures = new ArrayList<>(Collections.nCopies(plan.size(), null));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Double.compare(plan.get(b).cost(), plan.get(a).cost()));
        ExecutorService pool = Executors.newFixedThreadPool(workers(req.jobs(), plan.stream().map(Job::runsOn).toList(),
                Runtime.getRuntime().availableProcessors(), dev.tinysim.run.MachineBudget.freeHostBytes()), r -> {
            Thread t = new Thread(r, "tinysim-sweep");
            t.setDaemon(true);
            return t;
        });
        InferenceReport any = null;
        try {
            for (int i : order) {
                Job j = plan.get(i);
                Parsed p = models.get(j.model());
                double weight = j.cost() / (p.info().macs() + PER_OPERATOR * p.info().operators());
                InferenceOptions o = new InferenceOptions(j.runsOn(), j.kernels(), 1, new InputSource.Seeded(req.seed()), timing, 0,
                        false, macs -> progress.add((long) (weight * (macs + PER_OPERATOR)))).withTimeoutMillis(req.timeoutMillis());
                futures.set(i, pool.submit(() -> {
                    try {
                        return InferenceRunner.runChecked(p.file().bytes(), p.file().name(), p.model(), o);
                    } catch (FailureException e) {
                        return e;   // this configuration failed; the others go on
                    }
                }));
            }
            for (int k = 0; k < plan.size(); k++) {
                Job j = plan.get(k);
                Parsed p = models.get(j.model());
                Object result = Futures.join(futures.get(k));
                if (result instanceof FailureException e) {
                    done[planRow.get(k)] = SweepRows.failed(p, j.board(), j.configuration(), j.runsOn(), "failed", e.kind().status(), e.getMessage());
                } else {
                    InferenceRunner.Outcome out = (InferenceRunner.Outcome) result;
                    any = any == null ? out.report() : any;
                    done[planRow.get(k)] = SweepRows.row(p, j, out);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return any;
    }

    /**
     * The sweep's result from its rows: ok when every configuration ran (not fitting is a result), else the first
     * failure's exit code. Rows left to another shard are not counted.
     */
    public static SweepReport.Result summarize(List<SweepReport.Row> all, int modelCount, int boardCount) {
        List<SweepReport.Row> rows = all.stream().filter(r -> !OTHER_SHARD.equals(r.result().kind())).toList();
        List<String> failures = rows.stream().filter(r -> !r.ran()).map(r -> r.model() + (r.configuration() == null ? ""
                : " " + r.configuration()) + " on " + r.board() + ": " + r.result().message()).toList();
        long doNotFit = rows.stream().filter(r -> r.ran() && Boolean.FALSE.equals(r.fits())).count();
        if (failures.isEmpty()) {
            return new SweepReport.Result("ok", 0, rows.size() + " configuration" + (rows.size() == 1 ? "" : "s") + " measured ("
                    + modelCount + " model" + (modelCount == 1 ? "" : "s") + " × " + boardCount + " board"
                    + (boardCount == 1 ? "" : "s") + ")" + (doNotFit == 0 ? "; all fit" : "; " + doNotFit + " do not fit"));
        }
        int code = rows.stream().filter(r -> !r.ran()).findFirst().orElseThrow().result().exitCode();
        return new SweepReport.Result("failed", code, failures.size() + " of " + rows.size() + " configurations failed; first: "
                + failures.get(0));
    }

    private static List<Parsed> parse(List<ModelFile> files) {
        List<Parsed> models = new ArrayList<>();
        for (ModelFile f : files) {
            try {
                TfliteModel m = InferenceRunner.check(f.bytes(), f.name());
                Subgraph g = m.mainSubgraph();
                GraphChecks.requireInputsAndOutputs(f.name(), g);
                models.add(new Parsed(f, m, new SweepReport.ModelInfo(f.name(), f.path(), f.bytes().length,
                        ModelTable.precision(m), g.operators().size(), MacCounter.totalMacs(m), null), 0, null));
            } catch (FailureException e) {
                models.add(new Parsed(f, null, new SweepReport.ModelInfo(f.name(), f.path(), f.bytes().length, null, null,
                        null, e.getMessage()), e.kind().status(), e.getMessage()));
            }
        }
        return models;
    }

    /**
     * Machines run at once: at most {@code wanted} (--jobs), the configurations to run, the cores, and what the free
     * host memory holds of machines of the largest board among {@code runsOn} ({@link dev.tinysim.run.MachineBudget});
     * at least 1. {@code freeBytes} 0: memory unknown, the cores only.
     */
    static int workers(int wanted, List<Board> runsOn, int cores, long freeBytes) {
        long perMachine = runsOn.stream().mapToLong(dev.tinysim.run.MachineBudget::bytesPerMachine).max()
                .orElse(dev.tinysim.run.MachineBudget.TYPICAL_MACHINE_BYTES);
        return dev.tinysim.run.MachineBudget.machines(Math.min(wanted, Math.max(1, runsOn.size())), cores, freeBytes, perMachine);
    }

    /** Every row of the sweep in order: model × board × configuration (a model that cannot run: one row per board). */
    private static List<Job> jobs(List<Parsed> models, Request req) {
        List<Job> plan = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            Parsed p = models.get(i);
            if (p.model() == null) {
                for (BoardChoice b : req.boards()) {
                    plan.add(new Job(i, b, null, null, null, 1));
                }
                continue;
            }
            long work = p.info().macs() + PER_OPERATOR * p.info().operators();
            for (BoardChoice b : req.boards()) {
                List<Job> these = new ArrayList<>();
                if (p.info().precision().equals("int8")) {
                    these.add(new Job(i, b, "int8-simd", b.board(), Kernels.simd, SIMD * work));
                    these.add(new Job(i, b, "int8-reference", b.board(), Kernels.reference, REFERENCE * work));
                } else {
                    if (b.board().cpu().fpu()) {
                        these.add(new Job(i, b, "float32-fpu", b.board(), Kernels.simd, FPU * work));
                    }
                    these.add(new Job(i, b, "float32-soft", b.noFpuBoard(), Kernels.simd, SOFT * work));
                }
                these.removeIf(j -> !req.configurations().contains(j.configuration()));
                plan.addAll(these);
            }
        }
        return plan;
    }

    /**
     * Joins the outputs of the shards of one sweep ({@code tinysim sweep --merge}): every output has the sweep's rows in
     * the same order, each measured in one shard and {@link #OTHER_SHARD} in the others; the result has, at each
     * position, the first output's row that is not {@code other-shard}: exactly what one machine gives.
     *
     * @param names the outputs' names, for messages
     * @throws IllegalArgumentException when the outputs are not shards of one sweep, or a row is in none of them
     */
    public static List<SweepReport.Row> merge(List<String> names, List<List<SweepReport.Row>> outputs) {
        return SweepMerge.merge(names, outputs);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
