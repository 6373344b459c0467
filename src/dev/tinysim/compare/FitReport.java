package dev.tinysim.compare;

import java.util.List;

/**
 * Everything {@code tinysim fit} reports, as a record tree (JSON keys = field names; docs/json-reports.md).
 *
 * @param tool           tinysim version and engine
 * @param board          the board as given
 * @param target         what was fitted: a model or a firmware ELF
 * @param timing         the timing model of the cycles
 * @param input          the input of the inference (models), or null
 * @param configurations a model: the board as given ({@code fpu}, or {@code no-fpu} on a board without FPU), then
 *                       on an FPU board its FPU-less configuration ({@code no-fpu}); a firmware: {@code firmware}
 * @param verdictFrom    the configuration the verdict, the exit code and the budgets judge: the board as given (the first)
 * @param arena          the arena of {@code verdictFrom} (a model): TFLite Micro's plan ({@code planned}), tinysim's best plan
 *                       ({@code bestPlanned}) and a lower bound, as {@code run --model} reports them; null for a firmware
 * @param memory         memory per operator and the peak, for {@code verdictFrom} (a model); null for a firmware
 * @param budgets        the budgets given, checked against {@code verdictFrom}
 * @param result         the outcome and exit code
 * @param notes          anything else to know
 */
public record FitReport(CompareReport.Tool tool, CompareReport.BoardInfo board, Target target, CompareReport.Timing timing,
                        String input, List<Measurement> configurations, String verdictFrom,
                        dev.tinysim.inference.InferenceReport.Arena arena, dev.tinysim.plan.LayerMemory memory,
                        List<Budgets.Check> budgets, Result result, List<String> notes) {

    /**
     * @param kind      {@code model} or {@code firmware}
     * @param file      file name
     * @param bytes     file size
     * @param precision models: {@code int8}, {@code float32} or {@code hybrid}; null for a firmware
     * @param operators models: operator count
     * @param macs      models: multiply-accumulates per inference
     */
    public record Target(String kind, String file, long bytes, String precision, Integer operators, Long macs) {
    }

    /**
     * @param kind     {@code fits}, {@code does-not-fit}, {@code budget-exceeded}, or {@code failed} (the run failed: its exit code)
     * @param exitCode 0, 67, 68, or the failure's code
     * @param message  one line: the verdict, what overflows and by how much, or which budget is exceeded
     */
    public record Result(String kind, int exitCode, String message) {
    }

    public Measurement configuration(String id) {
        return configurations.stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
    }
}
