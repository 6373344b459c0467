package dev.tinysim.emulator.bus;

import dev.tinysim.emulator.board.PeripheralSpec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A registry of peripheral models a board file may name ("nrf52.uarte" -> its class). A model is registered
 * once, by name; boards choose them as data. The bus knows no model: the standard set is assembled above it
 * ({@code peripherals.PeripheralCatalog}) and handed to the machine and the board loader.
 */
public final class PeripheralModels {
    /** Builds one peripheral instance from its board entry. */
    @FunctionalInterface
    public interface Factory {
        Peripheral create(PeripheralSpec spec, PeripheralContext context);
    }

    /** Model name for a peripheral that exists on the chip but is not modelled: its accesses are logged by name. */
    public static final String UNMODELLED = "unmodelled";

    private final Map<String, Factory> models = new LinkedHashMap<>();

    public synchronized PeripheralModels register(String model, Factory factory) {
        models.put(model, factory);
        return this;
    }

    public synchronized boolean known(String model) {
        return UNMODELLED.equals(model) || models.containsKey(model);
    }

    public synchronized Set<String> names() {
        return Collections.unmodifiableSet(models.keySet());
    }

    /** Creates the model, or returns null for {@link #UNMODELLED}. */
    public synchronized Peripheral create(PeripheralSpec spec, PeripheralContext context) {
        if (UNMODELLED.equals(spec.model())) {
            return null;
        }
        Factory f = models.get(spec.model());
        if (f == null) {
            throw new IllegalArgumentException("no peripheral model named " + spec.model());
        }
        return f.create(spec, context);
    }
}
