package dev.tinysim.run;

import dev.tinysim.failure.Failure;
import dev.tinysim.failure.FailureException;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.bus.UnmodelledAccessLog;
import dev.tinysim.emulator.core.RunOutcome;
import dev.tinysim.emulator.core.Semihosting;
import dev.tinysim.emulator.engine.EngineException;
import dev.tinysim.emulator.machine.ImageException;
import dev.tinysim.emulator.machine.LoadSegment;
import dev.tinysim.emulator.machine.Machine;
import dev.tinysim.emulator.machine.MachineOptions;
import dev.tinysim.emulator.machine.RunResult;
import dev.tinysim.emulator.timing.TimingModel;
import dev.tinysim.emulator.timing.TimingModels;
import dev.tinysim.firmware.FirmwareImage;
import dev.tinysim.firmware.Symbolizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a firmware image on a board once: builds the machine, loads and boots the image, paints
 * the stack, runs to the end and reports how it ended, what it cost and whether it fits.
 */
public final class FirmwareRunner {
    /** A hook to prepare memory after loading and before boot, and to serve application semihosting calls. */
    public interface Preparation {
        void beforeBoot(Machine machine) throws FailureException;
    }

    private FirmwareRunner() {
    }

    public static RunReport run(FirmwareImage image, RunSettings settings, ConsoleCapture console) {
        return run(image, settings, console, m -> { }, r -> { });
    }

    /**
     * How a loader adapted an image linked for another memory map to the board (the inference runtime on
     * a board with less RAM): the segments to load (some relocated), the initial stack pointer to boot
     * with instead of word 0 of the vector table, and the stack region to paint and scan.
     */
    public record Placement(List<LoadSegment> segments, long initialSp, FirmwareImage.StackRegion stack) {
    }

    public static RunReport run(FirmwareImage image, RunSettings settings, ConsoleCapture console,
                                Preparation preparation, Consumer<Machine> afterRun) {
        return run(image, settings, console, null, preparation, afterRun);
    }

    /**
     * As {@link #run(FirmwareImage, RunSettings, ConsoleCapture, Preparation, Consumer)}, with the image placed by
     * {@code placement} (a loader that adapts the image itself, as the inference runtime's does, and has chosen the
     * build); null: prepared by {@link BoardImage#prepare} — refused (exit 74) when the board lacks what it needs,
     * placed in the board's memory when that differs from the memory it is linked for.
     */
    public static RunReport run(FirmwareImage image, RunSettings settings, ConsoleCapture console, Placement placement,
                                Preparation preparation, Consumer<Machine> afterRun) {
        Board board = settings.board();
        java.util.List<String> args = BoardImage.arguments(settings.commandLine() == null ? "" : settings.commandLine());
        if (placement == null) {
            image = BoardImage.prepare(image, board, args);
            checkReserved(image, board);
        }
        TimingModel timing;
        try {
            timing = TimingModels.create(settings.timing(), board);
        } catch (IllegalArgumentException e) {
            throw new FailureException(Failure.USAGE, e.getMessage());
        }
        long initialSp = placement != null ? placement.initialSp() : initialSp(image, board);
        FirmwareImage.StackRegion stack = placement != null ? placement.stack() : image.stackRegion(board, initialSp);
        Semihosting.HeapInfo heap = heapInfo(image, stack);
        MachineOptions options = new MachineOptions(timing, console, settings.stdin(), settings.commandLine(),
                settings.strict(), settings.maxInstructions(), heap,
                msg -> {
                    if (settings.diagnostics() != null) {
                        settings.diagnostics().println("tinysim: " + msg);
                    }
                });
        Machine machine;
        try {
            machine = Machine.create(board, options);
        } catch (EngineException e) {
            throw new FailureException(Failure.UNAVAILABLE, e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new FailureException(Failure.UNAVAILABLE, e.getMessage(), e);
        }
        try (machine) {
            machine.setWallTimeout(settings.timeoutMillis());
            try {
                machine.load(placement != null ? placement.segments() : image.segments());
                preparation.beforeBoot(machine);
                if (placement != null) {
                    machine.boot(placement.initialSp());
                } else {
                    machine.boot();
                }
            } catch (ImageException e) {
                Failure code = e.reason() == ImageException.Reason.DOES_NOT_FIT ? Failure.DOES_NOT_FIT : Failure.BAD_INPUT;
                throw new FailureException(code, image.name() + ": " + e.getMessage());
            }
            machine.paintStack(stack.bottom(), stack.top());
            RunResult result = machine.run();
            afterRun.accept(machine);
            long stackPeak = machine.stackUsed(stack.bottom(), stack.top());
            return report(image, settings, machine, timing, result, stack, stackPeak, console);
        }
    }

    /**
     * A firmware that places anything in memory the board reserves for other software (the SoftDevice's flash and
     * RAM at the start of each) does not fit: exit 67 naming the segment and the region.
     */
    static void checkReserved(FirmwareImage image, Board board) {
        long[][] reserved = {{board.flash().base(), board.reservedFlash()}, {board.ram().base(), board.reservedRam()}};
        String[] names = {"flash", "RAM"};
        for (var s : image.segments()) {
            long[][] ranges = {{s.loadAddress(), s.bytes().length}, {s.runAddress(), s.memorySize()}};
            for (int r = 0; r < 2; r++) {
                long base = reserved[r][0], size = reserved[r][1];
                for (long[] x : ranges) {
                    if (size > 0 && x[1] > 0 && x[0] < base + size && base < x[0] + x[1]) {
                        throw new FailureException(Failure.DOES_NOT_FIT, String.format(
                                "%s: segment %d (%,d bytes at 0x%08x) lies in the %s board %s reserves for other software"
                                        + " (0x%08x-0x%08x); link the firmware from 0x%08x", image.name(), s.index(), x[1], x[0],
                                names[r], board.name(), base, base + size - 1, base + size));
                    }
                }
            }
        }
    }

    private static long initialSp(FirmwareImage image, Board board) {
        long base = board.flash().base();
        if (board.reservedFlash() > 0 && image.segments().stream().noneMatch(s -> s.loadAddress() <= board.flash().base()
                && s.loadAddress() + s.bytes().length > board.flash().base())) {
            base += board.reservedFlash();   // the application's vector table, after the reserved flash (Machine.boot)
        }
        for (var s : image.segments()) {
            if (s.loadAddress() <= base && s.loadAddress() + s.bytes().length >= base + 8) {
                int off = (int) (base - s.loadAddress());
                byte[] b = s.bytes();
                return (b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16 | (b[off + 3] & 0xFFL) << 24;
            }
        }
        return board.ram().end();
    }

    private static Semihosting.HeapInfo heapInfo(FirmwareImage image, FirmwareImage.StackRegion stack) {
        long heapBase = image.symbolAddress("__HeapBase").or(() -> image.symbolAddress("end")).orElse(stack.bottom());
        long heapLimit = image.symbolAddress("__HeapLimit").orElse(stack.bottom());
        return new Semihosting.HeapInfo(heapBase, heapLimit, stack.top(), stack.bottom());
    }

    private static RunReport report(FirmwareImage image, RunSettings settings, Machine machine, TimingModel timing,
                                    RunResult result, FirmwareImage.StackRegion stack, long stackPeak, ConsoleCapture console) {
        Board board = settings.board();
        Symbolizer symbols = image.symbolizer();
        Map<String, String> regs = new LinkedHashMap<>();
        result.registers().forEach((k, v) -> regs.put(k, String.format("0x%08x", v)));
        List<String> backtrace = new ArrayList<>();
        Long pc = result.registers().get("pc");
        Long lr = result.registers().get("lr");
        if (pc != null) {
            backtrace.add(OutcomeDescriber.at(pc, symbols));
        }
        if (lr != null && (lr & 0xFFFFFF00L) != 0xFFFFFF00L) {
            backtrace.add(OutcomeDescriber.at(lr & ~1L, symbols) + " (return address in LR)");
        }
        RunReport.Result res = OutcomeDescriber.describe(result.outcome(), symbols, board.name(),
                result.outcome() instanceof RunOutcome.Faulted ? regs : null,
                result.outcome() instanceof RunOutcome.Faulted ? backtrace : null);

        FirmwareImage.MemoryUse use = image.memoryUse(board);
        long flashCap = board.flash().size();
        long flashReserved = board.reservedFlash();
        long flashFree = flashCap - flashReserved - use.flash();
        long ramCap = board.ram().size();
        long ramReserved = board.reservedRam();
        long ramFree = ramCap - ramReserved - use.staticRam();
        boolean stackOverflow = stack.reserved() && stackPeak >= stack.size();
        RunReport.Region flash = new RunReport.Region(use.flash(), flashCap, flashReserved, flashFree, flashFree >= 0);
        RunReport.Ram ram = new RunReport.Ram(use.staticRam(), ramCap, ramReserved, ramFree, stack.size(), stackPeak,
                stackOverflow, ramFree >= 0 && !stackOverflow);
        RunReport.Fit fit = new RunReport.Fit(use.text(), use.data(), use.bss(), flash, ram, flash.fits() && ram.fits());

        double seconds = result.wallNanos() / 1e9;
        RunReport.Execution exec = new RunReport.Execution(result.instructions(), result.cycles(), result.milliseconds(),
                result.instructions() == 0 ? 0 : (double) result.cycles() / result.instructions(), result.sleepCycles(),
                result.exceptions(), seconds, seconds > 0 ? result.instructions() / seconds : 0);
        List<RunReport.Unmodelled.Entry> entries = new ArrayList<>();
        long accesses = 0;
        for (UnmodelledAccessLog.Entry e : result.unmodelled()) {
            entries.add(new RunReport.Unmodelled.Entry(e.peripheral(), e.register(), String.format("0x%08x", e.address()),
                    e.reads(), e.writes()));
            accesses += e.reads() + e.writes();
        }
        return new RunReport(
                new RunReport.Tool("tinysim", Version.get(), machine.engineDescription()),
                new RunReport.Firmware(image.name(), image.elf().entry(), abi(image), image.placement()),
                new RunReport.BoardInfo(board.name(), board.description(), board.cpu().clockHz(), board.cpu().fpu(),
                        board.flash().size(), board.ram().size()),
                new RunReport.Timing(timing.name(), timing.description(), timing.parameters(),
                        MemoryReport.of(machine.core().flashPath(), timing.usesMemorySystem())),
                res, exec, fit, new RunReport.Unmodelled(entries.size(), accesses, entries),
                console.stdout(), console.stderr(), null, null);
    }

    /** "hard-float", "soft-float" or "unknown" from the ELF's e_flags and attributes. */
    private static String abi(FirmwareImage image) {
        return image.elf().hardFloat() ? "hard-float" : "soft-float";
    }
}
