package dev.tinysim.emulator.sim;

/** How a peripheral signals its NVIC interrupt line. */
public interface InterruptLines {
    /** Drives a level-sensitive line: while asserted the interrupt is (re)pended. */
    void setLevel(int irq, boolean asserted);
}
