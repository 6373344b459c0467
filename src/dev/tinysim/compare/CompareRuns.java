package dev.tinysim.compare;

import dev.tinysim.emulator.board.Board;
import dev.tinysim.inference.InferenceOptions;
import dev.tinysim.inference.InferenceRunner;
import dev.tinysim.inference.InputSource;
import dev.tinysim.inference.Kernels;
import dev.tinysim.inference.ModelTable;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.run.Futures;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.TfliteModel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The runs of {@code tinysim compare} ({@link Comparison}): its configurations, their firmware runs (submitted the
 * longest first), the device check's extra int8-simd run, the reference interpreter's runs, and the weights that make
 * them one progress total.
 */
final class CompareRuns {
    /** Estimated emulated instructions per MAC, to weigh progress (KWS: SIMD 3.8, FPU 17, soft-float 132). */
    private static final double SIMD = 4, REFERENCE = 8, FPU = 17, SOFT = 130, JAVA = 1;
    private static final long PER_OPERATOR = 2000;

    private CompareRuns() {
    }

    record Plan(String id, String label, boolean int8, Board board, Kernels kernels, double weight) {
    }

    /** The four configurations (those the board has), the one without FPU named, and the baseline of the speed-ups. */
    record Configurations(List<Plan> plans, List<CompareReport.Absent> absent, String baseline) {
    }

    /** What the firmware runs are given: the default input (no data) or input 0 of the data, per model. */
    record FirmwareInputs(boolean generated, InputSource.Seeded defaultInput, byte[] floatInput, byte[] int8Input) {
    }

    /** The reference interpreter's runs, submitted: every sample per model, and each model's firmware input when it is not sample 0. */
    record ReferenceFutures(Future<List<List<byte[]>>> fOut, Future<List<List<byte[]>>> qOut, Future<List<byte[]>> fDefaultOut,
                            Future<List<byte[]>> qDefaultOut) {
        /** Waits for them, in that order. */
        ReferenceOutputs join() {
            List<List<byte[]>> floatAll = Futures.join(fOut);
            List<List<byte[]>> int8All = Futures.join(qOut);
            List<byte[]> floatFirmwareExpected = fDefaultOut == null ? floatAll.get(0) : Futures.join(fDefaultOut);
            List<byte[]> int8FirmwareExpected = qDefaultOut == null ? int8All.get(0) : Futures.join(qDefaultOut);
            return new ReferenceOutputs(floatAll, int8All, floatFirmwareExpected, int8FirmwareExpected);
        }
    }

    /**
     * The reference interpreter's outputs (every graph output) for every sample, per model, and those the firmware's on
     * its first input are checked against.
     */
    record ReferenceOutputs(List<List<byte[]>> floatAll, List<List<byte[]>> int8All, List<byte[]> floatFirmwareExpected,
                            List<byte[]> int8FirmwareExpected) {
    }

    /** int8 SIMD and reference kernels, float32 with the FPU (when the board has one) and as soft-float. */
    static Configurations configurations(Comparison.Request req, TfliteModel fModel) {
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
        return new Configurations(plans, absent, baseline);
    }

    /** A model's emulated work: its MACs plus a fixed cost per operator. */
    static long work(TfliteModel m, Subgraph g) {
        return dev.tinysim.reference.MacCounter.totalMacs(m) + PER_OPERATOR * g.operators().size();
    }

    /** The progress total: emulated work weighed by MACs, plus the reference runs. */
    static long totalWork(List<Plan> plans, long fWork, long qWork, Samples samples, Comparison.Request req) {
        long total = 0;
        for (Plan p : plans) {
            total += (long) (p.weight() * (p.int8() ? qWork : fWork));
        }
        total += (long) (JAVA * samples.size() * (fWork + qWork));
        int deviceRuns = Math.max(0, Math.min(req.deviceSamples(), samples.size()));
        total += deviceRuns > 1 ? (long) (SIMD * qWork * deviceRuns) : 0;
        return total;
    }

    /**
     * Without data, the cycles are measured on the default input every command uses (run --model, fit, table, sweep:
     * each model's own seeded random input), so that one configuration has one figure. For the int8 model it is
     * generated input 0; the float model's is its own (uniform over [-1, 1) unless its input is quantized), not input 0
     * dequantized, so its firmware output is checked against the reference interpreter on that input.
     */
    static FirmwareInputs firmwareInputs(Comparison.Request req, Samples samples, Subgraph fg, Subgraph qg) {
        Samples.Sample first = samples.samples().get(0);
        boolean generated = req.samples() == null;
        InputSource.Seeded defaultInput = new InputSource.Seeded(req.seed());
        byte[] floatFirmwareInput = generated ? defaultInput.forRun(0, 0, fg.inputTensor(0)) : first.floatInput();
        byte[] int8FirmwareInput = generated ? defaultInput.forRun(0, 0, qg.inputTensor(0)) : first.int8Input();
        return new FirmwareInputs(generated, defaultInput, floatFirmwareInput, int8FirmwareInput);
    }

    /** One firmware run per configuration, submitted the longest first; the futures in the order of {@code plans}. */
    static List<Future<InferenceRunner.Outcome>> submitRuns(Comparison.Request req, ExecutorService pool, List<Plan> plans,
                                                            TfliteModel fModel, TfliteModel qModel, long fWork, long qWork,
                                                            FirmwareInputs inputs, Progress progress) {
        boolean generated = inputs.generated();
        InputSource.Seeded defaultInput = inputs.defaultInput();
        List<Plan> order = new ArrayList<>(plans);
        order.sort((a, b) -> Double.compare(b.weight() * (b.int8() ? qWork : fWork), a.weight() * (a.int8() ? qWork : fWork)));
        List<Future<InferenceRunner.Outcome>> runs = new ArrayList<>(java.util.Collections.nCopies(plans.size(), null));
        for (Plan p : order) {
            byte[] input = p.int8() ? inputs.int8Input() : inputs.floatInput();
            Comparison.ModelFile file = p.int8() ? req.int8Model() : req.floatModel();
            TfliteModel model = p.int8() ? qModel : fModel;
            double w = p.weight();
            InferenceOptions o = new InferenceOptions(p.board(), p.kernels(), 1,
                    generated ? defaultInput : InputSource.Given.single(List.of(input), "input 0"), req.timing(), 0, false,
                    macs -> progress.add((long) (w * (macs + PER_OPERATOR)))).withTimeoutMillis(req.timeoutMillis());
            runs.set(plans.indexOf(p), pool.submit(() -> InferenceRunner.runChecked(file.bytes(), file.name(), model, o)));
        }
        return runs;
    }

    /**
     * Inputs 0 … N−1 in one more int8-simd run (the deployment's configuration), to check more than input 0; input 0
     * again so that a model with state sees the same sequence as the reference session. Null when only input 0 is checked.
     */
    static Future<InferenceRunner.Outcome> deviceRun(Comparison.Request req, ExecutorService pool, TfliteModel qModel,
                                                     Samples samples, int device, Progress progress) {
        Future<InferenceRunner.Outcome> extra = null;
        if (device > 1) {
            List<byte[]> more = new ArrayList<>();
            for (int i = 0; i < device; i++) {
                more.add(samples.samples().get(i).int8Input());
            }
            InferenceOptions o = new InferenceOptions(req.board(), Kernels.simd, more.size(),
                    InputSource.Given.single(more, "inputs 0.." + (device - 1)), req.timing(), 0, false,
                    macs -> progress.add((long) (SIMD * (macs + PER_OPERATOR)))).withTimeoutMillis(req.timeoutMillis());
            extra = pool.submit(() -> InferenceRunner.runChecked(req.int8Model().bytes(), req.int8Model().name(), qModel, o));
        }
        return extra;
    }

    /** Submits the reference runs: every sample through each model, and each firmware input that is not sample 0. */
    static ReferenceFutures submitReferences(ExecutorService pool, ReferenceInterpreter fRef, ReferenceInterpreter qRef,
                                             Samples samples, FirmwareInputs inputs, Progress progress, long fWork, long qWork) {
        Samples.Sample first = samples.samples().get(0);
        Future<List<List<byte[]>>> fOut = pool.submit(reference(fRef, samples, false, progress, fWork));
        Future<List<List<byte[]>>> qOut = pool.submit(reference(qRef, samples, true, progress, qWork));
        Future<List<byte[]>> fDefaultOut = java.util.Arrays.equals(inputs.floatInput(), first.floatInput()) ? null
                : pool.submit(() -> fRef.newSession().invoke(List.of(inputs.floatInput())));
        Future<List<byte[]>> qDefaultOut = java.util.Arrays.equals(inputs.int8Input(), first.int8Input()) ? null
                : pool.submit(() -> qRef.newSession().invoke(List.of(inputs.int8Input())));
        return new ReferenceFutures(fOut, qOut, fDefaultOut, qDefaultOut);
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
}
