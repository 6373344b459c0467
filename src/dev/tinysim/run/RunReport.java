package dev.tinysim.run;

import java.util.List;
import java.util.Map;

/**
 * Everything `tinysim run` reports, as a record tree: printed as text, or serialised as the
 * JSON document of --format json (field names are the JSON keys; see docs/json-reports.md).
 */
public record RunReport(Tool tool, Firmware firmware, BoardInfo board, Timing timing, Result result,
                        Execution execution, Fit fit, Unmodelled unmodelled, String console, String consoleStderr,
                        dev.tinysim.profile.ProfileReport profile, List<dev.tinysim.profile.TraceLine> trace) {

    /** The same report with a profile and/or instruction trace attached. */
    public RunReport withDiagnostics(dev.tinysim.profile.ProfileReport profile, List<dev.tinysim.profile.TraceLine> trace) {
        return new RunReport(tool, firmware, board, timing, result, execution, fit, unmodelled, console, consoleStderr,
                profile, trace);
    }

    public record Tool(String name, String version, String engine) {
    }

    /** @param placement how the image was moved to the board's memory (docs/firmware-placement.md); null: as linked */
    public record Firmware(String file, long entry, String abi, String placement) {
    }

    public record BoardInfo(String name, String description, long clockHz, boolean fpu, long flashBytes, long ramBytes) {
    }

    /** @param memory what the flash path did: caches, hits and misses, flash reads, stalls */
    public record Timing(String model, String description, Map<String, Object> parameters, MemoryReport memory) {
    }

    /**
     * @param kind     exit, abnormal-exit, fault, breakpoint, instruction-limit, hang, reset, strict-unmodelled, stopped
     * @param status   firmware exit status (exit kinds), else null
     * @param exitCode the process exit code tinysim uses
     * @param message  one line: what happened
     * @param fault    details for faults, else null
     */
    public record Result(String kind, Long status, int exitCode, String message, Fault fault) {
    }

    public record Fault(String kind, String pc, String symbol, String address, String access, String instruction,
                        String exception, String handler, boolean handlerSpins, Map<String, String> registers,
                        List<String> backtrace) {
    }

    /**
     * @param cycles       core cycles of simulated time
     * @param milliseconds cycles at the board clock
     * @param cpi          cycles per instruction
     */
    public record Execution(long instructions, long cycles, double milliseconds, double cpi, long sleepCycles,
                            long exceptions, double wallSeconds, double instructionsPerSecond) {
    }

    /**
     * Flash and RAM fit. {@code text/data/bss} follow arm-none-eabi-size (Berkeley).
     */
    public record Fit(long text, long data, long bss, Region flash, Ram ram, boolean fits) {
    }

    public record Region(long used, long capacity, long reserved, long free, boolean fits) {
    }

    /**
     * @param staticBytes    .data + .bss + reservations placed in RAM
     * @param stackReserved  bytes of the stack region
     * @param stackPeak      deepest stack use measured (painted before the run, scanned after)
     * @param stackOverflow  the stack went past its reservation
     */
    public record Ram(long staticBytes, long capacity, long reserved, long free, long stackReserved, long stackPeak,
                      boolean stackOverflow, boolean fits) {
    }

    public record Unmodelled(int registers, long accesses, List<Entry> entries) {
        public record Entry(String peripheral, String register, String address, long reads, long writes) {
        }
    }
}
