package dev.tinysim.compare;

import dev.tinysim.boards.Boards;
import dev.tinysim.failure.FailureException;
import dev.tinysim.cli.ExitCode;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.board.BoardLoader;
import dev.tinysim.inference.InferenceOptions;
import dev.tinysim.inference.InferenceReport;
import dev.tinysim.inference.InferenceRunner;
import dev.tinysim.inference.InputSource;
import dev.tinysim.inference.Kernels;
import dev.tinysim.reference.InputGenerator;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.support.Cli;
import dev.tinysim.support.Outputs;
import dev.tinysim.tflite.Models;
import dev.tinysim.tflite.TfliteModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inference runtime, linked for the nRF52840 (flash at 0, 256 KB RAM, stack at 0x2003E000), on boards with less
 * RAM, RAM elsewhere, flash elsewhere: the stack goes to the top of the board's RAM, the core boots with that SP, the
 * arena takes the largest free part of RAM, and the output is the reference interpreter's, byte for byte.
 */
class BoardAdaptationTest {
    private static final String KWS = "kws_ref_model.tflite";

    private static InferenceRunner.Outcome kwsOn(Board board) {
        byte[] bytes = Models.bytes(KWS);
        return InferenceRunner.run(bytes, KWS, InferenceOptions.of(board, Kernels.simd, 1, new InputSource.Seeded(3)));
    }

    private static Board nrf52840() {
        try {
            return Boards.load("nrf52840", false);
        } catch (dev.tinysim.emulator.board.BoardException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The runtime image's own figures, read from its ELF (so the test follows the runtime as it grows). */
    private static long symbol(String name) {
        return InferenceRunner.runtimeImage(nrf52840()).symbolAddress(name).orElseThrow();
    }

    /** .data + .bss + .noinit of the runtime: what the report calls static RAM. */
    private static long staticRam() {
        return InferenceRunner.runtimeImage(nrf52840()).elf().sections().stream()
                .filter(sec -> sec.allocated() && sec.writable() && sec.address() >= 0x2000_0000L
                        && sec.address() < symbol("__arena_start"))
                .mapToLong(dev.tinysim.elf.ElfSection::size).sum();
    }

    private static List<byte[]> reference() {
        TfliteModel m = Models.model(KWS);
        return ReferenceInterpreter.prepare(m).invoke(List.of(InputGenerator.random(m.mainSubgraph().inputTensor(0), 3)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nrf52832", "stm32f411", "mk20dx256"})
    void int8KwsRunsOnSmallerAndDifferentBoardsWithTheReferenceOutput(String name) throws Exception {
        Board board = Boards.load(name, false);
        InferenceRunner.Outcome o = kwsOn(board);
        InferenceReport r = o.report();
        assertEquals("ok", r.result().kind(), r.result().message());
        assertEquals(0, o.exitCode());
        Outputs.assertSame(reference(), o.outputs().get(0), "output on " + name);
        // the stack is the 8 KB reservation, now at the top of the board's RAM, and it was painted and scanned there
        InferenceReport.Ram ram = r.fit().ram();
        assertEquals(8192, ram.stackReserved());
        assertTrue(ram.stackPeak() > 200 && ram.stackPeak() < 8192, "stack peak " + ram.stackPeak());
        assertFalse(ram.stackOverflow());
        assertEquals(staticRam(), ram.staticBytes());
        assertTrue(ram.staticBytes() < 256, "the runtime's own state is a few dozen bytes: " + ram.staticBytes());
        assertEquals(ram.staticBytes() + ram.arena() + ram.stackPeak(), ram.used());
        assertEquals(board.ram().size() - ram.used(), ram.free());
        assertTrue(ram.fits() && r.fit().flash().fits() && r.fit().fits());
        assertEquals(null, r.fit().measuredOn());
        // the arena is in the board's RAM, below the relocated stack
        long arenaBase = Long.decode(r.arena().base());
        assertTrue(arenaBase >= board.ram().base() && arenaBase + r.arena().capacity() <= board.ram().end() - 8192,
                r.arena().toString());
        assertFalse(r.arena().enlarged());
        String adapted = r.notes().stream().filter(n -> n.startsWith("runtime adapted to " + name)).findFirst().orElseThrow();
        assertTrue(adapted.contains(String.format("initial SP 0x%08x", board.ram().end())), adapted);
        // flash: runtime + model from the start of flash, whatever its address
        InferenceReport.Flash f = r.fit().flash();
        assertEquals(53_936, f.model());
        assertEquals(board.flash().size(), f.capacity());
        assertEquals(board.flash().size() - f.used(), f.free());
        // the runtime as a build with KWS's operators links it (about 52 KB; the bundled image with all is ~115 KB)
        assertTrue(f.runtime() > 30_000 && f.runtime() < 100_000, "runtime " + f.runtime());
    }

    @Test
    void mk20ArenaGoesBelowTheStaticDataWhereRamIsLargest() throws Exception {
        // MK20DX256: RAM 0x1FFF8000..0x20008000; the runtime's static data is at 0x20000000 (32 KB below, 24 KB above)
        InferenceReport r = kwsOn(Boards.load("mk20dx256", false)).report();
        assertEquals("0x1fff8000", r.arena().base());
        assertTrue(r.arena().capacity() <= 32 * 1024 && r.arena().capacity() > 32 * 1024 - 64, r.arena().toString());
        assertEquals("runtime-m4.elf", r.runtime().image());
    }

    @Test
    void stm32RunsFromTheFlashBootAliasAndCountsItsFlash() throws Exception {
        InferenceReport r = kwsOn(Boards.load("stm32f411", false)).report();
        assertTrue(r.notes().get(0).contains("the runtime runs from the flash alias at 0x00000000 (flash at 0x08000000)"),
                r.notes().toString());
        assertEquals(512 * 1024, r.fit().flash().capacity());
        assertEquals(100_000_000L, r.board().clockHz());
    }

    @Test
    void onTheNrf52840NothingIsAdaptedAndTheArenaIsTheLinkers() throws Exception {
        InferenceReport r = kwsOn(Boards.load("nrf52840", false)).report();
        assertTrue(r.notes().stream().noneMatch(n -> n.startsWith("runtime adapted")), r.notes().toString());
        assertEquals(String.format("0x%08x", symbol("__arena_start")), r.arena().base());
        assertEquals(symbol("__arena_end") - symbol("__arena_start"), r.arena().capacity());
    }

    @Test
    void aBoardWithFlashElsewhereAndNothingAtZeroGetsAnAliasForTheRun(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("far-flash.json");
        Files.writeString(json, """
                { "name": "far-flash", "description": "test board: flash at 0x08000000 without a boot alias",
                  "cpu": { "core": "cortex-m4", "fpu": true, "clockHz": 48000000, "cpuid": "0x410FC241", "interrupts": 32, "nvicPriorityBits": 4 },
                  "memory": [
                    { "name": "flash", "kind": "flash", "base": "0x08000000", "size": "256K" },
                    { "name": "ram", "kind": "ram", "base": "0x20000000", "size": "48K" } ],
                  "peripherals": [ { "name": "UART0", "model": "unmodelled", "base": "0x40004000" } ] }
                """);
        Board board = Boards.load(json.toString(), false);
        InferenceRunner.Outcome o = kwsOn(board);
        assertEquals(0, o.exitCode(), o.report().result().message());
        Outputs.assertSame(reference(), o.outputs().get(0), "output");
        assertTrue(o.report().notes().get(0).contains("flash at 0x08000000 aliased at 0x00000000"), o.report().notes().toString());
        assertEquals(256 * 1024, o.report().fit().flash().capacity());
    }

    @Test
    void aBoardWhoseRamCannotHoldTheRuntimesStaticDataIsRefused(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("low-ram.json");
        Files.writeString(json, """
                { "name": "low-ram", "description": "test board: RAM at 0x10000000 only",
                  "cpu": { "core": "cortex-m4", "fpu": true, "clockHz": 48000000, "cpuid": "0x410FC241", "interrupts": 32, "nvicPriorityBits": 4 },
                  "memory": [
                    { "name": "flash", "kind": "flash", "base": "0x00000000", "size": "256K" },
                    { "name": "ram", "kind": "ram", "base": "0x10000000", "size": "64K" } ],
                  "peripherals": [ { "name": "UART0", "model": "unmodelled", "base": "0x40004000" } ] }
                """);
        Board board = Boards.load(json.toString(), false);
        // .bss/.noinit at 0x20000000 cannot move (the code has their addresses): the board is refused, not run wrongly
        FailureException e = assertThrows(FailureException.class, () -> kwsOn(board));
        assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e.kind()));
        assertTrue(e.getMessage().startsWith("board low-ram cannot run the inference runtime"), e.getMessage());
    }

    @Test
    void anArenaLargerThanTheLargestFreePartOfRamIsMeasuredOnEnlargedRamAndJudgedBySizes() throws Exception {
        // ResNet-8 int8 plans a larger arena than the contiguous bytes the nRF52832 has between the runtime's static
        // data and the 8 KB stack reservation (about 57 KB), but static + arena + stack peak is within its 64 KB.
        long largestFree = 0x2001_0000L - 8192 - symbol("__arena_start");
        String name = "pretrainedResnet_quant.tflite";
        Board board = Boards.load("nrf52832", false);
        InferenceRunner.Outcome o = InferenceRunner.run(Models.bytes(name), name,
                InferenceOptions.of(board, Kernels.simd, 1, new InputSource.Seeded(1)));
        InferenceReport r = o.report();
        assertTrue(r.arena().enlarged());
        assertTrue(r.arena().total() > largestFree, r.arena().toString());
        assertTrue(r.fit().measuredOn().contains("RAM enlarged to"), r.fit().measuredOn());
        assertTrue(r.fit().measuredOn().contains("the largest free part of the board's RAM, " + String.format("%,d", largestFree)
                + " bytes, is too small"),
                r.fit().measuredOn());
        InferenceReport.Ram ram = r.fit().ram();
        assertEquals(ram.staticBytes() + ram.arena() + ram.stackPeak(), ram.used());
        assertTrue(ram.used() <= 65_536 && ram.fits(), ram.toString());
        assertEquals(0, o.exitCode(), r.result().message());
        Outputs.assertSame(ReferenceInterpreter.prepare(Models.model(name)).invoke(o.inputs().get(0)), o.outputs().get(0), name);
    }

    @Test
    void reserveOptionsOverrideTheProfile() {
        Cli.Result r = Cli.run("fit", Fixtures.KWS_INT8.toString(), "--board", "nrf52840-s140", "--reserve-flash", "1000K",
                "--format", "json", "--no-fpu");
        assertEquals(ExitCode.DOES_NOT_FIT.code(), r.exitCode(), r.err());
        var j = Fixtures.json(r.out());
        assertEquals(1000 * 1024, j.at("/configurations/0/flash/reserved").asLong());
        assertEquals(24 * 1024, j.at("/configurations/0/flash/available").asLong());
        assertEquals(0x3000, j.at("/configurations/0/ram/reserved").asLong(), "the profile's RAM reservation stays");
        assertEquals(24 * 1024 - j.at("/configurations/0/flash/used").asLong(), j.at("/configurations/0/flash/free").asLong());
        assertTrue(j.at("/result/message").asText().matches("kws_ref_model\\.tflite does not fit nrf52840-s140-nofpu \\(no-fpu\\): "
                + "flash: [\\d,]+ bytes needed \\(runtime [\\d,]+ \\+ model 53,936\\), 24,576 available, [\\d,]+ bytes over"),
                j.at("/result/message").asText());

        Cli.Result ram = Cli.run("fit", Fixtures.KWS_INT8.toString(), "--board", "nrf52840", "--reserve-ram", "0x3C000",
                "--format", "json", "--no-fpu");
        assertEquals(ExitCode.DOES_NOT_FIT.code(), ram.exitCode(), ram.err());
        var k = Fixtures.json(ram.out());
        assertEquals(0x3C000, k.at("/configurations/0/ram/reserved").asLong());
        assertEquals(16 * 1024, k.at("/configurations/0/ram/available").asLong());
        assertTrue(k.at("/result/message").asText().contains("RAM: "), k.at("/result/message").asText());
        assertTrue(k.at("/result/message").asText().contains("16,384 available"), k.at("/result/message").asText());
    }

    @Test
    void reserveOptionsRejectBadSizesInOneLine() {
        Fixtures.assertOneLineError(Cli.run("fit", Fixtures.KWS_INT8.toString(), "--reserve-flash", "12Q"), 64, "--reserve-flash", "12Q");
        Fixtures.assertOneLineError(Cli.run("fit", Fixtures.KWS_INT8.toString(), "--reserve-ram", "300K"), 64, "--reserve-ram",
                "leaves nothing");
        Fixtures.assertOneLineError(Cli.run("run", "selftest", "--reserve-ram", "1.5X"), 64, "--reserve-ram");
    }

    @Test
    void bundledBoardsAreTheOnesTested() {
        assertTrue(BoardLoader.bundledNames().containsAll(List.of("nrf52832", "stm32f411", "mk20dx256")));
    }
}
