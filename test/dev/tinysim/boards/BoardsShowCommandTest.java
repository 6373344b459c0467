package dev.tinysim.boards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinysim.support.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `tinysim boards show`: the profile as resolved, every value with where it came from. */
class BoardsShowCommandTest {
    @TempDir
    Path dir;

    private static JsonNode value(JsonNode board, String key) {
        for (JsonNode v : board.get("values")) {
            if (v.get("key").asText().equals(key)) {
                return v;
            }
        }
        throw new AssertionError("no value " + key + " in " + board);
    }

    @Test
    void aChildBoardShowsWhatItSetsWhatItInheritsAndTheDefaults() throws Exception {
        Path p = dir.resolve("slow.json");
        Files.writeString(p, "{ \"extends\": \"nrf52840\", \"name\": \"slow\", \"memorySystem\": { \"flash\": { \"waitStates\": 10 } },"
                + " \"sources\": { \"memorySystem.flash.waitStates\": \"GUESS: a slow part\" } }");
        Cli.Result r = Cli.run("boards", "show", p.toString(), "--format", "json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode b = new ObjectMapper().readTree(r.out()).get("board");
        assertEquals("slow", b.get("name").asText());
        assertEquals(p.toString(), b.get("file").asText());
        JsonNode wait = value(b, "memorySystem.flash.waitStates");
        assertEquals(10, wait.get("value").asInt());
        assertEquals("board file", wait.get("origin").asText());
        assertEquals("GUESS: a slow part", wait.get("source").asText());
        JsonNode clock = value(b, "cpu.clockHz");
        assertEquals(64_000_000L, clock.get("value").asLong());
        assertEquals("parent board nrf52840", clock.get("origin").asText());
        assertTrue(clock.get("source").asText().startsWith("nRF52840 Product Specification"), clock.toString());
        // the parent's caches, with the line fill at the child's 10 wait states: 4 fetches of 11 cycles - 4 + 1
        JsonNode cache = b.get("caches").get(0);
        assertEquals("NVMC instruction cache", cache.get("name").asText());
        assertEquals(4 * 11 - 4 + 1, cache.get("missCycles").asInt());
        assertEquals("flash 10 wait states, 32-bit reads; NVMC instruction cache (2 KB, 2-way, 16-byte lines, lru)",
                b.get("memorySystemSummary").asText());
    }

    @Test
    void everyTimingParameterIsListedWithItsOrigin() {
        Cli.Result r = Cli.run("boards", "show", "stm32l4r5");
        assertEquals(0, r.exitCode(), r.err());
        String t = r.out();
        assertTrue(t.startsWith("board stm32l4r5: "), t);
        assertTrue(t.contains("  file          boards/stm32l4r5.json (bundled)\n"), t);
        for (String key : dev.tinysim.emulator.timing.CortexM4TimingParameters.keys()) {
            assertTrue(t.contains("    timing." + key + " "), key + " in\n" + t);
        }
        for (String key : new String[]{"flash.readBytes", "flash.waitStates", "caches", "prefetch", "controller", "bootWrites"}) {
            assertTrue(t.contains("    memorySystem." + key + " "), key + " in\n" + t);
        }
        assertTrue(t.contains("ART instruction cache: instruction, 1 KB, fully associative, 32-byte lines, lru, a miss stalls "), t);
    }

    @Test
    void aBoardWithoutMemorySystemDataSaysSo() throws Exception {
        Path p = dir.resolve("bare.json");
        Files.writeString(p, "{ \"name\": \"bare\", \"cpu\": {\"core\": \"cortex-m4\", \"fpu\": true, \"clockHz\": 64000000},"
                + " \"memory\": [{\"name\":\"flash\",\"kind\":\"flash\",\"base\":\"0x0\",\"size\":\"1M\"},"
                + " {\"name\":\"ram\",\"kind\":\"ram\",\"base\":\"0x20000000\",\"size\":\"256K\"}] }");
        Cli.Result r = Cli.run("boards", "show", p.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("  memory system memory system: not modelled (zero wait)\n"), r.out());
        assertTrue(r.out().contains("    timing.branchRefillCycles "), r.out());
        assertTrue(r.out().contains("built-in default; docs/timing-model.md (tinysim's built-in default)"), r.out());
        // every report of a run on it says so too (the selftest expects nRF52 peripherals this board lacks: a short run)
        Cli.Result run = Cli.run("run", "selftest", "--board", p.toString(), "--max-instructions", "20000");
        assertTrue(run.out().contains("\n  memory     memory system: not modelled (zero wait)\n"), run.out());
        Cli.Result json = Cli.run("run", "selftest", "--board", p.toString(), "--max-instructions", "20000", "--format", "json");
        JsonNode timing = new ObjectMapper().readTree(json.out()).get("timing");
        assertTrue(timing.get("description").asText().endsWith("memory system: not modelled (zero wait)"), timing.toString());
        assertEquals(false, timing.at("/memory/modelled").asBoolean());
        assertEquals("not modelled (zero wait)", timing.at("/parameters/memorySystem").asText());
        // and so do the model commands: run --model (memory line and note), fit (note)
        String model = dev.tinysim.tflite.Models.DIR.resolve("ad01_int8.tflite").toString();
        Cli.Result inference = Cli.run("run", "--model", model, "--board", p.toString());
        assertEquals(0, inference.exitCode(), inference.err());
        assertTrue(inference.out().contains("\n  memory     memory system: not modelled (zero wait)\n"), inference.out());
        String note = "memory system: not modelled (zero wait): board bare has no \"memorySystem\" data, so flash reads take"
                + " no wait states and no cache is modelled";
        assertTrue(inference.out().contains("  note       " + note + "\n"), inference.out());
        Cli.Result fit = Cli.run("fit", model, "--board", p.toString());
        assertTrue(fit.out().contains(note), fit.out());
        Cli.Result compare = Cli.run("compare", "--float", dev.tinysim.tflite.Models.DIR.resolve("ad01_fp32.tflite").toString(),
                "--int8", model, "--board", p.toString(), "--inputs", "2");
        assertTrue(compare.out().contains("note: " + note + "\n"), compare.out());
    }

    @Test
    void anUnknownBoardIsAUsageError() {
        Cli.Result r = Cli.run("boards", "show", "stm32f999");
        assertEquals(64, r.exitCode());
        assertTrue(r.err().startsWith("tinysim: unknown board 'stm32f999'"), r.err());
    }
}
