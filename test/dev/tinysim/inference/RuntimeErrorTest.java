package dev.tinysim.inference;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RuntimeError} mirrors firmware-images/runtime/ts_errors.h exactly (numbers, identifiers, names). */
class RuntimeErrorTest {
    private static final Path HEADER = Path.of("firmware-images", "runtime", "ts_errors.h");

    record Entry(int code, String id, String name) {
    }

    static List<Entry> header() throws IOException {
        String text = Files.readString(HEADER);
        Matcher m = Pattern.compile("X\\(\\s*(\\d+)\\s*,\\s*(\\w+)\\s*,\\s*\"([^\"]*)\"\\s*\\)").matcher(text);
        List<Entry> out = new ArrayList<>();
        while (m.find()) {
            out.add(new Entry(Integer.parseInt(m.group(1)), m.group(2), m.group(3)));
        }
        return out;
    }

    @Test
    void theEnumAndTheHeaderListTheSameErrorsInTheSameOrder() throws IOException {
        List<Entry> header = header();
        assertTrue(header.size() >= 20, "parsed only " + header.size() + " entries from " + HEADER);
        List<Entry> java = new ArrayList<>();
        for (RuntimeError e : RuntimeError.values()) {
            java.add(new Entry(e.code(), e.name(), e.label()));
        }
        assertEquals(header, java);
    }

    @Test
    void lookupByCode() {
        assertEquals(RuntimeError.ARENA_TOO_SMALL, RuntimeError.fromCode(30).orElseThrow());
        assertEquals("unsupported-operator", RuntimeError.fromCode(20).orElseThrow().label());
        assertFalse(RuntimeError.fromCode(17).isPresent());
        assertFalse(RuntimeError.fromCode(-1).isPresent());
        for (RuntimeError e : RuntimeError.values()) {
            assertFalse(e.description().isBlank());
        }
    }
}
