package dev.tinysim.emulator.board;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tinysim.emulator.units.Units;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads board profiles (JSON) and checks them completely: every field known, every number
 * sensible, no overlapping regions. Bundled profiles live on the class path under boards/;
 * a user's own profile is any file path. A profile may {@code "extends"} another one and
 * override fields (objects are merged field by field, lists replaced).
 */
public final class BoardLoader {
    private static final String BUNDLED_DIR = "boards/";
    /** Largest board file read (the bundled ones are under 10 KB). */
    static final long MAX_FILE_BYTES = 1L << 20;
    /** Duplicate keys are an error: a board file's second "ram" must not silently win over its first. */
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final Set<String> TOP_FIELDS = Set.of("name", "extends", "description", "references", "cpu",
            "memory", "peripherals", "timing", "memorySystem", "sources", "reserved", "$comment", "$schema");
    private static final Set<String> MEMSYS_FIELDS = Set.of("flash", "caches", "prefetch", "controller", "bootWrites", "$comment");
    private static final Set<String> FLASH_FIELDS = Set.of("readBytes", "waitStates", "instructionLineBuffer",
            "dataLineBuffer", "$comment");
    private static final Set<String> CACHE_FIELDS = Set.of("name", "serves", "sizeBytes", "lineBytes", "ways",
            "replacement", "missExtraCycles", "alwaysOn", "$comment");
    private static final Set<String> CPU_FIELDS = Set.of("core", "fpu", "clockHz", "cpuid", "interrupts",
            "nvicPriorityBits", "$comment");
    private static final Set<String> REGION_FIELDS = Set.of("name", "kind", "base", "size", "aliasOf", "$comment");
    private static final Set<String> PERIPHERAL_FIELDS = Set.of("name", "model", "base", "size", "irq", "options", "$comment");
    private static final long PAGE = 4096;

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
        try (InputStream in = BoardLoader.class.getClassLoader().getResourceAsStream(BUNDLED_DIR + "boards.list")) {
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

    private ObjectNode readFile(Path p) throws BoardException {
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

    private ObjectNode readBundled(String name) throws BoardException {
        try (InputStream in = BoardLoader.class.getClassLoader().getResourceAsStream(BUNDLED_DIR + name + ".json")) {
            if (in == null) {
                throw new BoardException("unknown board '" + name + "': bundled boards are " + String.join(", ", bundledNames())
                        + "; or give a path to your own JSON profile");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "board " + name);
        } catch (IOException e) {
            throw new BoardException("board " + name + ": cannot read: " + e.getMessage());
        }
    }

    private static ObjectNode parse(String text, String where) throws BoardException {
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
            return build(merged, where, chain, origins, null);
        }
        BoardSchema.validate(node, where);
        String name = text(node, "name", where, "");
        if (!name.matches("[A-Za-z0-9._+-]+")) {
            throw new BoardException(where + ": \"name\" must be letters, digits, '.', '_', '+' or '-' (got \"" + name + "\")");
        }
        String description = node.has("description") ? text(node, "description", where, "") : name;
        List<String> references = new ArrayList<>();
        if (node.has("references")) {
            JsonNode refs = node.get("references");
            if (!refs.isArray()) {
                throw new BoardException(where + ": \"references\" must be a list of strings");
            }
            refs.forEach(r -> references.add(r.asText()));
        }
        CpuSpec cpu = cpu(object(node, "cpu", where, ""), where);
        List<MemoryRegion> memory = memory(array(node, "memory", where), where);
        List<PeripheralSpec> peripherals = node.has("peripherals") ? peripherals(array(node, "peripherals", where), where, cpu) : List.of();
        checkOverlaps(memory, peripherals, where);
        Map<String, Object> timing = node.has("timing") ? toMap(object(node, "timing", where, "")) : Map.of();
        timingValidator.validate(timing, where);
        MemorySystemSpec memorySystem = node.has("memorySystem")
                ? memorySystem(object(node, "memorySystem", where, ""), where, peripherals) : null;
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
        Map<String, String> setBy = new LinkedHashMap<>(origins);
        setBy.keySet().removeIf(k -> k.startsWith("sources.") || k.startsWith("$") || k.contains(".$comment") || k.equals("extends"));
        return new Board(name, description, where, List.copyOf(references), cpu, List.copyOf(memory),
                List.copyOf(peripherals), timing, Map.copyOf(reserved), memorySystem,
                new Board.Provenance(setBy, attributedSources(sources, origins)));
    }

    /**
     * A cited source applies to a value only when the same file set both: a child that overrides
     * a parent's number does not inherit the parent's citation for it.
     */
    private static Map<String, String> attributedSources(Map<String, String> sources, Map<String, String> origins) {
        Map<String, String> out = new LinkedHashMap<>();
        sources.forEach((path, text) -> {
            String valueOrigin = origins.get(path);
            String sourceOrigin = origins.get("sources." + path);
            if (valueOrigin == null || valueOrigin.equals(sourceOrigin)) {
                out.put(path, text);
            }
        });
        return out;
    }

    /** Records the file behind every leaf (and every list, as a whole) of {@code node}. */
    private static void recordOrigins(JsonNode node, String prefix, String origin, Map<String, String> origins) {
        recordOrigins(node, prefix, origin, origins, false);
    }

    private static void recordOrigins(JsonNode node, String prefix, String origin, Map<String, String> origins,
                                      boolean onlyMissing) {
        if (origin == null) {
            return;
        }
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
                if (e.getValue().isObject()) {
                    recordOrigins(e.getValue(), path, origin, origins, onlyMissing);
                } else if (!onlyMissing || !origins.containsKey(path)) {
                    origins.put(path, origin);
                }
            }
        }
    }

    private MemorySystemSpec memorySystem(ObjectNode n, String where, List<PeripheralSpec> peripherals) throws BoardException {
        checkFields(n, MEMSYS_FIELDS, where, "memorySystem.");
        ObjectNode f = object(n, "flash", where, "memorySystem.");
        checkFields(f, FLASH_FIELDS, where, "memorySystem.flash.");
        long readBytes = number(f, "readBytes", where, "memorySystem.flash.");
        if (readBytes != 4 && readBytes != 8 && readBytes != 16 && readBytes != 32) {
            throw new BoardException(where + ": memorySystem.flash.readBytes must be 4, 8, 16 or 32 (got " + readBytes + ")");
        }
        long wait = number(f, "waitStates", where, "memorySystem.flash.");
        if (wait > 32) {
            throw new BoardException(where + ": memorySystem.flash.waitStates must be at most 32 (got " + wait + ")");
        }
        MemorySystemSpec.FlashSpec flash = new MemorySystemSpec.FlashSpec((int) readBytes, (int) wait,
                bool(f, "instructionLineBuffer", where, "memorySystem.flash."), bool(f, "dataLineBuffer", where, "memorySystem.flash."));
        List<MemorySystemSpec.CacheSpec> caches = new ArrayList<>();
        if (n.has("caches")) {
            JsonNode arr = n.get("caches");
            if (!arr.isArray()) {
                throw new BoardException(where + ": \"memorySystem.caches\" must be a list");
            }
            int i = 0;
            for (JsonNode e : arr) {
                caches.add(cache(e, where, "memorySystem.caches[" + i + "].", (int) readBytes));
                i++;
            }
        }
        for (MemorySystemSpec.Side side : MemorySystemSpec.Side.values()) {
            if (caches.stream().filter(c -> c.serves().contains(side)).count() > 1) {
                throw new BoardException(where + ": memorySystem.caches has more than one cache for " + side.key() + " reads");
            }
        }
        Set<MemorySystemSpec.Side> prefetch = n.has("prefetch") ? sides(n.get("prefetch"), where, "memorySystem.prefetch") : Set.of();
        String controller = n.has("controller") ? text(n, "controller", where, "memorySystem.") : null;
        if (controller != null && peripherals.stream().noneMatch(p -> p.name().equals(controller))) {
            throw new BoardException(where + ": memorySystem.controller \"" + controller + "\" is not a peripheral of the board");
        }
        boolean switched = caches.stream().anyMatch(c -> !c.alwaysOn()) || !prefetch.isEmpty();
        if (switched && controller == null) {
            throw new BoardException(where + ": memorySystem has caches or prefetch but no \"controller\" to switch them"
                    + " (name the flash controller peripheral, or mark a cache \"alwaysOn\")");
        }
        List<MemorySystemSpec.BootWrite> boot = new ArrayList<>();
        if (n.has("bootWrites")) {
            JsonNode arr = n.get("bootWrites");
            if (!arr.isArray() || arr.size() > MemorySystemSpec.MAX_BOOT_WRITES) {
                throw new BoardException(where + ": \"memorySystem.bootWrites\" must be a list of at most "
                        + MemorySystemSpec.MAX_BOOT_WRITES + " register writes");
            }
            int i = 0;
            for (JsonNode w : arr) {
                String at = "memorySystem.bootWrites[" + i + "].";
                checkFields((ObjectNode) w, Set.of("address", "value", "what", "$comment"), where, at);
                boot.add(new MemorySystemSpec.BootWrite(number(w, "address", where, at), number(w, "value", where, at),
                        text(w, "what", where, at)));
                i++;
            }
        }
        return new MemorySystemSpec(flash, List.copyOf(caches), prefetch, controller, List.copyOf(boot));
    }

    private static MemorySystemSpec.CacheSpec cache(JsonNode e, String where, String at, int readBytes) throws BoardException {
        if (!e.isObject()) {
            throw new BoardException(where + ": " + at.substring(0, at.length() - 1) + " must be an object");
        }
        checkFields((ObjectNode) e, CACHE_FIELDS, where, at);
        String name = text(e, "name", where, at);
        Set<MemorySystemSpec.Side> serves = sides(e.get("serves"), where, at + "serves");
        long size = size(e.get("sizeBytes"), where, at + "sizeBytes", false);
        long line = number(e, "lineBytes", where, at);
        long ways = number(e, "ways", where, at);
        if (line < 4 || line > 64 || Long.bitCount(line) != 1) {
            throw new BoardException(where + ": " + at + "lineBytes must be a power of two from 4 to 64 (got " + line + ")");
        }
        if (ways < 1 || ways > 255) {
            throw new BoardException(where + ": " + at + "ways must be 1..255 (got " + ways + ")");
        }
        if (size % (line * ways) != 0 || Long.bitCount(size / (line * ways)) != 1) {
            throw new BoardException(where + ": " + at + "sizeBytes " + size + " is not a power-of-two number of sets of "
                    + ways + " lines of " + line + " bytes");
        }
        String repl = e.has("replacement") ? text(e, "replacement", where, at) : "lru";
        MemorySystemSpec.Replacement replacement = switch (repl) {
            case "lru" -> MemorySystemSpec.Replacement.LRU;
            case "round-robin" -> MemorySystemSpec.Replacement.ROUND_ROBIN;
            default -> throw new BoardException(where + ": " + at + "replacement \"" + repl + "\" is not one of lru, round-robin");
        };
        long extra = e.has("missExtraCycles") ? number(e, "missExtraCycles", where, at) : 0;
        if (extra > 32) {
            throw new BoardException(where + ": " + at + "missExtraCycles must be at most 32 (got " + extra + ")");
        }
        return new MemorySystemSpec.CacheSpec(name, serves, (int) size, (int) line, (int) ways, replacement, (int) extra,
                bool(e, "alwaysOn", where, at));
    }

    private static Set<MemorySystemSpec.Side> sides(JsonNode v, String where, String field) throws BoardException {
        if (v == null || !v.isArray() || v.isEmpty()) {
            throw new BoardException(where + ": \"" + field + "\" must be a non-empty list of \"instruction\" and \"data\"");
        }
        Set<MemorySystemSpec.Side> out = java.util.EnumSet.noneOf(MemorySystemSpec.Side.class);
        for (JsonNode s : v) {
            switch (s.asText()) {
                case "instruction" -> out.add(MemorySystemSpec.Side.INSTRUCTION);
                case "data" -> out.add(MemorySystemSpec.Side.DATA);
                default -> throw new BoardException(where + ": \"" + field + "\" has \"" + s.asText() + "\": write \"instruction\" or \"data\"");
            }
        }
        return java.util.Collections.unmodifiableSet(out);
    }

    private static boolean bool(JsonNode n, String field, String where, String prefix) throws BoardException {
        JsonNode v = n.get(field);
        if (v == null) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new BoardException(where + ": \"" + prefix + field + "\" must be true or false");
        }
        return v.booleanValue();
    }

    private static Path resolveSibling(String where, String parent) {
        Path p = Path.of(parent);
        if (p.isAbsolute()) {
            return p;
        }
        Path self = Path.of(where);
        return self.getParent() == null ? p : self.getParent().resolve(p);
    }

    private static ObjectNode merge(ObjectNode parent, ObjectNode child) {
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

    private static CpuSpec cpu(ObjectNode n, String where) throws BoardException {
        checkFields(n, CPU_FIELDS, where, "cpu.");
        String core = text(n, "core", where, "cpu.");
        if (!core.equals("cortex-m4")) {
            throw new BoardException(where + ": cpu.core \"" + core + "\" is not modelled (only \"cortex-m4\")");
        }
        JsonNode fpu = n.get("fpu");
        if (fpu == null || !fpu.isBoolean()) {
            throw new BoardException(where + ": cpu.fpu must be true or false");
        }
        long clock = number(n, "clockHz", where, "cpu.");
        if (clock < 1_000 || clock > 2_000_000_000L) {
            throw new BoardException(where + ": cpu.clockHz " + clock + " is not a plausible core clock");
        }
        long cpuid = n.has("cpuid") ? number(n, "cpuid", where, "cpu.") : 0x410FC241L;
        long irqs = n.has("interrupts") ? number(n, "interrupts", where, "cpu.") : 240;
        if (irqs < 1 || irqs > 240) {
            throw new BoardException(where + ": cpu.interrupts must be 1..240 (got " + irqs + ")");
        }
        long bits = n.has("nvicPriorityBits") ? number(n, "nvicPriorityBits", where, "cpu.") : 3;
        if (bits < 2 || bits > 8) {
            throw new BoardException(where + ": cpu.nvicPriorityBits must be 2..8 (got " + bits + ")");
        }
        return new CpuSpec(core, fpu.booleanValue(), clock, cpuid, (int) irqs, (int) bits);
    }

    private static List<MemoryRegion> memory(JsonNode arr, String where) throws BoardException {
        List<MemoryRegion> out = new ArrayList<>();
        int i = 0;
        for (JsonNode e : arr) {
            String at = "memory[" + i + "].";
            if (!e.isObject()) {
                throw new BoardException(where + ": memory[" + i + "] must be an object");
            }
            checkFields((ObjectNode) e, REGION_FIELDS, where, at);
            String name = text(e, "name", where, at);
            String kindText = text(e, "kind", where, at);
            MemoryRegion.Kind kind;
            try {
                kind = MemoryRegion.Kind.valueOf(kindText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ex) {
                throw new BoardException(where + ": " + at + "kind \"" + kindText + "\" is not one of flash, ram, alias");
            }
            long base = number(e, "base", where, at);
            long size = size(e.get("size"), where, at + "size", false);
            if (base % PAGE != 0 || size % PAGE != 0) {
                throw new BoardException(where + ": " + at + "base and size must be multiples of 4 KB (region \"" + name + "\")");
            }
            if (base + size > 0x1_0000_0000L) {
                throw new BoardException(where + ": region \"" + name + "\" extends past the 4 GB address space");
            }
            String aliasOf = null;
            if (kind == MemoryRegion.Kind.ALIAS) {
                aliasOf = text(e, "aliasOf", where, at);
            }
            for (MemoryRegion r : out) {
                if (r.name().equals(name)) {
                    throw new BoardException(where + ": two memory regions are named \"" + name + "\"");
                }
            }
            out.add(new MemoryRegion(name, kind, base, size, aliasOf));
            i++;
        }
        if (out.stream().noneMatch(r -> r.kind() == MemoryRegion.Kind.FLASH)) {
            throw new BoardException(where + ": \"memory\" has no region of kind flash");
        }
        if (out.stream().noneMatch(r -> r.kind() == MemoryRegion.Kind.RAM)) {
            throw new BoardException(where + ": \"memory\" has no region of kind ram");
        }
        for (MemoryRegion r : out) {
            if (r.kind() == MemoryRegion.Kind.ALIAS) {
                MemoryRegion target = out.stream().filter(t -> t.name().equals(r.aliasOf())).findFirst()
                        .orElseThrow(() -> new BoardException(where + ": region " + PeripheralOptions.shown(r.name()) + " is an alias of "
                                + PeripheralOptions.shown(r.aliasOf()) + ", which does not exist"));
                if (target.kind() == MemoryRegion.Kind.ALIAS || target.size() != r.size()) {
                    throw new BoardException(where + ": alias " + PeripheralOptions.shown(r.name()) + " must have the size of the region it shows ("
                            + PeripheralOptions.shown(target.name()) + ", " + target.size() + " bytes)");
                }
            }
        }
        return out;
    }

    private List<PeripheralSpec> peripherals(JsonNode arr, String where, CpuSpec cpu) throws BoardException {
        List<PeripheralSpec> out = new ArrayList<>();
        int i = 0;
        for (JsonNode e : arr) {
            String at = "peripherals[" + i + "].";
            if (!e.isObject()) {
                throw new BoardException(where + ": peripherals[" + i + "] must be an object");
            }
            checkFields((ObjectNode) e, PERIPHERAL_FIELDS, where, at);
            String name = text(e, "name", where, at);
            String model = text(e, "model", where, at);
            if (!knownPeripheralModel.test(model)) {
                throw new BoardException(where + ": " + at + "model " + PeripheralOptions.shown(model) + " (peripheral "
                        + PeripheralOptions.shown(name) + ") is not a known peripheral model");
            }
            long base = number(e, "base", where, at);
            long size = e.has("size") ? size(e.get("size"), where, at + "size", false) : PAGE;
            long irq = e.has("irq") ? number(e, "irq", where, at) : -1;
            if (irq >= cpu.interrupts()) {
                throw new BoardException(where + ": " + at + "irq " + irq + " of " + name + " exceeds the NVIC's " + cpu.interrupts() + " interrupts");
            }
            Map<String, Object> options = e.has("options") ? toMap(object(e, "options", where, at)) : Map.of();
            PeripheralOptions.check(model, name, options, where, at);
            out.add(new PeripheralSpec(name, model, base, size, (int) irq, options));
            i++;
        }
        return out;
    }

    private static void checkOverlaps(List<MemoryRegion> memory, List<PeripheralSpec> peripherals, String where) throws BoardException {
        List<String> names = new ArrayList<>();
        List<long[]> ranges = new ArrayList<>();
        for (MemoryRegion r : memory) {
            names.add("memory region \"" + r.name() + "\"");
            ranges.add(new long[]{r.base(), r.end()});
        }
        for (PeripheralSpec p : peripherals) {
            names.add("peripheral " + p.name());
            ranges.add(new long[]{p.base(), p.end()});
        }
        for (int a = 0; a < ranges.size(); a++) {
            for (int b = a + 1; b < ranges.size(); b++) {
                long[] x = ranges.get(a), y = ranges.get(b);
                if (x[0] < y[1] && y[0] < x[1]) {
                    throw new BoardException(String.format("%s: %s (0x%08x-0x%08x) overlaps %s (0x%08x-0x%08x)",
                            where, names.get(a), x[0], x[1] - 1, names.get(b), y[0], y[1] - 1));
                }
            }
            if (ranges.get(a)[1] > 0xE0000000L && ranges.get(a)[0] < 0xE0100000L) {
                throw new BoardException(where + ": " + names.get(a) + " overlaps the Cortex-M private peripheral bus (0xE0000000-0xE00FFFFF)");
            }
        }
    }

    private static void checkFields(ObjectNode n, Set<String> allowed, String where, String prefix) throws BoardException {
        Iterator<String> it = n.fieldNames();
        while (it.hasNext()) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new BoardException(where + ": unknown field " + PeripheralOptions.shown(prefix + f));
            }
        }
    }

    private static String text(JsonNode n, String field, String where, String prefix) throws BoardException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new BoardException(where + ": missing field \"" + prefix + field + "\"");
        }
        if (!v.isTextual()) {
            throw new BoardException(where + ": \"" + prefix + field + "\" must be a string");
        }
        return v.asText();
    }

    private static ObjectNode object(JsonNode n, String field, String where, String prefix) throws BoardException {
        JsonNode v = n.get(field);
        if (v == null) {
            throw new BoardException(where + ": missing field \"" + prefix + field + "\"");
        }
        if (!v.isObject()) {
            throw new BoardException(where + ": \"" + prefix + field + "\" must be an object");
        }
        return (ObjectNode) v;
    }

    private static JsonNode array(JsonNode n, String field, String where) throws BoardException {
        JsonNode v = n.get(field);
        if (v == null) {
            throw new BoardException(where + ": missing field \"" + field + "\"");
        }
        if (!v.isArray() || v.isEmpty()) {
            throw new BoardException(where + ": \"" + field + "\" must be a non-empty list");
        }
        return v;
    }

    /** A number written as JSON integer or as a string: decimal or 0x hex. */
    static long number(JsonNode n, String field, String where, String prefix) throws BoardException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new BoardException(where + ": missing field \"" + prefix + field + "\"");
        }
        return parseNumber(v, where, prefix + field);
    }

    private static long parseNumber(JsonNode v, String where, String field) throws BoardException {
        if (v.isIntegralNumber()) {
            if (!v.canConvertToLong() || v.asLong() < 0) {
                throw new BoardException(where + ": \"" + field + "\" must be a non-negative integer");
            }
            return v.asLong();
        }
        if (v.isTextual()) {
            String s = v.asText().strip().replace("_", "");
            try {
                long value = s.startsWith("0x") || s.startsWith("0X") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
                if (value < 0) {
                    throw new NumberFormatException();
                }
                return value;
            } catch (NumberFormatException e) {
                throw new BoardException(where + ": \"" + field + "\" is not a number (\"" + v.asText() + "\")");
            }
        }
        throw new BoardException(where + ": \"" + field + "\" must be a number");
    }

    /** A size: integer bytes, or a string in the one size grammar ({@link Units#parseBytes}: "256K", "1M", "0x10K", "1.5M"). */
    static long size(JsonNode v, String where, String field, boolean zeroAllowed) throws BoardException {
        if (v == null || v.isNull()) {
            throw new BoardException(where + ": missing field \"" + field + "\"");
        }
        long bytes;
        if (v.isTextual()) {
            try {
                bytes = Units.parseBytes(v.asText());
            } catch (Units.NotASize e) {
                throw new BoardException(where + ": \"" + field + "\" is not a size (\"" + v.asText() + "\"; write e.g. 262144, \"256K\" or \"1M\")");
            }
        } else {
            bytes = parseNumber(v, where, field);
        }
        if (bytes < 0 || (!zeroAllowed && bytes == 0)) {
            throw new BoardException(where + ": \"" + field + "\" must be " + (zeroAllowed ? "zero or more" : "more than zero") + " bytes");
        }
        return bytes;
    }

    private static Map<String, Object> toMap(ObjectNode n) {
        Map<String, Object> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("$comment")) {
                continue;
            }
            JsonNode v = e.getValue();
            Object value;
            if (v.isBoolean()) {
                value = v.booleanValue();
            } else if (v.isIntegralNumber()) {
                value = v.longValue();
            } else if (v.isNumber()) {
                value = v.doubleValue();
            } else if (v.isObject()) {
                value = toMap((ObjectNode) v);
            } else {
                value = v.asText();
            }
            out.put(e.getKey(), value);
        }
        return out;
    }
}
