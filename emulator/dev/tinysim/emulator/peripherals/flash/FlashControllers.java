package dev.tinysim.emulator.peripherals.flash;

import dev.tinysim.emulator.bus.PeripheralModels;

/** Registers the flash-controller models under the names board files use. */
public final class FlashControllers {
    private FlashControllers() {
    }

    public static void registerAll() {
        PeripheralModels.register("stm32.flash", Stm32FlashInterface::new);
        PeripheralModels.register("kinetis.fmc", KinetisFmc::new);
        PeripheralModels.register("sam.cmcc", SamCmcc::new);
        PeripheralModels.register("sam.nvmctrl", SamNvmctrl::new);
    }
}
