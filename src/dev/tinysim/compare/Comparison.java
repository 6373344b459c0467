package dev.tinysim.compare;

import dev.tinysim.run.Futures;
import dev.tinysim.failure.Failure;
import dev.tinysim.failure.FailureException;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.inference.GraphChecks;
import dev.tinysim.inference.InferenceReport;
import dev.tinysim.inference.InferenceRunner;
import dev.tinysim.inference.InputSource;
import dev.tinysim.inference.ModelTable;
import dev.tinysim.reference.MacCounter;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.reference.TensorValues;
import dev.tinysim.run.Version;
import dev.tinysim.tflite.Operator;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code tinysim compare}: a float32 model and its int8 twin on one board, in four configurations — int8 with
 * the SIMD kernels, int8 with the reference kernels, float32 with the FPU, float32 as soft-float on the
 * FPU-less configuration — with flash, RAM, cycles, milliseconds, speed-up and fit; the int8 model's accuracy
 * against the float one over generated inputs; and per-layer cycles side by side.
 *
 * <p>Cycles come from one firmware run per configuration (one inference, on the first input). Accuracy comes
 * from the Java reference interpreter over every input: it is much faster than emulation, and the firmware is
 * bit-exact with it (proven by the end-to-end tests, and checked here on the first input for every
 * configuration). The configurations and the reference runs go on parallel threads (one machine per thread).
 */
public final class Comparison {

    /** A model file: its name for messages and its bytes. */
    public record ModelFile(String name, byte[] bytes) {
    }

    /**
     * @param floatModel  the float32 (or hybrid) model
     * @param int8Model   the int8 model
     * @param board       the board as given (with or without FPU)
     * @param noFpuBoard  its FPU-less configuration (the board itself when it has no FPU)
     * @param samples     the inputs (null: {@code inputs} generated ones from {@code seed})
     * @param inputs      how many inputs to generate
     * @param seed        first seed
     * @param timing      timing model name (null: the default)
     * @param budgets     budgets to check
     * @param progress    where to report progress
     * @param deviceSamples inputs also run on the firmware (int8 SIMD kernels) and checked against the reference
     *                    interpreter: input 0 on every configuration, inputs 0 … N−1 in one more int8-simd run
     * @param accuracyBudget --max-accuracy-drop, or null
     * @param timeoutMillis the wall-clock limit of each firmware run (--timeout; 0: none): a configuration that passes it
     *                    is a row with result {@code timeout}, the others go on, and the comparison fails with exit 94
     */
    public record Request(ModelFile floatModel, ModelFile int8Model, Board board, Board noFpuBoard, Samples samples,
                          int inputs, long seed, String timing, Budgets budgets, Progress progress, int deviceSamples,
                          AccuracyBudget accuracyBudget, long timeoutMillis) {
        /** No wall-clock limit. */
        public Request(ModelFile floatModel, ModelFile int8Model, Board board, Board noFpuBoard, Samples samples,
                       int inputs, long seed, String timing, Budgets budgets, Progress progress, int deviceSamples,
                       AccuracyBudget accuracyBudget) {
            this(floatModel, int8Model, board, noFpuBoard, samples, inputs, seed, timing, budgets, progress, deviceSamples,
                    accuracyBudget, 0);
        }

        /** The default device check ({@link #DEVICE_SAMPLES} inputs) and no accuracy budget. */
        public Request(ModelFile floatModel, ModelFile int8Model, Board board, Board noFpuBoard, Samples samples,
                       int inputs, long seed, String timing, Budgets budgets, Progress progress) {
            this(floatModel, int8Model, board, noFpuBoard, samples, inputs, seed, timing, budgets, progress, DEVICE_SAMPLES, null);
        }
    }

    /** Inputs run on the emulated firmware and compared with the reference interpreter, unless told otherwise. */
    public static final int DEVICE_SAMPLES = 3;

    private Comparison() {
    }

    /** Reads, checks and compares (see {@link #start} to read the models while the caller does something else). */
    public static CompareReport run(Request req) {
        try (Pending p = start(req.floatModel(), req.int8Model())) {
            return p.run(req);
        }
    }

    /**
     * Starts reading and checking both models in the background and returns at once: the caller loads the board
     * meanwhile, then calls {@link Pending#run}. Close it to stop its threads.
     */
    public static Pending start(ModelFile floatModel, ModelFile int8Model) {
        return new Pending(floatModel, int8Model);
    }

    /** Two models being read and checked on background threads, then compared. */
    public static final class Pending implements AutoCloseable {
        private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tinysim-compare");
            t.setDaemon(true);
            return t;
        });
        /**
         * The firmware runs and the reference runs: one thread per core, fed the longest first (soft-float gets a core of
         * its own while the others share the rest; more threads than cores only slow the longest run down).
         */
        private final ExecutorService workers = Executors.newFixedThreadPool(dev.tinysim.run.MachineBudget.machines(
                        Runtime.getRuntime().availableProcessors(), dev.tinysim.run.MachineBudget.TYPICAL_MACHINE_BYTES),
                r -> {
                    Thread t = new Thread(r, "tinysim-compare-run");
                    t.setDaemon(true);
                    return t;
                });
        private final Future<TfliteModel> fRead;
        private final Future<TfliteModel> qRead;
        private final Future<ReferenceInterpreter> fPrep;
        private final Future<ReferenceInterpreter> qPrep;

        private Pending(ModelFile f, ModelFile q) {
            pool.submit(EngineWarmup::run);
            fRead = pool.submit(() -> InferenceRunner.read(f.bytes(), f.name()));
            qRead = pool.submit(() -> InferenceRunner.read(q.bytes(), q.name()));
            fPrep = pool.submit(() -> InferenceRunner.prepare(Futures.join(fRead), f.name()));
            qPrep = pool.submit(() -> InferenceRunner.prepare(Futures.join(qRead), q.name()));
        }

        /** The two models as read: float32, int8 (waits for the readers; a corrupt model is exit 65). */
        public List<TfliteModel> models() {
            return List.of(Futures.join(fRead), Futures.join(qRead));
        }

        /** Compares; {@code req}'s model files must be the ones given to {@link #start}. */
        public CompareReport run(Request req) {
            return Comparison.run(req, workers, Futures.join(fRead), Futures.join(qRead), fPrep, qPrep);
        }

        @Override
        public void close() {
            pool.shutdownNow();
            workers.shutdownNow();
        }
    }

    /**
     * The comparison. The models were read (a corrupt one is exit 65); the reference interpreter's prepare step
     * (an unsupported operator: 72) runs while the firmware runs start, and its failure ends the comparison.
     */
    private static CompareReport run(Request req, ExecutorService pool, TfliteModel fModel, TfliteModel qModel,
                                     Future<ReferenceInterpreter> fPrep, Future<ReferenceInterpreter> qPrep) {
        checkPair(req, fModel, qModel);
        Subgraph fg = fModel.mainSubgraph();
        Subgraph qg = qModel.mainSubgraph();
        Samples samples = samples(req, fg, qg);

        // 2. the configurations
        Board board = req.board();
        CompareRuns.Configurations configurations = CompareRuns.configurations(req, fModel);
        List<CompareRuns.Plan> plans = configurations.plans();

        // 3. progress: emulated work weighed by MACs, plus the reference runs
        long fWork = CompareRuns.work(fModel, fg);
        long qWork = CompareRuns.work(qModel, qg);
        long total = CompareRuns.totalWork(plans, fWork, qWork, samples, req);
        Progress progress = req.progress() == null ? Progress.NONE : req.progress();
        progress.start("compare", total);

        // 4. everything at once, the longest first
        Samples.Sample first = samples.samples().get(0);
        CompareRuns.FirmwareInputs inputs = CompareRuns.firmwareInputs(req, samples, fg, qg);
        String inputDescription = inputDescription(inputs.generated(), inputs.defaultInput(), first, samples, req);
        List<Future<InferenceRunner.Outcome>> runs = CompareRuns.submitRuns(req, pool, plans, fModel, qModel, fWork, qWork, inputs,
                progress);
        int device = Math.max(0, Math.min(req.deviceSamples(), samples.size()));
        Future<InferenceRunner.Outcome> extra = CompareRuns.deviceRun(req, pool, qModel, samples, device, progress);
        ReferenceInterpreter fRef = Futures.join(fPrep);
        ReferenceInterpreter qRef = Futures.join(qPrep);
        CompareRuns.ReferenceFutures references = CompareRuns.submitReferences(pool, fRef, qRef, samples, inputs, progress, fWork,
                qWork);

        List<InferenceRunner.Outcome> outcomes = new ArrayList<>();
        List<Measurement> rows = measurements(plans, runs, outcomes);
        CompareRuns.ReferenceOutputs reference = references.join();
        List<byte[]> floatOutputs = reference.floatAll().stream().map(l -> l.get(0)).toList();
        List<byte[]> int8Outputs = reference.int8All().stream().map(l -> l.get(0)).toList();

        // 5. speed-ups against the baseline
        Measurement base = rows.stream().filter(r -> r.id().equals(configurations.baseline())).findFirst().orElse(null);
        rows = withSpeedups(rows, base);

        // 6. accuracy, and the firmware's output on input 0 against the reference's
        Accuracy accuracy = accuracy(fModel, qModel, samples, floatOutputs, int8Outputs);
        List<String> deviceNotes = new ArrayList<>();
        InferenceRunner.Outcome more = extra == null ? null : Futures.join(extra);
        List<Accuracy.FirmwareCheck> checks = firmwareChecks(plans, outcomes, reference, more, device, deviceNotes);
        accuracy = accuracy.withFirmwareCheck(checks);

        // 7. layers, budgets, result
        Layers layers = Layers.of(operatorNames(fModel), operatorNames(qModel), rows);
        List<String> notes = notes(rows, plans, outcomes, checks, reference, inputs.generated());
        notes.addAll(deviceNotes);
        InferenceReport any = rows.get(0).details();
        List<String> adapted = any.notes().stream()
                .filter(n -> n.startsWith("runtime adapted") || n.startsWith("memory system: not modelled")).toList();
        notes.addAll(adapted);
        notes.addAll(modelNotes(fRef, qRef, samples));
        List<Budgets.Check> budgetChecks = budgetChecks(req, rows, accuracy);
        CompareReport.Result result = result(rows, more, device, budgetChecks, board);

        InferenceReport.Tool tool = any.tool();
        return new CompareReport(new CompareReport.Tool(tool.name(), tool.version() == null ? Version.get() : tool.version(), tool.engine()),
                new CompareReport.BoardInfo(board.name(), board.description(), board.cpu().clockHz(), board.cpu().fpu(),
                        req.noFpuBoard().name(), board.flash().size(), board.ram().size(), board.reservedFlash(), board.reservedRam()),
                new CompareReport.Timing(any.timing().model(), any.timing().description()),
                new CompareReport.Models(modelInfo(req.floatModel(), fModel), modelInfo(req.int8Model(), qModel)),
                inputDescription, List.copyOf(rows), List.copyOf(configurations.absent()), base == null ? null : configurations.baseline(),
                accuracy, layers, List.copyOf(budgetChecks), result, List.copyOf(notes));
    }

    /** The data's samples, or {@code inputs} generated ones; every sample must match both models' inputs. */
    private static Samples samples(Request req, Subgraph fg, Subgraph qg) {
        Samples samples = req.samples() != null ? req.samples()
                : Samples.generated(fg.inputTensor(0), qg.inputTensor(0), req.inputs(), req.seed());
        for (Samples.Sample s : samples.samples()) {
            if (s.floatInput().length != fg.inputTensor(0).byteSize() || s.int8Input().length != qg.inputTensor(0).byteSize()) {
                throw new IllegalArgumentException("sample sizes do not match the models' inputs");
            }
        }
        return samples;
    }

    /** Waits for the firmware runs in the order of {@code plans}: their outcomes (into {@code outcomes}) and rows. */
    private static List<Measurement> measurements(List<CompareRuns.Plan> plans, List<Future<InferenceRunner.Outcome>> runs,
                                                  List<InferenceRunner.Outcome> outcomes) {
        List<Measurement> rows = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            CompareRuns.Plan p = plans.get(i);
            InferenceRunner.Outcome o = Futures.join(runs.get(i));
            outcomes.add(o);
            rows.add(Measurement.of(p.id(), p.label(), p.int8() ? "int8" : "float32", p.board().name(), p.board().cpu().fpu(),
                    o.report()));
        }
        return rows;
    }

    /** Every row with its speed-up against the baseline (none when the baseline or the row was not measured). */
    private static List<Measurement> withSpeedups(List<Measurement> rows, Measurement base) {
        List<Measurement> withSpeedup = new ArrayList<>();
        for (Measurement r : rows) {
            Double s = base != null && base.measured() && r.measured() ? round((double) base.cycles() / r.cycles(), 3) : null;
            withSpeedup.add(r.withSpeedup(s));
        }
        return withSpeedup;
    }

    /**
     * The firmware's outputs against the reference interpreter's: input 0 on every configuration that produced one, and
     * inputs 1 … device−1 of the extra int8-simd run (each mismatch or missing output a note in {@code deviceNotes}).
     */
    private static List<Accuracy.FirmwareCheck> firmwareChecks(List<CompareRuns.Plan> plans, List<InferenceRunner.Outcome> outcomes,
                                                               CompareRuns.ReferenceOutputs reference, InferenceRunner.Outcome more,
                                                               int device, List<String> deviceNotes) {
        List<Accuracy.FirmwareCheck> checks = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            InferenceRunner.Outcome o = outcomes.get(i);
            if (!o.outputs().isEmpty()) {
                List<byte[]> expected = plans.get(i).int8() ? reference.int8FirmwareExpected() : reference.floatFirmwareExpected();
                boolean exact = sameOutputs(expected, o.outputs().get(0)); // every output, bit for bit
                int checked = 1;
                if (more != null && plans.get(i).id().equals("int8-simd")) {
                    for (int k = 1; k < device; k++) {
                        boolean ran = k < more.outputs().size();
                        if (!ran || !sameOutputs(reference.int8All().get(k), more.outputs().get(k))) {
                            exact = false;
                            deviceNotes.add("int8-simd: the firmware's output for input " + k + (ran ? " differs from the reference "
                                    + "interpreter's" : " is missing (" + more.report().result().message() + ")"));
                        }
                    }
                    checked = device;
                }
                checks.add(new Accuracy.FirmwareCheck(plans.get(i).id(), checked, exact));
            }
        }
        return checks;
    }

    /** Notes on the rows that do not fit and on the configurations whose output on input 0 differs from the reference's. */
    private static List<String> notes(List<Measurement> rows, List<CompareRuns.Plan> plans, List<InferenceRunner.Outcome> outcomes,
                                      List<Accuracy.FirmwareCheck> checks, CompareRuns.ReferenceOutputs reference, boolean generated) {
        List<String> notes = new ArrayList<>();
        for (Measurement r : rows) {
            if (r.measuredOn() != null) {
                notes.add(r.id() + ": does not fit, " + r.measuredOn());
            }
        }
        for (int i = 0; i < checks.size(); i++) {
            Accuracy.FirmwareCheck c = checks.get(i);
            InferenceRunner.Outcome o = outcomes.get(plans.stream().map(CompareRuns.Plan::id).toList().indexOf(c.configuration()));
            List<byte[]> expected = c.configuration().startsWith("int8") ? reference.int8FirmwareExpected() : reference.floatFirmwareExpected();
            if (!sameOutputs(expected, o.outputs().get(0))) {
                notes.add(c.configuration() + ": the firmware's output for " + (generated ? "the default input" : "input 0")
                        + " differs from the reference interpreter's"
                        + " (the accuracy figures come from the reference interpreter)");
            }
        }
        return notes;
    }

    /** The --max-* budgets against the rows, and --max-accuracy-drop (which needs labelled data: else exit 64). */
    private static List<Budgets.Check> budgetChecks(Request req, List<Measurement> rows, Accuracy accuracy) {
        List<Budgets.Check> budgetChecks = new ArrayList<>(req.budgets() == null ? List.of() : req.budgets().check(rows));
        if (req.accuracyBudget() != null) {
            if (accuracy.drop() == null) {
                throw new FailureException(Failure.USAGE, AccuracyBudget.OPTION + " needs labelled data: --dataset with labels");
            }
            budgetChecks.add(req.accuracyBudget().check("int8", accuracy.drop()));
        }
        return budgetChecks;
    }

    /** What the firmware runs were given: the default input, or input 0 of the data. */
    private static String inputDescription(boolean generated, InputSource.Seeded defaultInput, Samples.Sample first, Samples samples,
                                           Request req) {
        return generated ? "input " + defaultInput.describe() + " (each model's own seeded random input, as run "
                + "--model --seed " + req.seed() + " gives it; fit, table and sweep use the default too)"
                : first.label() >= 0
                ? "input 0 of the " + samples.size() + " (true class " + (samples.labels() != null && first.label() < samples.labels().size()
                ? samples.labels().get(first.label()) : String.valueOf(first.label())) + ")"
                : "input 0 of the " + samples.size() + " (" + samples.description() + ")";
    }

    /** Notes on the models' state and on synthetic inputs. */
    private static List<String> modelNotes(ReferenceInterpreter fRef, ReferenceInterpreter qRef, Samples samples) {
        List<String> notes = new ArrayList<>();
        if (fRef.isStateful() || qRef.isStateful()) {
            notes.add("the models keep state (variable tensors): the accuracy inputs run as one sequence, the state carried "
                    + "from each input to the next (input 0 from fresh state)");
        }
        if (samples.synthetic()) {
            notes.add("synthetic inputs: agreement only, not accuracy. The inputs are random, not real data: a model whose int8 "
                    + "ranges were calibrated on real data can saturate on them, so agreement on real inputs is usually better "
                    + "(the figures compare the arithmetic on the same inputs, not the models' accuracy on a task; "
                    + "give real data with --dataset)");
        }
        return notes;
    }

    private static CompareReport.Result result(List<Measurement> rows, InferenceRunner.Outcome more, int device,
                                               List<Budgets.Check> budgets, Board board) {
        for (Measurement r : rows) {
            int code = r.result().exitCode();
            if (code != 0 && code != Failure.DOES_NOT_FIT.status()) {
                return new CompareReport.Result("failed", code, r.id() + ": " + r.result().message());
            }
        }
        if (more != null && more.report().result().exitCode() == Failure.TIMEOUT.status()) {
            // the extra int8-simd run of the device check is a firmware run of its own, under the same --timeout
            return new CompareReport.Result("failed", more.exitCode(), "int8-simd, inputs 0.." + (device - 1)
                    + " on the firmware (--device-samples): " + more.report().result().message());
        }
        String over = Budgets.message(budgets);
        if (over != null) {
            return new CompareReport.Result("budget-exceeded", Failure.BUDGET_EXCEEDED.status(), over);
        }
        long fits = rows.stream().filter(Measurement::fits).count();
        String msg = rows.size() + " configurations measured on " + board.name() + "; " + (fits == rows.size() ? "all fit"
                : fits == 0 ? "none fits" : "fit: " + String.join(", ", rows.stream().filter(Measurement::fits).map(Measurement::id).toList())
                + "; do not fit: " + String.join(", ", rows.stream().filter(r -> !r.fits()).map(Measurement::id).toList()));
        return new CompareReport.Result("ok", 0, msg);
    }

    /** The two models must be a float model and its int8 twin with the same input and output shapes (else 64 / 65). */
    static void checkPair(Request req, TfliteModel f, TfliteModel q) {
        checkPair(req.floatModel().name(), f, req.int8Model().name(), q);
    }

    /** The two models must be a float model and its int8 twin with the same input and output shapes (else 64 / 65). */
    public static void checkPair(String fName, TfliteModel f, String qName, TfliteModel q) {
        ModelPair.check(fName, f, qName, q);
    }

    /** Whether some operator writes an INT8 tensor (quantized activations). */
    static boolean int8Activations(TfliteModel m) {
        return ModelPair.int8Activations(m);
    }

    /** Every output equal, byte for byte. */
    private static boolean sameOutputs(List<byte[]> expected, List<byte[]> got) {
        if (expected.size() != got.size()) {
            return false;
        }
        for (int k = 0; k < expected.size(); k++) {
            if (!Arrays.equals(expected.get(k), got.get(k))) {
                return false;
            }
        }
        return true;
    }

    /** int8 against float32 over every sample (outputs after dequantization), and both against the labels. */
    static Accuracy accuracy(TfliteModel f, TfliteModel q, Samples samples, List<byte[]> floatOutputs, List<byte[]> int8Outputs) {
        return AccuracyFigures.of(f, q, samples, floatOutputs, int8Outputs);
    }

    /** Whether the model's (first) output is a SOFTMAX's, possibly through a (DE)QUANTIZE. */
    public static boolean endsInSoftmax(TfliteModel m) {
        return AccuracyFigures.endsInSoftmax(m);
    }

    static List<String> operatorNames(TfliteModel m) {
        List<String> out = new ArrayList<>();
        for (Operator op : m.mainSubgraph().operators()) {
            out.add(m.operatorCode(op).displayName());
        }
        return out;
    }

    private static CompareReport.ModelInfo modelInfo(ModelFile file, TfliteModel m) {
        Subgraph g = m.mainSubgraph();
        return new CompareReport.ModelInfo(file.name(), file.bytes().length, ModelTable.precision(m), g.operators().size(),
                MacCounter.totalMacs(m), InferenceRunner.info(m, g.inputs().get(0)), InferenceRunner.info(m, g.outputs().get(0)));
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
