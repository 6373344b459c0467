package dev.tinysim.compare;

import dev.tinysim.run.Futures;
import dev.tinysim.failure.Failure;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.firmware.FirmwareImage;
import dev.tinysim.inference.InferenceOptions;
import dev.tinysim.inference.InferenceReport;
import dev.tinysim.inference.InferenceRunner;
import dev.tinysim.inference.InputSource;
import dev.tinysim.inference.Kernels;
import dev.tinysim.inference.ModelTable;
import dev.tinysim.reference.MacCounter;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.run.ConsoleCapture;
import dev.tinysim.run.FirmwareRunner;
import dev.tinysim.run.RunReport;
import dev.tinysim.run.RunSettings;
import dev.tinysim.tflite.TfliteModel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.tinysim.emulator.units.Units.grouped;

/**
 * {@code tinysim fit}: does a model (on the bundled inference runtime) or a firmware ELF fit a board?
 *
 * <p>A model runs once (seeded input, seed 1) in every FPU configuration of the board: with its FPU
 * ({@code runtime-m4f.elf}) and on its FPU-less configuration ({@code runtime-m4.elf}); a board without FPU has only
 * the latter. The verdict, the exit code and the budgets judge the board as given (the first configuration); the
 * FPU-less one is shown for comparison ({@code --no-fpu} judges it). A firmware ELF runs once, as {@code tinysim run}
 * would, and its fit is the one {@code run} reports.
 */
public final class FitRunner {
    private FitRunner() {
    }

    /**
     * @param noFpuBoard the board's FPU-less configuration (ignored when the board has no FPU)
     */
    public static FitReport model(Comparison.ModelFile file, Board board, Board noFpuBoard, String timing, Budgets budgets,
                                  Progress progress) {
        ReferenceInterpreter ref = InferenceRunner.prepare(file.bytes(), file.name());
        TfliteModel model = ref.model();
        String precision = ModelTable.precision(model);
        List<Board> boards = new ArrayList<>();
        boards.add(board);
        if (board.cpu().fpu()) {
            boards.add(noFpuBoard);
        }
        long macs = MacCounter.totalMacs(model);
        long work = macs + 2000L * model.mainSubgraph().operators().size();
        double[] weight = new double[boards.size()];
        long total = 0;
        for (int i = 0; i < boards.size(); i++) {
            boolean fpu = boards.get(i).cpu().fpu();
            weight[i] = precision.equals("int8") ? 4 : fpu ? 17 : 130;
            total += (long) (weight[i] * work);
        }
        Progress p = progress == null ? Progress.NONE : progress;
        p.start("fit", total);
        InputSource input = new InputSource.Seeded(1);
        ExecutorService pool = Executors.newFixedThreadPool(boards.size(), r -> {
            Thread t = new Thread(r, "tinysim-fit");
            t.setDaemon(true);
            return t;
        });
        List<Measurement> rows = new ArrayList<>();
        try {
            List<Future<InferenceRunner.Outcome>> futures = new ArrayList<>();
            for (int i = 0; i < boards.size(); i++) {
                double w = weight[i];
                InferenceOptions o = new InferenceOptions(boards.get(i), Kernels.simd, 1, input, timing, 0, false,
                        m -> p.add((long) (w * (m + 2000))));
                futures.add(pool.submit(() -> InferenceRunner.runChecked(file.bytes(), file.name(), model, o)));
            }
            for (int i = 0; i < boards.size(); i++) {
                Board b = boards.get(i);
                InferenceReport r = Futures.join(futures.get(i)).report();
                String id = b.cpu().fpu() ? "fpu" : "no-fpu";
                // the configuration as run --model, table, sweep and compare name it (int8-simd, float32-fpu, hybrid-soft, …)
                String configuration = precision.equals("int8") ? "int8-" + r.runtime().kernels()
                        : ModelTable.configurationName(precision, b.cpu().fpu() ? "float32-fpu" : "float32-soft");
                String label = (b.cpu().fpu() ? "with FPU, " : "without FPU, ") + configuration + " (" + r.runtime().image() + ", "
                        + r.runtime().abi() + " float" + (precision.equals("int8") ? ", " + r.runtime().kernels() + " kernels" : "") + ")";
                rows.add(Measurement.of(id, label, file.name(), b.name(), b.cpu().fpu(), r));
            }
        } finally {
            pool.shutdownNow();
        }
        Measurement primary = rows.get(0);
        List<String> notes = new ArrayList<>();
        notes.addAll(primary.details().notes());
        if (rows.size() > 1) {
            notes.add("the verdict and the exit code are for " + board.name() + " as given (with its FPU); "
                    + "the no-fpu row is for comparison (--no-fpu judges it)");
        }
        List<Budgets.Check> checks = budgets == null ? List.of() : budgets.check(List.of(primary));
        FitReport.Result result = verdict(primary, file.name(), board, checks);
        InferenceReport d = primary.details();
        return new FitReport(new CompareReport.Tool(d.tool().name(), d.tool().version(), d.tool().engine()), boardInfo(board, noFpuBoard),
                new FitReport.Target("model", file.name(), file.bytes().length, precision, model.mainSubgraph().operators().size(), macs),
                new CompareReport.Timing(d.timing().model(), d.timing().description()), d.input().source(), List.copyOf(rows),
                primary.id(), d.arena(), d.memory(), checks, result, List.copyOf(notes));
    }

    /** A firmware ELF, run once as {@code tinysim run} runs it (console captured, not shown). */
    public static FitReport firmware(FirmwareImage image, long fileBytes, Board board, String timing, long maxInstructions,
                                     Budgets budgets) {
        RunSettings settings = new RunSettings(board, timing, maxInstructions, false, null, image.name(), null);
        RunReport r = FirmwareRunner.run(image, settings, new ConsoleCapture(null, null));
        Measurement m = Measurement.of(r);
        List<String> notes = new ArrayList<>();
        if ("exit".equals(r.result().kind()) && r.result().status() != null && r.result().status() != 0) {
            notes.add("the firmware exited with status " + r.result().status() + " (fit does not judge it)");
        }
        notes.add("latency = the whole firmware run (" + grouped(r.execution().instructions()) + " instructions)");
        if (r.firmware().placement() != null) {
            notes.add("placed in the board's memory: " + r.firmware().placement());
        }
        if (!board.memorySystemModelled()) {
            notes.add(dev.tinysim.inference.InferenceRunner.NOT_MODELLED_NOTE.formatted(board.name()));
        }
        List<Budgets.Check> checks = budgets == null ? List.of() : budgets.check(List.of(m));
        FitReport.Result result;
        boolean ended = "exit".equals(r.result().kind());
        if (!ended) {
            result = new FitReport.Result("failed", r.result().exitCode(), image.name() + ": " + r.result().message()
                    + " (the fit below is what was measured until then)");
        } else {
            result = verdict(m, image.name(), board, checks);
        }
        return new FitReport(new CompareReport.Tool(r.tool().name(), r.tool().version(), r.tool().engine()), boardInfo(board, board),
                new FitReport.Target("firmware", image.name(), fileBytes, null, null, null),
                new CompareReport.Timing(r.timing().model(), r.timing().description()), null, List.of(m), m.id(), null, null, checks,
                result, List.copyOf(notes));
    }

    private static FitReport.Result verdict(Measurement m, String name, Board board, List<Budgets.Check> checks) {
        int code = m.result().exitCode();
        if (m.details() != null && code != 0 && code != Failure.DOES_NOT_FIT.status()) {
            return new FitReport.Result("failed", code, m.result().message());
        }
        if (!m.fits()) {
            List<String> over = new ArrayList<>();
            if (!m.flash().fits()) {
                over.add("flash: " + grouped(m.flash().used()) + " bytes needed" + (m.flash().model() > 0 ? " (runtime " + grouped(m.flash().runtime())
                        + " + model " + grouped(m.flash().model()) + ")" : "") + ", " + grouped(m.flash().available()) + " available, "
                        + grouped(-m.flash().free()) + " bytes over");
            }
            if (!m.ram().fits()) {
                if (m.ram().free() < 0) {
                    over.add("RAM: " + grouped(m.ram().used()) + " bytes needed" + (m.ram().arena() > 0 ? " (static " + grouped(m.ram().staticBytes())
                            + " + arena " + grouped(m.ram().arena()) + " + stack peak " + grouped(m.ram().stackPeak()) + ")" : "") + ", "
                            + grouped(m.ram().available()) + " available, " + grouped(-m.ram().free()) + " bytes over");
                } else {
                    over.add("RAM: the stack overflowed its " + grouped(m.ram().stackReserved()) + "-byte reservation");
                }
            }
            dev.tinysim.inference.InferenceReport d = m.details();
            if (d != null && d.fit().fitsWithBestPlan() && d.arena() != null && d.arena().bestPlanned() != null) {
                // only the arena plan stands between the model and the board: say so, and how to get that plan
                return new FitReport.Result("does-not-fit", Failure.DOES_NOT_FIT.status(), name + " fits " + board.name() + " ("
                        + m.id() + ") with tinysim's plan (tinysim plan), not with TFLite Micro's planner: " + String.join("; ", over)
                        + "; with tinysim's plan RAM " + grouped(d.fit().ram().usedWithBestPlan()) + " of " + grouped(m.ram().available())
                        + " bytes (arena " + grouped(d.arena().bestPlanned()) + " planned instead of " + grouped(d.arena().planned())
                        + "); `tinysim plan " + name + " -o OUT.tflite` writes it into the model");
            }
            return new FitReport.Result("does-not-fit", Failure.DOES_NOT_FIT.status(),
                    name + " does not fit " + board.name() + " (" + m.id() + "): " + String.join("; ", over));
        }
        String budget = Budgets.message(checks);
        if (budget != null) {
            return new FitReport.Result("budget-exceeded", Failure.BUDGET_EXCEEDED.status(), budget);
        }
        return new FitReport.Result("fits", 0, name + " fits " + board.name() + " (" + m.id() + "): flash " + grouped(m.flash().used())
                + " of " + grouped(m.flash().available()) + " bytes, RAM " + grouped(m.ram().used()) + " of " + grouped(m.ram().available()) + " bytes");
    }

    private static CompareReport.BoardInfo boardInfo(Board board, Board noFpu) {
        return new CompareReport.BoardInfo(board.name(), board.description(), board.cpu().clockHz(), board.cpu().fpu(),
                noFpu == null ? board.name() : noFpu.name(), board.flash().size(), board.ram().size(), board.reservedFlash(),
                board.reservedRam());
    }
}
