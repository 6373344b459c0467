package dev.tinysim.emulator.scs;

/** Armv7-M exception numbers. External interrupt n is exception 16 + n. */
public final class ExceptionNumbers {
    public static final int RESET = 1, NMI = 2, HARD_FAULT = 3, MEM_MANAGE = 4, BUS_FAULT = 5, USAGE_FAULT = 6,
            SVCALL = 11, DEBUG_MONITOR = 12, PENDSV = 14, SYSTICK = 15, FIRST_IRQ = 16;

    private ExceptionNumbers() {
    }

    public static String name(int exception) {
        return switch (exception) {
            case 0 -> "Thread";
            case RESET -> "Reset";
            case NMI -> "NMI";
            case HARD_FAULT -> "HardFault";
            case MEM_MANAGE -> "MemManage";
            case BUS_FAULT -> "BusFault";
            case USAGE_FAULT -> "UsageFault";
            case SVCALL -> "SVCall";
            case DEBUG_MONITOR -> "DebugMonitor";
            case PENDSV -> "PendSV";
            case SYSTICK -> "SysTick";
            default -> exception >= FIRST_IRQ ? "IRQ" + (exception - FIRST_IRQ) : "Reserved" + exception;
        };
    }
}
