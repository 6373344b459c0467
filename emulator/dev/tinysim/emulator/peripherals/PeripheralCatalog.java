package dev.tinysim.emulator.peripherals;

import dev.tinysim.emulator.bus.PeripheralModels;
import dev.tinysim.emulator.peripherals.flash.FlashControllers;
import dev.tinysim.emulator.peripherals.nrf52.Nrf52Peripherals;

/**
 * The peripheral models tinysim ships, under the names board files use. A new model family registers here (one
 * line), its classes live in a package of their own under {@code peripherals}; the bus below knows none of them.
 */
public final class PeripheralCatalog {
    private static final PeripheralModels STANDARD = standardModels();

    private PeripheralCatalog() {
    }

    /** The standard models (built once; the machine creates board peripherals from it, the board loader checks names). */
    public static PeripheralModels standard() {
        return STANDARD;
    }

    private static PeripheralModels standardModels() {
        PeripheralModels models = new PeripheralModels();
        Nrf52Peripherals.registerAll(models);
        FlashControllers.registerAll(models);
        return models;
    }
}
