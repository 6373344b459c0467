package dev.tinysim.emulator.peripherals.flash;

import dev.tinysim.emulator.bus.PeripheralModels;

/** Registers the flash-controller models under the names board files use. */
public final class FlashControllers {
    private FlashControllers() {
    }

    public static void registerAll(PeripheralModels models) {
        models.register("stm32.flash", Stm32FlashInterface::new);
        models.register("kinetis.fmc", KinetisFmc::new);
        models.register("sam.cmcc", SamCmcc::new);
        models.register("sam.nvmctrl", SamNvmctrl::new);
    }
}
