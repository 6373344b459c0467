package dev.tinysim.inference;

import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.timing.TimingModels;
import dev.tinysim.run.RunSettings;

/**
 * How to run a model.
 *
 * @param board           the board (its FPU picks the runtime build: hard float with an FPU, soft float without)
 * @param kernels         int8 kernels: SIMD or reference
 * @param runs            inferences (>= 1)
 * @param input           where the input tensor's bytes come from
 * @param timing          timing model name (null: the default)
 * @param maxInstructions runaway limit for the whole firmware run (0: 5e9 per run)
 * @param hexOutput       ask the runtime to print the output tensor as {@code @ts output} lines as well (flags bit 0)
 * @param progress        told about every operator as the runtime reports it (null: nobody)
 * @param planOnly        load and plan the model and report the plan, run no inference (flags bit 2); for {@code tinysim plan}
 * @param timeoutMillis   wall-clock limit of the whole firmware run in milliseconds, counted from the start of the first
 *                        emulation (every inference, and the rerun on enlarged memory, which gets what is left): result
 *                        {@code timeout}, exit 94 (--timeout; 0: none)
 */
public record InferenceOptions(Board board, Kernels kernels, int runs, InputSource input, String timing,
                               long maxInstructions, boolean hexOutput, InferenceProgress progress, boolean planOnly,
                               long timeoutMillis) {

    /** Most inferences per firmware run: every run prints its operator lines, and the console keeps 16 MB. */
    public static final int MAX_RUNS = 10_000;

    public InferenceOptions {
        if (runs < 1 || runs > MAX_RUNS) {
            throw new IllegalArgumentException("runs must be between 1 and " + MAX_RUNS + " (got " + runs + ")");
        }
        timing = timing == null ? TimingModels.defaultName() : timing;
        kernels = kernels == null ? Kernels.simd : kernels;
        input = input == null ? new InputSource.Seeded(1) : input;
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("timeoutMillis must not be negative (got " + timeoutMillis + ")");
        }
    }

    public InferenceOptions(Board board, Kernels kernels, int runs, InputSource input, String timing, long maxInstructions,
                            boolean hexOutput, InferenceProgress progress, boolean planOnly) {
        this(board, kernels, runs, input, timing, maxInstructions, hexOutput, progress, planOnly, 0);
    }

    public InferenceOptions(Board board, Kernels kernels, int runs, InputSource input, String timing, long maxInstructions,
                            boolean hexOutput) {
        this(board, kernels, runs, input, timing, maxInstructions, hexOutput, null, false);
    }

    public InferenceOptions(Board board, Kernels kernels, int runs, InputSource input, String timing, long maxInstructions,
                            boolean hexOutput, InferenceProgress progress) {
        this(board, kernels, runs, input, timing, maxInstructions, hexOutput, progress, false);
    }

    public static InferenceOptions of(Board board, Kernels kernels, int runs, InputSource input) {
        return new InferenceOptions(board, kernels, runs, input, null, 0, false);
    }

    public InferenceOptions withBoard(Board b) {
        return new InferenceOptions(b, kernels, runs, input, timing, maxInstructions, hexOutput, progress, planOnly, timeoutMillis);
    }

    public InferenceOptions withHexOutput(boolean hex) {
        return new InferenceOptions(board, kernels, runs, input, timing, maxInstructions, hex, progress, planOnly, timeoutMillis);
    }

    public InferenceOptions withProgress(InferenceProgress p) {
        return new InferenceOptions(board, kernels, runs, input, timing, maxInstructions, hexOutput, p, planOnly, timeoutMillis);
    }

    public InferenceOptions withInput(InputSource in) {
        return new InferenceOptions(board, kernels, runs, in, timing, maxInstructions, hexOutput, progress, planOnly, timeoutMillis);
    }

    public InferenceOptions withPlanOnly(boolean only) {
        return new InferenceOptions(board, kernels, runs, input, timing, maxInstructions, hexOutput, progress, only, timeoutMillis);
    }

    /** The same options with a wall-clock limit ({@code millis} 0: none). */
    public InferenceOptions withTimeoutMillis(long millis) {
        return new InferenceOptions(board, kernels, runs, input, timing, maxInstructions, hexOutput, progress, planOnly, millis);
    }

    long effectiveMaxInstructions() {
        return maxInstructions > 0 ? maxInstructions : RunSettings.DEFAULT_MAX_INSTRUCTIONS * runs;
    }
}
