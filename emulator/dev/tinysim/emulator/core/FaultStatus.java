package dev.tinysim.emulator.core;

import dev.tinysim.emulator.scs.ExceptionNumbers;
import dev.tinysim.emulator.scs.SystemControlSpace;

/**
 * The exception a fault raises and the fault status it records (the SCB's CFSR and BFAR of the ARMv7-M Architecture Reference Manual),
 * before escalation to HardFault: a BusFault for bus errors, a UsageFault for undefined
 * instructions, coprocessor, state, exception-return and divide-by-zero faults.
 *
 * @param exception the exception number (ExceptionNumbers)
 * @param cfsr      the CFSR bits to set
 * @param bfar      the BusFault address, or null when BFAR is not valid
 */
record FaultStatus(int exception, int cfsr, Long bfar) {

    /** The status of a fault of {@code kind} at data address {@code address}; null when the fault locks the core up instead. */
    static FaultStatus of(FaultKind kind, long address) {
        int exc;
        int cfsr = 0;
        Long bfar = null;
        switch (kind) {
            case READ_UNMAPPED, WRITE_UNMAPPED, WRITE_PROTECTED -> {
                exc = ExceptionNumbers.BUS_FAULT;
                // BFAR holds the faulting address only when it is known: BFARVALID says whether it does (ARMv7-M ARM, CFSR)
                cfsr = SystemControlSpace.CFSR_PRECISERR | (address >= 0 ? SystemControlSpace.CFSR_BFARVALID : 0);
                bfar = address >= 0 ? address : null;
            }
            case FETCH_UNMAPPED -> {
                exc = ExceptionNumbers.BUS_FAULT;
                cfsr = SystemControlSpace.CFSR_IBUSERR;
            }
            case INVALID_INSTRUCTION -> {
                exc = ExceptionNumbers.USAGE_FAULT;
                cfsr = SystemControlSpace.CFSR_UNDEFINSTR;
            }
            case NO_FPU, FPU_DISABLED -> {
                exc = ExceptionNumbers.USAGE_FAULT;
                cfsr = SystemControlSpace.CFSR_NOCP;
            }
            case INVALID_STATE -> {
                exc = ExceptionNumbers.USAGE_FAULT;
                cfsr = SystemControlSpace.CFSR_INVSTATE;
            }
            case INVALID_EXCEPTION_RETURN -> {
                exc = ExceptionNumbers.USAGE_FAULT;
                cfsr = SystemControlSpace.CFSR_INVPC;
            }
            case DIVIDE_BY_ZERO -> {
                exc = ExceptionNumbers.USAGE_FAULT;
                cfsr = SystemControlSpace.CFSR_DIVBYZERO;
            }
            case STACK_OVERFLOW, LOCKUP -> {
                return null;
            }
            default -> exc = ExceptionNumbers.HARD_FAULT;
        }
        return new FaultStatus(exc, cfsr, bfar);
    }
}
