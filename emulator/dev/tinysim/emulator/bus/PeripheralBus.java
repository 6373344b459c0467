package dev.tinysim.emulator.bus;

import dev.tinysim.emulator.engine.MmioHandler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Routes accesses in a device window to peripheral models by address. Several models may share
 * a 4 KB page (the nRF52840's GPIO P0 and P1). An address with no model is logged as unmodelled.
 */
public final class PeripheralBus implements MmioHandler {
    private record Slot(long start, long end, Peripheral peripheral) {
    }

    private final long base;
    private final long size;
    private final UnmodelledAccessLog unmodelled;
    private final Map<Long, List<Slot>> pages = new HashMap<>();
    private final Map<Long, String> unmodelledNames = new HashMap<>();
    private final String windowName;

    public PeripheralBus(String windowName, long base, long size, UnmodelledAccessLog unmodelled) {
        this.windowName = windowName;
        this.base = base;
        this.size = size;
        this.unmodelled = unmodelled;
    }

    public long base() {
        return base;
    }

    public long size() {
        return size;
    }

    /** Attaches a model at [start, start + length). */
    public void attach(long start, long length, Peripheral peripheral) {
        for (long page = start >>> 12; page <= (start + length - 1) >>> 12; page++) {
            pages.computeIfAbsent(page, k -> new ArrayList<>()).add(new Slot(start, start + length, peripheral));
        }
    }

    /** Names a peripheral that exists on the chip but has no model, so its accesses are logged by name. */
    public void nameUnmodelled(long start, String name) {
        unmodelledNames.put(start >>> 12, name);
    }

    private Peripheral find(long address) {
        List<Slot> slots = pages.get(address >>> 12);
        if (slots == null) {
            return null;
        }
        for (Slot s : slots) {
            if (address >= s.start && address < s.end) {
                lastStart = s.start;
                return s.peripheral;
            }
        }
        return null;
    }

    private long lastStart;

    @Override
    public long read(long offset, int sizeBytes) {
        long address = base + offset;
        Peripheral p = find(address);
        if (p == null) {
            unmodelled.record(unmodelledNames.getOrDefault(address >>> 12, windowName), null, address, false, 0);
            return 0;
        }
        return p.read((int) (address - lastStart), sizeBytes);
    }

    @Override
    public void write(long offset, int sizeBytes, long value) {
        long address = base + offset;
        Peripheral p = find(address);
        if (p == null) {
            unmodelled.record(unmodelledNames.getOrDefault(address >>> 12, windowName), null, address, true, value);
            return;
        }
        p.write((int) (address - lastStart), sizeBytes, value);
    }
}
