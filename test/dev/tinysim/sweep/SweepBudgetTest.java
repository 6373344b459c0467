package dev.tinysim.sweep;

import dev.tinysim.boards.Boards;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.run.MachineBudget;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code sweep} runs as many machines at once as --jobs, the cores and the free host memory allow (issue 12). */
class SweepBudgetTest {

    @Test
    void theFreeMemoryBoundsTheMachinesAtOnce() throws Exception {
        Board nrf = Boards.load("nrf52840", false);
        long per = MachineBudget.bytesPerMachine(nrf);
        List<Board> eight = java.util.Collections.nCopies(8, nrf);
        assertEquals(8, Sweep.workers(8, eight, 8, 100 * per), "plenty of memory: --jobs");
        assertEquals(3, Sweep.workers(8, eight, 8, 3 * per + per / 2), "memory for three and a half machines");
        assertEquals(1, Sweep.workers(8, eight, 8, per / 2), "at least one");
        assertEquals(2, Sweep.workers(8, eight, 2, 100 * per), "the cores");
        assertEquals(8, Sweep.workers(8, eight, 8, 0), "memory unknown: the cores and --jobs only");
        assertEquals(2, Sweep.workers(8, List.of(nrf, nrf), 8, 100 * per), "no more than the configurations to run");
        assertEquals(1, Sweep.workers(8, List.of(), 8, 100 * per), "nothing to run: one thread");
    }

    @Test
    void theLargestBoardOfTheSweepSetsTheMachineSize() throws Exception {
        Board nrf = Boards.load("nrf52840", false);
        Board enlarged = nrf.withRegionSize("ram", 64L << 20);   // a model measured on enlarged RAM
        long per = MachineBudget.bytesPerMachine(nrf);
        long big = MachineBudget.bytesPerMachine(enlarged);
        long free = 4 * big;
        assertEquals(4, Sweep.workers(8, List.of(nrf, enlarged, nrf, nrf, nrf, nrf, nrf, nrf), 8, free));
        assertEquals((int) Math.min(8, free / per), Sweep.workers(8, java.util.Collections.nCopies(8, nrf), 8, free));
    }
}
