package dev.tinysim.emulator.peripherals;

import dev.tinysim.boards.Boards;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.board.MemorySystemSpec.Side;
import dev.tinysim.emulator.board.PeripheralSpec;
import dev.tinysim.emulator.memory.FlashPath;
import dev.tinysim.emulator.peripherals.flash.KinetisFmc;
import dev.tinysim.emulator.peripherals.flash.SamCmcc;
import dev.tinysim.emulator.peripherals.flash.SamNvmctrl;
import dev.tinysim.emulator.peripherals.flash.Stm32FlashInterface;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flash controllers, register by register, on each board's own memory system: reset state as
 * on silicon, the bits that switch caches and prefetch, cache invalidation, wait states, and
 * unmodelled registers logged by name.
 */
class FlashControllersTest {
    private record Setup(TestContext t, PeripheralSpec spec, Board board) {
        FlashPath path() {
            return t.flashPath;
        }
    }

    private static Setup on(String board, String controller) throws Exception {
        Board b = Boards.load(board, false);
        TestContext t = new TestContext(b.cpu().clockHz(), b.memorySystem());
        PeripheralSpec spec = b.peripherals().stream().filter(p -> p.name().equals(controller)).findFirst().orElseThrow();
        return new Setup(t, spec, b);
    }

    /** A fetch of one 16-byte line at {@code address}: true when it hit the instruction cache. */
    private static boolean fetchHits(FlashPath p, long address) {
        long misses = p.stats().instructionMisses();
        p.fetch(address, 16);
        return p.stats().instructionMisses() == misses;
    }

    @Test
    void stm32f4FlashAcrStartsOffAndSwitchesTheArtAcceleratorAsHalInitDoes() throws Exception {
        Setup s = on("stm32f411", "FLASH");
        Stm32FlashInterface flash = new Stm32FlashInterface(s.spec(), s.t().context);
        FlashPath p = s.path();
        assertEquals(0, flash.read(0x00, 4), "FLASH_ACR resets to 0 (RM0383 3.8.1)");
        assertFalse(p.cacheInUse(Side.INSTRUCTION) || p.cacheInUse(Side.DATA) || p.prefetchInUse(Side.INSTRUCTION));
        assertEquals(3, p.waitStates(), "the part needs 3 at 100 MHz whatever LATENCY says");
        flash.write(0x00, 4, 0x703);   // DCEN | ICEN | PRFTEN | LATENCY 3
        assertEquals(0x703, flash.read(0x00, 4));
        assertTrue(p.cacheInUse(Side.INSTRUCTION) && p.cacheInUse(Side.DATA) && p.prefetchInUse(Side.INSTRUCTION));
        flash.write(0x00, 4, 0x705);   // LATENCY 5: slower reads
        assertEquals(5, p.waitStates());
        // ICRST is ignored while ICEN is set; with ICEN clear it empties the instruction cache
        flash.write(0x00, 4, 0x700);   // caches on, prefetch off, LATENCY 0 (flash stays at 3)
        assertEquals(3, p.waitStates());
        // (a fetch of another row first, so that the line buffer does not serve the one tested)
        assertFalse(fetchHits(p, 0x1000));
        p.fetch(0x80000, 16);
        assertTrue(fetchHits(p, 0x1000));
        flash.write(0x00, 4, 0x700 | 1 << 11);
        assertTrue(s.t().log.stream().anyMatch(l -> l.contains("ICRST written while ICEN is set: ignored")), s.t().log.toString());
        p.fetch(0x80000, 16);
        assertTrue(fetchHits(p, 0x1000));
        flash.write(0x00, 4, 0x400 | 1 << 11);   // ICEN off, ICRST
        flash.write(0x00, 4, 0x600);             // ICEN on again: the line is gone
        p.fetch(0x80000, 16);
        assertFalse(fetchHits(p, 0x1000));
        // the other registers are named, logged and not fatal
        flash.write(0x04, 4, 0x45670123);        // KEYR
        assertTrue(s.t().firstUnmodelled.toString().contains("KEYR"), s.t().firstUnmodelled.toString());
    }

    @Test
    void stm32l4FlashAcrResetsWithTheCachesOn() throws Exception {
        Setup s = on("stm32l4r5", "FLASH");
        Stm32FlashInterface flash = new Stm32FlashInterface(s.spec(), s.t().context);
        assertEquals(0x600, flash.read(0x00, 4), "L4+ FLASH_ACR reset: ICEN | DCEN");
        assertTrue(s.path().cacheInUse(Side.INSTRUCTION) && s.path().cacheInUse(Side.DATA));
        assertFalse(s.path().prefetchInUse(Side.INSTRUCTION));
        assertEquals(5, s.path().waitStates());
    }

    @Test
    void kinetisFmcComesUpWithCacheAndPrefetchOnAndInvalidatesWays() throws Exception {
        Setup s = on("mk66fx1m0", "FMC");
        KinetisFmc fmc = new KinetisFmc(s.spec(), s.t().context);
        FlashPath p = s.path();
        int pfb01cr = (int) fmc.read(0x04, 4);
        assertEquals(0x1F, pfb01cr & 0x1F, "B0DCE | B0ICE | B0DPE | B0IPE set at reset (bit 0, the K20's B0SEBE, too)");
        assertTrue(p.cacheInUse(Side.INSTRUCTION) && p.cacheInUse(Side.DATA));
        assertTrue(p.prefetchInUse(Side.INSTRUCTION) && p.prefetchInUse(Side.DATA));
        assertFalse(fetchHits(p, 0x2000));
        assertTrue(fetchHits(p, 0x2000));
        fmc.write(0x04, 4, (pfb01cr & 0x1F) | 0xF << 20);   // CINV_WAY: all four ways
        assertFalse(fetchHits(p, 0x2000));
        fmc.write(0x04, 4, pfb01cr & 0x1F & ~(1 << 3));      // B0ICE off
        assertFalse(p.cacheInUse(Side.INSTRUCTION));
        assertTrue(p.cacheInUse(Side.DATA));
    }

    @Test
    void samCmccIsOffAtResetAndCountsHitsInItsMonitor() throws Exception {
        Setup s = on("samd51", "CMCC");
        SamCmcc cmcc = new SamCmcc(s.spec(), s.t().context);
        FlashPath p = s.path();
        assertEquals(0x12D2, cmcc.read(0x00, 4), "TYPE: 4 KB, 4-way, 16-byte lines");
        assertEquals(0, cmcc.read(0x0C, 4), "SR.CSTS: off");
        assertFalse(p.cacheInUse(Side.INSTRUCTION) || p.cacheInUse(Side.DATA));
        cmcc.write(0x08, 4, 1);                  // CTRL.CEN
        assertEquals(1, cmcc.read(0x0C, 4));
        assertTrue(p.cacheInUse(Side.INSTRUCTION) && p.cacheInUse(Side.DATA));
        cmcc.write(0x28, 4, 1);                  // MCFG: instruction hits
        cmcc.write(0x2C, 4, 1);                  // MEN
        assertFalse(fetchHits(p, 0x3000));
        assertTrue(fetchHits(p, 0x3000));
        assertTrue(fetchHits(p, 0x3000));
        // a 16-byte line is two 64-bit rows: the miss fills the line for its second row (1 hit), each hit is 2
        assertEquals(1 + 2 + 2, cmcc.read(0x34, 4), "MSR: the instruction hits since MEN");
        cmcc.write(0x20, 4, 1);                  // MAINT0.INVALL
        assertFalse(fetchHits(p, 0x3000));
        cmcc.write(0x04, 4, 1 << 1);             // CFG.ICDIS
        assertFalse(p.cacheInUse(Side.INSTRUCTION));
        assertTrue(p.cacheInUse(Side.DATA));
    }

    @Test
    void samNvmctrlReadWaitStatesNeverGoBelowWhatThePartNeeds() throws Exception {
        Setup s = on("samd51", "NVMCTRL");
        SamNvmctrl nvm = new SamNvmctrl(s.spec(), s.t().context);
        assertEquals(5, s.path().waitStates());
        int ctrla = (int) nvm.read(0x00, 2);
        assertEquals(1 << 2, ctrla & 1 << 2, "CTRLA.AUTOWS at reset: the controller inserts what the clock needs");
        nvm.write(0x00, 2, (ctrla & ~(0xF << 8) & ~(1 << 2)) | 7 << 8);   // manual RWS = 7
        assertEquals(7, s.path().waitStates());
        nvm.write(0x00, 2, ctrla & ~(0xF << 8) & ~(1 << 2));              // RWS = 0: the part still needs 5
        assertEquals(5, s.path().waitStates());
    }
}
