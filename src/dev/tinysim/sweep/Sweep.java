package dev.tinysim.sweep;

import dev.tinysim.run.Futures;
import dev.tinysim.failure.Failure;
import dev.tinysim.failure.FailureException;
import dev.tinysim.compare.CompareReport;
import dev.tinysim.compare.Measurement;
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
import java.util.HexFormat;
import java.util.List;
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

    /** A model file: its path as found, and its bytes. */
    public record ModelFile(Path path, byte[] bytes) {
        String name() {
            return String.valueOf(path.getFileName());
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
     */
    public record Request(List<ModelFile> models, List<BoardChoice> boards, List<String> configurations, long seed, String timing,
                          int jobs, Progress progress) {
    }

    private record Job(int model, BoardChoice board, String configuration, Board runsOn, Kernels kernels, double cost) {
    }

    /** A model read and checked, or (model null) why it cannot run: its exit code and message. */
    private record Parsed(ModelFile file, TfliteModel model, SweepReport.ModelInfo info, int errorCode, String error) {
    }

    private Sweep() {
    }

    public static SweepReport run(Request req) {
        if (req.jobs() < 1) {
            throw new IllegalArgumentException("jobs must be at least 1");
        }
        String timing = req.timing() == null ? TimingModels.defaultName() : req.timing();
        Progress progress = req.progress() == null ? Progress.NONE : req.progress();

        // 1. read and check every model (a bad one becomes failed rows, not the end of the sweep)
        List<Parsed> models = new ArrayList<>();
        for (ModelFile f : req.models()) {
            try {
                TfliteModel m = InferenceRunner.check(f.bytes(), f.name());
                Subgraph g = m.mainSubgraph();
                GraphChecks.requireInputsAndOutputs(f.name(), g);
                models.add(new Parsed(f, m, new SweepReport.ModelInfo(f.name(), f.path().toString(), f.bytes().length,
                        ModelTable.precision(m), g.operators().size(), MacCounter.totalMacs(m), null), 0, null));
            } catch (FailureException e) {
                models.add(new Parsed(f, null, new SweepReport.ModelInfo(f.name(), f.path().toString(), f.bytes().length, null, null,
                        null, e.getMessage()), e.kind().status(), e.getMessage()));
            }
        }

        // 2. the plan: model × board × configuration
        List<Job> plan = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            Parsed p = models.get(i);
            if (p.model() == null) {
                continue;
            }
            long work = p.info().macs() + PER_OPERATOR * p.info().operators();
            for (BoardChoice b : req.boards()) {
                if (p.info().precision().equals("int8")) {
                    plan.add(new Job(i, b, "int8-simd", b.board(), Kernels.simd, SIMD * work));
                    plan.add(new Job(i, b, "int8-reference", b.board(), Kernels.reference, REFERENCE * work));
                } else {
                    if (b.board().cpu().fpu()) {
                        plan.add(new Job(i, b, "float32-fpu", b.board(), Kernels.simd, FPU * work));
                    }
                    plan.add(new Job(i, b, "float32-soft", b.noFpuBoard(), Kernels.simd, SOFT * work));
                }
            }
        }
        plan.removeIf(j -> !req.configurations().contains(j.configuration()));
        for (BoardChoice b : req.boards()) {
            if (!b.board().cpu().fpu() && req.configurations().contains("float32-fpu")
                    && models.stream().anyMatch(p -> p.model() != null && !p.info().precision().equals("int8"))) {
                notes.add(b.board().name() + " has no FPU: its float32 models run as float32-soft only");
            }
        }

        // 3. run, the longest first, rows in plan order
        long total = Math.max(1, (long) plan.stream().mapToDouble(Job::cost).sum());
        progress.start("sweep", total);
        List<Future<Object>> futures = new ArrayList<>(Collections.nCopies(plan.size(), null));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Double.compare(plan.get(b).cost(), plan.get(a).cost()));
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(req.jobs(), Math.max(1, plan.size())), r -> {
            Thread t = new Thread(r, "tinysim-sweep");
            t.setDaemon(true);
            return t;
        });
        List<SweepReport.Row> rows = new ArrayList<>();
        InferenceReport any = null;
        try {
            for (int i : order) {
                Job j = plan.get(i);
                Parsed p = models.get(j.model());
                double weight = j.cost() / (p.info().macs() + PER_OPERATOR * p.info().operators());
                InferenceOptions o = new InferenceOptions(j.runsOn(), j.kernels(), 1, new InputSource.Seeded(req.seed()), timing, 0,
                        false, macs -> progress.add((long) (weight * (macs + PER_OPERATOR))));
                futures.set(i, pool.submit(() -> {
                    try {
                        return InferenceRunner.runChecked(p.file().bytes(), p.file().name(), p.model(), o);
                    } catch (FailureException e) {
                        return e;   // this configuration failed; the others go on
                    }
                }));
            }
            int next = 0;
            for (int m = 0; m < models.size(); m++) {
                Parsed p = models.get(m);
                if (p.model() == null) {
                    for (BoardChoice b : req.boards()) {
                        rows.add(failed(p, b, null, null, p.errorCode() == Failure.UNSUPPORTED_MODEL.status() ? "unsupported-model"
                                : "invalid-model", p.errorCode(), p.error()));
                    }
                    continue;
                }
                while (next < plan.size() && plan.get(next).model() == m) {
                    Job j = plan.get(next);
                    Object done = Futures.join(futures.get(next));
                    if (done instanceof FailureException e) {
                        rows.add(failed(p, j.board(), j.configuration(), j.runsOn(), "failed", e.kind().status(), e.getMessage()));
                    } else {
                        InferenceRunner.Outcome out = (InferenceRunner.Outcome) done;
                        any = any == null ? out.report() : any;
                        rows.add(row(p, j, out));
                    }
                    next++;
                }
            }
        } finally {
            pool.shutdownNow();
        }

        List<String> failures = rows.stream().filter(r -> !r.ran()).map(r -> r.model() + (r.configuration() == null ? ""
                : " " + r.configuration()) + " on " + r.board() + ": " + r.result().message()).toList();
        long doNotFit = rows.stream().filter(r -> r.ran() && Boolean.FALSE.equals(r.fits())).count();
        SweepReport.Result result;
        if (failures.isEmpty()) {
            result = new SweepReport.Result("ok", 0, rows.size() + " configuration" + (rows.size() == 1 ? "" : "s") + " measured ("
                    + models.size() + " model" + (models.size() == 1 ? "" : "s") + " × " + req.boards().size() + " board"
                    + (req.boards().size() == 1 ? "" : "s") + ")" + (doNotFit == 0 ? "; all fit" : "; " + doNotFit + " do not fit"));
        } else {
            int code = rows.stream().filter(r -> !r.ran()).findFirst().orElseThrow().result().exitCode();
            result = new SweepReport.Result("failed", code, failures.size() + " of " + rows.size() + " configurations failed; first: "
                    + failures.get(0));
        }
        if (any != null) {
            notes.add("each row is what `tinysim run --model` measures for that configuration alone (same runtime, input and fit); "
                    + "wallSeconds is disturbed by the other jobs");
        }

        List<CompareReport.BoardInfo> boards = new ArrayList<>();
        for (BoardChoice b : req.boards()) {
            Board x = b.board();
            boards.add(new CompareReport.BoardInfo(x.name(), x.description(), x.cpu().clockHz(), x.cpu().fpu(), b.noFpuBoard().name(),
                    x.flash().size(), x.ram().size(), x.reservedFlash(), x.reservedRam()));
        }
        CompareReport.Tool tool = any == null ? new CompareReport.Tool("tinysim", Version.get(), null)
                : new CompareReport.Tool(any.tool().name(), any.tool().version() == null ? Version.get() : any.tool().version(), any.tool().engine());
        CompareReport.Timing t = any == null ? new CompareReport.Timing(timing, null)
                : new CompareReport.Timing(any.timing().model(), any.timing().description());
        return new SweepReport(tool, t, new dev.tinysim.inference.InputSource.Seeded(req.seed()).describe() + " (seeded random input, as `tinysim run --model --seed " + req.seed() + "`)",
                req.jobs(), List.copyOf(req.configurations()), models.stream().map(Parsed::info).toList(), List.copyOf(boards),
                List.copyOf(rows), result, List.copyOf(notes));
    }

    /** Every output of a run, back to back (the SHA-256 of a row covers them all). */
    private static byte[] concat(List<byte[]> outputs) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        outputs.forEach(b::writeBytes);
        return b.toByteArray();
    }

    private static SweepReport.Row row(Parsed p, Job j, InferenceRunner.Outcome out) {
        InferenceReport r = out.report();
        Board b = j.runsOn();
        String name = ModelTable.configurationName(p.info().precision(), j.configuration());
        Measurement m = Measurement.of(name, name, p.info().file(), b.name(), b.cpu().fpu(), r);
        boolean measured = m.measured();
        byte[] output = out.outputs().isEmpty() ? null : concat(out.outputs().get(out.outputs().size() - 1));
        Double perMac = r.latency() == null ? null : r.latency().cyclesPerMac();
        return new SweepReport.Row(p.info().file(), p.info().path(), p.info().precision(), p.info().macs(), j.board().board().name(),
                name, b.name(), b.cpu().fpu(), b.cpu().clockHz(), m.runtime(), m.abi(), m.kernels(),
                measured ? m.cycles() : null, measured ? m.milliseconds() : null, perMac, m.flash(), m.ram(), m.fits(), m.measuredOn(),
                m.argmax(), output == null ? null : sha256(output), m.instructions(), m.wallSeconds(), m.result(), m.operators());
    }

    private static SweepReport.Row failed(Parsed p, BoardChoice b, String configuration, Board runsOn, String kind, int code,
                                          String message) {
        return new SweepReport.Row(p.info().file(), p.info().path(), p.info().precision(), p.info().macs(), b.board().name(),
                configuration == null ? null : ModelTable.configurationName(p.info().precision(), configuration),
                runsOn == null ? null : runsOn.name(), runsOn == null ? null : runsOn.cpu().fpu(),
                runsOn == null ? null : runsOn.cpu().clockHz(), null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, new Measurement.Result(kind, code, message), List.of());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
