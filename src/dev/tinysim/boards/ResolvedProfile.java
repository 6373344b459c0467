package dev.tinysim.boards;

import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.board.MemoryRegion;
import dev.tinysim.emulator.board.MemorySystemSpec;
import dev.tinysim.emulator.board.MemorySystemSpec.CacheSpec;
import dev.tinysim.emulator.board.PeripheralSpec;
import dev.tinysim.emulator.memory.FlashPath;
import dev.tinysim.emulator.timing.CortexM4TimingParameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A board profile as tinysim uses it: inheritance applied, every timing and memory-system value
 * listed with where it came from (this board's file, a parent it extends, or tinysim's built-in
 * default) and the document the board file cites for it. {@code tinysim boards show} prints it.
 *
 * @param name        the board
 * @param file        the file it was read from (the bundled file for a bundled board)
 * @param description its description
 * @param references  the documents the board file names for the board as a whole
 * @param values      every value, in the order of the board file: cpu, memory, reserved, timing, memory system
 * @param memory      the memory map
 * @param peripherals the peripheral instances
 * @param memorySystemSummary one line, "memory system: not modelled (zero wait)" when the board has none
 * @param caches      the caches with the line-fill cost tinysim derives
 */
public record ResolvedProfile(String name, String file, String description, List<String> references, List<Value> values,
                              List<Region> memory,
                              List<Peripheral> peripherals, String memorySystemSummary, List<Cache> caches) {

    /**
     * @param key    the board-file path: "cpu.clockHz", "timing.branchRefillCycles", "memorySystem.flash.waitStates"
     * @param value  the value as used
     * @param origin "board file", "parent board NAME" / "parent file PATH", or "built-in default"
     * @param source the document the board file cites for it (null when it cites none)
     */
    public record Value(String key, Object value, String origin, String source) {
    }

    public record Region(String name, String kind, String base, long size, String aliasOf) {
    }

    public record Peripheral(String name, String model, String base, Integer irq) {
    }

    /** @param missCycles the stall of a line fill at the board's wait states (docs/timing-model.md) */
    public record Cache(String name, List<String> serves, String geometry, int missCycles, boolean alwaysOn) {
    }

    /** Where built-in defaults are documented. */
    static final String DEFAULTS_DOC = "docs/timing-model.md (tinysim's built-in default)";

    public static ResolvedProfile of(Board board) {
        Board.Provenance p = board.provenance();
        List<Value> values = new ArrayList<>();
        values.add(value(board, "cpu.core", board.cpu().core()));
        values.add(value(board, "cpu.fpu", board.cpu().fpu()));
        values.add(value(board, "cpu.clockHz", board.cpu().clockHz()));
        values.add(value(board, "cpu.cpuid", String.format("0x%08X", board.cpu().cpuid())));
        values.add(value(board, "cpu.interrupts", board.cpu().interrupts()));
        values.add(value(board, "cpu.nvicPriorityBits", board.cpu().nvicPriorityBits()));
        values.add(value(board, "reserved.flash", board.reservedFlash()));
        values.add(value(board, "reserved.ram", board.reservedRam()));
        CortexM4TimingParameters defaults = CortexM4TimingParameters.defaults();
        Map<String, Object> timing;
        try {
            timing = CortexM4TimingParameters.parse(board.timing(), board.source()).asMap();
        } catch (dev.tinysim.emulator.board.BoardException e) {
            throw new IllegalStateException("a loaded board's timing no longer parses: " + e.getMessage(), e);
        }
        for (Map.Entry<String, Object> e : timing.entrySet()) {
            String key = "timing." + e.getKey();
            if (board.timing().containsKey(e.getKey())) {
                values.add(value(board, key, e.getValue()));
            } else {
                values.add(new Value(key, defaults.asMap().get(e.getKey()), "built-in default", DEFAULTS_DOC));
            }
        }
        List<Cache> caches = new ArrayList<>();
        String summary;
        MemorySystemSpec ms = board.memorySystem();
        if (ms == null) {
            summary = "memory system: not modelled (zero wait)";
            values.add(new Value("memorySystem", "not modelled: flash reads take no wait states, no caches", "built-in default",
                    "docs/timing-model.md, 'The flash path' (a board file without \"memorySystem\")"));
        } else {
            values.add(value(board, "memorySystem.flash.readBytes", ms.flash().readBytes()));
            values.add(value(board, "memorySystem.flash.waitStates", ms.flash().waitStates()));
            values.add(value(board, "memorySystem.flash.instructionLineBuffer", ms.flash().instructionLineBuffer()));
            values.add(value(board, "memorySystem.flash.dataLineBuffer", ms.flash().dataLineBuffer()));
            values.add(value(board, "memorySystem.caches", ms.caches().isEmpty() ? "none"
                    : String.join("; ", ms.caches().stream().map(c -> c.name() + " (" + FlashPath.geometry(c) + ")").toList())));
            values.add(value(board, "memorySystem.prefetch", ms.prefetch().isEmpty() ? "none"
                    : String.join(", ", ms.prefetch().stream().map(MemorySystemSpec.Side::key).sorted().toList())));
            values.add(value(board, "memorySystem.controller", ms.controller() == null ? "none" : ms.controller()));
            values.add(value(board, "memorySystem.bootWrites", ms.bootWrites().isEmpty() ? "none"
                    : String.join("; ", ms.bootWrites().stream()
                    .map(w -> String.format("0x%08X = 0x%X (%s)", w.address(), w.value(), w.what())).toList())));
            for (CacheSpec c : ms.caches()) {
                caches.add(new Cache(c.name(), c.serves().stream().map(MemorySystemSpec.Side::key).toList(), FlashPath.geometry(c),
                        FlashPath.missPenalty(c, ms.flash().waitStates(), ms.flash().readBytes()), c.alwaysOn()));
            }
            summary = "flash " + ms.flash().waitStates() + " wait states, " + 8 * ms.flash().readBytes() + "-bit reads"
                    + (ms.caches().isEmpty() ? ", no cache" : "; " + String.join("; ",
                    ms.caches().stream().map(c -> c.name() + " (" + FlashPath.geometry(c) + ")").toList()));
        }
        List<Region> regions = new ArrayList<>();
        for (MemoryRegion r : board.memory()) {
            regions.add(new Region(r.name(), r.kind().name().toLowerCase(java.util.Locale.ROOT), String.format("0x%08X", r.base()),
                    r.size(), r.aliasOf()));
        }
        List<Peripheral> peripherals = new ArrayList<>();
        for (PeripheralSpec s : board.peripherals()) {
            peripherals.add(new Peripheral(s.name(), s.model(), String.format("0x%08X", s.base()), s.irq() < 0 ? null : s.irq()));
        }
        boolean bundled = !board.source().contains("/") && !board.source().endsWith(".json");
        return new ResolvedProfile(board.name(), bundled ? "boards/" + board.source() + ".json (bundled)" : board.source(),
                board.description(), board.references(), values, regions, peripherals, summary, caches);
    }

    /** A value the board file (or a parent) sets, or tinysim's default when none does. */
    private static Value value(Board board, String key, Object v) {
        String origin = board.provenance().setBy().get(key);
        String source = board.provenance().sources().get(key);
        if (origin == null) {
            // not in the board file: reserved space defaults to none, an absent memory-system feature is absent
            return new Value(key, v, "built-in default", source);
        }
        boolean own = origin.equals(board.source()) || origin.equals("board " + board.source());
        return new Value(key, v, own ? "board file" : "parent " + origin, source);
    }
}
