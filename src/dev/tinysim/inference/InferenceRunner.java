package dev.tinysim.inference;

import dev.tinysim.failure.Failure;
import dev.tinysim.failure.FailureException;
import dev.tinysim.files.InputFiles;
import dev.tinysim.files.UnreadableFileException;
import dev.tinysim.elf.ElfFormatException;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.machine.Machine;
import dev.tinysim.emulator.timing.TimingModel;
import dev.tinysim.emulator.timing.TimingModels;
import dev.tinysim.firmware.FirmwareImage;
import dev.tinysim.plan.ArenaAnalysis;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.reference.UnsupportedModelException;
import dev.tinysim.run.RunReport;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TfliteFormatException;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a .tflite model on an emulated board with the bundled inference runtime and reports outputs,
 * cycles per operator and run, the memory plan and the fit (docs/inference-protocol.md is the contract
 * with the firmware; docs/inference-report.md describes the report).
 *
 * <ol>
 *   <li>The Java reader checks the file (corrupt: exit 65, naming the file and the field) and the
 *       reference interpreter's prepare step checks every operator (unsupported: exit 72) before
 *       anything runs.</li>
 *   <li>The runtime build for the board's FPU ({@code runtime-m4f.elf} or {@code runtime-m4.elf}) is
 *       loaded, the model written at {@code __model_start}, the {@code ts_host} block filled, and the
 *       input/output semihosting calls served.</li>
 *   <li>A model that does not fit flash is measured on the same board with flash enlarged; an arena
 *       that does not fit RAM ({@code arena-too-small}) is measured again with RAM enlarged and the
 *       arena placed in the added RAM. The fit is always judged against the board as given.</li>
 * </ol>
 * One machine per call: calls from different threads are independent.
 */
public final class InferenceRunner {
    /** "TSHC" */
    public static final long HOST_MAGIC = 0x43485354L;
    public static final int TS_SYS_INPUT = 0x100, TS_SYS_OUTPUT = 0x101;
    private static final long MIB = 1L << 20;

    /**
     * A finished inference run.
     *
     * @param report      the report (text or JSON)
     * @param outputs     per run (in run order), every graph output's bytes in graph order (TS_SYS_OUTPUT)
     * @param inputs      per run, every graph input's bytes given to it (TS_SYS_INPUT)
     * @param lines       the parsed {@code @ts} lines of the last attempt
     * @param firmware    the firmware runner's own report of the last attempt
     * @param model       the model as the Java reader read it (null on the unchecked test path when it cannot be read)
     * @param arena       the arena analysis (TFLite Micro's plan mirrored, tinysim's best plan, memory per layer); null
     *                    when the runtime did not plan or the model could not be read
     */
    public record Outcome(InferenceReport report, List<List<byte[]>> outputs, List<List<byte[]>> inputs, RuntimeOutput lines,
                          RunReport firmware, TfliteModel model, dev.tinysim.plan.ArenaAnalysis arena) {
        public int exitCode() {
            return report.result().exitCode();
        }
    }

    private InferenceRunner() {
    }

    /** Reads, checks and runs a model file. Throws {@link FailureException} for a missing, corrupt or unsupported model. */
    public static Outcome run(Path modelPath, InferenceOptions options) {
        byte[] bytes = readFile(modelPath);
        return run(bytes, String.valueOf(modelPath.getFileName()), options);
    }

    /**
     * As {@link #run(Path, InferenceOptions)}, with {@code instrument} given the machine of every firmware run (an arena
     * too small for the board's RAM is run again) after loading and before boot: to attach a profiler or a tracer.
     */
    public static Outcome run(Path modelPath, InferenceOptions options, java.util.function.Consumer<Machine> instrument) {
        byte[] bytes = readFile(modelPath);
        String name = String.valueOf(modelPath.getFileName());
        TfliteModel model = check(bytes, name);
        Subgraph g = model.mainSubgraph();
        GraphChecks.requireInputsAndOutputs(name, g);
        return execute(bytes, name, model, resolveInputs(g, options), runtimeImage(options.board()), instrument);
    }

    /** Largest model file tinysim reads (no board's flash comes near it). */
    public static final long MAX_MODEL_BYTES = 256L << 20;

    /** A model file's bytes; missing, unreadable or not a regular file: exit 66, one line naming the file. */
    public static byte[] readFile(Path path) {
        try {
            return InputFiles.read(path, "model", MAX_MODEL_BYTES);
        } catch (UnreadableFileException e) {
            throw new FailureException(Failure.NO_INPUT, e.getMessage());
        }
    }

    /**
     * Runs a model the caller has already checked ({@code model} is {@link #check}{@code (bytes, name)}): for
     * callers that run the same model in several configurations.
     */
    public static Outcome runChecked(byte[] bytes, String name, TfliteModel model, InferenceOptions options) {
        Subgraph g = model.mainSubgraph();
        return execute(bytes, name, model, resolveInputs(g, options), runtimeImage(options.board()));
    }

    /** The options with their input source checked against the graph inputs (one source per input, sizes). */
    static InferenceOptions resolveInputs(Subgraph g, InferenceOptions options) {
        List<Tensor> inputs = g.inputs().stream().map(g::tensor).toList();
        return options.withInput(options.input().resolve(inputs, options.runs()));
    }

    /** Checks and runs a model given as bytes; {@code name} is used in messages. */
    public static Outcome run(byte[] bytes, String name, InferenceOptions options) {
        TfliteModel model = check(bytes, name);
        Subgraph g = model.mainSubgraph();
        return execute(bytes, name, model, resolveInputs(g, options), runtimeImage(options.board()));
    }

    /** Test-only: runs a checked model on a given runtime image (e.g. the hard-float build on an FPU-less board). */
    static Outcome runWithImage(byte[] bytes, String name, InferenceOptions options, FirmwareImage image) {
        return execute(bytes, name, check(bytes, name), options, image);
    }

    /**
     * Test-only path: runs the bytes on the firmware without the Java reader's checks (to see what the
     * runtime itself does with a corrupt model). The model is parsed only to describe it when it can be.
     */
    static Outcome runUnchecked(byte[] bytes, String name, InferenceOptions options) {
        TfliteModel model;
        try {
            model = check(bytes, name);
            if (model.mainSubgraph().inputs().isEmpty() || model.mainSubgraph().outputs().isEmpty()) {
                model = null;
            }
        } catch (FailureException e) {
            model = null;   // described by the runtime's report only; no input is given (-1: the runtime keeps zeros)
        }
        return execute(bytes, name, model, options, runtimeImage(options.board()));
    }

    /**
     * The Java side's checks, in the order the user sees them: the reader (exit 65), then every
     * operator's support (exit 72).
     */
    public static TfliteModel check(byte[] bytes, String name) {
        return prepare(bytes, name).model();
    }

    /** {@link #check}, keeping the prepared reference interpreter (for callers that also run the model in Java). */
    public static ReferenceInterpreter prepare(byte[] bytes, String name) {
        return prepare(read(bytes, name), name);
    }

    /** The reader's check alone: a corrupt model is exit 65, one line naming the file and the field. */
    public static TfliteModel read(byte[] bytes, String name) {
        try {
            return TfliteReader.read(bytes, name);
        } catch (TfliteFormatException e) {
            throw new FailureException(Failure.BAD_INPUT, e.getMessage(), e);
        }
    }

    /**
     * The reference interpreter's prepare step on a model read, then the runtime's limits ({@link RuntimeLimits}):
     * an unsupported operator, or a model over a limit, is exit 72.
     */
    public static ReferenceInterpreter prepare(TfliteModel model, String name) {
        GraphChecks.requireInputsAndOutputs(dev.tinysim.text.Printable.name(name), model.mainSubgraph());
        RuntimeLoadRules.check(model, name);
        try {
            dev.tinysim.plan.OfflinePlan.read(model);
        } catch (IllegalArgumentException e) {
            throw new FailureException(Failure.BAD_INPUT, name + ": " + e.getMessage(), e);
        }
        ReferenceInterpreter prepared;
        try {
            prepared = ReferenceInterpreter.prepare(model);
        } catch (UnsupportedModelException e) {
            throw new FailureException(Failure.UNSUPPORTED_MODEL, name + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new FailureException(Failure.BAD_INPUT, name + ": invalid model: " + e.getMessage(), e);
        }
        RuntimeLimits.require(model, name);
        return prepared;
    }

    /** The bundled runtime build for the board: hard float with an FPU, soft float without. */
    public static FirmwareImage runtimeImage(Board board) {
        try {
            return FirmwareImage.bundledFor("runtime", board).orElseThrow(() -> new FailureException(Failure.INTERNAL,
                    "the bundled inference runtime (firmware/runtime-" + (board.cpu().fpu() ? "m4f" : "m4")
                            + ".elf) is missing from the class path"));
        } catch (ElfFormatException e) {
            throw new FailureException(Failure.INTERNAL, "the bundled inference runtime is unreadable: " + e.getMessage(), e);
        }
    }

    /** The linker symbols of the runtime image the protocol needs. */
    record Layout(long modelStart, long modelEnd, long arenaStart, long arenaEnd, long stackTop, long hostBlock) {
        static Layout of(FirmwareImage image) {
            return new Layout(sym(image, "__model_start"), sym(image, "__model_end"), sym(image, "__arena_start"),
                    sym(image, "__arena_end"), sym(image, "__StackTop"), sym(image, "ts_host"));
        }

        private static long sym(FirmwareImage image, String name) {
            return image.symbolAddress(name).orElseThrow(() -> new FailureException(Failure.INTERNAL,
                    image.name() + ": the inference runtime has no symbol " + name));
        }
    }

    private static Outcome execute(byte[] bytes, String name, TfliteModel model, InferenceOptions options,
                                   FirmwareImage image) {
        return execute(bytes, name, model, options, image, null);
    }

    private static Outcome execute(byte[] bytes, String name, TfliteModel model, InferenceOptions options,
                                   FirmwareImage image, java.util.function.Consumer<Machine> instrument) {
        instrument = WallDeadline.around(options.timeoutMillis(), instrument);
        Board board = options.board();
        Layout layout = Layout.of(image);
        List<String> notes = new ArrayList<>();

        RuntimePlacement.Plan plan = RuntimePlacement.plan(image, layout, board, bytes.length, 0);
        FirmwareAttempt attempt = FirmwareAttempt.run(image, layout, bytes, model, options, plan, instrument);
        RuntimeOutput.ErrorLine err = attempt.lines().error();
        if (err != null && err.code() == RuntimeError.ARENA_TOO_SMALL.code()) {
            long extra = arenaEstimate(model, bytes.length);
            RuntimePlacement.Plan bigger = RuntimePlacement.plan(image, layout, board, bytes.length, extra);
            attempt = FirmwareAttempt.run(image, layout, bytes, model, options, bigger, instrument);
        }
        RuntimePlacement.Plan used = attempt.plan();
        List<String> enlarged = new ArrayList<>(used.enlarged());
        if (used.ramEnlarged()) {
            enlarged.replaceAll(e -> e.startsWith("RAM") ? e + ", arena of " + RuntimePlacement.size(used.arenaSize()) + " at "
                    + String.format("0x%08x", used.arenaBase()) + " (the largest free part of the board's RAM, "
                    + RuntimePlacement.size(plan.arenaSize()) + ", is too small for the arena)" : e);
        }
        String measuredOn = enlarged.isEmpty() ? null : "measured on " + board.name() + " with " + String.join("; ", enlarged);
        if (!plan.adapted().isEmpty()) {
            notes.add("runtime adapted to " + board.name() + ": " + String.join("; ", plan.adapted()));
        }
        if (measuredOn != null) {
            notes.add(measuredOn + ": the cycles are what the board would take if the model fitted");
        }
        if (!board.memorySystemModelled()) {
            notes.add(NOT_MODELLED_NOTE.formatted(board.name()));
        }
        return InferenceReportBuilder.report(bytes, name, model, options, image, attempt, measuredOn, notes);
    }

    /** A generous upper bound of the arena a model needs (for the enlarged-RAM measurement). */
    static long arenaEstimate(TfliteModel model, long fileBytes) {
        long sum = 0;
        if (model != null) {
            for (Tensor t : model.mainSubgraph().tensors()) {
                if (t.type().hasFixedSize()) {
                    sum += roundUp(t.type().bytesFor(t.elementCount()), 16);
                }
            }
        } else {
            sum = 4 * fileBytes;
        }
        return Math.min(roundUp(2 * sum + MIB, MIB), 256 * MIB);
    }

    /** The note every report of a board without memory-system data carries (docs/timing-model.md, "The flash path"). */
    public static final String NOT_MODELLED_NOTE = "memory system: not modelled (zero wait): board %s has no \"memorySystem\" data,"
            + " so flash reads take no wait states and no cache is modelled";

    /** A tensor of subgraph 0 as the reports describe it. */
    public static InferenceReport.TensorInfo info(TfliteModel model, int index) {
        Tensor t = model.mainSubgraph().tensor(index);
        long bytes = t.type().hasFixedSize() ? t.type().bytesFor(t.elementCount()) : -1;
        return new InferenceReport.TensorInfo(index, t.name(), t.type().name(), t.shape(), bytes, model.isConstant(t));
    }

    /** The timing model a run would use, for tables that report it before running anything. */
    public static String timingDescription(String name, Board board) {
        TimingModel t = TimingModels.create(name == null ? TimingModels.defaultName() : name, board);
        return t.name() + " (" + t.description() + ")";
    }

    static double ms(long cycles, long hz) {
        return cycles * 1000.0 / hz;
    }

    private static double round3(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    static long roundUp(long v, long to) {
        return (v + to - 1) / to * to;
    }
}
