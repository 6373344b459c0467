package dev.tinysim.inference;

import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.core.Semihosting;
import dev.tinysim.emulator.machine.Machine;
import dev.tinysim.emulator.sim.AddressSpace;
import dev.tinysim.firmware.FirmwareImage;
import dev.tinysim.run.ConsoleCapture;
import dev.tinysim.run.FirmwareRunner;
import dev.tinysim.run.RunReport;
import dev.tinysim.run.RunSettings;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TfliteModel;

import java.util.ArrayList;
import java.util.List;

import static dev.tinysim.inference.InferenceRunner.TS_SYS_INPUT;
import static dev.tinysim.inference.InferenceRunner.TS_SYS_OUTPUT;
import static dev.tinysim.inference.InferenceRunner.HOST_MAGIC;

/**
 * One firmware run of the inference runtime ({@link InferenceRunner}'s run step): the runtime image loaded as
 * {@link RuntimePlacement} planned it, the model written at {@code __model_start}, the {@code ts_boot} and {@code ts_host}
 * blocks filled, the input/output semihosting calls served ({@link HostCalls}), and the runtime's {@code @ts} lines parsed.
 *
 * @param firmware the firmware runner's report
 * @param lines    the runtime's {@code @ts} lines
 * @param host     the inputs given and outputs read, per run
 * @param plan     where the parts were placed
 */
record FirmwareAttempt(RunReport firmware, RuntimeOutput lines, FirmwareAttempt.HostCalls host, RuntimePlacement.Plan plan) {
    private static final long MIB = 1L << 20;

    static FirmwareAttempt run(FirmwareImage image, InferenceRunner.Layout layout, byte[] bytes, TfliteModel model,
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
        return new FirmwareAttempt(rr, RuntimeOutput.parse(console.stdout()), host, plan);
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
}
