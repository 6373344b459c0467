package dev.tinysim.emulator.board;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.tinysim.emulator.board.BoardFields.bool;
import static dev.tinysim.emulator.board.BoardFields.checkFields;
import static dev.tinysim.emulator.board.BoardFields.number;
import static dev.tinysim.emulator.board.BoardFields.object;
import static dev.tinysim.emulator.board.BoardFields.size;
import static dev.tinysim.emulator.board.BoardFields.text;

/**
 * The "memorySystem" section of a board file: the flash (row width, wait states, line buffers),
 * its caches, prefetch, the controller that switches them and the boot ROM's register writes.
 */
final class MemorySystemReader {
    private static final Set<String> MEMSYS_FIELDS = Set.of("flash", "caches", "prefetch", "controller", "bootWrites", "$comment");
    private static final Set<String> FLASH_FIELDS = Set.of("readBytes", "waitStates", "instructionLineBuffer",
            "dataLineBuffer", "$comment");
    private static final Set<String> CACHE_FIELDS = Set.of("name", "serves", "sizeBytes", "lineBytes", "ways",
            "replacement", "missExtraCycles", "alwaysOn", "$comment");

    private MemorySystemReader() {
    }

    static MemorySystemSpec read(ObjectNode n, String where, List<PeripheralSpec> peripherals) throws BoardException {
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
}
