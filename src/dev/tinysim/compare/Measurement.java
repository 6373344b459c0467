package dev.tinysim.compare;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.tinysim.inference.InferenceReport;
import dev.tinysim.run.RunReport;

import java.util.ArrayList;
import java.util.List;

/**
 * One configuration measured: a model on the inference runtime (or a firmware ELF) on one board. The rows of
 * {@code tinysim fit} and {@code tinysim compare} (docs/json-reports.md describes every field).
 *
 * @param id            stable identifier: {@code int8-simd}, {@code int8-reference}, {@code float32-fpu},
 *                      {@code float32-soft}, {@code int8-soft} (an int8 model on the FPU-less configuration), or {@code firmware}
 * @param label         for people: "int8, SIMD kernels", "float32, soft-float (no FPU)"…
 * @param model         which model ran: {@code float32} or {@code int8} (compare), the file name (fit), null for a firmware
 * @param board         the board it ran on (the FPU-less configuration's name for soft-float rows)
 * @param fpu           whether that board has an FPU
 * @param runtime       the firmware image ({@code runtime-m4f.elf}, {@code runtime-m4.elf}, or the ELF given)
 * @param abi           {@code hard} or {@code soft} float ABI
 * @param kernels       {@code simd} or {@code reference} (int8 kernels; null for a firmware)
 * @param cycles        DWT cycles of one inference (a firmware: the whole run)
 * @param milliseconds  cycles at the board clock
 * @param speedup       compare only: the baseline's cycles / these cycles (null in fit, or when there is no baseline)
 * @param flash         flash use against the board
 * @param ram           RAM use against the board
 * @param fits          flash and RAM both fit
 * @param measuredOn    null, or how memory was enlarged to measure a configuration that does not fit
 * @param result        how the run ended
 * @param argmax        index of the largest output value of the inference (classifiers: the class); -1 if none
 * @param operators     cycles per operator (index into that configuration's model), execution order
 * @param instructions  instructions of the whole firmware run
 * @param wallSeconds   host time of the whole firmware run
 * @param details       the full report of the run (not serialised; for renderers that want more)
 */
public record Measurement(String id, String label, String model, String board, boolean fpu, String runtime, String abi,
                          String kernels, long cycles, double milliseconds, Double speedup, Flash flash, Ram ram, boolean fits,
                          String measuredOn, Result result, int argmax, List<OpCycles> operators, long instructions,
                          double wallSeconds, @JsonIgnore InferenceReport details) {

    /**
     * @param runtime   bytes of the firmware image in flash (the runtime, or the ELF)
     * @param model     bytes of the .tflite model (0 for a firmware)
     * @param used      runtime + model (+ alignment)
     * @param capacity  the board's flash
     * @param reserved  flash set aside for other software (profile or --reserve-flash)
     * @param available capacity - reserved
     * @param free      available - used (negative: bytes over)
     */
    public record Flash(long runtime, long model, long used, long capacity, long reserved, long available, long free,
                        boolean fits) {
    }

    /**
     * @param staticBytes   static data (.data, .bss, .noinit); for a firmware also its stack and heap reservations
     * @param arena         the runtime's arena high-water mark (0 for a firmware)
     * @param stackPeak     deepest stack use measured
     * @param stackReserved the stack reservation
     * @param stackOverflow the stack went past its reservation
     * @param used          model: static + arena + stack peak; firmware: static (the stack is inside it)
     * @param capacity      the board's RAM
     * @param reserved      RAM set aside for other software
     * @param available     capacity - reserved
     * @param free          available - used (negative: bytes over)
     */
    public record Ram(long staticBytes, long arena, long stackPeak, long stackReserved, boolean stackOverflow, long used,
                      long capacity, long reserved, long available, long free, boolean fits) {
    }

    /**
     * @param kind     {@code ok}, {@code does-not-fit}, {@code runtime-error}, or a firmware end ({@code fault}, …)
     * @param exitCode what {@code tinysim run} would exit with for this configuration alone
     * @param message  one line
     */
    public record Result(String kind, int exitCode, String message) {
    }

    /** One operator's DWT cycles in this configuration. */
    public record OpCycles(int index, String operator, long cycles, long macs) {
    }

    /** Did the run produce an inference (cycles, operators)? */
    public boolean measured() {
        return cycles > 0;
    }

    /** The same row with a speed-up figure. */
    public Measurement withSpeedup(Double s) {
        return new Measurement(id, label, model, board, fpu, runtime, abi, kernels, cycles, milliseconds, s, flash, ram, fits,
                measuredOn, result, argmax, operators, instructions, wallSeconds, details);
    }

    /** A row from an inference run's report. */
    public static Measurement of(String id, String label, String model, String board, boolean fpu, InferenceReport r) {
        InferenceReport.Flash f = r.fit().flash();
        InferenceReport.Ram m = r.fit().ram();
        List<OpCycles> ops = new ArrayList<>();
        for (InferenceReport.Op op : r.operators()) {
            ops.add(new OpCycles(op.index(), op.operator(), op.cycles(), op.macs()));
        }
        long cycles = r.latency() == null ? 0 : r.latency().cycles();
        double ms = r.latency() == null ? 0 : r.latency().milliseconds();
        int argmax = r.output() == null ? -1 : r.output().argmax();
        return new Measurement(id, label, model, board, fpu, r.runtime().image(), r.runtime().abi(), r.runtime().kernels(),
                cycles, ms, null,
                new Flash(f.runtime(), f.model(), f.used(), f.capacity(), f.reserved(), f.capacity() - f.reserved(), f.free(), f.fits()),
                new Ram(m.staticBytes(), m.arena(), m.stackPeak(), m.stackReserved(), m.stackOverflow(), m.used(), m.capacity(),
                        m.reserved(), m.capacity() - m.reserved(), m.free(), m.fits()),
                r.fit().fits(), r.fit().measuredOn(),
                new Result(r.result().kind(), r.result().exitCode(), r.result().message()), argmax, List.copyOf(ops),
                r.execution().instructions(), r.execution().wallSeconds(), r);
    }

    /** A row from a firmware run's report ({@code tinysim fit FIRMWARE.elf}). */
    public static Measurement of(RunReport r) {
        RunReport.Region f = r.fit().flash();
        RunReport.Ram m = r.fit().ram();
        return new Measurement("firmware", "firmware " + r.firmware().file(), null, r.board().name(), r.board().fpu(),
                r.firmware().file(), r.firmware().abi().replace("-float", ""), null, r.execution().cycles(),
                r.execution().milliseconds(), null,
                new Flash(f.used(), 0, f.used(), f.capacity(), f.reserved(), f.capacity() - f.reserved(), f.free(), f.fits()),
                new Ram(m.staticBytes(), 0, m.stackPeak(), m.stackReserved(), m.stackOverflow(), m.staticBytes(), m.capacity(),
                        m.reserved(), m.capacity() - m.reserved(), m.free(), m.fits()),
                r.fit().fits(), null, new Result(r.result().kind(), r.result().exitCode(), r.result().message()), -1, List.of(),
                r.execution().instructions(), r.execution().wallSeconds(), null);
    }
}
