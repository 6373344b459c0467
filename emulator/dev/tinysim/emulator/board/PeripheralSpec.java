package dev.tinysim.emulator.board;

import java.util.Map;

/**
 * A peripheral instance on the board.
 *
 * @param name    the instance name used in logs and reports ("UARTE0", "TIMER1")
 * @param model   the peripheral model that implements it ("nrf52.uarte", "nrf52.timer"…)
 * @param base    base address of its register block
 * @param size    bytes of its register block (normally 4 KB)
 * @param irq     its NVIC interrupt number, or -1
 * @param options model-specific settings (strings, numbers or booleans as written in the file)
 */
public record PeripheralSpec(String name, String model, long base, long size, int irq, Map<String, Object> options) {
    public long end() {
        return base + size;
    }
}
