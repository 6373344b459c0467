package dev.tinysim.bench;

import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.board.MemorySystemSpec;
import dev.tinysim.emulator.core.Semihosting;
import dev.tinysim.emulator.engine.Access;
import dev.tinysim.emulator.engine.EngineStop;
import dev.tinysim.emulator.engine.HostMemory;
import dev.tinysim.emulator.engine.MmioHandler;
import dev.tinysim.emulator.engine.Reg;
import dev.tinysim.emulator.engine.unicorn.UnicornEngine;
import dev.tinysim.emulator.machine.LoadSegment;
import dev.tinysim.emulator.machine.Machine;
import dev.tinysim.emulator.machine.MachineOptions;
import dev.tinysim.emulator.machine.RunResult;
import dev.tinysim.emulator.timing.TimingModels;
import dev.tinysim.firmware.FirmwareImage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

/**
 * Emulation speed on one firmware image, measured in one process: Unicorn with no hooks at all
 * (the ceiling), tinysim's instruction-counting path, and each timing model. Each configuration
 * runs several times; the median wall time is reported, after warm-up runs.
 */
public final class EmulatorBenchmark {
    /**
     * One measured configuration. Times are the emulating thread's CPU time (median over the
     * repetitions), which other load on a shared machine disturbs far less than wall time;
     * the median wall time is reported beside it.
     */
    public record Figure(String configuration, long instructions, long cycles, double medianSeconds,
                         double medianWallSeconds, double instructionsPerSecond, double simulatedCyclesPerSecond) {
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private static long cpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** CPU and wall seconds of one run. */
    private record Timed(double cpu, double wall, RunResult result) {
    }

    private EmulatorBenchmark() {
    }

    /** Runs the image on bare Unicorn: memory, semihosting exit only, no block or code hook. */
    private static Timed bare(FirmwareImage image, Board board) {
        try (UnicornEngine e = UnicornEngine.openCortexM4()) {
            HostMemory flash = e.mapMemory(board.flash().base(), board.flash().size(), EnumSet.of(Access.READ, Access.FETCH));
            e.mapMemory(board.ram().base(), board.ram().size(), EnumSet.allOf(Access.class));
            MmioHandler devices = new MmioHandler() {
                @Override
                public long read(long offset, int size) {
                    return 1;   // CLOCK events read as started: the bench image only polls those
                }

                @Override
                public void write(long offset, int size, long value) {
                }
            };
            e.mapMmio(0x40000000L, 0x20000000L, devices);
            e.mapMmio(0xE0000000L, 0x100000L, devices);
            for (LoadSegment s : image.segments()) {
                e.writeMemory(s.loadAddress(), s.bytes());
            }
            e.write(Reg.SP, flash.read32(board.flash().base()) & 0xFFFFFFFFL);
            e.onInterrupt(trap -> {
                long op = e.read(Reg.R0);
                if (op == Semihosting.SYS_EXIT || op == Semihosting.SYS_EXIT_EXTENDED) {
                    e.stop();
                    return;
                }
                e.write(Reg.R0, 0);
                e.write(Reg.PC, (e.read(Reg.PC) + 2) | 1);
            });
            long start = System.nanoTime();
            long cpu = cpuNanos();
            EngineStop stop = e.run(flash.read32(board.flash().base() + 4) & 0xFFFFFFFFL, 0xFFFFFFFFL);
            cpu = cpuNanos() - cpu;
            long wall = System.nanoTime() - start;
            if (!stop.normal()) {
                throw new IllegalStateException("bare Unicorn run ended with " + stop.message());
            }
            return new Timed(cpu / 1e9, wall / 1e9, null);
        }
    }

    /** Runs the image on a full machine with a timing model (optionally with a per-instruction listener). */
    public static RunResult machineRun(FirmwareImage image, Board board, String timing, boolean perInstruction) {
        return timedMachineRun(image, new Config("", board, timing, perInstruction, false, m -> { })).result();
    }

    /**
     * One tinysim configuration.
     *
     * @param setup what is done to the booted machine before the run (caches switched on through the flash path)
     */
    private record Config(String name, Board board, String timing, boolean perInstruction, boolean profile,
                          java.util.function.Consumer<Machine> setup) {
    }

    private static Timed timedMachineRun(FirmwareImage image, Config c) {
        MachineOptions options = new MachineOptions(TimingModels.create(c.timing(), c.board()), (s, b, o, l) -> { }, null,
                image.name(), false, 20_000_000_000L, new Semihosting.HeapInfo(0, 0, 0, 0), m -> { });
        try (Machine m = Machine.create(c.board(), options)) {
            m.load(image.segments());
            m.boot();
            c.setup().accept(m);
            if (c.perInstruction()) {
                m.core().setInstructionListener((address, size, cycles) -> { });
            }
            dev.tinysim.profile.Profiler profiler = c.profile() ? new dev.tinysim.profile.Profiler(image.symbolizer()) : null;
            if (profiler != null) {
                m.core().setBlockListener(profiler);
            }
            long cpu = cpuNanos();
            RunResult r = m.run();
            if (profiler != null) {
                profiler.finish(r.cycles());
            }
            cpu = cpuNanos() - cpu;
            return new Timed(cpu / 1e9, r.wallNanos() / 1e9, r);
        } catch (Exception e) {
            throw new IllegalStateException("benchmark run failed: " + e.getMessage(), e);
        }
    }

    /**
     * Bare Unicorn, then tinysim: the instruction-counting model, the cycle model without the memory
     * system (zero-wait flash), with it as at reset (caches off, data reads of flash charged), with
     * each cache switched on alone, and with all of them and prefetch on (as the vendor SDK boots);
     * then --profile and a per-instruction listener (memory system as at reset).
     */
    public static List<Figure> measure(FirmwareImage image, Board board, int repetitions, List<String> timings) {
        List<Figure> out = new ArrayList<>();
        RunResult reference = machineRun(image, board, TimingModels.INSTRUCTIONS, false);
        long instructions = reference.instructions();
        double[] cpu = new double[repetitions];
        double[] wall = new double[repetitions];
        bare(image, board);   // warm-up: JIT and native library
        for (int i = 0; i < repetitions; i++) {
            Timed t = bare(image, board);
            cpu[i] = t.cpu();
            wall[i] = t.wall();
        }
        double bareMedian = median(cpu);
        out.add(new Figure("unicorn, no hooks", instructions, 0, bareMedian, median(wall), instructions / bareMedian, 0));
        java.util.function.Consumer<Machine> none = m -> { };
        String cycleModel = timings.contains("cortex-m4") ? "cortex-m4" : timings.get(0);
        for (String timing : timings) {
            if (!timing.equals(cycleModel)) {
                out.add(machineFigure(image, new Config("tinysim, timing " + timing, board, timing, false, false, none), repetitions));
                continue;
            }
            if (board.memorySystemModelled()) {
                out.add(machineFigure(image, new Config("tinysim, timing " + timing + ", memory not modelled",
                        board.withMemorySystem(null), timing, false, false, none), repetitions));
            }
            out.add(machineFigure(image, new Config("tinysim, timing " + timing, board, timing, false, false, none), repetitions));
            if (!board.memorySystemModelled()) {
                continue;
            }
            MemorySystemSpec spec = board.memorySystem();
            for (MemorySystemSpec.CacheSpec cache : spec.caches()) {
                out.add(machineFigure(image, new Config("tinysim, timing " + timing + ", + " + cache.name(), board, timing,
                        false, false, m -> cache.serves().forEach(side -> m.core().flashPath().setCache(side, true))), repetitions));
            }
            if (spec.caches().size() + spec.prefetch().size() > 1) {
                out.add(machineFigure(image, new Config("tinysim, timing " + timing + ", all caches and prefetch", board, timing,
                        false, false, m -> {
                    spec.caches().forEach(c -> c.serves().forEach(side -> m.core().flashPath().setCache(side, true)));
                    spec.prefetch().forEach(side -> m.core().flashPath().setPrefetch(side, true));
                }), repetitions));
            }
        }
        out.add(machineFigure(image, new Config("tinysim, --profile", board, cycleModel, false, true, none),
                Math.max(1, repetitions / 2)));
        out.add(machineFigure(image, new Config("tinysim, per-instruction listener", board, cycleModel, true, false, none),
                Math.max(1, repetitions / 2)));
        return out;
    }

    private static Figure machineFigure(FirmwareImage image, Config c, int repetitions) {
        timedMachineRun(image, c);   // warm-up
        double[] cpu = new double[repetitions];
        double[] wall = new double[repetitions];
        RunResult last = null;
        for (int i = 0; i < repetitions; i++) {
            Timed t = timedMachineRun(image, c);
            cpu[i] = t.cpu();
            wall[i] = t.wall();
            last = t.result();
        }
        double med = median(cpu);
        return new Figure(c.name(), last.instructions(), last.cycles(), med, median(wall), last.instructions() / med, last.cycles() / med);
    }

    /** Host time of one inference of a model on the runtime (the last of {@code runs}, warm), and its cycles. */
    public record InferenceFigure(String model, String configuration, long cycles, double milliseconds,
                                  double wallMillisecondsPerInference, double firstRunWallMilliseconds) {
    }

    public static InferenceFigure inference(String name, byte[] model, Board board, int runs) {
        dev.tinysim.inference.InferenceOptions options = dev.tinysim.inference.InferenceOptions.of(board,
                dev.tinysim.inference.Kernels.simd, runs, new dev.tinysim.inference.InputSource.Seeded(1));
        dev.tinysim.inference.InferenceRunner.Outcome o = dev.tinysim.inference.InferenceRunner.run(model, name, options);
        List<dev.tinysim.inference.InferenceReport.Run> rs = o.report().runs();
        double warm = rs.size() > 1
                ? rs.subList(1, rs.size()).stream().mapToDouble(dev.tinysim.inference.InferenceReport.Run::wallMilliseconds).average().orElse(0)
                : rs.get(0).wallMilliseconds();
        return new InferenceFigure(name, (board.cpu().fpu() ? "fpu" : "no fpu") + ", simd"
                + (board.memorySystemModelled() ? "" : ", memory not modelled"), rs.get(rs.size() - 1).cycles(),
                rs.get(rs.size() - 1).milliseconds(), warm, rs.get(0).wallMilliseconds());
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
