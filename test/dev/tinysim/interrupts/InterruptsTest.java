package dev.tinysim.interrupts;

import dev.tinysim.support.Cli;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interrupts and exceptions done by tinysim (entry, return, tail-chaining, preemption, masking,
 * MSP/PSP, FP context) on the irq test image, which checks itself and exits with its failures.
 * Timer periods come out exact in simulated cycles under every timing model.
 */
class InterruptsTest {
    @ParameterizedTest(name = "{0} under {1}")
    @CsvSource({
            "systick, instructions", "systick, cortex-m4",
            "timer, instructions", "timer, cortex-m4",
            "rtc, instructions", "rtc, cortex-m4",
            "pendsv, instructions", "pendsv, cortex-m4",
            "tailchain, instructions", "tailchain, cortex-m4",
            "preempt, instructions", "preempt, cortex-m4",
            "basepri, instructions", "basepri, cortex-m4",
            "psp, instructions", "psp, cortex-m4",
            "fpcontext, instructions", "fpcontext, cortex-m4",
            "wfi, instructions", "wfi, cortex-m4",
            "wfe, instructions", "wfe, cortex-m4"})
    void everyCasePassesItsOwnChecks(String scenario, String timing) {
        Cli.Result r = Cli.run("run", "irq", "--timing", timing, "--", scenario);
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("  ok    "), r.out());
        assertTrue(!r.out().contains("FAIL"), r.out());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"instructions", "cortex-m4"})
    void sysTickAndTimerPeriodsAreExactInCycles(String timing) {
        Cli.Result sysTick = Cli.run("run", "irq", "--timing", timing, "--", "systick");
        assertEquals("systick period: 64000\n".repeat(5),
                sysTick.out().lines().filter(l -> l.startsWith("systick period")).map(l -> l + "\n").reduce("", String::concat));
        Cli.Result timer = Cli.run("run", "irq", "--timing", timing, "--", "timer");
        assertEquals("timer period: 4000\n".repeat(4),
                timer.out().lines().filter(l -> l.startsWith("timer period")).map(l -> l + "\n").reduce("", String::concat));
    }

    @ParameterizedTest(name = "soft-float {0}")
    @CsvSource({"systick", "timer", "preempt", "psp", "fpcontext"})
    void theSoftFloatBuildWorksOnTheFpuLessBoard(String scenario) {
        Cli.Result r = Cli.run("run", "irq", "--no-fpu", "--", scenario);
        assertEquals(0, r.exitCode(), r.out() + r.err());
    }
}
