package dev.tinysim.emulator.bus;

import dev.tinysim.emulator.board.PeripheralSpec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The registry of peripheral models a board file may name ("nrf52.uarte" -> its class).
 * A model is registered once, by name; boards choose them as data.
 */
public final class PeripheralModels {
    /** Builds one peripheral instance from its board entry. */
    @FunctionalInterface
    public interface Factory {
        Peripheral create(PeripheralSpec spec, PeripheralContext context);
    }

    /** Model name for a peripheral that exists on the chip but is not modelled: its accesses are logged by name. */
    public static final String UNMODELLED = "unmodelled";

    private static final Map<String, Factory> MODELS = new LinkedHashMap<>();

    static {
        dev.tinysim.emulator.peripherals.nrf52.Nrf52Peripherals.registerAll();
        dev.tinysim.emulator.peripherals.flash.FlashControllers.registerAll();
    }

    private PeripheralModels() {
    }

    public static synchronized void register(String model, Factory factory) {
        MODELS.put(model, factory);
    }

    public static synchronized boolean known(String model) {
        return UNMODELLED.equals(model) || MODELS.containsKey(model);
    }

    public static synchronized Set<String> names() {
        return Collections.unmodifiableSet(MODELS.keySet());
    }

    /** Creates the model, or returns null for {@link #UNMODELLED}. */
    public static synchronized Peripheral create(PeripheralSpec spec, PeripheralContext context) {
        if (UNMODELLED.equals(spec.model())) {
            return null;
        }
        Factory f = MODELS.get(spec.model());
        if (f == null) {
            throw new IllegalArgumentException("no peripheral model named " + spec.model());
        }
        return f.create(spec, context);
    }
}
