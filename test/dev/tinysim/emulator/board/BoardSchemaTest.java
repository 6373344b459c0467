package dev.tinysim.emulator.board;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinysim.boards.Boards;
import dev.tinysim.support.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * boards/schema.json is the loader's contract for board files: every bundled board names it and
 * passes it, and a board file that breaks it is refused with the file and the field named (exit 65
 * on the command line).
 */
class BoardSchemaTest {
    @TempDir
    Path dir;

    @Test
    void everyBundledBoardFileNamesTheSchemaAndEveryFieldOfTheSchemaIsDescribed() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode schema = json.readTree(Path.of("boards/schema.json").toFile());
        assertEquals("https://json-schema.org/draft/2020-12/schema", schema.get("$schema").asText());
        for (String name : BoardLoader.bundledNames()) {
            JsonNode board = json.readTree(Path.of("boards", name + ".json").toFile());
            assertEquals("schema.json", board.path("$schema").asText(), name + ".json names the schema (for editors)");
        }
        // every property of memorySystem's flash and caches says what it is
        for (String path : new String[]{"/properties/memorySystem/properties/flash/properties",
                "/properties/memorySystem/properties/caches/items/properties"}) {
            schema.at(path).fields().forEachRemaining(e -> {
                if (!e.getKey().startsWith("$")) {
                    assertTrue(e.getValue().has("description"), path + "/" + e.getKey() + " has a description");
                }
            });
        }
    }

    private String refusal(String json) throws Exception {
        Path p = dir.resolve("bad.json");
        Files.writeString(p, json);
        BoardException e = assertThrows(BoardException.class, () -> Boards.load(p.toString(), false));
        assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        return e.getMessage().substring(p.toString().length() + 2);
    }

    private static String child(String memorySystem) {
        return "{\"extends\": \"nrf52840\", \"name\": \"x\", \"memorySystem\": " + memorySystem + "}";
    }

    @Test
    void aMemorySystemThatBreaksTheSchemaIsRefusedWithTheFieldNamed() throws Exception {
        assertEquals("\"memorySystem.flash.waitStates\" must be a whole number (got \"two\")",
                refusal(child("{\"flash\": {\"waitStates\": \"two\"}}")));
        assertEquals("\"memorySystem.flash.waitStates\" must be at most 32 (got 99)",
                refusal(child("{\"flash\": {\"waitStates\": 99}}")));
        assertEquals("unknown field \"memorySystem.flash.wait\"", refusal(child("{\"flash\": {\"wait\": 1}}")));
        assertEquals("\"memorySystem.caches[0].serves[0]\" must be one of \"instruction\", \"data\" (got \"code\")",
                refusal(child("{\"caches\": [{\"name\": \"c\", \"serves\": [\"code\"], \"sizeBytes\": 1024, \"lineBytes\": 16,"
                        + " \"ways\": 2, \"replacement\": \"lru\"}]}")));
        assertEquals("memorySystem.caches[0].sizeBytes 1000 is not a power-of-two number of sets of 2 lines of 16 bytes",
                refusal(child("{\"caches\": [{\"name\": \"c\", \"serves\": [\"instruction\"], \"sizeBytes\": 1000, \"lineBytes\": 16,"
                        + " \"ways\": 2, \"replacement\": \"lru\"}]}")));
        assertEquals("unknown field \"timing.flashWaitStates\": the flash path is described by memorySystem.flash.waitStates",
                refusal("{\"extends\": \"nrf52840\", \"name\": \"x\", \"timing\": {\"flashWaitStates\": 3}}"));
    }

    @Test
    void onTheCommandLineABadBoardFileIsExit65WithOneLine() throws Exception {
        Path p = dir.resolve("bad.json");
        Files.writeString(p, child("{\"flash\": {\"waitStates\": -1}}"));
        Cli.Result r = Cli.run("run", "selftest", "--board", p.toString());
        assertEquals(65, r.exitCode(), r.err());
        assertEquals("tinysim: " + p + ": \"memorySystem.flash.waitStates\" must be 0 or more (got -1)\n", r.err());
    }
}
