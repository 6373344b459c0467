package dev.tinysim.emulator.peripherals.nrf52;

import dev.tinysim.emulator.bus.PeripheralModels;

/** Registers the nRF52 peripheral models under the names board files use. */
public final class Nrf52Peripherals {
    private Nrf52Peripherals() {
    }

    public static void registerAll(PeripheralModels models) {
        models.register("nrf52.clock", (spec, ctx) -> new Nrf52Clock(spec, ctx));
        models.register("nrf52.uarte", (spec, ctx) -> new Nrf52Uarte(spec, ctx));
        models.register("nrf52.ficr", (spec, ctx) -> new Nrf52Ficr(spec, ctx));
        models.register("nrf52.uicr", (spec, ctx) -> new Nrf52Uicr(spec, ctx));
        models.register("nrf52.nvmc", (spec, ctx) -> new Nrf52Nvmc(spec, ctx));
        models.register("nrf52.gpio", (spec, ctx) -> new Nrf52Gpio(spec, ctx));
        models.register("nrf52.timer", (spec, ctx) -> new Nrf52Timer(spec, ctx));
        models.register("nrf52.rtc", (spec, ctx) -> new Nrf52Rtc(spec, ctx));
    }
}
