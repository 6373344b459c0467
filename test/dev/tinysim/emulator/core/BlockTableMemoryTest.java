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

    /**
     * A part whose flash is also shown at 0x0 runs its programs there (STM32: the boot alias, VTOR 0): the alias
     * gets tables too, or every block of every program on it would take the Java path (it did: KWS took 1.7 s a
     * run on stm32l4r5 instead of 0.2 s). An alias of RAM (the nRF52's code-bus alias of RAM) gets none.
     */
    @Test
    void aFlashAliasIsTabledARamAliasIsNot() throws Exception {
        Board l4 = Boards.load("stm32l4r5", false);
        long flash = l4.flash().size();
        long alias = l4.region("flash-boot-alias").orElseThrow().size();
        Board nrf = Boards.load("nrf52840", false);
        MachineOptions options = new MachineOptions(TimingModels.create("cortex-m4", l4), (st, bytes, o, l) -> { },
                null, "tables", false, 1_000L, new Semihosting.HeapInfo(0, 0, 0, 0), m -> { });
        try (Machine m = Machine.create(l4, options)) {
            assertEquals(8 * (flash + alias), m.blockTableBytes(), "flash and its boot alias, 8 bytes per byte each");
        }
        try (Machine m = Machine.create(nrf, new MachineOptions(TimingModels.create("cortex-m4", nrf), (st, bytes, o, l) -> { },
                null, "tables", false, 1_000L, new Semihosting.HeapInfo(0, 0, 0, 0), x -> { }))) {
            assertEquals(8 * nrf.flash().size(), m.blockTableBytes(), "flash only: the code alias of RAM has none");
        }
    }
}
