package dev.tinysim.inference;

import dev.tinysim.failure.Failure;
import dev.tinysim.failure.FailureException;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.plan.ArenaAnalysis;
import dev.tinysim.plan.Buffer;
import dev.tinysim.plan.LayerMemory;
import dev.tinysim.plan.OfflinePlan;
import dev.tinysim.tflite.TfliteModel;

import java.util.ArrayList;
import java.util.List;

import static dev.tinysim.emulator.units.Units.grouped;

/**
 * {@code tinysim plan}: writes tinysim's smallest arena plan into a model as TFLite Micro's OfflineMemoryAllocation
 * metadata. The runtime is run once without inference (plan only) to learn the scratch buffers its operators request
 * with the chosen kernels; the best plan's tensor offsets are written (scratch buffers cannot be planned offline: TFLite
 * Micro and the runtime place them around the fixed tensors, which the best plan accounts for); then the runtime plans
 * the new model once more, and must plan exactly the best plan's bytes.
 */
public final class PlanWriter {

    /**
     * @param model      the model planned: {@code file}, {@code bytes}
     * @param board      the board the runtime ran on
     * @param kernels    the kernel set whose scratch requests were planned
     * @param arena      TFLite Micro's plan of the model as given, the best plan and a lower bound
     * @param output     the model written
     * @param memory     memory per operator and the peak
     * @param result     {@code kind} ok, {@code exitCode}, {@code message}
     * @param notes      anything else to know
     */
    public record Report(ModelInfo model, String board, String kernels, Arena arena, Output output, LayerMemory memory,
                         Result result, List<String> notes) {
    }

    public record ModelInfo(String file, long bytes, int tensors, int operators) {
    }

    /**
     * @param planned     TFLite Micro's plan of the model as given (bytes)
     * @param bestPlanned tinysim's best plan (bytes)
     * @param lowerBound  no plan is smaller
     * @param bestOptimal the exact search proved the best plan optimal
     * @param persistent  the runtime's persistent bytes (unchanged by the plan)
     */
    public record Arena(long planned, long bestPlanned, long lowerBound, boolean bestOptimal, long persistent) {
    }

    /**
     * @param file           where the model with the plan was written (as given)
     * @param bytes          its size
     * @param offlineTensors tensors the plan places (the others are constants, variables or unplanned)
     * @param planned        what the runtime planned for the written model (= bestPlanned)
     */
    public record Output(String file, long bytes, int offlineTensors, long planned) {
    }

    public record Result(String kind, int exitCode, String message) {
    }

    /** The written model and its report. */
    public record Written(byte[] bytes, Report report) {
    }

    private PlanWriter() {
    }

    public static Written plan(byte[] bytes, String name, String outputName, Board board, Kernels kernels) {
        TfliteModel model = InferenceRunner.check(bytes, name);
        InferenceOptions options = InferenceOptions.of(board, kernels, 1, null).withPlanOnly(true);
        InferenceRunner.Outcome first = InferenceRunner.runChecked(bytes, name, model, options);
        if (first.exitCode() != 0 && first.exitCode() != Failure.DOES_NOT_FIT.status() || first.arena() == null) {
            throw new FailureException(exitOf(first), first.report().result().message());
        }
        ArenaAnalysis a = first.arena();
        int tensors = model.mainSubgraph().tensors().size();
        // no offline plan smaller than TFLite Micro's own (several scratch buffers in one operator): the model as it is
        byte[] planned = a.bestIsOffline() ? OfflinePlan.write(bytes, model, a.bestTensorOffsets(tensors)) : bytes.clone();
        int offline = a.bestIsOffline() ? tensorsPlanned(a) : (int) first.report().arena().offline();

        // the runtime must honour it: exactly the best plan's bytes
        TfliteModel written = InferenceRunner.check(planned, outputName);
        InferenceRunner.Outcome second = InferenceRunner.runChecked(planned, outputName, written, options);
        long runtimePlanned = second.report().arena() == null ? -1 : second.report().arena().planned();
        if (second.exitCode() != 0 && second.exitCode() != Failure.DOES_NOT_FIT.status() || runtimePlanned != a.best().size()
                || second.report().arena().offline() != offline) {
            throw new FailureException(Failure.INTERNAL, outputName + ": the runtime planned " + runtimePlanned + " bytes ("
                    + (second.report().arena() == null ? 0 : second.report().arena().offline()) + " tensors offline) for the plan"
                    + " written, where tinysim's plan has " + a.best().size() + " (" + offline + " tensors): "
                    + second.report().result().message());
        }
        InferenceReport.Arena fa = first.report().arena();
        List<String> notes = new ArrayList<>();
        if (fa.offline() > 0) {
            notes.add(name + " already had an offline plan (" + fa.offline() + " tensors): it is replaced");
        }
        notes.addAll(first.report().notes().stream().filter(n -> n.contains("plan")).toList());
        String message = a.best().size() < fa.planned()
                ? "wrote " + outputName + ": the arena's planned part shrinks from " + grouped(fa.planned()) + " to " + grouped(a.best().size())
                + " bytes (" + grouped(fa.planned() - a.best().size()) + " saved)"
                : "wrote " + outputName + ": no plan smaller than TFLite Micro's (" + grouped(fa.planned()) + " bytes) was found"
                + (a.lowerBound() == fa.planned() ? "; it is optimal" : "")
                + (a.bestIsOffline() ? "" : "; the model is written unchanged");
        Report report = new Report(new ModelInfo(name, bytes.length, tensors, model.mainSubgraph().operators().size()),
                board.name(), kernels.name(),
                new Arena(fa.planned(), a.best().size(), a.lowerBound(), a.optimal(), fa.persistent()),
                new Output(outputName, planned.length, offline, runtimePlanned), a.layers(),
                new Result("ok", 0, message), List.copyOf(notes));
        return new Written(planned, report);
    }

    private static int tensorsPlanned(ArenaAnalysis a) {
        return (int) a.buffers().stream().filter(b -> b.kind() == Buffer.Kind.tensor).count();
    }

    /** The failure behind an outcome's status ({@code null}, success, for status 0). */
    private static Failure exitOf(InferenceRunner.Outcome o) {
        return o.exitCode() == Failure.SUCCESS ? null : Failure.ofStatus(o.exitCode()).orElse(Failure.RUNTIME_ERROR);
    }

}
