package dev.tinysim.failure;

/**
 * What went wrong, as a kind the domain packages name and the command line alone turns into a process exit
 * status ({@code cli.ExitCode.of}, the one mapping). The status number is kept here because the reports carry
 * it too ({@code result.exitCode} in the JSON reports); the meanings printed by {@code --help} live in cli.
 */
public enum Failure {
    USAGE(64),
    BAD_INPUT(65),
    NO_INPUT(66),
    DOES_NOT_FIT(67),
    BUDGET_EXCEEDED(68),
    UNAVAILABLE(69),
    INTERNAL(70),
    UNSUPPORTED_MODEL(72),
    CANNOT_WRITE(73),
    BOARD_LACKS(74),
    FAULT_READ(80),
    FAULT_WRITE(81),
    FAULT_FETCH(82),
    FAULT_INVALID_INSTRUCTION(83),
    FAULT_HARD(84),
    STACK_OVERFLOW(85),
    INSTRUCTION_LIMIT(86),
    BREAKPOINT(87),
    NO_FPU(88),
    HANG(89),
    ABNORMAL_EXIT(90),
    RESET_REQUESTED(91),
    STRICT_UNMODELLED(92),
    RUNTIME_ERROR(93),
    TIMEOUT(94);

    /** The status of a run that did not fail. */
    public static final int SUCCESS = 0;

    private final int status;

    Failure(int status) {
        this.status = status;
    }

    /** The process exit status (and report {@code result.exitCode}) of this failure. */
    public int status() {
        return status;
    }

    /** The failure whose status is {@code status}, if any. */
    public static java.util.Optional<Failure> ofStatus(int status) {
        for (Failure f : values()) {
            if (f.status == status) {
                return java.util.Optional.of(f);
            }
        }
        return java.util.Optional.empty();
    }
}
