package dev.tinysim.compare;

import dev.tinysim.run.Futures;
import dev.tinysim.failure.Failure;
import dev.tinysim.failure.FailureException;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.inference.GraphChecks;
import dev.tinysim.inference.InferenceOptions;
import dev.tinysim.inference.InferenceReport;
import dev.tinysim.inference.InferenceRunner;
import dev.tinysim.inference.InputSource;
import dev.tinysim.inference.Kernels;
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
import java.util.concurrent.Callable;
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
    /** Estimated emulated instructions per MAC, to weigh progress (KWS: SIMD 3.8, FPU 17, soft-float 132). */
    private static final double SIMD = 4, REFERENCE = 8, FPU = 17, SOFT = 130, JAVA = 1;
    private static final long PER_OPERATOR = 2000;

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

    private record Plan(String id, String label, boolean int8, Board board, Kernels kernels, double weight) {
    }

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

        Samples samples = req.samples() != null ? req.samples()
                : Samples.generated(fg.inputTensor(0), qg.inputTensor(0), req.inputs(), req.seed());
        for (Samples.Sample s : samples.samples()) {
            if (s.floatInput().length != fg.inputTensor(0).byteSize() || s.int8Input().length != qg.inputTensor(0).byteSize()) {
                throw new IllegalArgumentException("sample sizes do not match the models' inputs");
            }
        }

        // 2. the configurations
        Board board = req.board();
        List<Plan> plans = new ArrayList<>();
        List<CompareReport.Absent> absent = new ArrayList<>();
        String fPrecision = ModelTable.precision(fModel);
        String fLabel = fPrecision.equals("hybrid") ? "float32 (hybrid)" : "float32";
        // the float rows are named as run, table and sweep name them: hybrid-fpu / hybrid-soft for a hybrid model
        String fpuId = ModelTable.configurationName(fPrecision, "float32-fpu");
        String softId = ModelTable.configurationName(fPrecision, "float32-soft");
        plans.add(new Plan("int8-simd", "int8, SIMD kernels", true, board, Kernels.simd, SIMD));
        plans.add(new Plan("int8-reference", "int8, reference kernels", true, board, Kernels.reference, REFERENCE));
        if (board.cpu().fpu()) {
            plans.add(new Plan(fpuId, fLabel + ", FPU", false, board, Kernels.simd, FPU));
        } else {
            absent.add(new CompareReport.Absent(fpuId, fLabel + ", FPU", "board " + board.name()
                    + " has no FPU (Cortex-M4 without the floating-point extension): float32 runs as soft-float only"));
        }
        plans.add(new Plan(softId, fLabel + ", soft-float (no FPU)", false, req.noFpuBoard(), Kernels.simd, SOFT));
        String baseline = board.cpu().fpu() ? fpuId : softId;

        // 3. progress: emulated work weighed by MACs, plus the reference runs
        long fWork = MacCounter.totalMacs(fModel) + PER_OPERATOR * fg.operators().size();
        long qWork = MacCounter.totalMacs(qModel) + PER_OPERATOR * qg.operators().size();
        long total = totalWork(plans, fWork, qWork, samples, req);
        Progress progress = req.progress() == null ? Progress.NONE : req.progress();
        progress.start("compare", total);

        // 4. everything at once, the longest first
        Samples.Sample first = samples.samples().get(0);
        // Without data, the cycles are measured on the default input every command uses (run --model, fit, table, sweep:
        // each model's own seeded random input), so that one configuration has one figure. For the int8 model it is
        // generated input 0; the float model's is its own (uniform over [-1, 1) unless its input is quantized), not input 0
        // dequantized, so its firmware output is checked against the reference interpreter on that input.
        boolean generated = req.samples() == null;
        InputSource.Seeded defaultInput = new InputSource.Seeded(req.seed());
        byte[] floatFirmwareInput = generated ? defaultInput.forRun(0, 0, fg.inputTensor(0)) : first.floatInput();
        byte[] int8FirmwareInput = generated ? defaultInput.forRun(0, 0, qg.inputTensor(0)) : first.int8Input();
        String inputDescription = inputDescription(generated, defaultInput, first, samples, req);
        List<Plan> order = new ArrayList<>(plans);
        order.sort((a, b) -> Double.compare(b.weight() * (b.int8() ? qWork : fWork), a.weight() * (a.int8() ? qWork : fWork)));
        List<Future<InferenceRunner.Outcome>> runs = new ArrayList<>(java.util.Collections.nCopies(plans.size(), null));
        for (Plan p : order) {
            byte[] input = p.int8() ? int8FirmwareInput : floatFirmwareInput;
            ModelFile file = p.int8() ? req.int8Model() : req.floatModel();
            TfliteModel model = p.int8() ? qModel : fModel;
            double w = p.weight();
            InferenceOptions o = new InferenceOptions(p.board(), p.kernels(), 1,
                    generated ? defaultInput : InputSource.Given.single(List.of(input), "input 0"), req.timing(), 0, false,
                    macs -> progress.add((long) (w * (macs + PER_OPERATOR)))).withTimeoutMillis(req.timeoutMillis());
            runs.set(plans.indexOf(p), pool.submit(() -> InferenceRunner.runChecked(file.bytes(), file.name(), model, o)));
        }
        // inputs 0 … N−1 in one more int8-simd run (the deployment's configuration), to check more than input 0; input 0
        // again so that a model with state sees the same sequence as the reference session
        int device = Math.max(0, Math.min(req.deviceSamples(), samples.size()));
        Future<InferenceRunner.Outcome> extra = null;
        if (device > 1) {
            List<byte[]> more = new ArrayList<>();
            for (int i = 0; i < device; i++) {
                more.add(samples.samples().get(i).int8Input());
            }
            InferenceOptions o = new InferenceOptions(board, Kernels.simd, more.size(),
                    InputSource.Given.single(more, "inputs 0.." + (device - 1)), req.timing(), 0, false,
                    macs -> progress.add((long) (SIMD * (macs + PER_OPERATOR)))).withTimeoutMillis(req.timeoutMillis());
            extra = pool.submit(() -> InferenceRunner.runChecked(req.int8Model().bytes(), req.int8Model().name(), qModel, o));
        }
        ReferenceInterpreter fRef = Futures.join(fPrep);
        ReferenceInterpreter qRef = Futures.join(qPrep);
        Future<List<List<byte[]>>> fOut = pool.submit(reference(fRef, samples, false, progress, fWork));
        Future<List<List<byte[]>>> qOut = pool.submit(reference(qRef, samples, true, progress, qWork));
        Future<List<byte[]>> fDefaultOut = java.util.Arrays.equals(floatFirmwareInput, first.floatInput()) ? null
                : pool.submit(() -> fRef.newSession().invoke(List.of(floatFirmwareInput)));
        Future<List<byte[]>> qDefaultOut = java.util.Arrays.equals(int8FirmwareInput, first.int8Input()) ? null
                : pool.submit(() -> qRef.newSession().invoke(List.of(int8FirmwareInput)));

        List<Measurement> rows = new ArrayList<>();
        List<InferenceRunner.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            Plan p = plans.get(i);
            InferenceRunner.Outcome o = Futures.join(runs.get(i));
            outcomes.add(o);
            rows.add(Measurement.of(p.id(), p.label(), p.int8() ? "int8" : "float32", p.board().name(), p.board().cpu().fpu(),
                    o.report()));
        }
        List<List<byte[]>> floatAll = Futures.join(fOut);
        List<List<byte[]>> int8All = Futures.join(qOut);
        List<byte[]> floatOutputs = floatAll.stream().map(l -> l.get(0)).toList();
        List<byte[]> int8Outputs = int8All.stream().map(l -> l.get(0)).toList();
        List<byte[]> floatFirmwareExpected = fDefaultOut == null ? floatAll.get(0) : Futures.join(fDefaultOut);
        List<byte[]> int8FirmwareExpected = qDefaultOut == null ? int8All.get(0) : Futures.join(qDefaultOut);

        // 5. speed-ups against the baseline
        Measurement base = rows.stream().filter(r -> r.id().equals(baseline)).findFirst().orElse(null);
        List<Measurement> withSpeedup = new ArrayList<>();
        for (Measurement r : rows) {
            Double s = base != null && base.measured() && r.measured() ? round((double) base.cycles() / r.cycles(), 3) : null;
            withSpeedup.add(r.withSpeedup(s));
        }
        rows = withSpeedup;

        // 6. accuracy, and the firmware's output on input 0 against the reference's
        Accuracy accuracy = accuracy(fModel, qModel, samples, floatOutputs, int8Outputs);
        List<Accuracy.FirmwareCheck> checks = new ArrayList<>();
        List<String> deviceNotes = new ArrayList<>();
        InferenceRunner.Outcome more = extra == null ? null : Futures.join(extra);
        for (int i = 0; i < plans.size(); i++) {
            InferenceRunner.Outcome o = outcomes.get(i);
            if (!o.outputs().isEmpty()) {
                List<byte[]> expected = plans.get(i).int8() ? int8FirmwareExpected : floatFirmwareExpected;
                boolean exact = sameOutputs(expected, o.outputs().get(0)); // every output, bit for bit
                int checked = 1;
                if (more != null && plans.get(i).id().equals("int8-simd")) {
                    for (int k = 1; k < device; k++) {
                        boolean ran = k < more.outputs().size();
                        if (!ran || !sameOutputs(int8All.get(k), more.outputs().get(k))) {
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
        accuracy = accuracy.withFirmwareCheck(checks);

        // 7. layers, budgets, result
        Layers layers = Layers.of(operatorNames(fModel), operatorNames(qModel), rows);
        List<String> notes = new ArrayList<>();
        for (Measurement r : rows) {
            if (r.measuredOn() != null) {
                notes.add(r.id() + ": does not fit, " + r.measuredOn());
            }
        }
        for (int i = 0; i < checks.size(); i++) {
            Accuracy.FirmwareCheck c = checks.get(i);
            InferenceRunner.Outcome o = outcomes.get(plans.stream().map(Plan::id).toList().indexOf(c.configuration()));
            List<byte[]> expected = c.configuration().startsWith("int8") ? int8FirmwareExpected : floatFirmwareExpected;
            if (!sameOutputs(expected, o.outputs().get(0))) {
                notes.add(c.configuration() + ": the firmware's output for " + (generated ? "the default input" : "input 0")
                        + " differs from the reference interpreter's"
                        + " (the accuracy figures come from the reference interpreter)");
            }
        }
        notes.addAll(deviceNotes);
        InferenceReport any = rows.get(0).details();
        List<String> adapted = any.notes().stream()
                .filter(n -> n.startsWith("runtime adapted") || n.startsWith("memory system: not modelled")).toList();
        notes.addAll(adapted);
        notes.addAll(modelNotes(fRef, qRef, samples));
        List<Budgets.Check> budgetChecks = new ArrayList<>(req.budgets() == null ? List.of() : req.budgets().check(rows));
        if (req.accuracyBudget() != null) {
            if (accuracy.drop() == null) {
                throw new FailureException(Failure.USAGE, AccuracyBudget.OPTION + " needs labelled data: --dataset with labels");
            }
            budgetChecks.add(req.accuracyBudget().check("int8", accuracy.drop()));
        }
        CompareReport.Result result = result(rows, more, device, budgetChecks, board);

        InferenceReport.Tool tool = any.tool();
        return new CompareReport(new CompareReport.Tool(tool.name(), tool.version() == null ? Version.get() : tool.version(), tool.engine()),
                new CompareReport.BoardInfo(board.name(), board.description(), board.cpu().clockHz(), board.cpu().fpu(),
                        req.noFpuBoard().name(), board.flash().size(), board.ram().size(), board.reservedFlash(), board.reservedRam()),
                new CompareReport.Timing(any.timing().model(), any.timing().description()),
                new CompareReport.Models(modelInfo(req.floatModel(), fModel), modelInfo(req.int8Model(), qModel)),
                inputDescription, List.copyOf(rows), List.copyOf(absent), base == null ? null : baseline, accuracy, layers,
                List.copyOf(budgetChecks), result, List.copyOf(notes));
    }

    /** The progress total: emulated work weighed by MACs, plus the reference runs. */
    private static long totalWork(List<Plan> plans, long fWork, long qWork, Samples samples, Request req) {
        long total = 0;
        for (Plan p : plans) {
            total += (long) (p.weight() * (p.int8() ? qWork : fWork));
        }
        total += (long) (JAVA * samples.size() * (fWork + qWork));
        int deviceRuns = Math.max(0, Math.min(req.deviceSamples(), samples.size()));
        total += deviceRuns > 1 ? (long) (SIMD * qWork * deviceRuns) : 0;
        return total;
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

    /**
     * The reference outputs (every graph output) of every sample, in order, through one session: a model with state
     * (SVDF, LSTM) sees the samples as one sequence, as the firmware's runs would; sample 0 starts from fresh state (the
     * firmware's single run on input 0 is checked against it). Stateless models are unaffected.
     */
    private static Callable<List<List<byte[]>>> reference(ReferenceInterpreter r, Samples samples, boolean int8, Progress progress,
                                                          long work) {
        return () -> {
            List<List<byte[]>> out = new ArrayList<>();
            dev.tinysim.reference.ReferenceSession session = r.newSession();
            for (Samples.Sample s : samples.samples()) {
                out.add(session.invoke(List.of(int8 ? s.int8Input() : s.floatInput())));
                progress.add((long) (JAVA * work));
            }
            return out;
        };
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
