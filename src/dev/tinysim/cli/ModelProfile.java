package dev.tinysim.cli;

import dev.tinysim.emulator.machine.Machine;
import dev.tinysim.firmware.FirmwareImage;
import dev.tinysim.inference.InferenceReport;
import dev.tinysim.inference.InferenceRunner;
import dev.tinysim.profile.ProfileReport;
import dev.tinysim.profile.Profiler;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code tinysim run --model M --profile}: the function-level profile of one inference on the bundled runtime. The
 * profiler ({@link Profiler}) follows the whole firmware run; the report keeps what happens inside {@code ts_invoke}, the
 * runtime's inference, with one {@code [op N CODE]} frame per operator (each of {@code ts_invoke}'s calls to an operator's
 * eval function) above the runtime's own functions. The collapsed stacks ({@code ts_invoke;[op 0 CONV_2D];eval_conv;...
 * cycles}) are written for flamegraph.pl and speedscope; their counts add up to the cycles spent in {@code ts_invoke}.
 */
final class ModelProfile {
    /** The runtime's inference: one call per run, which calls each operator's eval function in order (ts_runtime.c). */
    static final String INFERENCE_FUNCTION = "ts_invoke";
    /** What ts_invoke calls besides the operators: the cycle counter read around each one. */
    static final Set<String> NOT_OPERATORS = Set.of("ts_port_cycles");

    /**
     * The profile of one inference.
     *
     * @param file            where the collapsed stacks went
     * @param cycles          cycles inside ts_invoke (what the collapsed stacks add up to)
     * @param inferenceCycles the run's cycles as the report gives them (DWT CYCCNT read before and after ts_invoke)
     * @param operators       per operator: its frame's cycles (the eval function and everything it calls)
     * @param functions       per function (and operator frame): self and inclusive cycles, calls
     * @param stacks          the collapsed stacks
     */
    record Result(String file, long cycles, long inferenceCycles, List<Operator> operators, List<ProfileReport.Function> functions,
                  List<ProfileReport.Stack> stacks) {
        String text() {
            StringBuilder sb = new StringBuilder();
            long counter = inferenceCycles - cycles;
            sb.append(String.format(Locale.ROOT, "  profile    one inference: %,d cycles inside %s", cycles, INFERENCE_FUNCTION));
            sb.append(String.format(Locale.ROOT, " (the run's %,d cycles also count the %,d cycles of the calls reading the cycle counter around it)%n",
                    inferenceCycles, counter));
            sb.append(new ProfileReport(cycles, functions, stacks).table(15));
            sb.append(String.format(Locale.ROOT, "  profile    %-32s %14s %7s %14s%n", "operator", "cycles", "", "report's cycles"));
            for (Operator o : operators) {
                sb.append(String.format(Locale.ROOT, "             %-32s %,14d %6.1f%% %,14d%n", o.frame(), o.cycles(),
                        cycles == 0 ? 0.0 : 100.0 * o.cycles() / cycles, o.reportedCycles()));
            }
            sb.append("  profile    collapsed stacks (flamegraph.pl, speedscope) written to ").append(file).append('\n');
            return sb.toString();
        }
    }

    /** One operator's frame: {@code cycles} in its eval function; {@code reportedCycles} the report's (the counter reads around it). */
    record Operator(int index, String operator, String frame, long cycles, long reportedCycles) {
    }

    private final FirmwareImage runtime;
    private Profiler profiler;

    ModelProfile(FirmwareImage runtime) {
        this.runtime = runtime;
    }

    /** A fresh profiler on every firmware run (the runner runs again on enlarged RAM when the arena does not fit). */
    void attach(Machine machine) {
        profiler = new Profiler(runtime.symbolizer()).groupCallsFrom(INFERENCE_FUNCTION, NOT_OPERATORS);
        machine.core().setBlockListener(profiler);
    }

    /**
     * Ends the profile, writes the collapsed stacks to {@code file} and returns what the report shows; null when no
     * inference completed (the report says why; nothing is written).
     */
    Result finish(InferenceRunner.Outcome outcome, Path file) {
        InferenceReport report = outcome.report();
        List<InferenceReport.Op> ops = report.operators() == null ? List.of() : report.operators();
        if (profiler == null || report.runs() == null || report.runs().isEmpty()) {
            return null;
        }
        ProfileReport p = profiler.finish(outcome.firmware().execution().cycles(), INFERENCE_FUNCTION,
                i -> "[op " + i + " " + (i < ops.size() ? ops.get(i).operator() : "?") + "]");
        ReportWriter.writeAtomically(file, p.folded().getBytes(StandardCharsets.UTF_8));
        List<Operator> operators = new ArrayList<>();
        for (InferenceReport.Op op : ops) {
            String frame = "[op " + op.index() + " " + op.operator() + "]";
            long cycles = p.functions().stream().filter(f -> f.name().equals(frame)).mapToLong(ProfileReport.Function::inclusiveCycles)
                    .sum();
            operators.add(new Operator(op.index(), op.operator(), frame, cycles, op.cycles()));
        }
        return new Result(file.toString(), p.totalCycles(), report.runs().get(0).cycles(), operators, p.functions(), p.stacks());
    }
}
