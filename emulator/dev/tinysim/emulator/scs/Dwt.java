package dev.tinysim.emulator.scs;

import dev.tinysim.emulator.bus.RegisterBlock;
import dev.tinysim.emulator.bus.UnmodelledAccessLog;
import dev.tinysim.emulator.sim.SimClock;

import java.util.function.BooleanSupplier;

/**
 * Data Watchpoint and Trace unit: CYCCNT counts core cycles of simulated time while
 * DEMCR.TRCENA and CTRL.CYCCNTENA are both set, and is exact at the reading instruction.
 * The comparators are stored but do not trigger.
 */
public final class Dwt extends RegisterBlock {
    public static final long BASE = 0xE0001000L;
    private static final int CTRL_CYCCNTENA = 1;
    /** NUMCOMP = 4 comparators, as on the Cortex-M4. */
    private static final int CTRL_RESET = 0x40000000;

    private final SimClock clock;
    private BooleanSupplier traceEnabled = () -> false;
    private int ctrl = CTRL_RESET;
    private long counterBase;      // CYCCNT value at counterSince
    private long counterSince;     // time from which it counts (when running)
    private boolean running;

    public Dwt(SimClock clock, BooleanSupplier traceEnabled, UnmodelledAccessLog unmodelled) {
        this(clock, unmodelled);
        connectTrace(traceEnabled);
    }

    /** A DWT whose trace enable (DEMCR.TRCENA, in the SCS built after it) is connected later; off until then. */
    public Dwt(SimClock clock, UnmodelledAccessLog unmodelled) {
        super("DWT", BASE, unmodelled);
        this.clock = clock;
        register(0x000, "CTRL", () -> ctrl, v -> {
            freeze();
            ctrl = (v & 0x0FFFFFFF) | CTRL_RESET;   // NUMCOMP is read-only
            update();
        });
        register(0x004, "CYCCNT", this::cyccnt, v -> {
            counterBase = v & 0xFFFFFFFFL;
            counterSince = clock.now();
        });
        for (int off : new int[]{0x008, 0x00C, 0x010, 0x014, 0x018}) {
            storage(off, switch (off) {
                case 0x008 -> "CPICNT";
                case 0x00C -> "EXCCNT";
                case 0x010 -> "SLEEPCNT";
                case 0x014 -> "LSUCNT";
                default -> "FOLDCNT";
            }, 0);
        }
        for (int n = 0; n < 4; n++) {
            storage(0x020 + 16 * n, "COMP" + n, 0);
            storage(0x024 + 16 * n, "MASK" + n, 0);
            storage(0x028 + 16 * n, "FUNCTION" + n, 0);
        }
        readOnly(0xFD0, "PID4", () -> 0x04);
        readOnly(0xFE0, "PID0", () -> 0x02);
        readOnly(0xFE4, "PID1", () -> 0xB0);
        readOnly(0xFE8, "PID2", () -> 0x3B);
        readOnly(0xFF0, "CID0", () -> 0x0D);
        readOnly(0xFF4, "CID1", () -> 0xE0);
        readOnly(0xFF8, "CID2", () -> 0x05);
        readOnly(0xFFC, "CID3", () -> 0xB1);
    }

    private int cyccnt() {
        if (running) {
            return (int) (counterBase + (clock.now() - counterSince));
        }
        return (int) counterBase;
    }

    private void freeze() {
        if (running) {
            counterBase = (counterBase + (clock.now() - counterSince)) & 0xFFFFFFFFL;
            running = false;
        }
    }

    /** Re-evaluates whether CYCCNT runs; call when DEMCR.TRCENA or CTRL changes. */
    public void update() {
        boolean shouldRun = (ctrl & CTRL_CYCCNTENA) != 0 && traceEnabled.getAsBoolean();
        if (shouldRun && !running) {
            counterSince = clock.now();
            running = true;
        } else if (!shouldRun && running) {
            freeze();
        }
    }

    /** Called before DEMCR changes, so the counter stops at the right value. */
    public void beforeTraceChange() {
        freeze();
    }

    /** Connects DEMCR.TRCENA (the SCS's), which gates CYCCNT. */
    public void connectTrace(BooleanSupplier traceEnabled) {
        this.traceEnabled = traceEnabled;
    }
}
