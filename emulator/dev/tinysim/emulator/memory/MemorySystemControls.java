package dev.tinysim.emulator.memory;

import dev.tinysim.emulator.board.MemorySystemSpec.Side;

/**
 * What a flash controller's registers switch (nRF52 NVMC ICACHECNF, STM32 FLASH_ACR, Kinetis FMC
 * PFB0CR, SAM CMCC CTRL): the peripheral model calls these when the firmware writes them.
 */
public interface MemorySystemControls {
    /** Uses (or stops using) the cache serving {@code side}. */
    void setCache(Side side, boolean on);

    /** Prefetches (or stops prefetching) the flash row after the one last read on {@code side}. */
    void setPrefetch(Side side, boolean on);

    /** Empties the cache serving {@code side} (a unified cache entirely). */
    void invalidate(Side side);

    /** Empties the given ways (bit n: way n) of the cache serving {@code side}. */
    void invalidateWays(Side side, int wayMask);

    /** Forgets the line buffers and the prefetched rows. */
    void clearBuffers();

    /**
     * The firmware programmed a read latency (FLASH_ACR.LATENCY, NVMCTRL.RWS). Flash reads take
     * the larger of it and what the part needs at the board's clock.
     */
    void requestWaitStates(int waitStates);

    /** Wait states a flash read takes now. */
    int waitStates();

    /** Wait states the part needs at the board's clock (the board file's value). */
    int requiredWaitStates();

    /** Whether a cache serves {@code side} on this board. */
    boolean hasCache(Side side);

    /** The counters (for registers such as NVMC IHIT/IMISS and CMCC MSR). */
    MemoryStats stats();
}
