package dev.tinysim.cli;

import dev.tinysim.bench.EmulatorBenchmark;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.timing.TimingModels;
import dev.tinysim.firmware.FirmwareImage;
import dev.tinysim.run.TextReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.tinysim.bench.CommandTimer;
import dev.tinysim.bench.SharedModels;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** `tinysim bench`: emulator speed, against bare Unicorn measured in the same process. */
@Command(name = "bench", header = "Measure tinysim's own speed against bare Unicorn.", description = {"Measure emulation speed on the bundled compute-heavy firmware (an int8 matrix multiply):",
        "instructions per second for bare Unicorn (no hooks) and for tinysim with each timing model, and their ratio."})
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    BoardOptions boardOptions;

    @Mixin
    OutputOptions output;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "5", description = "Runs per configuration (median reported). Default: ${DEFAULT-VALUE}.")
    int repeat;

    @Option(names = "--firmware", paramLabel = "FIRMWARE", defaultValue = "bench",
            description = "Image to run (an ELF or a bundled name). Default: ${DEFAULT-VALUE}.")
    String firmware;

    @Option(names = "--no-inference", description = "Skip the inference timings (bundled demo model, and KWS when the shared MLPerf Tiny models are found).")
    boolean noInference;

    @Option(names = "--no-commands", description = "Skip the wall-time measurement of whole commands (demo; compare on the KWS pair when the shared MLPerf Tiny models are found).")
    boolean noCommands;

    /**
     * Whole commands in new processes, JVM start included, against their targets: {@code demo}
     * under 10 s, {@code compare} on the KWS pair within 3 s; {@code --version} is the baseline
     * (what starting the JVM and tinysim costs before any work).
     */
    private List<CommandTimer.CommandFigure> commandFigures(CommandTimer timer) {
        List<CommandTimer.CommandFigure> out = new ArrayList<>();
        if (noCommands) {
            return out;
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("tinysim-bench");
            out.add(timer.time("start-up only (baseline)", List.of("--version"), 0, 3));
            out.add(timer.time("demo (report written)", List.of("demo", "--quiet", "--report", dir.resolve("demo.html").toString()), 10, 3));
            Path kwsInt8 = SharedModels.model("kws_ref_model.tflite");
            Path kwsFloat = SharedModels.model("kws_ref_model_float32.tflite");
            if (Files.isReadable(kwsInt8) && Files.isReadable(kwsFloat)) {
                out.add(timer.time("compare, KWS pair", List.of("compare", "--float", kwsFloat.toString(), "--int8",
                        kwsInt8.toString(), "--board", "nrf52840", "--quiet"), 3, 3));
            }
            return out;
        } catch (IOException e) {
            throw new CliException(ExitCode.INTERNAL, "bench: cannot run a timed command: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.INTERNAL, "bench: interrupted", e);
        } finally {
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // a temporary directory left behind is harmless
                }
            }
        }
    }

    private List<EmulatorBenchmark.InferenceFigure> inferenceFigures(Board board) {
        List<EmulatorBenchmark.InferenceFigure> out = new java.util.ArrayList<>();
        if (noInference) {
            return out;
        }
        try (java.io.InputStream in = BenchCommand.class.getClassLoader().getResourceAsStream("models/demo_int8.tflite")) {
            if (in != null) {
                byte[] demo = in.readAllBytes();
                out.add(EmulatorBenchmark.inference("demo_int8.tflite (bundled)", demo, board, 5));
                if (board.memorySystemModelled()) {
                    out.add(EmulatorBenchmark.inference("demo_int8.tflite (bundled)", demo, board.withMemorySystem(null), 5));
                }
            }
        } catch (java.io.IOException e) {
            throw new CliException(ExitCode.INTERNAL, "cannot read the bundled demo model: " + e.getMessage(), e);
        }
        Path kws = SharedModels.model("kws_ref_model.tflite");
        if (Files.isReadable(kws)) {
            try {
                byte[] bytes = Files.readAllBytes(kws);
                out.add(EmulatorBenchmark.inference("kws_ref_model.tflite (int8)", bytes, board, 5));
                if (board.memorySystemModelled()) {
                    out.add(EmulatorBenchmark.inference("kws_ref_model.tflite (int8)", bytes, board.withMemorySystem(null), 5));
                }
            } catch (java.io.IOException e) {
                throw new CliException(ExitCode.NO_INPUT, kws + ": cannot read: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * What the memory system costs in speed: the cycle model with it (as at reset, and with each cache
     * on) against the same model without it, in CPU time per million instructions.
     */
    static String memoryCost(List<EmulatorBenchmark.Figure> figures) {
        EmulatorBenchmark.Figure off = figures.stream().filter(f -> f.configuration().endsWith(", memory not modelled"))
                .findFirst().orElse(null);
        if (off == null) {
            return "";
        }
        String base = off.configuration().substring(0, off.configuration().length() - ", memory not modelled".length());
        StringBuilder sb = new StringBuilder("memory system cost (CPU time against \"" + off.configuration() + "\"): ");
        List<String> parts = new ArrayList<>();
        for (EmulatorBenchmark.Figure f : figures) {
            if (f != off && f.configuration().startsWith(base)) {
                String what = f.configuration().equals(base) ? "as at reset" : f.configuration().substring(base.length() + 2);
                parts.add(String.format(Locale.ROOT, "%s %+.1f ns/instruction (%+.0f%%)", what,
                        1e9 * (f.medianSeconds() - off.medianSeconds()) / f.instructions(),
                        100 * (f.medianSeconds() / off.medianSeconds() - 1)));
            }
        }
        return sb.append(String.join("; ", parts)).append('\n').toString();
    }

    @Override
    public Integer call() {
        if (repeat < 1 || repeat > 100) {
            throw new CliException(ExitCode.USAGE, "--repeat must be 1..100 (got " + repeat + ")");
        }
        Board board = boardOptions.load();
        FirmwareImage image = dev.tinysim.run.BoardImage.prepare(RunCommand.resolveFirmware(firmware, board, List.of()), board, List.of());
        List<EmulatorBenchmark.Figure> figures = EmulatorBenchmark.measure(image, board, repeat, TimingModels.names());
        double bare = figures.get(0).instructionsPerSecond();
        if (output.format == OutputOptions.Format.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("firmware", image.name());
            doc.put("board", board.name());
            doc.put("clockHz", board.cpu().clockHz());
            doc.put("repetitions", repeat);
            doc.put("figures", figures);
            doc.put("inference", inferenceFigures(board));
            doc.put("commands", commandFigures(CommandTimer.forThisInstallation()));
            ReportWriter.emit(ReportWriter.json(doc), output.output, Io.current().out());
            return 0;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "tinysim bench: %s on %s, median of %d runs (%s cores, Java %s)%n",
                image.name(), board.name(), repeat, Runtime.getRuntime().availableProcessors(), Runtime.version()));
        int width = Math.max(36, figures.stream().mapToInt(f -> f.configuration().length()).max().orElse(0));
        sb.append(String.format(Locale.ROOT, "%-" + width + "s %13s %8s %8s %10s %8s %18s%n", "configuration", "instructions", "cpu ms",
                "wall ms", "M instr/s", "vs bare", "simulated time"));
        for (EmulatorBenchmark.Figure f : figures) {
            String realtime = f.cycles() == 0 ? "-"
                    : String.format(Locale.ROOT, "%.1fx real %s", f.simulatedCyclesPerSecond() / board.cpu().clockHz(),
                    TextReport.mhz(board.cpu().clockHz()));
            sb.append(String.format(Locale.ROOT, "%-" + width + "s %,13d %8.1f %8.1f %10.1f %7.0f%% %18s%n", f.configuration(), f.instructions(),
                    f.medianSeconds() * 1000, f.medianWallSeconds() * 1000, f.instructionsPerSecond() / 1e6,
                    100 * f.instructionsPerSecond() / bare, realtime));
        }
        sb.append("M instr/s and \"vs bare\" use the emulating thread's CPU time (robust on a shared machine); "
                + "\"simulated time\" is simulated cycles per CPU second against the real clock.\n");
        sb.append(memoryCost(figures));
        List<EmulatorBenchmark.InferenceFigure> inferences = inferenceFigures(board);
        if (!inferences.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%ninference (one per model, 5 runs; wall time per inference, warm runs averaged)%n"));
            sb.append(String.format(Locale.ROOT, "%-30s %-32s %14s %12s %12s %12s%n", "model", "configuration", "cycles", "sim. ms",
                    "wall ms", "first run"));
            for (EmulatorBenchmark.InferenceFigure f : inferences) {
                sb.append(String.format(Locale.ROOT, "%-30s %-32s %,14d %12.1f %12.1f %12.1f%n", f.model(), f.configuration(),
                        f.cycles(), f.milliseconds(), f.wallMillisecondsPerInference(), f.firstRunWallMilliseconds()));
            }
        }
        CommandTimer timer = CommandTimer.forThisInstallation();
        List<CommandTimer.CommandFigure> commands = commandFigures(timer);
        if (!commands.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%nwhole commands (new process each, JVM start included; median of 3 after one untimed run; via %s)%n",
                    timer.how()));
            sb.append(String.format(Locale.ROOT, "%-28s %10s %10s %10s  %s%n", "command", "wall s", "fastest s", "target", "verdict"));
            for (CommandTimer.CommandFigure f : commands) {
                String verdict = f.exitCode() != 0 ? "FAILED (exit " + f.exitCode() + ")" : !f.hasTarget() ? "-" : f.met() ? "met" : "NOT met";
                sb.append(String.format(Locale.ROOT, "%-28s %10.2f %10.2f %10s  %s%n", f.name(), f.medianWallSeconds(), f.minWallSeconds(),
                        f.hasTarget() ? String.format(Locale.ROOT, "<= %.0f s", f.targetSeconds()) : "-", verdict));
            }
        }
        PrintStream out = Io.current().out();
        ReportWriter.emit(sb.toString(), output.output, out);
        return 0;
    }
}
