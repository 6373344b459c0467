package dev.tinysim.inference;

import dev.tinysim.failure.Failure;
import dev.tinysim.run.Futures;
import dev.tinysim.failure.FailureException;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.run.TextReport;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.tinysim.emulator.units.Units.grouped;

/**
 * The headline table: every model of a directory in the configurations that matter for it — int8
 * models with SIMD and with reference kernels on the Cortex-M4F, float32 (and hybrid) models on the
 * M4F with its FPU and soft-float on the FPU-less M4 — with cycles, milliseconds at the board clock,
 * flash and RAM, and the host's wall time per inference. The timing model is part of the table.
 *
 * @param timing      the timing model's name
 * @param timingDescription what it counts
 * @param board       the FPU board
 * @param noFpuBoard  the FPU-less board
 * @param clockHz     the core clock
 * @param input       how inputs were made
 * @param rows        one per model and configuration
 */
public record ModelTable(String timing, String timingDescription, String board, String noFpuBoard, long clockHz,
                         String input, List<Row> rows) {

    /**
     * @param model            file name
     * @param precision        int8, float32 or hybrid (float32 activations, some int8 weights)
     * @param configuration    int8-simd, int8-reference, float32-fpu, float32-soft
     * @param board            the board it ran on
     * @param cycles           cycles of one inference (the last run)
     * @param milliseconds     at the board clock
     * @param cyclesPerMac     cycles / MACs
     * @param flashUsed        runtime + model bytes
     * @param ramUsed          static + arena + stack peak
     * @param wallMilliseconds host time of the fastest inference
     * @param exitCode         what {@code tinysim run --model} would exit with (0, or 67 when it does not fit)
     * @param result           the one-line result
     */
    public record Row(String model, String precision, String configuration, String board, String runtime,
                      long cycles, double milliseconds, long macs, Double cyclesPerMac, long flashUsed, long flashCapacity,
                      boolean flashFits, long ramUsed, long ramCapacity, boolean ramFits, long arena,
                      double wallMilliseconds, int exitCode, String result) {
    }

    /** The .tflite files of a directory (sorted), or the files given. */
    public static List<Path> modelFiles(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.getFileName().toString().endsWith(".tflite")).sorted().forEach(out::add);
                } catch (IOException e) {
                    throw new FailureException(Failure.NO_INPUT, p + ": cannot list (" + e.getMessage() + ")");
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * "int8", "hybrid" or "float32", from the model's input tensor, its activations and constant filters: an int8
     * model with float32 input and output (QUANTIZE after the input, DEQUANTIZE before the output, as
     * {@code quantize --io float32} makes) is int8, not hybrid.
     */
    public static String precision(TfliteModel model) {
        Tensor in = model.mainSubgraph().inputTensor(0);
        if (in.type() == TensorType.INT8) {
            return "int8";
        }
        for (dev.tinysim.tflite.Operator op : model.mainSubgraph().operators()) {
            for (int t : op.outputs()) {
                if (t >= 0 && model.mainSubgraph().tensor(t).type() == TensorType.INT8) {
                    return "int8";
                }
            }
        }
        boolean int8Weights = model.mainSubgraph().tensors().stream()
                .anyMatch(t -> t.type() == TensorType.INT8 && model.isConstant(t));
        return int8Weights ? "hybrid" : "float32";
    }

    /**
     * A configuration's name for a model of {@code precision}: a float configuration of a hybrid model (int8 weights,
     * float activations) is {@code hybrid-fpu} / {@code hybrid-soft}, the same in run, table, sweep and compare; every
     * other name is unchanged ({@code int8-simd}, {@code int8-reference}, {@code float32-fpu}, {@code float32-soft}).
     */
    public static String configurationName(String precision, String configuration) {
        return "hybrid".equals(precision) && configuration.startsWith("float32-")
                ? "hybrid-" + configuration.substring("float32-".length()) : configuration;
    }

    private record Job(Path file, String precision, String configuration, Board board, Kernels kernels) {
    }

    /**
     * Runs every model in its configurations.
     *
     * @param jobs configurations measured at once (one machine per thread); 1 keeps wall times undisturbed
     */
    public static ModelTable measure(List<Path> files, Board fpuBoard, Board noFpuBoard, int runs, long seed,
                                     String timing, int jobs) {
        List<Job> plan = new ArrayList<>();
        for (Path f : files) {
            byte[] bytes = InferenceRunner.readFile(f);
            TfliteModel model = InferenceRunner.check(bytes, String.valueOf(f.getFileName()));
            String precision = precision(model);
            if (precision.equals("int8")) {
                plan.add(new Job(f, precision, "int8-simd", fpuBoard, Kernels.simd));
                plan.add(new Job(f, precision, "int8-reference", fpuBoard, Kernels.reference));
            } else {
                plan.add(new Job(f, precision, precision + "-fpu", fpuBoard, Kernels.simd));
                plan.add(new Job(f, precision, precision + "-soft", noFpuBoard, Kernels.simd));
            }
        }
        List<Row> rows = new ArrayList<>();
        String timingName = null;
        String timingDescription = null;
        // bounded by the cores and by the free host memory a machine of the larger board takes
        Board larger = fpuBoard.flash().size() + fpuBoard.ram().size() >= noFpuBoard.flash().size() + noFpuBoard.ram().size()
                ? fpuBoard : noFpuBoard;
        ExecutorService pool = Executors.newFixedThreadPool(dev.tinysim.run.MachineBudget.machines(Math.max(1, jobs), larger));
        try {
            List<Future<InferenceRunner.Outcome>> futures = new ArrayList<>();
            for (Job j : plan) {
                InferenceOptions o = new InferenceOptions(j.board(), j.kernels(), runs, new InputSource.Seeded(seed),
                        timing, 0, false);
                futures.add(pool.submit(() -> InferenceRunner.run(j.file(), o)));
            }
            for (int i = 0; i < plan.size(); i++) {
                Job j = plan.get(i);
                InferenceRunner.Outcome out = Futures.join(futures.get(i));
                InferenceReport r = out.report();
                timingName = r.timing().model();
                timingDescription = r.timing().description();
                InferenceReport.Latency lat = r.latency();
                double wall = r.runs().stream().mapToDouble(InferenceReport.Run::wallMilliseconds).min().orElse(0);
                rows.add(new Row(String.valueOf(j.file().getFileName()), j.precision(), j.configuration(), j.board().name(),
                        r.runtime().image(), lat == null ? 0 : lat.cycles(), lat == null ? 0 : lat.milliseconds(),
                        r.model().macs(), lat == null ? null : lat.cyclesPerMac(), r.fit().flash().used(),
                        r.fit().flash().capacity() - r.fit().flash().reserved(), r.fit().flash().fits(), r.fit().ram().used(),
                        r.fit().ram().capacity() - r.fit().ram().reserved(), r.fit().ram().fits(),
                        r.arena() == null ? 0 : r.arena().total(), Math.round(wall * 10) / 10.0, r.result().exitCode(),
                        r.result().message()));
            }
        } finally {
            pool.shutdownNow();
        }
        return new ModelTable(timingName, timingDescription, fpuBoard.name(), noFpuBoard.name(), fpuBoard.cpu().clockHz(),
                new InputSource.Seeded(seed).describe() + ", seeded random; " + runs + " run" + (runs == 1 ? "" : "s") + " per configuration", rows);
    }

    /** The table as text. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("tinysim inference table: ").append(board).append(" (Cortex-M4F) and ").append(noFpuBoard)
                .append(" (Cortex-M4, no FPU) at ").append(TextReport.mhz(clockHz)).append('\n');
        sb.append("timing model: ").append(timing).append(" (").append(timingDescription).append(")\n");
        sb.append("input: ").append(input).append('\n');
        List<String[]> t = new ArrayList<>();
        t.add(new String[]{"model", "configuration", "cycles", "ms @ " + TextReport.mhz(clockHz), "cyc/MAC",
                "flash used", "RAM used", "fits", "wall ms/inf"});
        for (Row r : rows) {
            t.add(new String[]{r.model(), r.configuration(), grouped(r.cycles()), String.format(Locale.ROOT, "%.2f", r.milliseconds()),
                    r.cyclesPerMac() == null ? "-" : String.format(Locale.ROOT, "%.2f", r.cyclesPerMac()),
                    grouped(r.flashUsed()) + " / " + grouped(r.flashCapacity()), grouped(r.ramUsed()) + " / " + grouped(r.ramCapacity()),
                    r.flashFits() && r.ramFits() ? "yes" : "NO (" + (r.flashFits() ? "" : "flash +" + grouped(r.flashUsed() - r.flashCapacity()))
                            + (!r.flashFits() && !r.ramFits() ? ", " : "") + (r.ramFits() ? "" : "RAM +" + grouped(r.ramUsed() - r.ramCapacity())) + ")",
                    String.format(Locale.ROOT, "%.1f", r.wallMilliseconds())});
        }
        int[] w = new int[t.get(0).length];
        for (String[] row : t) {
            for (int i = 0; i < row.length; i++) {
                w[i] = Math.max(w[i], row[i].length());
            }
        }
        for (int k = 0; k < t.size(); k++) {
            String[] row = t.get(k);
            StringBuilder l = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean left = i < 2 || i == 7;
                String pad = " ".repeat(w[i] - row[i].length());
                l.append(left ? row[i] + pad : pad + row[i]).append("  ");
            }
            sb.append(l.toString().stripTrailing()).append('\n');
            if (k == 0) {
                sb.append(Stream.of(w).flatMapToInt(java.util.Arrays::stream).mapToObj(x -> "-".repeat(x))
                        .collect(Collectors.joining("  "))).append('\n');
            }
        }
        sb.append("cycles: DWT CYCCNT around one inference (the last run); flash = runtime + model; RAM = static + arena + stack peak;\n")
                .append("a model that does not fit is measured on the same board with memory enlarged; wall = host time of the fastest run.\n");
        return sb.toString();
    }

}
