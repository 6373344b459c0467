package dev.tinysim.cli;

import dev.tinysim.failure.Failure;

/**
 * tinysim's own exit codes. When firmware exits through semihosting, `tinysim run` exits with
 * the firmware's status instead (its low 8 bits), so a firmware status of 64 or more can look
 * like one of these: the JSON report tells them apart ("result.kind").
 */
public enum ExitCode {
    OK(null, "success (or the firmware exited with status 0)"),
    USAGE(Failure.USAGE, "bad command line: unknown option, missing argument, bad value"),
    BAD_INPUT(Failure.BAD_INPUT, "an input file is invalid: not an ARM ELF, truncated, no vector table, corrupt model, invalid board file, bad data file or data that does not fit the model's input"),
    NO_INPUT(Failure.NO_INPUT, "an input file is missing or unreadable"),
    DOES_NOT_FIT(Failure.DOES_NOT_FIT, "the program or model does not fit the board's memory"),
    BUDGET_EXCEEDED(Failure.BUDGET_EXCEEDED, "a --max-latency-ms, --max-ram, --max-flash or --max-accuracy-drop budget is exceeded"),
    UNAVAILABLE(Failure.UNAVAILABLE, "a native library tinysim needs (Unicorn 2, Capstone 4) is missing"),
    INTERNAL(Failure.INTERNAL, "internal error in tinysim (please report it), or validate: the firmware differs from the reference interpreter"),
    CANNOT_WRITE(Failure.CANNOT_WRITE, "an output file cannot be written"),
    BOARD_LACKS(Failure.BOARD_LACKS, "refused before the run: the firmware needs what the board does not have (an FPU, a peripheral, memory at an address)"),
    UNSUPPORTED_MODEL(Failure.UNSUPPORTED_MODEL, "the model uses an operator or type the inference runtime (or, for quantize, the quantizer) does not support"),
    FAULT_READ(Failure.FAULT_READ, "firmware fault: read from unmapped memory"),
    FAULT_WRITE(Failure.FAULT_WRITE, "firmware fault: write to unmapped or read-only memory"),
    FAULT_FETCH(Failure.FAULT_FETCH, "firmware fault: instruction fetch from unmapped or non-executable memory"),
    FAULT_INVALID_INSTRUCTION(Failure.FAULT_INVALID_INSTRUCTION, "firmware fault: undefined instruction"),
    FAULT_HARD(Failure.FAULT_HARD, "firmware fault: HardFault, UsageFault (invalid state, exception return, divide by zero) or lockup"),
    STACK_OVERFLOW(Failure.STACK_OVERFLOW, "firmware fault: stack overflow below the bottom of RAM"),
    INSTRUCTION_LIMIT(Failure.INSTRUCTION_LIMIT, "runaway firmware: --max-instructions reached"),
    BREAKPOINT(Failure.BREAKPOINT, "firmware executed a BKPT other than the semihosting one"),
    NO_FPU(Failure.NO_FPU, "firmware executed a floating-point instruction with no FPU (or with the FPU disabled)"),
    HANG(Failure.HANG, "firmware waits forever: a spin loop or WFI with nothing that could wake it"),
    ABNORMAL_EXIT(Failure.ABNORMAL_EXIT, "firmware exited through semihosting with a reason other than ApplicationExit"),
    RESET_REQUESTED(Failure.RESET_REQUESTED, "firmware requested a system reset (AIRCR.SYSRESETREQ)"),
    STRICT_UNMODELLED(Failure.STRICT_UNMODELLED, "--strict: firmware touched a register tinysim does not model"),
    RUNTIME_ERROR(Failure.RUNTIME_ERROR, "the inference runtime reported an error"),
    TIMEOUT(Failure.TIMEOUT, "--timeout reached (wall-clock seconds of host time): a firmware run, run --model, a compare or sweep configuration");

    private final Failure failure;
    private final String meaning;

    ExitCode(Failure failure, String meaning) {
        this.failure = failure;
        this.meaning = meaning;
    }

    public int code() {
        return failure == null ? Failure.SUCCESS : failure.status();
    }

    /** The failure this code reports ({@code null} for OK). */
    public Failure failure() {
        return failure;
    }

    /** The exit code of a domain failure: the one place where failures become exit codes. */
    public static ExitCode of(Failure failure) {
        for (ExitCode c : values()) {
            if (c.failure == failure) {
                return c;
            }
        }
        throw new IllegalArgumentException("no exit code for " + failure);
    }

    public String meaning() {
        return meaning;
    }
}
