package dev.tinysim.inference;

import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.units.Units;
import dev.tinysim.failure.Failure;
import dev.tinysim.firmware.FirmwareImage;
import dev.tinysim.firmware.RuntimeFootprint;
import dev.tinysim.plan.ArenaAnalysis;
import dev.tinysim.reference.MacCounter;
import dev.tinysim.reference.TensorValues;
import dev.tinysim.run.RunReport;
import dev.tinysim.tflite.Operator;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static dev.tinysim.inference.InferenceRunner.info;
import static dev.tinysim.inference.InferenceRunner.ms;

/**
 * {@link InferenceRunner}'s report step: the report of a {@link FirmwareAttempt} (docs/inference-report.md), built
 * section by section in the order the notes are added: the model, the runs, the operators of the last run, the arena
 * (the runtime's plan against the Java mirror), the fit against the board as given, the outputs, then the result.
 */
final class InferenceReportBuilder {
    private final byte[] bytes;
    private final String name;
    private final TfliteModel model;
    private final InferenceOptions options;
    private final FirmwareImage image;
    private final FirmwareAttempt a;
    private final String measuredOn;
    private final List<String> notes;
    private final Board board;
    private final RunReport fw;
    private final RuntimeOutput lines;
    private final FirmwareAttempt.HostCalls host;
    private final long hz;
    private final Subgraph g;

    private InferenceReportBuilder(byte[] bytes, String name, TfliteModel model, InferenceOptions options, FirmwareImage image,
                                   FirmwareAttempt a, String measuredOn, List<String> notes) {
        this.bytes = bytes;
        this.name = name;
        this.model = model;
        this.options = options;
        this.image = image;
        this.a = a;
        this.measuredOn = measuredOn;
        this.notes = notes;
        this.board = options.board();
        this.fw = a.firmware();
        this.lines = a.lines();
        this.host = a.host();
        this.hz = board.cpu().clockHz();
        this.g = model == null ? null : model.mainSubgraph();
    }

    /** The outcome of attempt {@code a}; this step's notes are appended to {@code notes} (the runner's so far). */
    static InferenceRunner.Outcome report(byte[] bytes, String name, TfliteModel model, InferenceOptions options,
                                          FirmwareImage image, FirmwareAttempt a, String measuredOn, List<String> notes) {
        return new InferenceReportBuilder(bytes, name, model, options, image, a, measuredOn, notes).build();
    }

    private InferenceRunner.Outcome build() {
        notes.addAll(host.problems);
        for (String m : lines.malformed()) {
            notes.add("malformed report line from the runtime: " + m);
        }
        List<InferenceReport.TensorInfo> inputInfos = g == null ? List.of() : g.inputs().stream().map(t -> info(model, t)).toList();
        List<InferenceReport.TensorInfo> outputInfos = g == null ? List.of() : g.outputs().stream().map(t -> info(model, t)).toList();
        InferenceReport.Model modelInfo = modelInfo(inputInfos, outputInfos);
        List<InferenceReport.Run> runs = runs();
        List<InferenceReport.Op> ops = new ArrayList<>();
        InferenceReport.Latency latency = operators(modelInfo, ops);
        ArenaAnalysis analysis = lines.plan() != null && model != null ? analyse(bytes, model, lines, notes) : null;
        InferenceReport.Arena arena = arena(analysis);
        InferenceReport.Fit fit = fit(arena);
        List<InferenceReport.Output> outputs = outputs();
        InferenceReport.Output output = outputs.isEmpty() || outputs.get(0).tensor().index() != g.outputs().get(0) ? null : outputs.get(0);

        InferenceReport.Runtime runtime = new InferenceReport.Runtime(image.name(),
                lines.runtime() == null ? 0 : lines.runtime().version(),
                lines.runtime() == null ? (image.elf().hardFloat() ? "hard" : "soft") : lines.runtime().abi(),
                lines.runtime() == null ? options.kernels().name() : lines.runtime().kernels());
        InferenceReport.Timing timing = new InferenceReport.Timing(fw.timing().model(), fw.timing().description(),
                fw.timing().parameters(), fw.timing().memory());
        RunReport.Execution e = fw.execution();
        InferenceReport.Execution exec = new InferenceReport.Execution(e.instructions(), e.cycles(), e.milliseconds(),
                round3(e.cpi()), e.wallSeconds());
        InferenceReport.Input inputInfo = new InferenceReport.Input(options.input().describe(),
                inputInfos.isEmpty() ? null : inputInfos.get(0), inputInfos);

        if (!runs.isEmpty() && e.cycles() / runs.size() >= (1L << 32) * 9 / 10) {
            notes.add("DWT CYCCNT is 32 bits wide: an inference of 2^32 cycles or more wraps, so per-run cycles may be too low");
        }
        InferenceReport.Result result = result(fw, lines, options, fit, arena, board, name);
        InferenceReport report = new InferenceReport(
                new InferenceReport.Tool(fw.tool().name(), fw.tool().version(), fw.tool().engine()),
                modelInfo,
                new InferenceReport.BoardInfo(board.name(), board.description(), hz, board.cpu().fpu(),
                        board.flash().size(), board.ram().size()),
                runtime, timing, inputInfo, runs, latency, ops, arena, analysis == null ? null : analysis.layers(), fit,
                output, List.copyOf(outputs), exec, result, List.copyOf(notes));
        return new InferenceRunner.Outcome(report, host.frozen(host.outputs), host.frozen(host.inputs), lines, fw, model, analysis);
    }

    /** The model as the Java reader read it (as the runtime described it when the reader could not). */
    private InferenceReport.Model modelInfo(List<InferenceReport.TensorInfo> inputInfos, List<InferenceReport.TensorInfo> outputInfos) {
        return new InferenceReport.Model(name, bytes.length,
                g == null ? (lines.model() == null ? 0 : (int) lines.model().tensors()) : g.tensors().size(),
                g == null ? (lines.model() == null ? 0 : (int) lines.model().operators()) : g.operators().size(),
                model == null ? sumMacs(lines) : MacCounter.totalMacs(model),
                inputInfos.isEmpty() ? null : inputInfos.get(0), outputInfos.isEmpty() ? null : outputInfos.get(0),
                inputInfos, outputInfos);
    }

    /** Every run: cycles, milliseconds, wall time and argmax. */
    private List<InferenceReport.Run> runs() {
        List<InferenceReport.Run> runs = new ArrayList<>();
        Tensor outTensor = g == null ? null : g.outputTensor(0);
        for (RuntimeOutput.RunLine r : lines.runs()) {
            double wall = r.index() < host.wallNanos.size() ? host.wallNanos.get(r.index()) / 1e6 : 0;
            int argmax = -1;
            if (outTensor != null && r.index() < host.outputs.size() && !host.outputs.get(r.index()).isEmpty()
                    && host.outputs.get(r.index()).get(0).length == outTensor.byteSize()) {
                argmax = TensorValues.argmax(TensorValues.toFloats(outTensor, host.outputs.get(r.index()).get(0)));
            }
            runs.add(new InferenceReport.Run(r.index(), r.cycles(), ms(r.cycles(), hz), wall, argmax));
        }
        return runs;
    }

    /** The operators of the last run (into {@code ops}) and the latency; null when no run completed. */
    private InferenceReport.Latency operators(InferenceReport.Model modelInfo, List<InferenceReport.Op> ops) {
        InferenceReport.Latency latency = null;
        if (!lines.runs().isEmpty()) {
            RuntimeOutput.RunLine last = lines.runs().get(lines.runs().size() - 1);
            List<RuntimeOutput.OpLine> opLines = lines.opsOfRun(last.index());
            long opSum = 0;
            for (RuntimeOutput.OpLine o : opLines) {
                opSum += o.cycles();
                List<Long> perRun = null;
                if (lines.runs().size() > 1) {
                    perRun = lines.ops().stream().filter(x -> x.index() == o.index()).map(RuntimeOutput.OpLine::cycles).toList();
                }
                List<InferenceReport.TensorInfo> ins = new ArrayList<>();
                List<InferenceReport.TensorInfo> outs = new ArrayList<>();
                String opName = o.code();
                if (g != null && o.index() < g.operators().size()) {
                    Operator op = g.operators().get(o.index());
                    for (int t : op.inputs()) {
                        if (t >= 0) {
                            ins.add(info(model, t));
                        }
                    }
                    for (int t : op.outputs()) {
                        outs.add(info(model, t));
                    }
                    String javaName = model.operatorCode(op).displayName();
                    if (!javaName.equals(o.code())) {
                        notes.add("operator " + o.index() + ": the runtime calls it " + o.code() + ", the model " + javaName);
                    }
                    long javaMacs = MacCounter.macs(model, o.index());
                    if (javaMacs != o.macs()) {
                        notes.add("operator " + o.index() + " (" + o.code() + "): the runtime counts " + o.macs()
                                + " MACs, the shapes give " + javaMacs);
                    }
                }
                ops.add(new InferenceReport.Op(o.index(), opName, ins, outs, o.cycles(), o.macs(),
                        o.macs() == 0 ? null : round3((double) o.cycles() / o.macs()),
                        last.cycles() == 0 ? 0 : Math.round(1000.0 * o.cycles() / last.cycles()) / 10.0, perRun));
            }
            long min = lines.runs().stream().mapToLong(RuntimeOutput.RunLine::cycles).min().orElse(0);
            long max = lines.runs().stream().mapToLong(RuntimeOutput.RunLine::cycles).max().orElse(0);
            long macs = modelInfo.macs();
            double wallAvg = host.wallNanos.isEmpty() ? 0 : host.wallNanos.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
            latency = new InferenceReport.Latency(last.cycles(), ms(last.cycles(), hz), min, max, opSum,
                    last.cycles() - opSum, macs, macs == 0 ? null : round3((double) last.cycles() / macs), round3(wallAvg));
        }
        return latency;
    }

    /** The runtime's plan (TFLite Micro's), checked against the Java mirror ({@code analysis}); tinysim's best plan. */
    private InferenceReport.Arena arena(ArenaAnalysis analysis) {
        InferenceReport.Arena arena = null;
        if (lines.plan() != null) {
            RuntimeOutput.PlanLine p = lines.plan();
            Long best = analysis == null ? null : analysis.best().size();
            arena = new InferenceReport.Arena(p.arena(), best, analysis == null ? null : analysis.lowerBound(),
                    analysis != null && analysis.optimal(), p.offline(), p.persistent(), p.arena() + p.persistent(),
                    best == null ? null : best + p.persistent(), p.capacity(), String.format("0x%08x", a.plan().arenaBase()),
                    a.plan().ramEnlarged());
        }
        return arena;
    }

    /** The fit, against the board as given: sizes, wherever the parts were placed. */
    private InferenceReport.Fit fit(InferenceReport.Arena arena) {
        RuntimePlacement.Plan plan = a.plan();
        long runtimeFlash = runtimeFlashFor(model, image, plan.runtimeFlash(), notes);
        long flashUsed = plan.flashUsed() - (plan.runtimeFlash() - runtimeFlash);
        long flashFree = board.flash().size() - board.reservedFlash() - flashUsed;
        InferenceReport.Flash flashFit = new InferenceReport.Flash(runtimeFlash, bytes.length, flashUsed,
                board.flash().size(), board.reservedFlash(), flashFree, flashFree >= 0);
        long staticRam = plan.staticBytes();
        FirmwareImage.StackRegion stack = plan.placement().stack();
        long arenaBytes = arena == null ? 0 : arena.total();
        long bestArenaBytes = arena == null ? 0 : arena.bestTotal() == null ? arena.total() : arena.bestTotal();
        long stackPeak = fw.fit().ram().stackPeak();
        boolean stackOverflow = fw.fit().ram().stackOverflow();
        long ramUsed = staticRam + arenaBytes + stackPeak;
        long ramFree = board.ram().size() - board.reservedRam() - ramUsed;
        long bestUsed = staticRam + bestArenaBytes + stackPeak;
        long bestFree = board.ram().size() - board.reservedRam() - bestUsed;
        InferenceReport.Ram ramFit = new InferenceReport.Ram(staticRam, arenaBytes, stackPeak, stack.size(), stackOverflow,
                ramUsed, board.ram().size(), board.reservedRam(), ramFree, ramFree >= 0 && !stackOverflow, bestUsed, bestFree);
        if (arena == null) {
            notes.add("the runtime stopped before planning its arena: the RAM figure has no arena");
        }
        return new InferenceReport.Fit(flashFit, ramFit, flashFit.fits() && ramFit.fits(),
                flashFit.fits() && bestFree >= 0 && !stackOverflow, measuredOn);
    }

    /** Every output of the last run (a note for each the runtime did not report whole). */
    private List<InferenceReport.Output> outputs() {
        List<InferenceReport.Output> outputs = new ArrayList<>();
        if (g != null && !host.outputs.isEmpty()) {
            List<byte[]> last = host.outputs.get(host.outputs.size() - 1);
            for (int k = 0; k < g.outputs().size(); k++) {
                Tensor t = g.outputTensor(k);
                if (k < last.size() && last.get(k).length == t.byteSize()) {
                    outputs.add(output(model, g.outputs().get(k), last.get(k)));
                } else {
                    notes.add("the runtime's output " + k + " has " + (k < last.size() ? last.get(k).length + " bytes" : "not been reported")
                            + "; the model's output tensor " + t.byteSize());
                }
            }
        }
        return outputs;
    }

    /**
     * The Java mirror of the runtime's plan (TFLite Micro's rules, {@link dev.tinysim.plan}) with the scratch buffers the
     * runtime reported, and tinysim's best plan. A runtime plan that differs from the mirror is a note (a bug).
     */
    private static ArenaAnalysis analyse(byte[] bytes, TfliteModel model, RuntimeOutput lines, List<String> notes) {
        ArenaAnalysis analysis;
        try {
            analysis = ArenaAnalysis.cached(bytes, model, lines.scratch(), 0);
        } catch (IllegalArgumentException e) {
            notes.add("the arena could not be analysed: " + e.getMessage());
            return null;
        }
        String mismatch = PlanCheck.compare(analysis.tflite(), lines);
        if (mismatch != null) {
            notes.add("the runtime's arena plan differs from TFLite Micro's rules (tinysim's mirror): " + mismatch);
        }
        return analysis;
    }

    /**
     * The runtime's flash for this model: what a build registering only the model's operators links
     * ({@link RuntimeFootprint}), as a deployment with TFLite Micro's MicroMutableOpResolver would; the whole
     * bundled image when the model is not known.
     */
    private static long runtimeFlashFor(TfliteModel model, FirmwareImage image, long imageFlash, List<String> notes) {
        if (model == null) {
            return imageFlash;
        }
        java.util.Set<Integer> codes = new java.util.TreeSet<>();
        for (var op : model.mainSubgraph().operators()) {
            codes.add(model.operatorCode(op).builtinCode());
        }
        long linked = RuntimeFootprint.linkedBytes(image.elf(), imageFlash, codes);
        if (linked < imageFlash) {
            notes.add("runtime flash " + Units.grouped(linked) + " bytes: the code and constant data of the model's " + codes.size()
                    + " operator" + (codes.size() == 1 ? "" : "s") + " and the runtime's core, as a build registering only them "
                    + "links it (the bundled image, with all " + RuntimeFootprint.operators(image.elf()).size()
                    + " operators, is " + Units.grouped(imageFlash) + ")");
        }
        return linked;
    }

    private static InferenceReport.Result result(RunReport fw, RuntimeOutput lines, InferenceOptions options,
                                                 InferenceReport.Fit fit, InferenceReport.Arena arena, Board board, String name) {
        RunReport.Result r = fw.result();
        String end = r.message();
        RuntimeOutput.ErrorLine err = lines.error();
        InferenceReport.RuntimeErrorInfo errInfo = err == null ? null : new InferenceReport.RuntimeErrorInfo(err.code(),
                err.name(), err.error().map(RuntimeError::description).orElse("unknown error code"), err.operator(),
                err.opcode(), err.detail());
        if (!r.kind().equals("exit")) {
            return new InferenceReport.Result(r.kind(), r.exitCode(), r.message(), errInfo, end);
        }
        if (err != null) {
            String where = err.operator() == null ? "" : " at operator " + err.operator() + " (" + err.opcode() + ")";
            String detail = err.detail() == null ? "" : ", detail " + err.detail();
            String msg = name + ": the inference runtime reported error " + err.code() + " (" + err.name() + ")" + where
                    + detail + ": " + errInfo.meaning();
            if (r.status() != null && r.status() != err.code()) {
                msg += " (but exited with status " + r.status() + ")";
            }
            return new InferenceReport.Result("runtime-error", Failure.RUNTIME_ERROR.status(), msg, errInfo, end);
        }
        if (r.status() == null || r.status() != 0) {
            return new InferenceReport.Result("runtime-error", Failure.RUNTIME_ERROR.status(),
                    name + ": the inference runtime " + end + " without an @ts error line", null, end);
        }
        int expectedRuns = options.planOnly() ? 0 : options.runs();
        if (lines.done() == null || lines.runs().size() != expectedRuns || lines.plan() == null) {
            return new InferenceReport.Result("protocol-error", Failure.INTERNAL.status(),
                    name + ": the inference runtime exited normally but reported " + lines.runs().size() + " of "
                            + expectedRuns + " runs" + (lines.done() == null ? " and no @ts done line" : ""), null, end);
        }
        if (!fit.fits()) {
            List<String> over = new ArrayList<>();
            if (!fit.flash().fits()) {
                over.add("flash: " + Units.grouped(fit.flash().used()) + " bytes needed (runtime " + Units.grouped(fit.flash().runtime())
                        + " + model " + Units.grouped(fit.flash().model()) + "), " + Units.grouped(-fit.flash().free()) + " bytes over");
            }
            if (!fit.ram().fits()) {
                over.add(fit.ram().stackOverflow() ? "RAM: the stack overflowed its reservation"
                        : "RAM: " + Units.grouped(fit.ram().used()) + " bytes needed, " + Units.grouped(-fit.ram().free()) + " bytes over");
            }
            String better = fit.fitsWithBestPlan() && arena != null && arena.bestPlanned() != null ? "; fits with tinysim's plan (tinysim plan: RAM " + Units.grouped(fit.ram().usedWithBestPlan())
                    + " bytes, arena " + Units.grouped(arena.bestPlanned()) + " planned instead of " + Units.grouped(arena.planned())
                    + "), not with TFLite Micro's planner" : "";
            return new InferenceReport.Result("does-not-fit", Failure.DOES_NOT_FIT.status(),
                    name + " does not fit " + board.name() + ": " + String.join("; ", over) + better, null, end);
        }
        if (options.planOnly()) {
            return new InferenceReport.Result("ok", Failure.SUCCESS, "planned (no inference run)", null, end);
        }
        return new InferenceReport.Result("ok", Failure.SUCCESS, options.runs() + " inference"
                + (options.runs() == 1 ? "" : "s") + " completed", null, end);
    }

    private static long sumMacs(RuntimeOutput lines) {
        if (lines.runs().isEmpty()) {
            return 0;
        }
        return lines.opsOfRun(lines.runs().get(lines.runs().size() - 1).index()).stream()
                .mapToLong(RuntimeOutput.OpLine::macs).sum();
    }

    static InferenceReport.Output output(TfliteModel model, int index, byte[] bytes) {
        Tensor t = model.mainSubgraph().tensor(index);
        List<Number> raw = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int n = t.elementCount();
        for (int i = 0; i < n; i++) {
            switch (t.type()) {
                case INT8 -> raw.add((int) bytes[i]);
                case INT16 -> raw.add((int) b.getShort(2 * i));
                case FLOAT32 -> raw.add(b.getFloat(4 * i));
                case INT32 -> raw.add(b.getInt(4 * i));
                default -> { }
            }
        }
        List<Float> values = new ArrayList<>();
        int argmax = -1;
        if (t.type() == TensorType.INT8 || t.type() == TensorType.INT16 || t.type() == TensorType.FLOAT32
                || t.type() == TensorType.INT32) {
            float[] f = TensorValues.toFloats(t, bytes);
            for (float v : f) {
                values.add(v);
            }
            argmax = TensorValues.argmax(f);
        }
        boolean q = (t.type() == TensorType.INT8 || t.type() == TensorType.INT16) && t.quantization().isQuantized();
        return new InferenceReport.Output(info(model, index), q ? t.quantization().scaleValue() : null,
                q ? t.quantization().zeroPointValue() : null, raw, values, argmax, HexFormat.of().formatHex(bytes));
    }

    private static double round3(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
