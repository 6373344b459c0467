package dev.tinysim.compare;

import dev.tinysim.failure.Failure;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.inference.InferenceOptions;
import dev.tinysim.inference.InferenceReport;
import dev.tinysim.inference.InferenceRunner;
import dev.tinysim.inference.InputSource;
import dev.tinysim.inference.Kernels;
import dev.tinysim.inference.ModelTable;
import dev.tinysim.reference.MacCounter;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.run.Version;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.TfliteModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code tinysim validate}: a model over a whole dataset with the Java reference interpreter (fast), against the
 * labels and against its float32 twin, and the first samples also on the emulated firmware, which must give the
 * reference interpreter's output bytes (what {@code stedgeai validate} does with a board, without one).
 */
public final class Validation {
    private Validation() {
    }

    /**
     * A model to validate (or compare against), read and prepared by the caller.
     *
     * @param file   its name and bytes
     * @param model  as read
     * @param ref    its prepared reference interpreter
     * @param inputs the dataset encoded for its input, one tensor per sample
     */
    public record Subject(Comparison.ModelFile file, TfliteModel model, ReferenceInterpreter ref, List<byte[]> inputs) {
    }

    /**
     * @param model          the model validated
     * @param reference      its float32 twin, or null
     * @param data           the dataset's description
     * @param labels         true class per sample, or null
     * @param classes        class names, or null
     * @param board          the board the firmware runs on
     * @param kernels        int8 kernels of the firmware run
     * @param deviceSamples  the first samples also run on the firmware (0: none)
     * @param accuracyBudget --max-accuracy-drop, or null
     * @param timing         timing model name
     * @param progress       progress of the firmware run
     */
    public record Request(Subject model, Subject reference, ValidateReport.Data data, int[] labels, List<String> classes, Board board,
                          Kernels kernels, int deviceSamples, AccuracyBudget accuracyBudget, String timing, Progress progress) {
    }

    public static ValidateReport run(Request req) {
        Subject m = req.model();
        Subject r = req.reference();
        int n = m.inputs().size();
        Progress progress = req.progress() == null ? Progress.NONE : req.progress();
        int device = Math.max(0, Math.min(req.deviceSamples(), n));
        long macs = MacCounter.totalMacs(m.model()) + 2000L * m.model().mainSubgraph().operators().size();
        progress.start("validate", (long) n * macs * (r == null ? 1 : 2) + 8L * device * macs);

        // the firmware run goes first, on its own thread: it is the longest part
        java.util.concurrent.CompletableFuture<InferenceRunner.Outcome> fw = null;
        if (device > 0) {
            InferenceOptions o = new InferenceOptions(req.board(), req.kernels(), device,
                    InputSource.Given.single(m.inputs().subList(0, device), "samples 0.." + (device - 1) + " of " + req.data().source()),
                    req.timing(), 0, false, x -> progress.add(8 * (x + 2000)));
            fw = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> InferenceRunner.runChecked(m.file().bytes(), m.file().name(), m.model(), o));
        }
        List<byte[]> outputs = outputs(m, progress, macs);
        List<byte[]> refOutputs = r == null ? null : outputs(r, progress, macs);
        Metrics metrics = Metrics.of(m.model().mainSubgraph().outputTensor(0), outputs,
                r == null ? null : r.model().mainSubgraph().outputTensor(0), refOutputs, req.labels(), req.classes(),
                Comparison.endsInSoftmax(m.model()) || r != null && Comparison.endsInSoftmax(r.model()));

        List<String> notes = new ArrayList<>();
        ValidateReport.Device dev = null;
        CompareReport.Result result = null;
        if (fw != null) {
            InferenceRunner.Outcome o = fw.join();
            InferenceReport rep = o.report();
            List<Integer> mismatches = new ArrayList<>();
            List<List<byte[]>> expected = ReferenceRuns.allOutputs(m.ref(), m.inputs().subList(0, device)); // every output
            for (int i = 0; i < device; i++) {
                if (i >= o.outputs().size() || !sameOutputs(expected.get(i), o.outputs().get(i))) {
                    mismatches.add(i);
                }
            }
            boolean ran = !o.outputs().isEmpty();
            Long cycles = rep.runs() == null || rep.runs().isEmpty() ? null : rep.runs().get(0).cycles();
            Double ms = rep.runs() == null || rep.runs().isEmpty() ? null : rep.runs().get(0).milliseconds();
            dev = new ValidateReport.Device(req.board().name(), rep.runtime() == null ? null : rep.runtime().image(),
                    req.kernels().name(), device, ran ? mismatches.isEmpty() : null, List.copyOf(mismatches), cycles, ms,
                    rep.fit() == null ? null : rep.fit().fits(), rep.result());
            if (rep.fit() != null && rep.fit().measuredOn() != null) {
                notes.add("the model does not fit " + req.board().name() + ": " + rep.fit().measuredOn());
            }
            int code = rep.result().exitCode();
            if (code != 0 && code != Failure.DOES_NOT_FIT.status()) {
                result = new CompareReport.Result("failed", code, "the firmware run failed: " + rep.result().message());
            } else if (!mismatches.isEmpty()) {
                result = new CompareReport.Result("device-mismatch", Failure.INTERNAL.status(), "the firmware's output differs from "
                        + "the reference interpreter's for sample" + (mismatches.size() == 1 ? " " : "s ") + mismatches
                        + " (a tinysim bug: please report it with the model and the data)");
            }
        }
        List<Budgets.Check> budgets = new ArrayList<>();
        if (req.accuracyBudget() != null) {
            budgets.add(req.accuracyBudget().check(m.file().name(), metrics.drop()));
        }
        String over = Budgets.message(budgets);
        if (result == null && over != null) {
            result = new CompareReport.Result("budget-exceeded", Failure.BUDGET_EXCEEDED.status(), over);
        }
        if (result == null) {
            result = new CompareReport.Result("ok", 0, summary(metrics, dev, m.file().name()));
        }
        if (req.labels() == null && r == null) {
            notes.add("no labels and no --float model: only the firmware's agreement with the reference interpreter is checked");
        }
        return new ValidateReport(new CompareReport.Tool("tinysim", Version.get(), null), info(m), r == null ? null : info(r),
                req.data(), metrics, dev, List.copyOf(budgets), result, List.copyOf(notes));
    }

    private static boolean sameOutputs(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int k = 0; k < a.size(); k++) {
            if (!Arrays.equals(a.get(k), b.get(k))) {
                return false;
            }
        }
        return true;
    }

    private static List<byte[]> outputs(Subject s, Progress progress, long macs) {
        List<byte[]> out = ReferenceRuns.outputs(s.ref(), s.inputs());
        progress.add(out.size() * macs);
        return out;
    }

    /** The result line: the headline figure and the device check. */
    static String summary(Metrics m, ValidateReport.Device d, String model) {
        List<String> parts = new ArrayList<>();
        if (m.model() != null) {
            parts.add(model + " top-1 accuracy " + AccuracyText.pct(m.model().accuracy())
                    + (m.reference() != null ? " (float32 " + AccuracyText.pct(m.reference().accuracy()) + ", drop "
                    + AccuracyText.points(m.drop()) + ")" : ""));
        } else if (m.agreement() != null) {
            parts.add("top-1 agreement with float32 " + AccuracyText.pct(m.agreement()));
        } else if (m.snrDb() != null) {
            parts.add(String.format(java.util.Locale.ROOT, "SNR %.2f dB against float32", m.snrDb()));
        }
        parts.add(m.count() + " sample" + (m.count() == 1 ? "" : "s"));
        if (d != null && Boolean.TRUE.equals(d.bitExact())) {
            parts.add(d.samples() + " on the firmware, bit-exact");
        }
        return String.join("; ", parts);
    }

    private static CompareReport.ModelInfo info(Subject s) {
        Subgraph g = s.model().mainSubgraph();
        return new CompareReport.ModelInfo(s.file().name(), s.file().bytes().length, ModelTable.precision(s.model()),
                g.operators().size(), MacCounter.totalMacs(s.model()), InferenceRunner.info(s.model(), g.inputs().get(0)),
                InferenceRunner.info(s.model(), g.outputs().get(0)));
    }
}
