package dev.tinysim.compare;

import dev.tinysim.inference.InferenceReport;

import java.util.List;

/**
 * What {@code tinysim validate} reports (docs/json-reports.md): a model on a dataset — against the labels, against its
 * float32 twin (--float), and on the emulated firmware for the first samples, which must be bit-exact with the Java
 * reference interpreter that computed everything else.
 *
 * @param tool      tinysim's name and version
 * @param model     the model validated
 * @param reference the float32 model it is compared with, or null
 * @param data      the dataset and how it fed each model
 * @param metrics   accuracy (labels), agreement and errors (reference); see {@link Metrics}
 * @param device    the firmware check
 * @param budgets   --max-accuracy-drop, when given
 * @param result    ok (0) | budget-exceeded (68) | device-mismatch (70) | failed (the device run's code)
 * @param notes     anything else
 */
public record ValidateReport(CompareReport.Tool tool, CompareReport.ModelInfo model, CompareReport.ModelInfo reference, Data data,
                             Metrics metrics, Device device, List<Budgets.Check> budgets, CompareReport.Result result,
                             List<String> notes) {

    /**
     * @param source   the file or folder
     * @param format   what was read
     * @param samples  samples used
     * @param labelled the samples have true classes
     * @param bindings how the data fed each model, one line each
     * @param notes    how the data was read
     */
    public record Data(String source, String format, int samples, boolean labelled, List<String> bindings, List<String> notes) {
    }

    /**
     * @param board      the board the firmware ran on
     * @param runtime    the runtime build (runtime-m4f.elf, runtime-m4.elf)
     * @param kernels    simd or reference
     * @param samples    inputs run on the firmware (the first ones of the dataset)
     * @param bitExact   every one of them gave the reference interpreter's output bytes (null when none ran)
     * @param mismatches indices of the samples that did not
     * @param cycles     DWT cycles of the first inference
     * @param milliseconds those cycles at the board clock
     * @param fits       the model fits the board (flash and RAM); it is measured all the same
     * @param result     the firmware run's own result
     */
    public record Device(String board, String runtime, String kernels, int samples, Boolean bitExact, List<Integer> mismatches,
                         Long cycles, Double milliseconds, Boolean fits, InferenceReport.Result result) {
    }
}
