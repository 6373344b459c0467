package dev.tinysim.emulator.board;

import dev.tinysim.boards.Boards;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Board profiles are data, checked completely on load. */
class BoardLoaderTest {
    @TempDir
    Path dir;

    @Test
    void theNrf52840ProfileHasTheChipsMemoryMap() throws Exception {
        Board b = Boards.load("nrf52840", false);
        assertEquals(0x0, b.flash().base());
        assertEquals(1024 * 1024, b.flash().size());
        assertEquals(0x20000000L, b.ram().base());
        assertEquals(256 * 1024, b.ram().size());
        MemoryRegion alias = b.region("ram-code-alias").orElseThrow();
        assertEquals(0x00800000L, alias.base());
        assertEquals("ram", alias.aliasOf());
        assertEquals(64_000_000L, b.cpu().clockHz());
        assertTrue(b.cpu().fpu());
        assertEquals(0x410FC241L, b.cpu().cpuid());
        assertTrue(b.peripherals().stream().anyMatch(p -> p.name().equals("FICR") && p.base() == 0x10000000L));
        assertTrue(b.peripherals().stream().anyMatch(p -> p.name().equals("UICR") && p.base() == 0x10001000L));
    }

    @Test
    void theFpuLessConfigurationHasTwoSpellings() throws Exception {
        Board file = Boards.load("nrf52840-nofpu", false);
        Board flag = Boards.load("nrf52840", true);
        assertFalse(file.cpu().fpu());
        assertEquals(file.name(), flag.name());
        assertEquals(file.cpu(), flag.cpu());
        assertEquals(file.memory(), flag.memory());
    }

    @Test
    void everyBundledBoardLoads() throws Exception {
        assertTrue(Boards.bundled().size() >= 2);
        for (String listed : BoardLoader.bundledNames()) {
            assertTrue(Files.exists(Path.of("boards", listed + ".json")), listed + " is listed and exists");
        }
        try (var files = Files.list(Path.of("boards"))) {
            // schema.json describes board files; it is not a board
            files.filter(f -> f.toString().endsWith(".json") && !f.getFileName().toString().equals("schema.json")).forEach(f -> {
                String name = f.getFileName().toString().replace(".json", "");
                assertTrue(BoardLoader.bundledNames().contains(name), name + ".json is in boards/boards.list");
            });
        }
    }

    @Test
    void aUserBoardFileMayExtendABundledOne() throws Exception {
        Path p = write("myboard.json", """
                { "extends": "nrf52840", "name": "my-board", "cpu": { "clockHz": 32000000 } }
                """);
        Board b = Boards.load(p.toString(), false);
        assertEquals("my-board", b.name());
        assertEquals(32_000_000L, b.cpu().clockHz());
        assertTrue(b.cpu().fpu(), "inherited");
        assertEquals(1024 * 1024, b.flash().size(), "inherited");
    }

    private Path write(String name, String json) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, json);
        return p;
    }

    private String refusal(String json) throws Exception {
        Path p = write("bad.json", json);
        BoardException e = assertThrows(BoardException.class, () -> Boards.load(p.toString(), false));
        assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        return e.getMessage().substring(p.toString().length() + 2);
    }

    private static final String CPU = "\"cpu\": {\"core\": \"cortex-m4\", \"fpu\": true, \"clockHz\": 64000000}";
    private static final String MEM = "\"memory\": [{\"name\":\"flash\",\"kind\":\"flash\",\"base\":\"0x0\",\"size\":\"64K\"},"
            + "{\"name\":\"ram\",\"kind\":\"ram\",\"base\":\"0x20000000\",\"size\":\"16K\"}]";

    /** Names from the file in a refusal: quoted, control characters as \\xNN, cut (issue 12). */
    @Test
    void hostileNamesInABoardFileAreEscapedAndCut() throws Exception {
        String hostile = "r\\n\\r\\u001b[31mX\\u0007" + "y".repeat(3000);   // JSON escapes: a newline, CR, ESC, BEL
        String shown = "\"r\\x0a\\x0d\\x1b[31mX\\x07" + "y".repeat(60 - 23) + "…";
        assertEquals("unknown field " + shown, refusal("{\"name\":\"x\",\"" + hostile + "\":1," + CPU + "," + MEM + "}"));
        assertEquals("peripherals[0].model " + shown + " (peripheral " + shown + ") is not a known peripheral model",
                refusal("{\"name\":\"x\"," + CPU + "," + MEM + ",\"peripherals\":[{\"name\":\"" + hostile + "\",\"model\":\""
                        + hostile + "\",\"base\":\"0x40000000\"}]}"));
        String alias = "\"memory\": [{\"name\":\"flash\",\"kind\":\"flash\",\"base\":\"0x0\",\"size\":\"64K\"},"
                + "{\"name\":\"ram\",\"kind\":\"ram\",\"base\":\"0x20000000\",\"size\":\"16K\"},"
                + "{\"name\":\"" + hostile + "\",\"kind\":\"alias\",\"base\":\"0x10000000\",\"size\":\"16K\",\"aliasOf\":\"Q" + hostile + "\"}]";
        assertEquals("region " + shown + " is an alias of \"Qr\\x0a\\x0d\\x1b[31mX\\x07" + "y".repeat(60 - 24) + "…, which does not exist",
                refusal("{\"name\":\"x\"," + CPU + "," + alias + "}"));
    }

    @Test
    void invalidProfilesAreRefusedWithTheFieldNamed() throws Exception {
        assertEquals("missing field \"name\"", refusal("{" + CPU + "," + MEM + "}"));
        assertEquals("missing field \"cpu\"", refusal("{\"name\":\"x\"," + MEM + "}"));
        assertEquals("unknown field \"flashSize\"", refusal("{\"name\":\"x\",\"flashSize\":1," + CPU + "," + MEM + "}"));
        assertEquals("unknown field \"cpu.mhz\"", refusal("{\"name\":\"x\",\"cpu\":{\"core\":\"cortex-m4\",\"fpu\":true,\"clockHz\":1000000,\"mhz\":1}," + MEM + "}"));
        assertEquals("cpu.core \"cortex-m0\" is not modelled (only \"cortex-m4\")",
                refusal("{\"name\":\"x\",\"cpu\":{\"core\":\"cortex-m0\",\"fpu\":false,\"clockHz\":1000000}," + MEM + "}"));
        assertEquals("memory region \"flash\" (0x00000000-0x0000ffff) overlaps memory region \"ram\" (0x00000000-0x00003fff)",
                refusal("{\"name\":\"x\"," + CPU + ",\"memory\":[{\"name\":\"flash\",\"kind\":\"flash\",\"base\":0,\"size\":\"64K\"},"
                        + "{\"name\":\"ram\",\"kind\":\"ram\",\"base\":0,\"size\":\"16K\"}]}"));
        assertEquals("memory[1].base and size must be multiples of 4 KB (region \"ram\")",
                refusal("{\"name\":\"x\"," + CPU + ",\"memory\":[{\"name\":\"flash\",\"kind\":\"flash\",\"base\":0,\"size\":\"64K\"},"
                        + "{\"name\":\"ram\",\"kind\":\"ram\",\"base\":\"0x20000000\",\"size\":1000}]}"));
        assertEquals("\"memory[0].size\" is not a size (\"lots\"; write e.g. 262144, \"256K\" or \"1M\")",
                refusal("{\"name\":\"x\"," + CPU + ",\"memory\":[{\"name\":\"flash\",\"kind\":\"flash\",\"base\":0,\"size\":\"lots\"}]}"));
        assertEquals("\"memory\" has no region of kind ram",
                refusal("{\"name\":\"x\"," + CPU + ",\"memory\":[{\"name\":\"flash\",\"kind\":\"flash\",\"base\":0,\"size\":\"64K\"}]}"));
        assertEquals("peripherals[0].model \"nrf99.warp\" (peripheral \"W\") is not a known peripheral model",
                refusal("{\"name\":\"x\"," + CPU + "," + MEM + ",\"peripherals\":[{\"name\":\"W\",\"model\":\"nrf99.warp\",\"base\":\"0x40000000\"}]}"));
        assertEquals("cpu.clockHz 5 is not a plausible core clock",
                refusal("{\"name\":\"x\",\"cpu\":{\"core\":\"cortex-m4\",\"fpu\":true,\"clockHz\":5}," + MEM + "}"));
        assertEquals("unknown field \"timing.flashWaitStatez\"",
                refusal("{\"name\":\"x\"," + CPU + "," + MEM + ",\"timing\":{\"flashWaitStatez\":1}}"));
        assertTrue(refusal("{\"name\": ").startsWith("not valid JSON (line 1"));
    }

    @Test
    void missingAndUnknownBoards() {
        BoardException missing = assertThrows(BoardException.class, () -> Boards.load(dir.resolve("none.json").toString(), false));
        assertEquals(dir.resolve("none.json") + ": no such board file", missing.getMessage());
        BoardException unknown = assertThrows(BoardException.class, () -> Boards.load("stm32f999", false));
        assertTrue(unknown.getMessage().startsWith("unknown board 'stm32f999': bundled boards are nrf52840, nrf52840-nofpu"));
    }
}
