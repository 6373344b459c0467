package dev.tinysim.compare;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tinysim.inference.InferenceReport;

import java.util.List;

/**
 * Everything {@code tinysim compare} (and {@code tinysim demo}) reports, as a record tree: rendered as text
 * ({@link CompareText}), CSV ({@link Csv}) or JSON (field names are the keys; docs/json-reports.md), and the
 * data model of the HTML report ({@link ReportRenderer}).
 *
 * @param tool           tinysim version and engine
 * @param board          the board as given, and its FPU-less configuration
 * @param timing         the timing model the cycles come from
 * @param models         the two models
 * @param input          the input of the firmware runs (the first of the accuracy inputs)
 * @param configurations the rows, in the order int8-simd, int8-reference, float32-fpu, float32-soft
 * @param absent         configurations left out, and why (float32-fpu on a board without FPU)
 * @param baseline       the configuration speed-ups are relative to ({@code float32-fpu}, or {@code float32-soft} without an FPU)
 * @param accuracy       int8 against float32 over the generated inputs
 * @param layers         per-operator cycles of every configuration side by side
 * @param budgets        the budgets given and the configurations over them
 * @param result         the outcome and exit code
 * @param notes          anything else to know
 */
public record CompareReport(Tool tool, BoardInfo board, Timing timing, Models models, String input,
                            List<Measurement> configurations, List<Absent> absent, String baseline, Accuracy accuracy,
                            Layers layers, List<Budgets.Check> budgets, Result result, List<String> notes) {

    public record Tool(String name, String version, String engine) {
    }

    /**
     * @param noFpuBoard    the FPU-less configuration the soft-float row ran on (the board itself when it has no FPU)
     * @param reservedFlash flash set aside for other software (profile or --reserve-flash)
     * @param reservedRam   RAM set aside for other software
     */
    public record BoardInfo(String name, String description, long clockHz, boolean fpu, String noFpuBoard, long flashBytes,
                            long ramBytes, long reservedFlash, long reservedRam) {
    }

    public record Timing(String model, String description) {
    }

    public record Models(@JsonProperty("float32") ModelInfo float32, @JsonProperty("int8") ModelInfo int8) {
    }

    /**
     * @param precision {@code float32}, {@code hybrid} (float32 activations, int8 weights) or {@code int8}
     * @param macs      multiply-accumulates per inference (from shapes)
     */
    public record ModelInfo(String file, long bytes, String precision, int operators, long macs,
                            InferenceReport.TensorInfo input, InferenceReport.TensorInfo output) {
    }

    /** A configuration not measured, and why. */
    public record Absent(String id, String label, String reason) {
    }

    /**
     * @param kind     {@code ok}, {@code budget-exceeded}, or {@code failed} (a configuration's run failed: its exit code)
     * @param exitCode the process exit code
     * @param message  one line
     */
    public record Result(String kind, int exitCode, String message) {
    }

    public Measurement configuration(String id) {
        return configurations.stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
    }
}
