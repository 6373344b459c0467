package dev.tinysim.firmware;

import dev.tinysim.boards.Boards;
import dev.tinysim.elf.ElfFile;
import dev.tinysim.elf.ElfSection;
import dev.tinysim.elf.ElfSegment;
import dev.tinysim.elf.ElfSymbol;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.board.MemoryRegion;
import dev.tinysim.support.Cli;
import dev.tinysim.support.TinyElf;
import dev.tinysim.support.Toolchain;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Placing an image linked for the nRF52840 in another board's memory (docs/firmware-placement.md). */
class BoardPlacementTest {
    private static final Path PREBUILT = Path.of("firmware-images/prebuilt");

    /**
     * The strongest check: for every distinct memory among the board files, the prebuilt images placed there are
     * exactly what the linker gives when the same sources are linked with that memory (`make layout`): the same
     * bytes at the same addresses, the same symbols, sections and entry point; and an image the linker cannot fit
     * is one the placement refuses as too large. Each memory is linked in the build its board runs (-m4f with an
     * FPU, -m4 without), which keeps the test to a few seconds per memory and covers both builds.
     */
    @Test
    void placedImagesAreWhatTheLinkerGivesForEachBoardsMemory(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Toolchain.available(), "arm-none-eabi-gcc is not installed");
        Map<String, Board> layouts = new LinkedHashMap<>();
        for (BundledImageMatrixTest.BoardUnderTest bt : BundledImageMatrixTest.boards()) {
            Board b = bt.board();
            MemoryRegion flash = b.flash(), ram = b.ram();
            if (flash.base() == 0 && flash.size() == 1 << 20 && ram.base() == 0x20000000L && ram.size() == 256 << 10) {
                continue;   // the memory the images are linked for: PrebuiltImagesAreReproducibleTest
            }
            layouts.putIfAbsent(String.format("0x%x:0x%x 0x%x:0x%x", flash.base(), flash.size(), ram.base(), ram.size()), b);
        }
        assertTrue(layouts.size() >= 3, layouts.keySet().toString());
        List<Path> prebuilt;
        try (Stream<Path> files = Files.list(PREBUILT)) {
            prebuilt = files.sorted().toList();
        }
        int n = 0;
        for (var layout : layouts.entrySet()) {
            Board board = layout.getValue();
            Path out = dir.resolve("layout" + n++).toAbsolutePath();
            String[] memory = layout.getKey().split(" ");
            String variant = board.cpu().fpu() ? "m4f" : "m4";
            Toolchain.Output make = Toolchain.run(List.of("make", "-k", "-j2", "-C", "firmware-images", "--no-print-directory",
                    "layout", "FLASH=" + memory[0], "RAM=" + memory[1], "OUT=" + out, "VARIANTS=" + variant));
            for (Path p : prebuilt) {
                if (!p.getFileName().toString().endsWith("-" + variant + ".elf")) {
                    continue;
                }
                FirmwareImage image = FirmwareImage.read(p);
                Path relinked = out.resolve(p.getFileName());
                String what = p.getFileName() + " on " + board.name() + " (" + layout.getKey() + ")";
                if (!Files.exists(relinked)) {
                    assertTrue(make.text().contains("region `RAM' overflowed") || make.text().contains("RAM overflow")
                            || make.text().contains("region `FLASH' overflowed"), what + ": the link failed for another reason:\n" + make.text());
                    BoardPlacement.PlacementException e = assertThrows(BoardPlacement.PlacementException.class,
                            () -> BoardPlacement.place(image, board), what);
                    assertTrue(e.doesNotFit(), what + ": " + e.getMessage());
                    continue;
                }
                assertSameImage(ElfFile.read(relinked), BoardPlacement.place(image, board).elf(), what);
            }
        }
    }

    private static void assertSameImage(ElfFile linked, ElfFile placed, String what) {
        assertEquals(linked.entry(), placed.entry(), what + ": entry");
        List<ElfSegment> ls = linked.loadSegments(), ps = placed.loadSegments();
        assertEquals(ls.size(), ps.size(), what + ": segments");
        for (int i = 0; i < ls.size(); i++) {
            ElfSegment l = ls.get(i), p = ps.get(i);
            String seg = what + ": segment " + i;
            assertEquals(l.virtualAddress(), p.virtualAddress(), seg + " p_vaddr");
            assertEquals(l.physicalAddress(), p.physicalAddress(), seg + " p_paddr");
            assertEquals(l.memorySize(), p.memorySize(), seg + " p_memsz");
            assertArrayEquals(linked.segmentBytes(l), placed.segmentBytes(p), seg + " contents");
        }
        assertSameList(sections(linked), sections(placed), what + ": section");
        assertSameList(symbols(linked), symbols(placed), what + ": symbol");
    }

    /** Equal lists; a difference is reported by its first entry, not as two whole lists. */
    private static void assertSameList(List<String> linked, List<String> placed, String what) {
        for (int i = 0; i < Math.min(linked.size(), placed.size()); i++) {
            assertEquals(linked.get(i), placed.get(i), what + " " + i + " (linked, placed)");
        }
        assertEquals(linked.size(), placed.size(), what + "s");
    }

    private static List<String> sections(ElfFile f) {
        List<String> out = new ArrayList<>();
        for (ElfSection s : f.sections()) {
            if (s.allocated()) {
                out.add(String.format("%s 0x%08x %d", s.name(), s.address(), s.size()));
            }
        }
        return out;
    }

    private static List<String> symbols(ElfFile f) {
        List<String> out = new ArrayList<>();
        for (ElfSymbol s : f.symbols()) {
            out.add(String.format("%s 0x%08x", s.name(), s.value()));
        }
        return out;
    }

    @Test
    void everyAddressMovesWithTheMemoryItIsIn() throws Exception {
        Board stm32 = Boards.load("stm32f411", false);   // flash 0x08000000 512 KB, RAM 0x20000000 128 KB
        FirmwareImage linked = FirmwareImage.read(PREBUILT.resolve("selftest-semihosting-m4f.elf"));
        FirmwareImage placed = BoardPlacement.place(linked, stm32);
        long main = linked.symbolAddress("main").orElseThrow();
        assertEquals(main + 0x08000000L, placed.symbolAddress("main").orElseThrow(), "code moves with the start of flash");
        assertEquals(0x20000000L, placed.symbolAddress("__data_start__").orElseThrow(), "data moves with the start of RAM");
        assertEquals(0x20020000L, placed.symbolAddress("__StackTop").orElseThrow(), "the stack moves with the end of RAM");
        assertEquals(0x2001e000L, placed.symbolAddress("__StackLimit").orElseThrow());
        assertEquals(0x08080000L, placed.symbolAddress("__model_end").orElseThrow(), "the end of flash moves with the end of flash");
        assertEquals(0x2000L, placed.symbolAddress("__STACK_SIZE").orElseThrow(), "a size is not an address");
        // the vector table: initial SP and reset handler, as the core reads them at boot
        byte[] flashImage = placed.segments().stream().filter(s -> s.loadAddress() == 0x08000000L).findFirst().orElseThrow().bytes();
        ByteBuffer v = ByteBuffer.wrap(flashImage).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x20020000L, v.getInt(0) & 0xFFFFFFFFL);
        assertEquals(placed.symbolAddress("Reset_Handler").orElseThrow() | 1, v.getInt(4) & 0xFFFFFFFFL);
        assertTrue(placed.placement().startsWith("linked for flash 0x00000000 (1024 KB) and RAM 0x20000000 (256 KB); "
                + "moved to flash 0x08000000 (512 KB) and RAM 0x20000000 (128 KB)"), placed.placement());
        assertEquals(linked.memoryUse(Boards.load("nrf52840", false)).flash(), placed.memoryUse(stm32).flash(),
                "the same bytes in the board's flash");
    }

    @Test
    void onTheMemoryItIsLinkedForAnImageRunsAsLinked() throws Exception {
        FirmwareImage linked = FirmwareImage.read(PREBUILT.resolve("selftest-m4f.elf"));
        assertSame(linked, BoardPlacement.place(linked, Boards.load("nrf52840", false)));
        assertSame(linked, BoardPlacement.place(linked, Boards.load("nrf52840-s140", false)), "reserved memory is accounting only");
    }

    @Test
    void anElfWithoutRelocationsRunsAsLinked(@TempDir Path dir) throws Exception {
        byte[] elf = TinyElf.build(new TinyElf.Segment(0, new byte[]{0, 0, 4, 0x20, 9, 0, 0, 0, (byte) 0xfe, (byte) 0xe7}));
        FirmwareImage image = FirmwareImage.read(TinyElf.write(dir, "tiny.elf", elf));
        assertSame(image, BoardPlacement.place(image, Boards.load("stm32f411", false)));
    }

    @Test
    void anImageTooLargeForTheBoardIsRefusedWithItsSizes() throws Exception {
        FirmwareImage timing = FirmwareImage.read(PREBUILT.resolve("timing-m4f.elf"));
        BoardPlacement.PlacementException e = assertThrows(BoardPlacement.PlacementException.class,
                () -> BoardPlacement.place(timing, Boards.load("nrf52832", false)));
        assertTrue(e.doesNotFit());
        assertTrue(e.getMessage().matches("timing-m4f\\.elf: its [0-9,]+ bytes of static RAM and its 8,192-byte stack do not fit "
                + "the 65,536 bytes of RAM of board nrf52832"), e.getMessage());
    }

    /**
     * A board file with memory no bundled board has needs no new code: the memory of the three parts being added
     * (STM32L4R5: 2 MB flash at 0x08000000 without a boot alias, 640 KB RAM; ATSAMD51J19A: 512 KB, 192 KB; Kinetis
     * K66: RAM from 0x1FFF0000), as board files derived from the STM32F411's.
     */
    @Test
    void boardsWithOtherMemoryNeedNoNewCode(@TempDir Path dir) throws Exception {
        record Memory(String name, String flash, String flashSize, String ram, String ramSize) {
        }
        for (Memory m : List.of(new Memory("l4r5-like", "0x08000000", "2M", "0x20000000", "640K"),
                new Memory("samd51-like", "0x00000000", "512K", "0x20000000", "192K"),
                new Memory("k66-like", "0x00000000", "1M", "0x1FFF0000", "256K"))) {
            Path f = dir.resolve(m.name() + ".json");
            Files.writeString(f, """
                    {"extends": "stm32f411", "name": "%s", "description": "test memory",
                     "memory": [{"name": "flash", "kind": "flash", "base": "%s", "size": "%s"},
                                {"name": "ram", "kind": "ram", "base": "%s", "size": "%s"}]}
                    """.formatted(m.name(), m.flash(), m.flashSize(), m.ram(), m.ramSize()));
            Board board = Boards.load(f.toString(), false);
            Cli.Result self = Cli.run("run", "selftest", "--board", f.toString());
            assertEquals(0, self.exitCode(), self.out() + self.err());
            assertTrue(self.out().contains("self-test passed\ntinysim: selftest-semihosting-m4f.elf on " + m.name()), self.out());
            Cli.Result sh = Cli.runWithInput("hi", "run", "faults", "--board", f.toString(), "--", "semihosting");
            assertEquals(7, sh.exitCode(), sh.out());
            assertTrue(sh.out().contains(String.format("stack base: 0x%08x\n", board.ram().end())), sh.out());
            Cli.Result fault = Cli.run("run", "faults", "--board", f.toString(), "--", "read-unmapped");
            assertEquals(80, fault.exitCode(), fault.out());
            assertTrue(fault.resultLine().matches(String.format("read from unmapped address 0x30000000 at 0x%04x[0-9a-f]{4} \\(main\\+0x8a\\).*",
                    board.flash().base() >>> 16)), fault.resultLine());
            Cli.Result psp = Cli.run("run", "irq", "--board", f.toString(), "--", "psp");
            assertEquals(0, psp.exitCode(), psp.out());
            Cli.Result model = Cli.run("run", "--model", "firmware-images/models/demo_int8.tflite", "--board", f.toString());
            assertEquals(0, model.exitCode(), model.out() + model.err());
        }
    }
}
