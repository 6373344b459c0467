package dev.tinysim.emulator.engine;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The structures the native block hook shares with the Java side, described once: the counters and
 * state of the core ({@link #STATE}, written by core.AccountingState), its code regions ({@link #REGION}),
 * the flash path ({@link #MEMSYS}, memory.FlashPath), its caches ({@link #CACHE}) and mapped memory
 * ({@link #REGION_MAP}); the constants are in {@link NativeConstants}. The Java side takes every offset and size
 * from these layouts; the C side includes engine/unicorn/block_hook_layout.h, which engine.unicorn.BlockHookHeader
 * generates from them (NativeLayoutTest checks the committed header is that output and that gcc's offsetof agrees).
 */
public final class NativeCounters {
    /** One field: its Java layout and the C declaration it becomes ({@code %s} stands for the name). */
    public record Field(String name, MemoryLayout layout, String cDeclaration, String comment) {
    }

    /** One C struct: its fields in order and the Java layout built from them. */
    public record Struct(String name, List<Field> fields, StructLayout layout) {
        /** Byte offset of a field. */
        public long offset(String field) {
            return layout.byteOffset(PathElement.groupElement(field));
        }

        /** Elements of an array field. */
        public long count(String field) {
            return ((SequenceLayout) layout.select(PathElement.groupElement(field))).elementCount();
        }

        /** sizeof the struct. */
        public long size() {
            return layout.byteSize();
        }
    }

    public static final Struct CACHE = struct("cache",
            u64("sets_mask", "sets - 1 (a power of two minus one)"),
            u64("ways", ""),
            u64("line_shift", ""),
            u64("policy", "0 least recently used, 1 round robin"),
            pointer("tags", "uint32_t *%s", "sets x ways keys (line + 1; 0 = empty); LRU keeps each set most recent first"),
            pointer("next", "uint8_t *%s", "round robin: the way to replace next, per set"),
            u64("last_line", "line of the last lookup + 1 (it is the most recent of its set)"),
            u64("miss_penalty", "cycles a miss costs beyond a hit"));

    public static final Struct REGION_MAP = struct("region_map",
            u64("base", ""),
            u64("size", ""),
            pointer("host", "uint8_t *%s", ""));

    /** Data transfers whose cumulative stall a block records, op by op (C: MAX_STALL_OPS). */
    public static final int MAX_STALL_OPS = 32;
    /** Memory regions the native hook can load values from (data programs). */
    public static final int MAX_MEMORY_REGIONS = 4;

    public static final Struct MEMSYS = struct("memsys",
            u64("flags", ""),
            u64("row_shift", ""),
            u64("wait", "wait states of one flash row read"),
            array("flash_base", 2, ValueLayout.JAVA_LONG, "uint64_t %s[2]", "data reads in [base, base + size) go through the flash path"),
            array("flash_size", 2, ValueLayout.JAVA_LONG, "uint64_t %s[2]", ""),
            array("flash_norm", 2, ValueLayout.JAVA_LONG, "uint64_t %s[2]", "subtracted to make addresses in an alias those of the flash"),
            pointer("icache", "struct cache *%s", ""),
            pointer("dcache", "struct cache *%s", "may be icache: a unified cache"),
            u64("last_irow", "row + 1"),
            u64("last_drow", "row + 1"),
            u64("i_hits", ""),
            u64("i_misses", ""),
            u64("i_buffer", "rows served by the line buffer or the prefetcher"),
            u64("i_rows", "uncached rows read from flash"),
            u64("i_stall", ""),
            u64("d_reads", "data transfers from flash"),
            u64("d_hits", ""),
            u64("d_misses", ""),
            u64("d_buffer", ""),
            u64("d_rows", ""),
            u64("d_stall", ""),
            u64("unresolved", "data reads whose address could not be computed"),
            u64("fetch_block", "the block start fetch_stall belongs to (written only when it stalls)"),
            u64("fetch_stall", "fetch stall of that block (before its first instruction)"),
            u64("region_count", ""),
            array("regions", MAX_MEMORY_REGIONS, REGION_MAP.layout(), "struct region_map %s[" + MAX_MEMORY_REGIONS + "]", ""),
            array("op_stall", MAX_STALL_OPS, ValueLayout.JAVA_INT, "uint32_t %s[MAX_STALL_OPS]",
                    "cumulative data stall after the first ops of the block"),
            u64("data_block", "the block start op_stall belongs to (written from its first data stall)"));

    public static final Struct REGION = struct("region",
            u64("base", ""),
            u64("bytes", ""),
            pointer("table", "uint64_t *%s", ""),
            pointer("programs", "uint32_t *%s", "offset into the program pool, per halfword"));

    /** Code regions whose blocks the native hook accounts. */
    public static final int MAX_CODE_REGIONS = 4;

    public static final Struct STATE = struct("state",
            u64("cycles", ""),
            u64("instructions", ""),
            u64("block_start_cycles", ""),
            u64("block_start_insns", "written by the Java path only (instructions - block count here)"),
            u64("current", ""),
            u64("prev_entry", ""),
            u64("prev_fallthrough", ""),
            u64("cycle_limit", "take the slow path once cycles reach this"),
            u64("insn_limit", ""),
            u64("it_instructions", "written by the Java path only"),
            pointer("slow", "void (*%s)(void *uc, uint64_t address, uint32_t size, struct state *s)", ""),
            u64("region_count", ""),
            array("regions", MAX_CODE_REGIONS, REGION.layout(), "struct region %s[" + MAX_CODE_REGIONS + "]", ""),
            pointer("env", "uint32_t *%s", "the CPU's registers r0..r15 (set at the first call)"),
            u64("env_ok", "set by Java once it has checked env against the engine"),
            pointer("pool", "uint8_t *%s", "the program pool"),
            pointer("ms", "struct memsys *%s", ""));

    /** Every struct, in the order C must declare them. */
    public static final List<Struct> ALL = List.of(CACHE, REGION_MAP, MEMSYS, REGION, STATE);

    private NativeCounters() {
    }

    private static Field u64(String name, String comment) {
        return new Field(name, ValueLayout.JAVA_LONG, "uint64_t %s", comment);
    }

    private static Field pointer(String name, String cDeclaration, String comment) {
        return new Field(name, ValueLayout.ADDRESS, cDeclaration, comment);
    }

    private static Field array(String name, int count, MemoryLayout element, String cDeclaration, String comment) {
        return new Field(name, MemoryLayout.sequenceLayout(count, element), cDeclaration, comment);
    }

    private static Struct struct(String name, Field... fields) {
        List<MemoryLayout> members = new ArrayList<>();
        for (Field f : fields) {
            members.add(f.layout().withName(f.name()));
        }
        return new Struct(name, List.of(fields), MemoryLayout.structLayout(members.toArray(MemoryLayout[]::new)).withName(name));
    }
}
