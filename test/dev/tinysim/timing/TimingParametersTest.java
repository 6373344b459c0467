package dev.tinysim.timing;

import dev.tinysim.boards.Boards;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.board.BoardException;
import dev.tinysim.emulator.timing.CortexM4Timing;
import dev.tinysim.emulator.timing.CortexM4TimingParameters;
import dev.tinysim.emulator.timing.InstructionCountTiming;
import dev.tinysim.emulator.timing.TimingModel;
import dev.tinysim.emulator.timing.TimingModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A board file's "timing" object: defaults, overrides, and clear errors for bad values. */
class TimingParametersTest {
    @TempDir
    Path dir;

    private Path board(String timing) throws Exception {
        Path p = dir.resolve("myboard.json");
        Files.writeString(p, "{ \"extends\": \"nrf52840\", \"name\": \"myboard\", \"timing\": " + timing + " }");
        return p;
    }

    private String error(String timing) throws Exception {
        Path p = board(timing);
        BoardException e = assertThrows(BoardException.class, () -> Boards.load(p.toString(), false));
        assertTrue(e.getMessage().contains(p.toString()) || e.getMessage().contains("myboard"),
                "the message names the file: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void cycleModelIsTheDefault() throws Exception {
        Board b = Boards.load("nrf52840", false);
        assertEquals("cortex-m4", TimingModels.defaultName());
        TimingModel m = TimingModels.create(TimingModels.defaultName(), b);
        assertInstanceOf(CortexM4Timing.class, m);
        assertInstanceOf(InstructionCountTiming.class, TimingModels.create("instructions", b));
        assertThrows(IllegalArgumentException.class, () -> TimingModels.create("cortex-m7", b));
    }

    @Test
    void bundledBoardStatesTheDefaults() throws Exception {
        Board b = Boards.load("nrf52840", false);
        CortexM4Timing m = CortexM4Timing.forBoard(b);
        assertEquals(CortexM4TimingParameters.defaults(), m.parameterValues());
        assertEquals(CortexM4TimingParameters.keys().size(), b.timing().size(),
                "the nRF52840 profile writes every parameter down with its reason");
        // the FPU-less variant inherits them
        assertEquals(CortexM4TimingParameters.defaults(),
                CortexM4Timing.forBoard(Boards.load("nrf52840", true)).parameterValues());
    }

    @Test
    void overrideInAUserBoard() throws Exception {
        Board b = Boards.load(board("{ \"$comment\": \"a slower refill\", \"apbReadWaitStates\": 3, \"branchRefillCycles\": 2 }").toString(), false);
        CortexM4TimingParameters p = CortexM4Timing.forBoard(b).parameterValues();
        assertEquals(3, p.apbReadWaitStates());
        assertEquals(2, p.branchRefill());
        assertEquals(3, p.loadBranchRefill(), "the rest comes from the parent board");
    }

    @Test
    void unknownKey() throws Exception {
        String m = error("{ \"flashWaitState\": 1 }");
        assertTrue(m.endsWith(": unknown field \"timing.flashWaitState\""), m);
    }

    @Test
    void flashKeysMovedToTheMemorySystem() throws Exception {
        String m = error("{ \"flashWaitStates\": 10 }");
        assertTrue(m.endsWith(": unknown field \"timing.flashWaitStates\": the flash path is described by memorySystem.flash.waitStates"), m);
        assertTrue(error("{ \"flashAcceleratorOn\": 1 }").contains("memorySystem.controller"));
    }

    @Test
    void negativeWaitStates() throws Exception {
        String m = error("{ \"apbReadWaitStates\": -1 }");
        assertTrue(m.contains("\"timing.apbReadWaitStates\" must be 0 or more (got -1)"), m);
    }

    @Test
    void zeroRefill() throws Exception {
        String m = error("{ \"branchRefillCycles\": 0 }");
        assertTrue(m.contains("\"timing.branchRefillCycles\" must be at least 1 (got 0)"), m);
    }

    @Test
    void notAWholeNumber() throws Exception {
        assertTrue(error("{ \"apbReadWaitStates\": 1.5 }").contains("must be a whole number of cycles (got 1.5)"));
        assertTrue(error("{ \"apbReadWaitStates\": \"2\" }").contains("must be a whole number of cycles (got \"2\")"));
        assertTrue(error("{ \"apbReadWaitStates\": true }").contains("must be a whole number of cycles (got true)"));
        assertTrue(error("{ \"apbReadWaitStates\": { } }").contains("must be a whole number of cycles (got an object)"));
    }

    @Test
    void tooLarge() throws Exception {
        assertTrue(error("{ \"systemBusFetchWaitStates\": 1000 }").contains("\"timing.systemBusFetchWaitStates\" must be at most 32 (got 1000)"));
    }

    @Test
    void inconsistentValues() throws Exception {
        assertTrue(error("{ \"exceptionEntryFpCycles\": 10 }").contains("\"timing.exceptionEntryFpCycles\" (10) is less than \"timing.exceptionEntryCycles\" (12)"));
        assertTrue(error("{ \"exceptionReturnFpCycles\": 9 }").contains("\"timing.exceptionReturnFpCycles\" (9) is less than"));
    }
}
