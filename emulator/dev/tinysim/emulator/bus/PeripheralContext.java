package dev.tinysim.emulator.bus;

import dev.tinysim.emulator.sim.AddressSpace;
import dev.tinysim.emulator.sim.ConsoleSink;
import dev.tinysim.emulator.sim.DiagnosticLog;
import dev.tinysim.emulator.sim.EventScheduler;
import dev.tinysim.emulator.sim.InterruptLines;
import dev.tinysim.emulator.sim.SimClock;

/**
 * What a peripheral model may use: simulated time and timed events, its interrupt line, the
 * memory (for EasyDMA and flash programming), the flash path's controls, the console, and the logs.
 *
 * @param flash        the flash programming port (NVMC), for peripherals that write flash
 * @param memorySystem the flash path's caches, prefetch and wait states, for the flash controller's registers
 */
public record PeripheralContext(SimClock clock, EventScheduler scheduler, InterruptLines interrupts,
                                AddressSpace memory, FlashPort flash, ConsoleSink console,
                                UnmodelledAccessLog unmodelled, DiagnosticLog log,
                                dev.tinysim.emulator.memory.MemorySystemControls memorySystem) {

    /** Programs flash as the chip does: bits only go from 1 to 0; erasing a page sets it to 0xFF. */
    public interface FlashPort {
        /** Enables or disables CPU writes to flash (NVMC CONFIG.WEN). */
        void setWriteEnabled(boolean enabled);

        void erasePage(long address, long pageSize);
    }
}
