package dev.tinysim.sweep;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.tinysim.compare.CompareReport;
import dev.tinysim.compare.Measurement;

import java.util.List;

/**
 * Everything {@code tinysim sweep} reports: one row per model × board × configuration, in that order (whatever
 * {@code --jobs} was). Written as CSV ({@link SweepCsv}) or JSON (field names are the keys; docs/json-reports.md).
 *
 * @param tool           tinysim version and engine
 * @param timing         the timing model of every row
 * @param input          the input of every inference (seeded random, the same as {@code tinysim run --model --seed S})
 * @param jobs           configurations measured at once
 * @param configurations the configurations asked for (all four unless {@code --configs} chose)
 * @param models         the models, in the order given (directories expanded, sorted)
 * @param boards         the boards, in the order given
 * @param rows           model × board × configuration
 * @param result         ok, or the first failure
 * @param notes          anything else to know
 */
public record SweepReport(CompareReport.Tool tool, CompareReport.Timing timing, String input, int jobs, List<String> configurations,
                          List<ModelInfo> models, List<CompareReport.BoardInfo> boards, List<Row> rows, Result result,
                          List<String> notes) {

    /**
     * @param file      file name
     * @param path      the path as found (given, or inside a directory given)
     * @param bytes     file size
     * @param precision {@code int8}, {@code float32} or {@code hybrid}; null when the model could not be read
     * @param operators operator count (null when unreadable)
     * @param macs      multiply-accumulates per inference (null when unreadable)
     * @param error     null, or why the model was not run (corrupt: exit 65; unsupported operator: 72)
     */
    public record ModelInfo(String file, String path, long bytes, String precision, Integer operators, Long macs, String error) {
    }

    /**
     * One configuration of one model on one board. The CSV columns are these fields (snake_case), without {@code operators}.
     *
     * @param model         file name
     * @param path          the model's path
     * @param precision     int8, float32 or hybrid (null: unreadable model)
     * @param macs          multiply-accumulates per inference
     * @param board         the board as given
     * @param configuration int8-simd, int8-reference, float32-fpu, float32-soft (null: the model was not run)
     * @param runsOn        the board it ran on (float32-soft: the FPU-less configuration, e.g. nrf52840-nofpu)
     * @param fpu           whether that board has an FPU
     * @param clockHz       its clock
     * @param runtime       runtime-m4f.elf or runtime-m4.elf
     * @param abi           hard or soft
     * @param kernels       simd or reference (the int8 kernels; float32 rows report the build's default, simd)
     * @param cycles        DWT cycles of one inference (null: not measured)
     * @param milliseconds  cycles at the clock
     * @param cyclesPerMac  cycles / MACs
     * @param flash         flash use against the board (runtime + model)
     * @param ram           RAM use against the board (static + arena + stack peak)
     * @param fits          flash and RAM fit
     * @param measuredOn    null, or how memory was enlarged to measure a configuration that does not fit
     * @param argmax        index of the largest output value (-1: none)
     * @param outputSha256  SHA-256 of the output tensor's bytes (the inference's result, to compare runs)
     * @param instructions  instructions of the whole firmware run
     * @param wallSeconds   host time of the whole firmware run (disturbed by the other jobs)
     * @param result        kind ({@code ok}, {@code does-not-fit}, {@code runtime-error}, a firmware end, {@code invalid-model},
     *                      {@code unsupported-model}, {@code failed}), exit code ({@code tinysim run --model} would exit with), message
     * @param operators     JSON only: cycles per operator
     */
    public record Row(String model, String path, String precision, Long macs, String board, String configuration, String runsOn,
                      Boolean fpu, Long clockHz, String runtime, String abi, String kernels, Long cycles, Double milliseconds,
                      Double cyclesPerMac, Measurement.Flash flash, Measurement.Ram ram, Boolean fits, String measuredOn, Integer argmax,
                      String outputSha256, Long instructions, Double wallSeconds, Measurement.Result result,
                      List<Measurement.OpCycles> operators) {

        /** Whether the configuration ran to the end of its inference (a model that does not fit counts: it is measured). */
        @JsonIgnore
        public boolean ran() {
            int code = result.exitCode();
            return code == 0 || code == 67;
        }
    }

    /**
     * @param kind     {@code ok} (every configuration ran; some may not fit) or {@code failed}
     * @param exitCode 0, or the first failed row's exit code
     * @param message  one line
     */
    public record Result(String kind, int exitCode, String message) {
    }
}
