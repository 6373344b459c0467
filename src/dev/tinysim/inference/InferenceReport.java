package dev.tinysim.inference;

import java.util.List;
import java.util.Map;

/**
 * Everything {@code tinysim run --model} reports, as a record tree: printed as text
 * ({@link InferenceTextReport}) or serialised as the JSON document of {@code --format json} (field names
 * are the JSON keys; docs/inference-report.md describes every field).
 *
 * @param tool       tinysim version and engine
 * @param model      the .tflite file as the Java reader saw it
 * @param board      the board the fit is judged against (not the enlarged one a model that does not fit is measured on)
 * @param runtime    the firmware image and what its {@code @ts runtime} line said
 * @param timing     the timing model the cycles come from
 * @param input      where the input tensors' bytes came from
 * @param runs       one entry per inference
 * @param latency    summary of the runs' cycles
 * @param operators  the per-operator table (the last run's DWT cycles)
 * @param arena      the runtime's memory plan (TFLite Micro's), the smallest plan tinysim found and a lower bound
 * @param memory     memory per operator and the peak (from the plan's buffers; null when the runtime did not plan)
 * @param fit        flash and RAM, used against the board
 * @param output     the first output tensor of the last run
 * @param outputs    every output tensor of the last run, in graph order
 * @param execution  the whole firmware run (load, plan, every inference, report lines)
 * @param result     how the firmware ended and the exit code
 * @param notes      anything the user should know (measured on enlarged memory, protocol oddities)
 */
public record InferenceReport(Tool tool, Model model, BoardInfo board, Runtime runtime, Timing timing, Input input,
                              List<Run> runs, Latency latency, List<Op> operators, Arena arena,
                              dev.tinysim.plan.LayerMemory memory, Fit fit, Output output, List<Output> outputs,
                              Execution execution, Result result, List<String> notes) {

    public record Tool(String name, String version, String engine) {
    }

    /**
     * @param macs          total multiply-accumulates per inference (from shapes, {@code MacCounter})
     * @param input         the first graph input
     * @param outputTensor  the first graph output
     * @param inputs        every graph input, in graph order
     * @param outputTensors every graph output, in graph order
     */
    public record Model(String file, long bytes, int tensors, int operators, long macs, TensorInfo input,
                        TensorInfo outputTensor, List<TensorInfo> inputs, List<TensorInfo> outputTensors) {
    }

    /** A tensor: index in subgraph 0, name, element type, shape, bytes, and whether it is constant (weights, biases). */
    public record TensorInfo(int index, String name, String type, List<Integer> shape, long bytes, boolean constant) {
    }

    public record BoardInfo(String name, String description, long clockHz, boolean fpu, long flashBytes, long ramBytes) {
    }

    /**
     * @param image    the bundled firmware file (runtime-m4f.elf or runtime-m4.elf)
     * @param abi      "hard" or "soft" (float ABI, from the {@code @ts runtime} line)
     * @param kernels  "simd" or "reference"
     */
    public record Runtime(String image, long version, String abi, String kernels) {
    }

    /** @param memory what the flash path did in the whole firmware run (boot, model parsing and every inference) */
    public record Timing(String model, String description, Map<String, Object> parameters,
                         dev.tinysim.run.MemoryReport memory) {
    }

    /**
     * @param source  "seed N" (seeded random, run i uses seed N+i), "file NAME", "files A, B", or a description given by
     *                the caller
     * @param tensor  the first graph input
     * @param tensors every graph input, in graph order
     */
    public record Input(String source, TensorInfo tensor, List<TensorInfo> tensors) {
    }

    /**
     * @param cycles           DWT CYCCNT around the whole inference (operators and interpreter)
     * @param milliseconds     cycles at the board clock
     * @param wallMilliseconds host time from the input call to the output call of this inference
     * @param argmax           index of the largest value of the first output (classifiers: the predicted class)
     */
    public record Run(int index, long cycles, double milliseconds, double wallMilliseconds, int argmax) {
    }

    /**
     * @param cycles       the last run's cycles (the figure tables use)
     * @param milliseconds the last run at the board clock
     * @param minCycles    the fastest run
     * @param maxCycles    the slowest run
     * @param macs         multiply-accumulates per inference
     * @param operatorCycles    the last run's operator cycles summed (DWT around each kernel)
     * @param interpreterCycles the last run's cycles outside the kernels (interpreter loop, DWT reads)
     * @param cyclesPerMac cycles / macs (null without MACs)
     * @param wallMillisecondsPerInference host time per inference, averaged over the runs
     */
    public record Latency(long cycles, double milliseconds, long minCycles, long maxCycles, long operatorCycles,
                          long interpreterCycles, long macs, Double cyclesPerMac, double wallMillisecondsPerInference) {
    }

    /**
     * One operator. {@code inputs}/{@code outputs} come from the Java model ({@code -1} inputs, omitted
     * optional ones such as a missing bias, are left out); cycles and MACs from the runtime.
     *
     * @param cyclesPerRun the operator's cycles in every run (only when there was more than one)
     */
    public record Op(int index, String operator, List<TensorInfo> inputs, List<TensorInfo> outputs, long cycles,
                     long macs, Double cyclesPerMac, double percent, List<Long> cyclesPerRun) {
    }

    /**
     * @param planned         activation and scratch bytes the runtime planned: TFLite Micro's greedy plan, exactly (an
     *                        OfflineMemoryAllocation plan in the model honoured, as TFLite Micro does)
     * @param bestPlanned     the smallest plan tinysim found that an offline plan can express ({@code tinysim plan}
     *                        writes it); never above {@code planned}. Null when the runtime did not plan.
     * @param lowerBound      no plan is smaller: the most bytes alive at one time, or {@code bestPlanned} when the
     *                        exact search proved it optimal. Null when the runtime did not plan.
     * @param bestOptimal     the exact search proved that no smaller plan than {@code bestPlanned} exists
     * @param offline         tensors placed by the model's OfflineMemoryAllocation plan (0: none)
     * @param persistent      per-tensor and per-operator state allocated for the whole model
     * @param total           planned + persistent: the arena's high-water mark
     * @param bestTotal       bestPlanned + persistent: the high-water mark with tinysim's plan
     * @param capacity        the arena the runtime was given
     * @param base            where the arena was (hex)
     * @param enlarged        true when the arena was placed in RAM tinysim added to measure a model that does not fit
     */
    public record Arena(long planned, Long bestPlanned, Long lowerBound, boolean bestOptimal, long offline, long persistent,
                        long total, Long bestTotal, long capacity, String base, boolean enlarged) {
    }

    /**
     * @param fits             flash and RAM both fit (with TFLite Micro's plan: the model as given)
     * @param fitsWithBestPlan flash and RAM both fit with tinysim's plan ({@code tinysim plan} writes it into the model)
     * @param measuredOn       null, or how the board was enlarged to measure a model that does not fit
     */
    public record Fit(Flash flash, Ram ram, boolean fits, boolean fitsWithBestPlan, String measuredOn) {
    }

    /**
     * @param runtime   bytes of the runtime firmware stored in flash
     * @param model     bytes of the .tflite file
     * @param used      runtime + alignment padding + model (the model starts at the 16-aligned {@code __model_start})
     * @param capacity  the board's flash
     * @param reserved  flash reserved for other software (a BLE stack) by the board profile
     * @param free      capacity - reserved - used (negative: bytes over)
     */
    public record Flash(long runtime, long model, long used, long capacity, long reserved, long free, boolean fits) {
    }

    /**
     * @param staticBytes   .bss + .noinit of the runtime (the stack reservation is counted as stackPeak instead)
     * @param arena         planned + persistent arena bytes
     * @param stackPeak     deepest stack use measured (painted before the run, scanned after)
     * @param stackReserved the linker's stack reservation
     * @param stackOverflow the stack went past its reservation (into the arena)
     * @param used          staticBytes + arena + stackPeak
     * @param free          capacity - reserved - used (negative: bytes over)
     * @param usedWithBestPlan staticBytes + arena with tinysim's plan (bestTotal) + stackPeak
     * @param freeWithBestPlan capacity - reserved - usedWithBestPlan
     */
    public record Ram(long staticBytes, long arena, long stackPeak, long stackReserved, boolean stackOverflow, long used,
                      long capacity, long reserved, long free, boolean fits, long usedWithBestPlan, long freeWithBestPlan) {
    }

    /**
     * An output tensor after the last run.
     *
     * @param raw     the stored values: integers for INT8/INT32, floats for FLOAT32
     * @param values  real values: {@code scale * (q - zero_point)} for quantized INT8, else the values
     * @param hex     the raw bytes
     */
    public record Output(TensorInfo tensor, Float scale, Integer zeroPoint, List<Number> raw, List<Float> values,
                         int argmax, String hex) {
    }

    /** The whole firmware run. */
    public record Execution(long instructions, long cycles, double milliseconds, double cpi, double wallSeconds) {
    }

    /**
     * @param kind         "ok", "does-not-fit", "runtime-error", or the firmware runner's kinds (fault, instruction-limit…)
     * @param exitCode     the process exit code tinysim uses
     * @param message      one line: what happened
     * @param runtimeError the {@code @ts error} line, when there was one
     * @param firmwareEnd  how the firmware itself ended ("exited with status 0", a fault…)
     */
    public record Result(String kind, int exitCode, String message, RuntimeErrorInfo runtimeError, String firmwareEnd) {
    }

    public record RuntimeErrorInfo(long code, String name, String meaning, Integer operator, String opcode, String detail) {
    }
}
