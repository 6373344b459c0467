package dev.tinysim.emulator.units;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One size grammar for board files and the command line, and the formats of sizes and numbers. */
class SizeGrammarTest {
    private static final Map<String, Long> SIZES = Map.ofEntries(
            Map.entry("262144", 262_144L), Map.entry("256K", 262_144L), Map.entry("256 kb", 262_144L),
            Map.entry("256KiB", 262_144L), Map.entry("0x40000", 262_144L), Map.entry("0X40000", 262_144L),
            Map.entry("0x10K", 16_384L), Map.entry("1M", 1_048_576L), Map.entry("1.5M", 1_572_864L),
            Map.entry("1MiB", 1_048_576L), Map.entry("12B", 12L), Map.entry(" 64k ", 65_536L));
    private static final List<String> NOT_SIZES = List.of("", "K", "12Q", "1G", "ten", "0x", "1.3K", "0x1.5K", "1 .5M");

    @Test
    void parsesEveryStyleBoardsAndTheCommandLineUse() {
        SIZES.forEach((text, bytes) -> assertEquals(bytes, Units.parseBytes(text), text));
        for (String bad : NOT_SIZES) {
            Units.NotASize e = assertThrows(Units.NotASize.class, () -> Units.parseBytes(bad), bad);
            assertEquals(bad.equals("1.3K"), e.fraction(), bad);
        }
    }

    /** boards/schema.json states the same grammar to editors: its pattern takes exactly the texts the parser takes. */
    @Test
    void theBoardSchemaPatternIsTheSameGrammar() throws Exception {
        JsonNode schema = new ObjectMapper().readTree(Path.of("boards/schema.json").toFile());
        for (String def : List.of("size", "sizeOrZero")) {
            Pattern p = Pattern.compile(schema.at("/$defs/" + def + "/oneOf/1/pattern").asText());
            SIZES.keySet().forEach(t -> assertTrue(p.matcher(t).find(), def + " takes " + t));
            NOT_SIZES.stream().filter(t -> !t.equals("1.3K")) // syntactically a size; not a whole number of bytes
                    .forEach(t -> assertTrue(!p.matcher(t).find(), def + " refuses " + t));
        }
    }

    @Test
    void formats() {
        assertEquals("1,234,567", Units.grouped(1_234_567));
        assertEquals("156 KB", Units.bytesExact(159_744));
        assertEquals("1 MB", Units.bytesExact(1 << 20));
        assertEquals("1,000 bytes", Units.bytesExact(1000));
        assertEquals("0 bytes", Units.bytesExact(0));
        assertEquals("1.5 MB", Units.bytesRounded(1_572_864));
        assertEquals("256 KB", Units.bytesRounded(262_144));
        assertEquals("1 byte", Units.bytesRounded(1));
        assertEquals("812 bytes", Units.bytesRounded(812));
    }
}
