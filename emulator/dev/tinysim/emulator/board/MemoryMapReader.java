package dev.tinysim.emulator.board;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static dev.tinysim.emulator.board.BoardFields.checkFields;
import static dev.tinysim.emulator.board.BoardFields.number;
import static dev.tinysim.emulator.board.BoardFields.size;
import static dev.tinysim.emulator.board.BoardFields.text;

/**
 * The "memory" section of a board file (flash, RAM and aliases), and the address map as a whole:
 * no two regions or peripherals overlap, none overlaps the private peripheral bus.
 */
final class MemoryMapReader {
    private static final Set<String> REGION_FIELDS = Set.of("name", "kind", "base", "size", "aliasOf", "$comment");
    static final long PAGE = 4096;

    private MemoryMapReader() {
    }

    static List<MemoryRegion> read(JsonNode arr, String where) throws BoardException {
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

    static void checkOverlaps(List<MemoryRegion> memory, List<PeripheralSpec> peripherals, String where) throws BoardException {
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
}
