package dev.tinysim.cli;

import dev.tinysim.bench.EmulatorBenchmark;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.timing.TimingModels;
import dev.tinysim.firmware.FirmwareImage;
import dev.tinysim.run.TextReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
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

    @Option(names = "--no-inference", description = "Skip the inference timings (bundled demo model, and KWS when ../shared has it).")
    boolean noInference;

    private List<EmulatorBenchmark.InferenceFigure> inferenceFigures(Board board) {
        List<EmulatorBenchmark.InferenceFigure> out = new java.util.ArrayList<>();
        if (noInference) {
            return out;
        }
        try (java.io.InputStream in = BenchCommand.class.getClassLoader().getResourceAsStream("models/demo_int8.tflite")) {
            if (in != null) {
                out.add(EmulatorBenchmark.inference("demo_int8.tflite (bundled)", in.readAllBytes(), board, 5));
            }
        } catch (java.io.IOException e) {
            throw new CliException(ExitCode.INTERNAL, "cannot read the bundled demo model: " + e.getMessage(), e);
        }
        java.nio.file.Path kws = java.nio.file.Path.of("../shared/models/mlperf-tiny/kws_ref_model.tflite");
        if (java.nio.file.Files.isReadable(kws)) {
            try {
                out.add(EmulatorBenchmark.inference("kws_ref_model.tflite (int8)", java.nio.file.Files.readAllBytes(kws), board, 5));
            } catch (java.io.IOException e) {
                throw new CliException(ExitCode.NO_INPUT, kws + ": cannot read: " + e.getMessage(), e);
            }
        }
        return out;
    }

    @Override
    public Integer call() {
        if (repeat < 1 || repeat > 100) {
            throw new CliException(ExitCode.USAGE, "--repeat must be 1..100 (got " + repeat + ")");
        }
        Board board = boardOptions.load();
        FirmwareImage image = RunCommand.resolveFirmware(firmware, board);
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
            ReportWriter.emit(ReportWriter.json(doc), output.output, Io.current().out());
            return 0;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "tinysim bench: %s on %s, median of %d runs (%s cores, Java %s)%n",
                image.name(), board.name(), repeat, Runtime.getRuntime().availableProcessors(), Runtime.version()));
        sb.append(String.format(Locale.ROOT, "%-36s %13s %8s %8s %10s %8s %18s%n", "configuration", "instructions", "cpu ms",
                "wall ms", "M instr/s", "vs bare", "simulated time"));
        for (EmulatorBenchmark.Figure f : figures) {
            String realtime = f.cycles() == 0 ? "-"
                    : String.format(Locale.ROOT, "%.1fx real %s", f.simulatedCyclesPerSecond() / board.cpu().clockHz(),
                    TextReport.mhz(board.cpu().clockHz()));
            sb.append(String.format(Locale.ROOT, "%-36s %,13d %8.1f %8.1f %10.1f %7.0f%% %18s%n", f.configuration(), f.instructions(),
                    f.medianSeconds() * 1000, f.medianWallSeconds() * 1000, f.instructionsPerSecond() / 1e6,
                    100 * f.instructionsPerSecond() / bare, realtime));
        }
        sb.append("M instr/s and \"vs bare\" use the emulating thread's CPU time (robust on a shared machine); "
                + "\"simulated time\" is simulated cycles per CPU second against the real clock.\n");
        List<EmulatorBenchmark.InferenceFigure> inferences = inferenceFigures(board);
        if (!inferences.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%ninference (one per model, 5 runs; wall time per inference, warm runs averaged)%n"));
            sb.append(String.format(Locale.ROOT, "%-34s %-14s %14s %12s %12s %12s%n", "model", "kernels", "cycles", "sim. ms",
                    "wall ms", "first run"));
            for (EmulatorBenchmark.InferenceFigure f : inferences) {
                sb.append(String.format(Locale.ROOT, "%-34s %-14s %,14d %12.1f %12.1f %12.1f%n", f.model(), f.configuration(),
                        f.cycles(), f.milliseconds(), f.wallMillisecondsPerInference(), f.firstRunWallMilliseconds()));
            }
        }
        PrintStream out = Io.current().out();
        ReportWriter.emit(sb.toString(), output.output, out);
        return 0;
    }
}
