package dev.tinysim.cli;

import dev.tinysim.files.InputFiles;
import dev.tinysim.files.UnreadableFileException;

import dev.tinysim.elf.ElfFormatException;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.timing.TimingModels;
import dev.tinysim.firmware.BundledImages;
import dev.tinysim.firmware.FirmwareImage;
import dev.tinysim.run.BoardImage;
import dev.tinysim.run.ConsoleCapture;
import dev.tinysim.run.FirmwareRunner;
import dev.tinysim.run.RunReport;
import dev.tinysim.run.RunSettings;
import dev.tinysim.run.TextReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * `tinysim run FIRMWARE.elf`: boot and run bare-metal firmware, then report how it ended, its cost and its fit.
 * `tinysim run --model M.tflite`: run a model on the bundled inference runtime ({@link ModelRun}).
 */
@Command(name = "run", header = "Run firmware (an ELF) or a model (--model) on an emulated board.", sortOptions = false,
        description = {"Boot firmware from its vector table on an emulated board, print its console output (UART, semihosting, ITM),",
                "then how it ended, instructions and cycles, and its flash/RAM fit.",
                "The exit code is the firmware's own exit status when it exits through semihosting.",
                "With --model: run a .tflite model on the bundled inference runtime and report its output tensor, cycles per",
                "operator, arena and flash/RAM fit (exit 67 when it does not fit; it is still measured, on enlarged memory)."})
public final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FIRMWARE",
            description = {"An ARM ELF file, or a bundled image name: selftest, bench, faults, irq, timing, icache (the build is chosen",
                    "for the board: -m4f or -m4 for its FPU, the nRF52 or semihosting-only self-test for its peripherals).",
                    "Images linked for other memory are placed in the board's (docs/firmware-placement.md)."})
    String firmware;

    @Parameters(index = "1..*", paramLabel = "ARG",
            description = "Arguments after -- are the firmware's command line (semihosting SYS_GET_CMDLINE).")
    List<String> args = List.of();

    @Mixin
    BoardOptions boardOptions;

    @Mixin
    OutputOptions output;

    @Option(names = "--timing", paramLabel = "MODEL", description = "Timing model: cortex-m4 (the Cortex-M4 cycle model, default) or instructions (one cycle per instruction, as Renode, QEMU -icount and Arm's FVPs count).")
    String timing;

    @Option(names = "--max-instructions", paramLabel = "N", defaultValue = "5000000000",
            description = "Stop runaway firmware after N instructions. Default: ${DEFAULT-VALUE}.")
    long maxInstructions;

    @Mixin
    TimeoutOption timeout;

    @Option(names = "--profile", description = {"Per-function profile from the ELF symbols: flat (self) and inclusive cycles and calls,",
            "and collapsed stacks for flamegraph.pl / speedscope (see --profile-output). Slower: every block goes through Java.",
            "With --model: the profile of one inference, the runtime's functions under one frame per operator."})
    boolean profile;

    @Option(names = "--profile-output", paramLabel = "FILE",
            description = "Where --profile writes the collapsed stacks. Default: FIRMWARE.folded (MODEL.folded) in the current directory.")
    Path profileOutput;

    @Option(names = "--trace", paramLabel = "N", description = "Print the first N instructions executed: address, symbol, disassembly, cycles.")
    Integer trace;

    @Option(names = "--strict", description = "End the run at the first access to a peripheral register tinysim does not model.")
    boolean strict;

    @Option(names = "--model", paramLabel = "MODEL.tflite",
            description = "Run this TensorFlow Lite model on the bundled inference runtime instead of FIRMWARE.")
    Path model;

    @Option(names = "--input", paramLabel = "FILE|NAME=FILE",
            description = {"With --model: the input. Raw tensor bytes (no header; one tensor, or one per run): repeat it once",
                    "per graph input, FILE in graph order or NAME=FILE for the input tensor named NAME. Or data for the",
                    "first input: .npy, .npz, .csv, .wav, .png/.jpg/.bmp or a folder of them (run i takes sample i).",
                    "Default: seeded random."})
    List<String> input;

    @Mixin
    DataFileOptions dataFileOptions;

    @Option(names = "--runs", paramLabel = "N", description = "With --model: inferences to run. Default: 1.")
    Integer runs;

    @Option(names = "--kernels", paramLabel = "KIND",
            description = "With --model: int8 kernels, ${COMPLETION-CANDIDATES}. Default: simd.")
    dev.tinysim.inference.Kernels kernels;

    @Option(names = "--seed", paramLabel = "S", description = "With --model: seed of the random input (run i uses S+i). Default: 1.")
    Long seed;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (model != null) {
            return callModel();
        }
        if (firmware == null) {
            throw new CliException(ExitCode.USAGE, "missing FIRMWARE (an ELF file or a bundled image name), or --model MODEL.tflite");
        }
        if (input != null || runs != null || kernels != null || seed != null) {
            throw new CliException(ExitCode.USAGE, "--input, --runs, --kernels and --seed need --model");
        }
        Board board = boardOptions.load();
        FirmwareImage image = BoardImage.prepare(resolveFirmware(firmware, board, args), board, args);
        if (maxInstructions <= 0) {
            throw new CliException(ExitCode.USAGE, "--max-instructions must be positive (got " + maxInstructions + ")");
        }
        checkTimeout();
        boolean text = output.format == OutputOptions.Format.text;
        boolean live = text && output.output == null;
        ConsoleCapture console = new ConsoleCapture(live ? Io.current().out() : null, live ? Io.current().err() : null);
        String cmdline = String.join(" ", prepend(image.name(), args));
        RunSettings settings = new RunSettings(board, timing == null ? TimingModels.defaultName() : timing, maxInstructions,
                strict, Io.current().in(), cmdline, output.verbose && !output.quiet ? Io.current().err() : null)
                .withTimeoutMillis(timeoutMillis());
        if (trace != null && trace < 1) {
            throw new CliException(ExitCode.USAGE, "--trace must be at least 1 (got " + trace + ")");
        }
        RunReport report = runFirmware(image, settings, console);
        Path folded = null;
        if (report.profile() != null) {
            folded = profileOutput != null ? profileOutput : Path.of(image.name().replaceAll("\\.elf$", "") + ".folded");
            ReportWriter.writeAtomically(folded, report.profile().folded().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        emit(report, console, folded, text, live);
        return report.result().exitCode();
    }

    /** {@code run --model}: the options that apply to FIRMWARE runs only are refused, then {@link ModelRun}. */
    private Integer callModel() {
        if (firmware != null) {
            throw new CliException(ExitCode.USAGE, "give either FIRMWARE or --model, not both");
        }
        if (!args.isEmpty()) {
            throw new CliException(ExitCode.USAGE, "--model takes no firmware arguments");
        }
        if (trace != null || strict) {
            // refused rather than ignored: they instrument a FIRMWARE run, which --model does not expose
            throw new CliException(ExitCode.USAGE, (trace != null ? "--trace" : "--strict")
                    + " applies to FIRMWARE runs; it is not available with --model");
        }
        if (profileOutput != null && !profile) {
            throw new CliException(ExitCode.USAGE, "--profile-output needs --profile");
        }
        checkTimeout();
        Board board = boardOptions.load();
        boolean maxGiven = spec != null && spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption("--max-instructions");
        return ModelRun.call(model, board, output, timing, maxGiven ? maxInstructions : null, input, seed,
                runs == null ? 1 : runs, kernels == null ? dev.tinysim.inference.Kernels.simd : kernels,
                dataFileOptions.toOptions(null, null), !profile ? null : profileOutput != null ? profileOutput
                        : Path.of(String.valueOf(model.getFileName()).replaceAll("\\.tflite$", "") + ".folded"),
                timeoutMillis());
    }

    /** Runs the firmware, with the profiler and the tracer attached when asked for, and adds what they found. */
    private RunReport runFirmware(FirmwareImage image, RunSettings settings, ConsoleCapture console) {
        dev.tinysim.profile.Profiler profiler = profile ? new dev.tinysim.profile.Profiler(image.symbolizer()) : null;
        dev.tinysim.profile.Tracer[] tracer = new dev.tinysim.profile.Tracer[1];
        RunReport report = FirmwareRunner.run(image, settings, console, machine -> {
            if (profiler != null) {
                machine.core().setBlockListener(profiler);
            }
            if (trace != null) {
                tracer[0] = new dev.tinysim.profile.Tracer(machine.core(), image.symbolizer(), trace);
                machine.core().setInstructionListener(tracer[0]);
            }
        }, machine -> { });
        if (profiler != null || tracer[0] != null) {
            report = report.withDiagnostics(profiler == null ? null : profiler.finish(report.execution().cycles()),
                    tracer[0] == null ? null : tracer[0].lines());
        }
        return report;
    }

    /**
     * The report: as text after the console output (which was printed live when {@code live}, else goes in front of
     * the report), or as JSON; {@code folded} is where the profile's collapsed stacks went (null: none).
     */
    private void emit(RunReport report, ConsoleCapture console, Path folded, boolean text, boolean live) {
        if (text) {
            String summary = TextReport.summary(report, output.verbose)
                    + (folded == null ? "" : "  profile    collapsed stacks (flamegraph.pl, speedscope) written to " + folded + "\n");
            String rendered = (live ? (console.endsMidLine() ? "\n" : "") : report.console()) + summary;
            if (live) {
                Io.current().out().print(console.endsMidLine() ? "\n" : "");
                ReportWriter.emit(summary, null, Io.current().out());
            } else {
                ReportWriter.emit(rendered, output.output, Io.current().out());
            }
        } else {
            ReportWriter.emit(folded == null ? ReportWriter.json(report) : ReportWriter.json(report, "profileFile", folded.toString()),
                    output.output, Io.current().out());
        }
    }

    private void checkTimeout() {
        timeout.check();
    }

    /** --timeout in milliseconds (at least 1); 0 without --timeout. */
    private long timeoutMillis() {
        return timeout.millis();
    }

    private static List<String> prepend(String first, List<String> rest) {
        java.util.ArrayList<String> all = new java.util.ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    /** A path to an ELF, or the name of a bundled image, in the build for the board ({@link BundledImages}). */
    static FirmwareImage resolveFirmware(String firmware, Board board, List<String> firmwareArgs) {
        if (firmware.isEmpty()) {
            throw new CliException(ExitCode.NO_INPUT, "empty file name given for the firmware");
        }
        try {
            Path p = Path.of(firmware);
            if (!Files.exists(p) && !firmware.contains("/") && !firmware.endsWith(".elf")) {
                return BundledImages.choose(firmware, board, firmwareArgs).orElseThrow(() -> new CliException(ExitCode.NO_INPUT,
                        firmware + ": no such file, and no bundled image of that name (bundled: selftest, bench, faults, irq, timing, icache)"));
            }
            try {
                InputFiles.check(p, "firmware");   // missing, a directory, a device or FIFO: refused before opening
            } catch (UnreadableFileException e) {
                throw new CliException(ExitCode.NO_INPUT, e.getMessage());
            }
            return FirmwareImage.read(p);
        } catch (ElfFormatException e) {
            throw new CliException(e.getMessage().endsWith("no such file") || e.getMessage().contains(": cannot read (") ? ExitCode.NO_INPUT : ExitCode.BAD_INPUT, e.getMessage());
        } catch (java.nio.file.InvalidPathException e) {
            throw new CliException(ExitCode.NO_INPUT, firmware + ": not a valid path");
        }
    }
}
