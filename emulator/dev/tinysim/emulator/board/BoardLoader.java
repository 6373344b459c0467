package dev.tinysim.emulator.board;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static dev.tinysim.emulator.board.BoardFields.array;
import static dev.tinysim.emulator.board.BoardFields.checkFields;
import static dev.tinysim.emulator.board.BoardFields.object;
import static dev.tinysim.emulator.board.BoardFields.size;
import static dev.tinysim.emulator.board.BoardFields.text;
import static dev.tinysim.emulator.board.BoardFields.toMap;
import static dev.tinysim.emulator.board.BoardFiles.merge;
import static dev.tinysim.emulator.board.BoardFiles.readBundled;
import static dev.tinysim.emulator.board.BoardFiles.readFile;
import static dev.tinysim.emulator.board.BoardFiles.resolveSibling;
import static dev.tinysim.emulator.board.BoardOrigins.attributedSources;
import static dev.tinysim.emulator.board.BoardOrigins.recordOrigins;

/**
 * Reads board profiles (JSON) and checks them completely: every field known, every number
 * sensible, no overlapping regions. Bundled profiles live on the class path under boards/;
 * a user's own profile is any file path. A profile may {@code "extends"} another one and
 * override fields (objects are merged field by field, lists replaced). Each section of the file
 * has its reader: {@link CpuReader}, {@link MemoryMapReader}, {@link PeripheralReader},
 * {@link MemorySystemReader}; the "timing" section goes to the {@link TimingValidator} given.
 */
public final class BoardLoader {
    private static final Set<String> TOP_FIELDS = Set.of("name", "extends", "description", "references", "cpu",
            "memory", "peripherals", "timing", "memorySystem", "sources", "reserved", "$comment", "$schema");

    private final Predicate<String> knownPeripheralModel;
    private final TimingValidator timingValidator;

    /** Checks the "timing" object of a profile; throws with the field's name when something is wrong. */
    @FunctionalInterface
    public interface TimingValidator {
        void validate(Map<String, Object> timing, String where) throws BoardException;
    }

    public BoardLoader(Predicate<String> knownPeripheralModel, TimingValidator timingValidator) {
        this.knownPeripheralModel = knownPeripheralModel;
        this.timingValidator = timingValidator;
    }

    /** Names of the profiles bundled with tinysim, in catalogue order. */
    public static List<String> bundledNames() {
        return BoardFiles.bundledNames();
    }

    /**
     * Loads a board by bundled name ("nrf52840") or by path to a JSON file (anything containing
     * a '/' or ending in .json).
     */
    public Board load(String nameOrPath) throws BoardException {
        boolean isPath = nameOrPath.contains("/") || nameOrPath.endsWith(".json");
        if (isPath) {
            Path p = Path.of(nameOrPath);
            return build(readFile(p), p.toString(), new LinkedHashSet<>(), new LinkedHashMap<>(), p.toString());
        }
        return build(readBundled(nameOrPath), nameOrPath, new LinkedHashSet<>(), new LinkedHashMap<>(), "board " + nameOrPath);
    }

    /**
     * @param origins  which file set each field of {@code node} so far (filled for the file at the top
     *                 of the chain; a parent's fields are added below what its children set)
     * @param nodeOrigin the file {@code node}'s own fields come from
     */
    private Board build(ObjectNode node, String where, Set<String> chain, Map<String, String> origins, String nodeOrigin)
            throws BoardException {
        checkFields(node, TOP_FIELDS, where, "");
        recordOrigins(node, "", nodeOrigin, origins);
        if (node.has("extends")) {
            return build(overParent(node, where, chain, origins), where, chain, origins, null);
        }
        BoardSchema.validate(node, where);
        String name = text(node, "name", where, "");
        if (!name.matches("[A-Za-z0-9._+-]+")) {
            throw new BoardException(where + ": \"name\" must be letters, digits, '.', '_', '+' or '-' (got \"" + name + "\")");
        }
        String description = node.has("description") ? text(node, "description", where, "") : name;
        List<String> references = references(node, where);
        CpuSpec cpu = CpuReader.read(object(node, "cpu", where, ""), where);
        List<MemoryRegion> memory = MemoryMapReader.read(array(node, "memory", where), where);
        List<PeripheralSpec> peripherals = node.has("peripherals")
                ? PeripheralReader.read(array(node, "peripherals", where), where, cpu, knownPeripheralModel) : List.of();
        MemoryMapReader.checkOverlaps(memory, peripherals, where);
        Map<String, Object> timing = node.has("timing") ? toMap(object(node, "timing", where, "")) : Map.of();
        timingValidator.validate(timing, where);
        MemorySystemSpec memorySystem = node.has("memorySystem")
                ? MemorySystemReader.read(object(node, "memorySystem", where, ""), where, peripherals) : null;
        Map<String, String> sources = sources(node, where);
        Map<String, Long> reserved = reserved(node, where, memory);
        Map<String, String> setBy = new LinkedHashMap<>(origins);
        setBy.keySet().removeIf(k -> k.startsWith("sources.") || k.startsWith("$") || k.contains(".$comment") || k.equals("extends"));
        return new Board(name, description, where, List.copyOf(references), cpu, List.copyOf(memory),
                List.copyOf(peripherals), timing, Map.copyOf(reserved), memorySystem,
                new Board.Provenance(setBy, attributedSources(sources, origins)));
    }

    /** {@code node} merged over the profile its "extends" names (which keeps its own "extends", if any). */
    private static ObjectNode overParent(ObjectNode node, String where, Set<String> chain, Map<String, String> origins)
            throws BoardException {
        String parentName = text(node, "extends", where, "");
        if (!chain.add(parentName)) {
            throw new BoardException(where + ": \"extends\" forms a cycle: " + String.join(" -> ", chain) + " -> " + parentName);
        }
        boolean parentIsFile = parentName.contains("/") || parentName.endsWith(".json");
        ObjectNode parent;
        if (parentIsFile) {
            parent = readFile(resolveSibling(where, parentName));
        } else if (!bundledNames().contains(parentName)) {
            throw new BoardException(where + ": field \"extends\": unknown board " + PeripheralOptions.shown(parentName)
                    + " (bundled boards are " + String.join(", ", bundledNames()) + "; or a path to a JSON profile)");
        } else {
            parent = readBundled(parentName);
        }
        String parentOrigin = parentIsFile ? resolveSibling(where, parentName).toString() : "board " + parentName;
        ObjectNode parentOwn = parent.deepCopy();
        parentOwn.remove("extends");
        recordOrigins(parentOwn, "", parentOrigin, origins, true);
        ObjectNode merged = merge(parent, node);
        merged.remove("extends");
        if (parent.has("extends")) {
            merged.set("extends", parent.get("extends"));
        }
        return merged;
    }

    private static List<String> references(ObjectNode node, String where) throws BoardException {
        List<String> references = new ArrayList<>();
        if (node.has("references")) {
            JsonNode refs = node.get("references");
            if (!refs.isArray()) {
                throw new BoardException(where + ": \"references\" must be a list of strings");
            }
            refs.forEach(r -> references.add(r.asText()));
        }
        return references;
    }

    /** The "sources" section: the document each value comes from, by field path. */
    private static Map<String, String> sources(ObjectNode node, String where) throws BoardException {
        Map<String, String> sources = new LinkedHashMap<>();
        if (node.has("sources")) {
            ObjectNode src = object(node, "sources", where, "");
            Iterator<Map.Entry<String, JsonNode>> it = src.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw new BoardException(where + ": \"sources." + e.getKey() + "\" must be a string (the document a value comes from)");
                }
                sources.put(e.getKey(), e.getValue().asText());
            }
        }
        return sources;
    }

    /** The "reserved" section: flash and RAM the application may not use. */
    private static Map<String, Long> reserved(ObjectNode node, String where, List<MemoryRegion> memory) throws BoardException {
        Map<String, Long> reserved = new LinkedHashMap<>();
        if (node.has("reserved")) {
            ObjectNode r = object(node, "reserved", where, "");
            checkFields(r, Set.of("flash", "ram", "$comment"), where, "reserved.");
            for (String k : List.of("flash", "ram")) {
                if (r.has(k)) {
                    reserved.put(k, size(r.get(k), where, "reserved." + k, true));
                }
            }
            MemoryRegion flash = memory.stream().filter(m -> m.kind() == MemoryRegion.Kind.FLASH).findFirst().orElseThrow();
            MemoryRegion ram = memory.stream().filter(m -> m.kind() == MemoryRegion.Kind.RAM).findFirst().orElseThrow();
            if (reserved.getOrDefault("flash", 0L) >= flash.size() || reserved.getOrDefault("ram", 0L) >= ram.size()) {
                throw new BoardException(where + ": \"reserved\" leaves no flash or no RAM for the application");
            }
        }
        return reserved;
    }
}
