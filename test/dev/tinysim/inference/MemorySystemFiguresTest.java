package dev.tinysim.inference;

import dev.tinysim.boards.Boards;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.run.MemoryReport;
import dev.tinysim.tflite.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The KWS reference model on boards whose memories differ (docs/timing-model.md, "The flash path"):
 * weights read from flash pay the flash path, so slower flash costs more, every board's figure is
 * its own, and each report's counts obey the model's rules exactly.
 */
class MemorySystemFiguresTest {
    static final String KWS = "kws_ref_model.tflite";

    @TempDir
    Path dir;

    private static InferenceReport kws(Board board) {
        InferenceRunner.Outcome o = InferenceRunner.run(Models.bytes(KWS), KWS,
                InferenceOptions.of(board, Kernels.simd, 1, new InputSource.Seeded(1)));
        assertEquals(0, o.exitCode(), o.report().result().message());
        return o.report();
    }

    @Test
    void slowerFlashCostsMoreAndEveryBoardsMemoryGivesItsOwnFigure() throws Exception {
        Path slow = dir.resolve("slow.json");
        Files.writeString(slow, "{ \"extends\": \"nrf52840\", \"name\": \"nrf52840-10ws\", \"memorySystem\": { \"flash\": { \"waitStates\": 10 } } }");
        Map<String, InferenceReport> r = new LinkedHashMap<>();
        for (String name : new String[]{"nrf52840", "stm32f411", "stm32l4r5", "samd51"}) {
            r.put(name, kws(Boards.load(name, false)));
        }
        InferenceReport tenWait = kws(Boards.load(slow.toString(), false));
        long nrf = r.get("nrf52840").latency().cycles();
        assertTrue(tenWait.latency().cycles() > nrf * 5 / 4,
                "10 wait states " + tenWait.latency().cycles() + " against the nRF52840's 2: " + nrf);
        assertEquals(4, new HashSet<>(r.values().stream().map(x -> x.latency().cycles()).toList()).size(),
                "each memory system gives its own figure: " + r.values().stream().map(x -> x.latency().cycles()).toList());

        // nRF52840: no data cache, no line buffer: every data read of flash is a flash read of 2 wait states
        MemoryReport m = r.get("nrf52840").timing().memory();
        assertTrue(m.data().accesses() > 100_000, m.toString());
        assertEquals(m.data().accesses(), m.data().flashReads());
        assertEquals(2 * m.data().accesses(), m.data().stallCycles());
        assertEquals(0, m.unresolvedDataReads());
        MemoryReport.Cache icache = m.caches().get(0);
        assertTrue(icache.on(), "the runtime turns the NVMC cache on, as Zephyr does");
        assertEquals(m.instruction().cacheHits(), icache.hits());
        assertEquals(m.instruction().cacheMisses() * icache.missCycles(), m.instruction().stallCycles());
        assertNotNull(icache.hitRate());
        // with 10 wait states the same reads cost 10 each
        MemoryReport slowMemory = tenWait.timing().memory();
        assertEquals(10 * slowMemory.data().accesses(), slowMemory.data().stallCycles());

        // STM32L4R5: the ART data cache takes every data read; a miss is its line fill, a hit is free
        MemoryReport l4 = r.get("stm32l4r5").timing().memory();
        MemoryReport.Cache dcache = l4.caches().stream().filter(c -> c.serves().equals(java.util.List.of("data"))).findFirst().orElseThrow();
        assertTrue(dcache.on() && dcache.hits() > 0 && dcache.misses() > 0, dcache.toString());
        assertEquals(l4.data().accesses(), l4.data().cacheHits() + l4.data().cacheMisses());
        assertEquals(dcache.misses() * dcache.missCycles(), l4.data().stallCycles());
    }

    /** The flash path of the native block hook and its Java twin count exactly alike, on caches of every kind. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"stm32l4r5", "samd51", "mk66fx1m0"})
    void theNativeAndJavaFlashPathsAgree(String name) throws Exception {
        Board board = Boards.load(name, false);
        InferenceReport fast = kws(board);
        String before = System.getProperty("tinysim.nativeHook");
        System.setProperty("tinysim.nativeHook", "false");
        InferenceReport java;
        try {
            java = kws(board);
        } finally {
            if (before == null) {
                System.clearProperty("tinysim.nativeHook");
            } else {
                System.setProperty("tinysim.nativeHook", before);
            }
        }
        assertEquals(fast.execution().cycles(), java.execution().cycles());
        assertEquals(fast.timing().memory(), java.timing().memory());
    }
}
