package dev.tinysim.run;

import dev.tinysim.boards.Boards;
import dev.tinysim.emulator.board.Board;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** compare and table run several machines at once: as many as the cores allow and the free memory holds. */
class MachineBudgetTest {

    @Test
    void machinesAreBoundedByCoresAndMemory() {
        long per = 100L << 20;
        assertEquals(4, MachineBudget.machines(8, 4, 64L << 30, per), "cores");
        assertEquals(2, MachineBudget.machines(2, 4, 64L << 30, per), "asked for");
        assertEquals(3, MachineBudget.machines(8, 8, 350L << 20, per), "memory: 350 MB holds three 100 MB machines");
        assertEquals(1, MachineBudget.machines(8, 8, 10L << 20, per), "at least one");
        assertEquals(8, MachineBudget.machines(8, 8, 0, per), "memory unknown: cores only");
    }

    @Test
    void aMachineOfEnlargedRamCountsItsRam() throws Exception {
        Board b = Boards.load("nrf52840", false);
        long normal = MachineBudget.bytesPerMachine(b);
        long big = MachineBudget.bytesPerMachine(b.withRegionSize("ram", 64L << 20));
        assertTrue(big - normal >= 2 * ((64L << 20) - b.ram().size()), normal + " -> " + big);
        assertTrue(MachineBudget.TYPICAL_MACHINE_BYTES >= normal - (1L << 20), normal + " vs " + MachineBudget.TYPICAL_MACHINE_BYTES);
    }
}
