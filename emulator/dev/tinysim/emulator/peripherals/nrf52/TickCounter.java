package dev.tinysim.emulator.peripherals.nrf52;

/**
 * A counter clocked at {@code tickHz} (a peripheral clock) measured in core cycles at
 * {@code coreHz}: converts exactly between core-cycle times and tick counts, with no drift
 * (64 MHz / 16 MHz is 4 cycles per tick; 64 MHz / 32.768 kHz is 1953.125).
 */
final class TickCounter {
    private final long coreHz;
    private long tickNumerator;     // ticks per second, times denominator
    private long tickDenominator;
    private long startCycle;
    private long startValue;
    private boolean running;

    TickCounter(long coreHz) {
        this.coreHz = coreHz;
        setRate(1, 1);
    }

    /** Tick rate = numerator / denominator Hz. */
    void setRate(long numerator, long denominator) {
        this.tickNumerator = numerator;
        this.tickDenominator = denominator;
    }

    boolean running() {
        return running;
    }

    /** Ticks since {@code startCycle}, exact (floor). */
    long valueAt(long cycle) {
        if (!running) {
            return startValue;
        }
        long elapsed = Math.max(0, cycle - startCycle);
        return startValue + mulDiv(elapsed, tickNumerator, coreHz * tickDenominator);
    }

    /** First core cycle at which the counter has advanced by {@code ticks} from the start value. */
    long cycleOfTick(long ticks) {
        // smallest t with floor((t - start) * num / (coreHz * den)) >= ticks
        return startCycle + ceilDiv(ticks, coreHz * tickDenominator, tickNumerator);
    }

    void start(long cycle) {
        if (!running) {
            startCycle = cycle;
            running = true;
        }
    }

    void stop(long cycle) {
        if (running) {
            startValue = valueAt(cycle);
            running = false;
        }
    }

    /** Sets the value now (CLEAR, or a prescaler change that restarts counting from here). */
    void set(long cycle, long value) {
        startValue = value;
        startCycle = cycle;
    }

    long startValue() {
        return startValue;
    }

    private static long mulDiv(long a, long b, long c) {
        return java.math.BigInteger.valueOf(a).multiply(java.math.BigInteger.valueOf(b))
                .divide(java.math.BigInteger.valueOf(c)).longValueExact();
    }

    private static long ceilDiv(long ticks, long mul, long div) {
        java.math.BigInteger[] qr = java.math.BigInteger.valueOf(ticks).multiply(java.math.BigInteger.valueOf(mul))
                .divideAndRemainder(java.math.BigInteger.valueOf(div));
        return qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
    }
}
