package dev.tinysim.emulator.scs;

import dev.tinysim.emulator.bus.Peripheral;
import dev.tinysim.emulator.bus.UnmodelledAccessLog;
import dev.tinysim.emulator.engine.MmioHandler;

/**
 * The Cortex-M private peripheral bus, 0xE0000000–0xE00FFFFF: ITM, DWT, the System Control
 * Space, and unmodelled debug blocks (FPB, TPIU, ETM, ROM table) whose accesses are logged.
 */
public final class PrivatePeripheralBus implements MmioHandler {
    public static final long BASE = 0xE0000000L;
    public static final long SIZE = 0x00100000L;

    private final Itm itm;
    private final Dwt dwt;
    private final SystemControlSpace scs;
    private final UnmodelledAccessLog unmodelled;

    public PrivatePeripheralBus(Itm itm, Dwt dwt, SystemControlSpace scs, UnmodelledAccessLog unmodelled) {
        this.itm = itm;
        this.dwt = dwt;
        this.scs = scs;
        this.unmodelled = unmodelled;
    }

    private Peripheral at(long offset) {
        long page = offset >>> 12;
        if (page == 0x0) {
            return itm;
        }
        if (page == 0x1) {
            return dwt;
        }
        if (page == 0xE) {
            return scs;
        }
        return null;
    }

    private static String blockName(long offset) {
        long page = offset >>> 12;
        return switch ((int) page) {
            case 0x2 -> "FPB";
            case 0x40 -> "TPIU";
            case 0x41 -> "ETM";
            case 0xFF -> "ROM_TABLE";
            default -> "PPB";
        };
    }

    @Override
    public long read(long offset, int size) {
        Peripheral p = at(offset);
        if (p == null) {
            unmodelled.record(blockName(offset), null, BASE + offset, false, 0);
            return 0;
        }
        return p.read((int) (offset & 0xFFF), size);
    }

    @Override
    public void write(long offset, int size, long value) {
        Peripheral p = at(offset);
        if (p == null) {
            unmodelled.record(blockName(offset), null, BASE + offset, true, value);
            return;
        }
        p.write((int) (offset & 0xFFF), size, value);
    }
}
