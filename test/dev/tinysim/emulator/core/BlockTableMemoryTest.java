package dev.tinysim.emulator.core;

import dev.tinysim.boards.Boards;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.machine.Machine;
import dev.tinysim.emulator.machine.MachineOptions;
import dev.tinysim.emulator.machine.RunResult;
import dev.tinysim.emulator.timing.TimingModels;
import dev.tinysim.firmware.FirmwareImage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-halfword block tables (native entries and program offsets, Java slots) cover flash only: a machine whose
 * RAM is enlarged (to measure a model that does not fit) costs no more than the board's own. Stated ceiling: 8 bytes
 * of tables per byte of flash (6 native + 2 Java), nothing per byte of RAM. Before, every mapping, RAM and its
 * alias included, had them: 64 MB of RAM came to over 500 MB of tables.
 */
class BlockTableMemoryTest {

    static long[] run(Board b) throws Exception {
        FirmwareImage fw = FirmwareImage.read(Path.of("firmware-images/prebuilt/selftest-m4f.elf"));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        MachineOptions options = new MachineOptions(TimingModels.create("cortex-m4", b), (s, bytes, o, l) -> console.write(bytes, o, l),
                null, "selftest", false, 2_000_000_000L, new Semihosting.HeapInfo(0, 0, 0, 0), m -> { });
        try (Machine m = Machine.create(b, options)) {
            m.load(fw.segments());
            m.boot();
            RunResult r = m.run();
            assertTrue(r.outcome() instanceof RunOutcome.Exited e && e.exit().status() == 0, r.outcome() + " " + console);
            return new long[]{m.blockTableBytes(), r.instructions(), r.cycles()};
        }
    }

    @Test
    void tablesCoverFlashOnlyWhateverTheRam() throws Exception {
        Board board = Boards.load("nrf52840", false);
        Board enlarged = board.withRegionSize("ram", 64L << 20);
        long[] normal = run(board);
        long[] big = run(enlarged);
        long flash = board.flash().size();
        System.out.printf("block tables: %,d bytes on nrf52840 (%,d flash, %,d RAM), %,d bytes with 64 MB of RAM%n",
                normal[0], flash, board.ram().size(), big[0]);
        assertEquals(normal[0], big[0], "enlarged RAM costs no table bytes");
        assertTrue(big[0] <= 8 * flash, big[0] + " bytes of tables for " + flash + " bytes of flash");
        assertEquals(normal[1], big[1], "same instructions");
        assertEquals(normal[2], big[2], "same cycles");
    }
}
