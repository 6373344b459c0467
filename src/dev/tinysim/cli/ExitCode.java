package dev.tinysim.cli;

/**
 * tinysim's own exit codes. When firmware exits through semihosting, `tinysim run` exits with
 * the firmware's status instead (its low 8 bits), so a firmware status of 64 or more can look
 * like one of these: the JSON report tells them apart ("result.kind").
 */
public enum ExitCode {
    OK(0, "success (or the firmware exited with status 0)"),
    USAGE(64, "bad command line: unknown option, missing argument, bad value"),
    BAD_INPUT(65, "an input file is invalid: not an ARM ELF, truncated, no vector table, corrupt model, invalid board file, bad data file or data that does not fit the model's input"),
    NO_INPUT(66, "an input file is missing or unreadable"),
    DOES_NOT_FIT(67, "the program or model does not fit the board's memory"),
    BUDGET_EXCEEDED(68, "a --max-latency-ms, --max-ram, --max-flash or --max-accuracy-drop budget is exceeded"),
    UNAVAILABLE(69, "a native library tinysim needs (Unicorn 2, Capstone 4) is missing"),
    INTERNAL(70, "internal error in tinysim (please report it), or validate: the firmware differs from the reference interpreter"),
    CANNOT_WRITE(73, "an output file cannot be written"),
    BOARD_LACKS(74, "refused before the run: the firmware needs what the board does not have (an FPU, a peripheral, memory at an address)"),
    UNSUPPORTED_MODEL(72, "the model uses an operator or type the inference runtime (or, for quantize, the quantizer) does not support"),
    FAULT_READ(80, "firmware fault: read from unmapped memory"),
    FAULT_WRITE(81, "firmware fault: write to unmapped or read-only memory"),
    FAULT_FETCH(82, "firmware fault: instruction fetch from unmapped or non-executable memory"),
    FAULT_INVALID_INSTRUCTION(83, "firmware fault: undefined instruction"),
    FAULT_HARD(84, "firmware fault: HardFault, UsageFault (invalid state, exception return, divide by zero) or lockup"),
    STACK_OVERFLOW(85, "firmware fault: stack overflow below the bottom of RAM"),
    INSTRUCTION_LIMIT(86, "runaway firmware: --max-instructions reached"),
    BREAKPOINT(87, "firmware executed a BKPT other than the semihosting one"),
    NO_FPU(88, "firmware executed a floating-point instruction with no FPU (or with the FPU disabled)"),
    HANG(89, "firmware waits forever: a spin loop or WFI with nothing that could wake it"),
    ABNORMAL_EXIT(90, "firmware exited through semihosting with a reason other than ApplicationExit"),
    RESET_REQUESTED(91, "firmware requested a system reset (AIRCR.SYSRESETREQ)"),
    STRICT_UNMODELLED(92, "--strict: firmware touched a register tinysim does not model"),
    RUNTIME_ERROR(93, "the inference runtime reported an error"),
    TIMEOUT(94, "runaway firmware: --timeout reached (wall-clock seconds of host time)");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}
