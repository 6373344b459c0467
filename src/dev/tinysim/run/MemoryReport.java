package dev.tinysim.run;

import dev.tinysim.emulator.board.MemorySystemSpec.CacheSpec;
import dev.tinysim.emulator.board.MemorySystemSpec.Side;
import dev.tinysim.emulator.memory.FlashPath;
import dev.tinysim.emulator.memory.MemoryStats;

import java.util.ArrayList;
import java.util.List;

/**
 * What the flash path did in a run (docs/timing-model.md, "The flash path"): per cache its hits,
 * misses and hit rate, per side the flash reads and the cycles the core waited. Instruction-side
 * counts are per flash row a fetch touches (a 32-bit word on a part that reads flash 32 bits at a
 * time); data-side counts per transfer.
 *
 * @param summary         one line: wait states, caches and prefetch as they ended the run, or
 *                        "memory system: not modelled (zero wait)"
 * @param modelled        whether the board file describes its memory system
 * @param active          whether the timing model charged it (the instructions model does not)
 * @param flashWaitStates wait states of a flash read at the end of the run, null when not modelled
 * @param readBytes       bytes one flash read delivers (a row), null when not modelled
 * @param caches          every cache of the board, used or not
 * @param instruction     instruction fetches from flash
 * @param data            data reads from flash by load instructions
 * @param unresolvedDataReads data reads of flash whose address the model could not compute (not charged)
 */
public record MemoryReport(String summary, boolean modelled, boolean active, Integer flashWaitStates, Integer readBytes,
                           List<Cache> caches, Side instruction, Side data, long unresolvedDataReads) {

    /**
     * @param serves     "instruction", "data" or both
     * @param on         whether it was on at the end of the run
     * @param hitRate    hits / (hits + misses), null when it saw no access
     * @param missCycles cycles a miss stalls the core (the line fill)
     */
    public record Cache(String name, List<String> serves, String geometry, boolean on, long hits, long misses,
                        Double hitRate, int missCycles) {
    }

    /**
     * @param accesses    flash rows fetched (instruction side: counted while a cache, line buffer or prefetch is
 *                    on; without them fetch wait states are part of each block's static cost) or
 *                    transfers (data side) from flash
     * @param cacheHits   of those, served by a cache
     * @param cacheMisses that missed it and filled a line
     * @param buffered    served by a line buffer or a prefetched row
     * @param flashReads  uncached reads of flash
     * @param stallCycles cycles the core waited beyond zero-wait accesses
     */
    public record Side(long accesses, long cacheHits, long cacheMisses, long buffered, long flashReads, long stallCycles) {
    }

    /** The report of {@code path} as the run left it. */
    public static MemoryReport of(FlashPath path, boolean active) {
        MemoryStats s = path.stats();
        if (!path.modelled()) {
            return new MemoryReport(path.summary(), false, active, null, null, List.of(), null, null, 0);
        }
        List<Cache> caches = new ArrayList<>();
        for (CacheSpec c : path.spec().caches()) {
            boolean i = c.serves().contains(dev.tinysim.emulator.board.MemorySystemSpec.Side.INSTRUCTION);
            boolean d = c.serves().contains(dev.tinysim.emulator.board.MemorySystemSpec.Side.DATA);
            long hits = (i ? s.instructionHits() : 0) + (d ? s.dataHits() : 0);
            long misses = (i ? s.instructionMisses() : 0) + (d ? s.dataMisses() : 0);
            boolean on = c.serves().stream().anyMatch(path::cacheInUse);
            caches.add(new Cache(c.name(), c.serves().stream().map(dev.tinysim.emulator.board.MemorySystemSpec.Side::key).toList(),
                    FlashPath.geometry(c), on, hits, misses, hits + misses == 0 ? null : (double) hits / (hits + misses),
                    FlashPath.missPenalty(c, path.waitStates(), path.spec().flash().readBytes())));
        }
        Side instruction = new Side(s.instructionHits() + s.instructionMisses() + s.instructionBuffered() + s.instructionFlashRows(),
                s.instructionHits(), s.instructionMisses(), s.instructionBuffered(), s.instructionFlashRows(), s.instructionStall());
        Side data = new Side(s.dataReads(), s.dataHits(), s.dataMisses(), s.dataBuffered(), s.dataFlashRows(), s.dataStall());
        return new MemoryReport(path.summary(), true, active, path.waitStates(), path.spec().flash().readBytes(), caches,
                instruction, data, s.unresolved());
    }

    /**
     * The text report's lines: the summary, one line per cache, then the flash reads of each side.
     * None under a timing model that does not charge the memory system (the report names that model).
     */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        if (!active) {
            return out;
        }
        out.add(summary);
        if (!modelled) {
            return out;
        }
        for (Cache c : caches) {
            if (!c.on() && c.hits() + c.misses() == 0) {
                out.add(c.name() + ": off, not used");
                continue;
            }
            out.add(String.format("%s: %s, %,d hits, %,d misses, %s, %d cycles a miss", c.name(),
                    c.on() ? "on" : "off at the end", c.hits(), c.misses(),
                    c.hitRate() == null ? "no accesses" : String.format("hit rate %.1f%%", 100 * c.hitRate()), c.missCycles()));
        }
        String reads = (8 * readBytes) + "-bit reads";
        out.add(instruction.accesses() == 0
                ? "instruction fetches: every " + reads.replace("reads", "read") + " from flash takes " + flashWaitStates
                + " wait states (charged in each block's cost, not counted)"
                : side("instruction fetches", instruction, reads));
        out.add(side("data reads of flash", data, "transfers")
                + (unresolvedDataReads == 0 ? "" : String.format("; %,d not charged (address unknown)", unresolvedDataReads)));
        return out;
    }

    private static String side(String what, Side s, String unit) {
        return String.format("%s: %,d %s (%,d cache hits, %,d misses, %,d buffered, %,d from flash), %,d stall cycles",
                what, s.accesses(), unit, s.cacheHits(), s.cacheMisses(), s.buffered(), s.flashReads(), s.stallCycles());
    }
}
