package dev.tinysim.emulator.board;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Board files as JSON trees: the bundled ones (class path, boards/), a user's file (size-limited,
 * strict about duplicate keys), a parent named by "extends" relative to its child, and the merge of
 * a child over its parent (objects field by field, lists replaced).
 */
final class BoardFiles {
    private static final String BUNDLED_DIR = "boards/";
    /** Largest board file read (the bundled ones are under 10 KB). */
    static final long MAX_FILE_BYTES = 1L << 20;
    /** Duplicate keys are an error: a board file's second "ram" must not silently win over its first. */
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private BoardFiles() {
    }

    /** Names of the profiles bundled with tinysim, in catalogue order. */
    static List<String> bundledNames() {
        try (InputStream in = BoardFiles.class.getClassLoader().getResourceAsStream(BUNDLED_DIR + "boards.list")) {
            if (in == null) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    names.add(t);
                }
            }
            return names;
        } catch (IOException e) {
            return List.of();
        }
    }

    static ObjectNode readFile(Path p) throws BoardException {
        String text;
        try {
            if (p.toString().isEmpty()) {
                throw new BoardException("empty file name given for the board");
            }
            if (Files.exists(p) && !Files.isRegularFile(p)) {
                throw new BoardException(p + ": cannot read board file (" + (Files.isDirectory(p) ? "a directory"
                        : "not a regular file: a device, FIFO or socket") + ")");
            }
            if (Files.exists(p) && Files.size(p) > MAX_FILE_BYTES) {
                throw new BoardException(p + ": cannot read board file (" + Files.size(p) + " bytes, more than the "
                        + MAX_FILE_BYTES + " a board file may have)");
            }
            text = Files.readString(p, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BoardException(p + ": no such board file");
        } catch (IOException e) {
            throw new BoardException(p + ": cannot read board file: " + e.getMessage());
        }
        return parse(text, p.toString());
    }

    static ObjectNode readBundled(String name) throws BoardException {
        try (InputStream in = BoardFiles.class.getClassLoader().getResourceAsStream(BUNDLED_DIR + name + ".json")) {
            if (in == null) {
                throw new BoardException("unknown board '" + name + "': bundled boards are " + String.join(", ", bundledNames())
                        + "; or give a path to your own JSON profile");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "board " + name);
        } catch (IOException e) {
            throw new BoardException("board " + name + ": cannot read: " + e.getMessage());
        }
    }

    static ObjectNode parse(String text, String where) throws BoardException {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw new BoardException(where + ": a board profile must be a JSON object");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            String loc = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new BoardException(where + ": not valid JSON" + loc + ": " + e.getOriginalMessage());
        }
    }

    static Path resolveSibling(String where, String parent) {
        Path p = Path.of(parent);
        if (p.isAbsolute()) {
            return p;
        }
        Path self = Path.of(where);
        return self.getParent() == null ? p : self.getParent().resolve(p);
    }

    static ObjectNode merge(ObjectNode parent, ObjectNode child) {
        ObjectNode out = parent.deepCopy();
        Iterator<Map.Entry<String, JsonNode>> it = child.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = out.get(e.getKey());
            if (existing != null && existing.isObject() && e.getValue().isObject()) {
                out.set(e.getKey(), merge((ObjectNode) existing, (ObjectNode) e.getValue()));
            } else {
                out.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        return out;
    }
}
