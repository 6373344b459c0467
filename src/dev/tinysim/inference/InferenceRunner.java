package dev.tinysim.inference;

import dev.tinysim.failure.Failure;
import dev.tinysim.failure.FailureException;
import dev.tinysim.files.InputFiles;
import dev.tinysim.files.UnreadableFileException;
import dev.tinysim.elf.ElfFormatException;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.sim.AddressSpace;
import dev.tinysim.emulator.core.Semihosting;
import dev.tinysim.emulator.machine.Machine;
import dev.tinysim.emulator.timing.TimingModel;
import dev.tinysim.emulator.timing.TimingModels;
import dev.tinysim.firmware.FirmwareImage;
import dev.tinysim.firmware.RuntimeFootprint;
import dev.tinysim.plan.ArenaAnalysis;
import dev.tinysim.reference.MacCounter;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.reference.TensorValues;
import dev.tinysim.reference.UnsupportedModelException;
import dev.tinysim.run.ConsoleCapture;
import dev.tinysim.run.FirmwareRunner;
import dev.tinysim.run.RunReport;
import dev.tinysim.run.RunSettings;
import dev.tinysim.tflite.Operator;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteFormatException;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

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

    private record Attempt(RunReport firmware, RuntimeOutput lines, HostCalls host, RuntimePlacement.Plan plan) {
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
        Attempt attempt = attempt(image, layout, bytes, model, options, plan, instrument);
        RuntimeOutput.ErrorLine err = attempt.lines().error();
        if (err != null && err.code() == RuntimeError.ARENA_TOO_SMALL.code()) {
            long extra = arenaEstimate(model, bytes.length);
            RuntimePlacement.Plan bigger = RuntimePlacement.plan(image, layout, board, bytes.length, extra);
            attempt = attempt(image, layout, bytes, model, options, bigger, instrument);
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
        return report(bytes, name, model, options, image, layout, attempt, measuredOn, notes);
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

    private static Attempt attempt(FirmwareImage image, Layout layout, byte[] bytes, TfliteModel model,
                                   InferenceOptions options, RuntimePlacement.Plan plan,
                                   java.util.function.Consumer<Machine> instrument) {
        Subgraph sg = model == null ? null : model.mainSubgraph();
        HostCalls host = new HostCalls(options, sg == null ? null : sg.inputs().stream().map(sg::tensor).toList(),
                sg == null ? null : sg.outputs().stream().map(sg::tensor).toList());
        java.io.PrintStream echo = options.progress() == null ? null
                : new java.io.PrintStream(new ProgressLines(options.progress()), true, java.nio.charset.StandardCharsets.ISO_8859_1);
        ConsoleCapture console = new ConsoleCapture(echo, null);
        Board runBoard = plan.runBoard();
        RunSettings settings = new RunSettings(runBoard, options.timing(), options.effectiveMaxInstructions(), false,
                null, image.name(), null);
        RunReport rr = FirmwareRunner.run(image, settings, console, plan.placement(), machine -> {
            AddressSpace mem = machine.memory();
            mem.write(plan.modelAddress(), bytes);
            // Deployed firmware runs with the flash path set up as the vendor's SDK sets it at boot (caches,
            // prefetch, wait states): the runtime makes the board's boot writes (ts_boot), or, in an image
            // without them, turns the nRF52 NVMC instruction cache on (Zephyr's default).
            java.util.Optional<Long> boot = image.symbolAddress("ts_boot");
            boot.ifPresent(at -> writeBootWrites(mem, at, runBoard.effectiveMemorySystem().bootWrites()));
            boolean icache = boot.isEmpty() && runBoard.peripherals().stream().anyMatch(p -> p.model().equals("nrf52.nvmc"));
            writeHostBlock(mem, layout.hostBlock(), bytes.length, plan.modelCapacity(), options, plan.arenaBase(),
                    plan.arenaSize(), icache);
            machine.semihosting().setApplicationCalls(host);
            if (instrument != null) {
                instrument.accept(machine);
            }
        }, (Machine m) -> { });
        return new Attempt(rr, RuntimeOutput.parse(console.stdout()), host, plan);
    }

    /** Splits the runtime's console output into lines and tells the progress listener about {@code @ts op} lines. */
    private static final class ProgressLines extends java.io.OutputStream {
        private final InferenceProgress progress;
        private final StringBuilder line = new StringBuilder();

        ProgressLines(InferenceProgress progress) {
            this.progress = progress;
        }

        @Override
        public void write(int b) {
            if (b != '\n') {
                if (line.length() < 512) {
                    line.append((char) (b & 0xFF));
                }
                return;
            }
            String l = line.toString();
            line.setLength(0);
            if (l.startsWith("@ts op ")) {
                long macs = 0;
                for (String f : l.split(" ")) {
                    if (f.startsWith("macs=")) {
                        try {
                            macs = Long.parseLong(f.substring(5));
                        } catch (NumberFormatException e) {
                            macs = 0;
                        }
                    }
                }
                progress.operatorDone(macs);
            }
        }
    }

    /** Writes the {@code ts_boot} table: two (address, value) pairs, address 0 ending the list (docs/inference-protocol.md). */
    private static void writeBootWrites(AddressSpace mem, long at, List<dev.tinysim.emulator.board.MemorySystemSpec.BootWrite> writes) {
        for (int i = 0; i < BOOT_WRITES; i++) {
            boolean used = i < writes.size();
            mem.write32(at + 8L * i, used ? writes.get(i).address() : 0);
            mem.write32(at + 8L * i + 4, used ? writes.get(i).value() : 0);
        }
    }

    /** The note every report of a board without memory-system data carries (docs/timing-model.md, "The flash path"). */
    public static final String NOT_MODELLED_NOTE = "memory system: not modelled (zero wait): board %s has no \"memorySystem\" data,"
            + " so flash reads take no wait states and no cache is modelled";

    /** Entries of the runtime's {@code ts_boot} table (main_fw.c); a board file has at most this many boot writes. */
    private static final int BOOT_WRITES = dev.tinysim.emulator.board.MemorySystemSpec.MAX_BOOT_WRITES;

    /** Writes the {@code ts_host} configuration block (docs/inference-protocol.md). */
    private static void writeHostBlock(AddressSpace mem, long at, long modelSize, long capacity, InferenceOptions options,
                                       long arenaBase, long arenaSize, boolean nrf52Icache) {
        long[] words = {HOST_MAGIC, 1, modelSize, capacity, options.runs(), options.kernels().hostValue(),
                arenaBase, arenaSize, (options.hexOutput() ? 1 : 0) | (nrf52Icache ? 2 : 0) | (options.planOnly() ? 4 : 0)};
        for (int i = 0; i < words.length; i++) {
            mem.write32(at + 4L * i, words[i]);
        }
    }

    /**
     * Serves TS_SYS_INPUT and TS_SYS_OUTPUT (parameter block {run, ptr, len, index}); records every input given and
     * every output read, per run, and the wall time of each inference (from its first input to its last output).
     */
    static final class HostCalls implements Semihosting.ApplicationCalls {
        private final InferenceOptions options;
        private final List<Tensor> inputTensors;
        private final List<Tensor> outputTensors;
        final List<List<byte[]>> inputs = new ArrayList<>();
        final List<List<byte[]>> outputs = new ArrayList<>();
        final List<Long> wallNanos = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        private long started;

        HostCalls(InferenceOptions options, List<Tensor> inputTensors, List<Tensor> outputTensors) {
            this.options = options;
            this.inputTensors = inputTensors;
            this.outputTensors = outputTensors;
        }

        @Override
        public Long call(int operation, long parameter, AddressSpace memory) {
            try {
                return call0(operation, parameter, memory);
            } catch (RuntimeException e) { // never into the emulator: a protocol fault is a note, the run goes on
                problems.add("the runtime's " + (operation == TS_SYS_INPUT ? "TS_SYS_INPUT" : "TS_SYS_OUTPUT") + " call failed: " + e);
                return -1L;
            }
        }

        private Long call0(int operation, long parameter, AddressSpace memory) {
            if (operation != TS_SYS_INPUT && operation != TS_SYS_OUTPUT) {
                return null;
            }
            long run = memory.read32(parameter);
            long ptr = memory.read32(parameter + 4);
            long len = memory.read32(parameter + 8);
            long index = memory.read32(parameter + 12);
            if (operation == TS_SYS_INPUT) {
                if (index == 0) {
                    started = System.nanoTime();
                    inputs.add(new ArrayList<>());
                }
                if (inputTensors == null) {
                    return -1L;
                }
                if (index < 0 || index >= inputTensors.size() || len != inputTensors.get((int) index).byteSize() || inputs.isEmpty()) {
                    problems.add("the runtime asked for " + len + " bytes of input " + index + " for run " + run + "; the model's "
                            + (index >= 0 && index < inputTensors.size() ? "input tensor has " + inputTensors.get((int) index).byteSize() + " bytes"
                            : "inputs are " + inputTensors.size()));
                    return -1L;
                }
                try {
                    byte[] data = options.input().forRun((int) run, (int) index, inputTensors.get((int) index));
                    memory.write(ptr, data);
                    inputs.get(inputs.size() - 1).add(data);
                    return 0L;
                } catch (IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
                    problems.add("no input " + index + " for run " + run + ": " + e.getMessage());
                    return -1L;
                }
            }
            if (index == 0) {
                outputs.add(new ArrayList<>());
            }
            if (len > 64L * MIB || outputs.isEmpty()) {
                problems.add("the runtime reported output " + index + " of " + len + " bytes for run " + run);
                return 0L;
            }
            outputs.get(outputs.size() - 1).add(memory.read(ptr, (int) len));
            int count = outputTensors == null ? 1 : outputTensors.size();
            if (index == count - 1) {
                wallNanos.add(System.nanoTime() - started);
            }
            return 0L;
        }

        List<List<byte[]>> frozen(List<List<byte[]>> l) {
            return l.stream().map(List::copyOf).toList();
        }
    }

    private static Outcome report(byte[] bytes, String name, TfliteModel model, InferenceOptions options,
                                  FirmwareImage image, Layout layout, Attempt a, String measuredOn, List<String> notes) {
        Board board = options.board();
        RunReport fw = a.firmware();
        RuntimeOutput lines = a.lines();
        HostCalls host = a.host();
        notes.addAll(host.problems);
        for (String m : lines.malformed()) {
            notes.add("malformed report line from the runtime: " + m);
        }
        long hz = board.cpu().clockHz();
        Subgraph g = model == null ? null : model.mainSubgraph();
        List<InferenceReport.TensorInfo> inputInfos = g == null ? List.of() : g.inputs().stream().map(t -> info(model, t)).toList();
        List<InferenceReport.TensorInfo> outputInfos = g == null ? List.of() : g.outputs().stream().map(t -> info(model, t)).toList();

        // model
        InferenceReport.Model modelInfo = new InferenceReport.Model(name, bytes.length,
                g == null ? (lines.model() == null ? 0 : (int) lines.model().tensors()) : g.tensors().size(),
                g == null ? (lines.model() == null ? 0 : (int) lines.model().operators()) : g.operators().size(),
                model == null ? sumMacs(lines) : MacCounter.totalMacs(model),
                inputInfos.isEmpty() ? null : inputInfos.get(0), outputInfos.isEmpty() ? null : outputInfos.get(0),
                inputInfos, outputInfos);

        // runs
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

        // operators (last run)
        List<InferenceReport.Op> ops = new ArrayList<>();
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

        // arena: the runtime's plan (TFLite Micro's), checked against the Java mirror; tinysim's best plan
        InferenceReport.Arena arena = null;
        ArenaAnalysis analysis = null;
        if (lines.plan() != null) {
            RuntimeOutput.PlanLine p = lines.plan();
            if (model != null) {
                analysis = analyse(bytes, model, lines, notes);
            }
            Long best = analysis == null ? null : analysis.best().size();
            arena = new InferenceReport.Arena(p.arena(), best, analysis == null ? null : analysis.lowerBound(),
                    analysis != null && analysis.optimal(), p.offline(), p.persistent(), p.arena() + p.persistent(),
                    best == null ? null : best + p.persistent(), p.capacity(), String.format("0x%08x", a.plan().arenaBase()),
                    a.plan().ramEnlarged());
        }

        // fit, against the board as given: sizes, wherever the parts were placed
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
        InferenceReport.Fit fit = new InferenceReport.Fit(flashFit, ramFit, flashFit.fits() && ramFit.fits(),
                flashFit.fits() && bestFree >= 0 && !stackOverflow, measuredOn);

        // outputs (last run)
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
        InferenceReport.Output output = outputs.isEmpty() || outputs.get(0).tensor().index() != g.outputs().get(0) ? null : outputs.get(0);

        // runtime, timing, execution
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
        return new Outcome(report, host.frozen(host.outputs), host.frozen(host.inputs), lines, fw, model, analysis);
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
            notes.add("runtime flash " + n(linked) + " bytes: the code and constant data of the model's " + codes.size()
                    + " operator" + (codes.size() == 1 ? "" : "s") + " and the runtime's core, as a build registering only them "
                    + "links it (the bundled image, with all " + RuntimeFootprint.operators(image.elf()).size()
                    + " operators, is " + n(imageFlash) + ")");
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
                over.add("flash: " + n(fit.flash().used()) + " bytes needed (runtime " + n(fit.flash().runtime())
                        + " + model " + n(fit.flash().model()) + "), " + n(-fit.flash().free()) + " bytes over");
            }
            if (!fit.ram().fits()) {
                over.add(fit.ram().stackOverflow() ? "RAM: the stack overflowed its reservation"
                        : "RAM: " + n(fit.ram().used()) + " bytes needed, " + n(-fit.ram().free()) + " bytes over");
            }
            String better = fit.fitsWithBestPlan() && arena != null && arena.bestPlanned() != null ? "; fits with tinysim's plan (tinysim plan: RAM " + n(fit.ram().usedWithBestPlan())
                    + " bytes, arena " + n(arena.bestPlanned()) + " planned instead of " + n(arena.planned())
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

    /** A tensor of subgraph 0 as the reports describe it. */
    public static InferenceReport.TensorInfo info(TfliteModel model, int index) {
        Tensor t = model.mainSubgraph().tensor(index);
        long bytes = t.type().hasFixedSize() ? t.type().bytesFor(t.elementCount()) : -1;
        return new InferenceReport.TensorInfo(index, t.name(), t.type().name(), t.shape(), bytes, model.isConstant(t));
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

    static String n(long v) {
        return dev.tinysim.emulator.units.Units.grouped(v);
    }

    /** "156 KB", "1 MB" (the sizes given are positive multiples of 1 KB: rounded regions, the runtime's stack). */
    static String human(long bytes) {
        return dev.tinysim.emulator.units.Units.bytesExact(bytes);
    }
}
