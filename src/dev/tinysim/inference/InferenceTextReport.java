package dev.tinysim.inference;

import dev.tinysim.run.TextReport;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import static dev.tinysim.emulator.units.Units.grouped;

/** The human-readable form of an {@link InferenceReport} (docs/inference-report.md shows an example). */
public final class InferenceTextReport {
    /** Output values printed in text; JSON has them all. */
    static final int MAX_VALUES = 16;

    private InferenceTextReport() {
    }

    public static String render(InferenceReport r, boolean verbose) {
        StringBuilder sb = new StringBuilder();
        String mhz = TextReport.mhz(r.board().clockHz());
        header(sb, r, mhz);
        tensors(sb, r);
        InferenceReport.Latency lat = r.latency();
        if (lat != null) {
            latency(sb, r, lat, mhz);
        }
        if (!r.operators().isEmpty()) {
            operators(sb, r, lat);
        }
        InferenceReport.Arena a = r.arena();
        if (a != null) {
            line(sb, "arena", grouped(a.total()) + " bytes high-water mark (" + grouped(a.planned()) + " planned activations and scratch + "
                    + grouped(a.persistent()) + " persistent) of " + grouped(a.capacity()) + " at " + a.base()
                    + (a.enlarged() ? " (in added RAM)" : ""));
            if (a.bestPlanned() != null) {
                line(sb, "plan", planLine(a));
            }
        }
        if (r.memory() != null) {
            memory(sb, r.memory());
        }
        fit(sb, r);
        InferenceReport.Execution e = r.execution();
        line(sb, "executed", grouped(e.instructions()) + " instructions, " + grouped(e.cycles()) + " cycles in the whole firmware run (CPI "
                + f2(e.cpi()) + "); " + String.format(Locale.ROOT, "%.2f", e.wallSeconds()) + " s wall"
                + (lat != null ? ", " + f1(lat.wallMillisecondsPerInference()) + " ms wall per inference" : ""));
        if (r.timing().memory() != null) {
            String label = "memory";
            for (String l : r.timing().memory().lines()) {
                line(sb, label, l);
                label = "";
            }
        }
        if (verbose) {
            line(sb, "timing", r.timing().model() + ": " + r.timing().description());
            line(sb, "engine", r.tool().engine());
        }
        for (String note : r.notes()) {
            line(sb, "note", note);
        }
        return sb.toString();
    }

    /** The model on the board with the runtime, how the run ended, and the model's size. */
    private static void header(StringBuilder sb, InferenceReport r, String mhz) {
        InferenceReport.BoardInfo b = r.board();
        sb.append("tinysim: ").append(r.model().file()).append(" on ").append(b.name()).append(" (Cortex-M4")
                .append(b.fpu() ? "F" : "").append(", ").append(mhz).append("), ").append(r.runtime().image())
                .append(" (").append(r.runtime().abi()).append(" float), ").append(r.runtime().kernels()).append(" kernels\n");
        line(sb, "result", r.result().message());
        if (r.result().runtimeError() != null || !r.result().kind().equals("ok") && !r.result().kind().equals("does-not-fit")) {
            line(sb, "firmware", r.result().firmwareEnd());
        }
        InferenceReport.Model m = r.model();
        line(sb, "model", grouped(m.bytes()) + " bytes, " + m.tensors() + " tensors, " + m.operators() + " operators, "
                + grouped(m.macs()) + " MACs per inference");
    }

    /** The input tensors, and each output tensor with its raw bytes, values and argmax. */
    private static void tensors(StringBuilder sb, InferenceReport r) {
        List<InferenceReport.TensorInfo> inputs = r.input().tensors() == null ? List.of() : r.input().tensors();
        for (int k = 0; k < inputs.size(); k++) {
            line(sb, k == 0 ? "input" : "", (k == 0 ? r.input().source() + ": " : "") + tensor(inputs.get(k)));
        }
        List<InferenceReport.Output> outTensors = r.outputs() == null ? List.of() : r.outputs();
        for (int k = 0; k < outTensors.size(); k++) {
            InferenceReport.Output out = outTensors.get(k);
            line(sb, outTensors.size() == 1 ? "output" : "output " + k, tensor(out.tensor()) + (out.scale() != null
                    ? ", scale " + out.scale() + ", zero point " + out.zeroPoint() : "") + " (last run)");
            if (out.scale() != null) {
                line(sb, "", "raw     " + values(out.raw(), false));
            }
            line(sb, "", "values  " + values(out.values(), true));
            line(sb, "", "argmax  " + out.argmax());
        }
    }

    /** Cycles and milliseconds of one inference, and every run's cycles when there were several. */
    private static void latency(StringBuilder sb, InferenceReport r, InferenceReport.Latency lat, String mhz) {
        line(sb, "latency", grouped(lat.cycles()) + " cycles = " + f3(lat.milliseconds()) + " ms at " + mhz
                + " (timing model: " + r.timing().model() + ")"
                + (lat.cyclesPerMac() == null ? "" : ", " + f2(lat.cyclesPerMac()) + " cycles/MAC"));
        if (r.runs().size() > 1) {
            line(sb, "runs", r.runs().size() + " runs: min " + grouped(lat.minCycles()) + ", max " + grouped(lat.maxCycles())
                    + " cycles; " + r.runs().stream().map(x -> grouped(x.cycles())).collect(Collectors.joining(", ")));
        }
    }

    /** The cycles of each operator, then the interpreter's and the total ({@code lat} null: no total rows). */
    private static void operators(StringBuilder sb, InferenceReport r, InferenceReport.Latency lat) {
        sb.append("  operators (").append(r.runs().size() > 1 ? "last run" : "DWT cycles").append(")\n");
        List<String[]> rows = new java.util.ArrayList<>();
        rows.add(new String[]{"#", "operator", "input", "output", "cycles", "%", "MACs", "cyc/MAC"});
        for (InferenceReport.Op op : r.operators()) {
            String ins = op.inputs().stream().filter(t -> !t.constant()).map(t -> shape(t.shape()))
                    .collect(Collectors.joining(" "));
            String outs = op.outputs().stream().map(t -> shape(t.shape())).collect(Collectors.joining(" "));
            rows.add(new String[]{String.valueOf(op.index()), op.operator(), ins, outs, grouped(op.cycles()),
                    String.format(Locale.ROOT, "%.1f", op.percent()), op.macs() == 0 ? "-" : grouped(op.macs()),
                    op.cyclesPerMac() == null ? "-" : f2(op.cyclesPerMac())});
        }
        if (lat != null) {
            rows.add(new String[]{"", "(interpreter)", "", "", grouped(lat.interpreterCycles()),
                    String.format(Locale.ROOT, "%.1f", lat.cycles() == 0 ? 0.0 : 100.0 * lat.interpreterCycles() / lat.cycles()), "", ""});
            rows.add(new String[]{"", "total", "", "", grouped(lat.cycles()), "100.0", grouped(lat.macs()),
                    lat.cyclesPerMac() == null ? "-" : f2(lat.cyclesPerMac())});
        }
        table(sb, rows, new boolean[]{true, false, false, false, true, true, true, true});
    }

    /** Flash and RAM used against the board (less what it reserves), and the verdict. */
    private static void fit(StringBuilder sb, InferenceReport r) {
        InferenceReport.Fit fit = r.fit();
        InferenceReport.Flash fl = fit.flash();
        long flCap = fl.capacity() - fl.reserved();
        line(sb, "flash", grouped(fl.used()) + " of " + grouped(flCap) + " bytes (" + pct(fl.used(), flCap) + "): runtime "
                + grouped(fl.runtime()) + " + model " + grouped(fl.model()) + "; " + free(fl.free())
                + (fl.reserved() > 0 ? " (" + grouped(fl.reserved()) + " reserved)" : ""));
        InferenceReport.Ram ram = fit.ram();
        long ramCap = ram.capacity() - ram.reserved();
        line(sb, "RAM", grouped(ram.used()) + " of " + grouped(ramCap) + " bytes (" + pct(ram.used(), ramCap) + "): static "
                + grouped(ram.staticBytes()) + " + arena " + grouped(ram.arena()) + " + stack peak " + grouped(ram.stackPeak())
                + " (of " + grouped(ram.stackReserved()) + " reserved" + (ram.stackOverflow() ? ", OVERFLOWED" : "") + "); "
                + free(ram.free()) + (ram.reserved() > 0 ? " (" + grouped(ram.reserved()) + " reserved)" : ""));
        String board = r.board().name();
        if (!fit.fits() && fit.fitsWithBestPlan()) {
            line(sb, "fit", "fits " + board + " with tinysim's plan (tinysim plan: RAM " + grouped(ram.usedWithBestPlan()) + " of "
                    + grouped(ramCap) + " bytes), not with TFLite Micro's planner (DOES NOT FIT as is)"
                    + (fit.measuredOn() == null ? "" : " (" + fit.measuredOn() + ")"));
        } else {
            line(sb, "fit", fit.fits() ? "fits " + board : "DOES NOT FIT " + board
                    + (fit.measuredOn() == null ? "" : " (" + fit.measuredOn() + ")"));
        }
    }

    /** "TFLite Micro's planner: X bytes; best plan: Y bytes (lower bound Z)" */
    public static String planLine(InferenceReport.Arena a) {
        String planner = a.offline() > 0 ? "TFLite Micro's planner with the model's offline plan (" + a.offline() + " tensors)"
                : "TFLite Micro's planner";
        return planner + ": " + grouped(a.planned()) + " bytes; best plan: " + grouped(a.bestPlanned()) + " bytes (lower bound "
                + grouped(a.lowerBound()) + ")"
                + (a.bestPlanned() < a.planned() ? "; tinysim plan writes it into the model" : "");
    }

    /** The memory-per-operator table and the peak (docs/inference-report.md). */
    public static void memory(StringBuilder sb, dev.tinysim.plan.LayerMemory m) {
        if (m.operators().isEmpty()) {
            return;
        }
        sb.append("  memory per operator (bytes; weights in flash, the rest in the arena while it runs)\n");
        List<String[]> rows = new java.util.ArrayList<>();
        rows.add(new String[]{"#", "operator", "weights", "activations", "scratch", "live"});
        for (dev.tinysim.plan.LayerMemory.Layer l : m.operators()) {
            rows.add(new String[]{String.valueOf(l.index()), l.operator(), grouped(l.weights()), grouped(l.activations()), grouped(l.scratch()),
                    grouped(l.live()) + (m.peak() != null && m.peak().operator() == l.index() ? "  <- peak" : "")});
        }
        table(sb, rows, new boolean[]{true, false, true, true, true, false});
        if (m.peak() != null) {
            line(sb, "peak", "operator " + m.peak().operator() + " (" + m.peak().name() + "), " + grouped(m.peak().bytes())
                    + " bytes alive: " + m.peak().buffers().stream().map(b -> (b.kind().equals("tensor") ? "tensor " + b.id()
                    + " '" + shortName(b.name()) + "'" : b.name()) + " " + grouped(b.size())).collect(Collectors.joining(", ")));
        }
    }

    /** Converter-made tensor names run to hundreds of characters: the start and the end say enough. */
    static String shortName(String name) {
        return name.length() <= 48 ? name : name.substring(0, 22) + "…" + name.substring(name.length() - 22);
    }

    private static void line(StringBuilder sb, String label, String text) {
        sb.append("  ").append(String.format("%-10s", label)).append(' ').append(text).append('\n');
    }

    static void table(StringBuilder sb, List<String[]> rows, boolean[] right) {
        int[] w = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                w[i] = Math.max(w[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder l = new StringBuilder("    ");
            for (int i = 0; i < row.length; i++) {
                String cell = row[i];
                String pad = " ".repeat(w[i] - cell.length());
                l.append(right[i] ? pad + cell : cell + pad).append(i + 1 < row.length ? "  " : "");
            }
            sb.append(l.toString().stripTrailing()).append('\n');
        }
    }

    static String tensor(InferenceReport.TensorInfo t) {
        return "'" + t.name() + "' " + t.type() + " " + shape(t.shape()) + " (" + grouped(t.bytes()) + " bytes)";
    }

    static String shape(List<Integer> s) {
        return s.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
    }

    private static String values(List<? extends Number> v, boolean real) {
        String shown = v.stream().limit(MAX_VALUES).map(x -> real ? g(x.floatValue()) : String.valueOf(x))
                .collect(Collectors.joining(" "));
        return v.size() > MAX_VALUES ? shown + " … (" + v.size() + " values; --format json lists all)" : shown;
    }

    private static String g(float f) {
        if (f == 0f) {
            return "0";
        }
        return String.format(Locale.ROOT, "%.6g", f).replaceAll("(\\.\\d*?)0+($|e)", "$1$2").replace(".e", "e")
                .replaceAll("\\.$", "");
    }

    private static String free(long free) {
        return free >= 0 ? grouped(free) + " free" : grouped(-free) + " bytes OVER";
    }

    private static String pct(long part, long whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }

    static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
