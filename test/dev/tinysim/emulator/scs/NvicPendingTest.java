package dev.tinysim.emulator.scs;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Nvic#maybePending()} decides whether the core checks for an exception after a block (the slow path): a
 * pending interrupt whose enable bit is clear cannot fire, so it must not keep that check on (issue 12: firmware
 * polling a peripheral with its IRQ masked ran every block on the slow path).
 */
class NvicPendingTest {

    @Test
    void aPendingButDisabledInterruptDoesNotKeepTheSlowPath() {
        Nvic nvic = new Nvic(48, 3);
        int irq3 = ExceptionNumbers.FIRST_IRQ + 3;
        nvic.setPending(irq3, true);
        assertTrue(nvic.maybePending());
        assertEquals(0, nvic.highestPending(e -> true), "disabled: nothing to take");
        assertFalse(nvic.maybePending(), "a disabled pending IRQ cannot fire: no check after every block");
        assertTrue(nvic.pending(irq3), "it stays pending");

        nvic.setEnabled(irq3, true);
        assertTrue(nvic.maybePending(), "enabling a pending IRQ makes it takeable");
        assertEquals(irq3, nvic.highestPending(e -> true));
        assertTrue(nvic.maybePending());
    }

    @Test
    void aPendingSystemExceptionKeepsTheCheckEvenWhenGated() {
        Nvic nvic = new Nvic(48, 3);
        nvic.setPending(ExceptionNumbers.USAGE_FAULT, true);
        assertEquals(0, nvic.highestPending(e -> false), "gated by SHCSR");
        assertTrue(nvic.maybePending(), "SHCSR may enable it without the NVIC knowing");
        nvic.setPending(ExceptionNumbers.USAGE_FAULT, false);
        assertEquals(0, nvic.highestPending(e -> true));
        assertFalse(nvic.maybePending());
    }
}
