package dev.tinysim.emulator.core;

import dev.tinysim.emulator.engine.NativeCounters;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The core's time and instruction counters, kept in native memory in the layout of
 * {@code struct state} in emulator/dev/tinysim/emulator/engine/unicorn/block_hook.c, so that the native block hook and the
 * Java slow path update the same numbers. Also the per-halfword block tables the native hook
 * reads (see {@link BlockEntry} for the entry format). The offsets below come from the one description
 * of the struct (engine.NativeCounters); NativeLayoutTest checks the compiler's offsetof agrees.
 */
final class AccountingState {
    // struct state and struct region, from their one description (engine.NativeCounters)
    private static final NativeCounters.Struct S = NativeCounters.STATE, R = NativeCounters.REGION;
    static final long CYCLES = S.offset("cycles"), INSTRUCTIONS = S.offset("instructions"),
            BLOCK_START_CYCLES = S.offset("block_start_cycles"), BLOCK_START_INSNS = S.offset("block_start_insns"),
            CURRENT = S.offset("current"), PREV_ENTRY = S.offset("prev_entry"), PREV_FALLTHROUGH = S.offset("prev_fallthrough"),
            CYCLE_LIMIT = S.offset("cycle_limit"), INSN_LIMIT = S.offset("insn_limit"),
            IT_INSTRUCTIONS = S.offset("it_instructions"), SLOW = S.offset("slow"), REGION_COUNT = S.offset("region_count"),
            REGIONS = S.offset("regions"), ENV = S.offset("env"), ENV_OK = S.offset("env_ok"), POOL = S.offset("pool"),
            MEMSYS = S.offset("ms"), SIZE = S.size();
    static final long REGION_SIZE = R.size(), REGION_BASE = R.offset("base"), REGION_BYTES = R.offset("bytes"),
            REGION_TABLE = R.offset("table"), REGION_PROGRAMS = R.offset("programs");
    static final int MAX_REGIONS = (int) S.count("regions");
    /** Bytes of the data-program pool; a block whose program does not fit takes the Java path. */
    static final long POOL_BYTES = 1 << 20;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;

    final MemorySegment segment;
    private final MemorySegment[] tables = new MemorySegment[MAX_REGIONS];
    private final MemorySegment[] programTables = new MemorySegment[MAX_REGIONS];
    private final MemorySegment pool;
    private long poolUsed = 16;   // offset 0 is never a program
    private final long[] bases = new long[MAX_REGIONS];
    private final long[] sizes = new long[MAX_REGIONS];
    private int regions;

    AccountingState(Arena arena) {
        segment = arena.allocate(SIZE, 64);
        segment.set(L, INSN_LIMIT, Long.MAX_VALUE);
        pool = arena.allocate(POOL_BYTES, 16);
        segment.set(ValueLayout.ADDRESS, POOL, pool);
    }

    /** Points the native hook at the flash path's {@code struct memsys}. */
    void setMemorySystem(MemorySegment memsys) {
        segment.set(ValueLayout.ADDRESS, MEMSYS, memsys);
    }

    /**
     * Copies a block's data program into the pool and records it for the block at {@code address};
     * false when the pool is full (the block then always takes the Java path).
     */
    boolean publishProgram(long address, byte[] program) {
        if (poolUsed + program.length > POOL_BYTES) {
            return false;
        }
        for (int i = 0; i < regions; i++) {
            long off = address - bases[i];
            if (off >= 0 && off < sizes[i]) {
                MemorySegment.copy(program, 0, pool, ValueLayout.JAVA_BYTE, poolUsed, program.length);
                programTables[i].set(ValueLayout.JAVA_INT, (off >>> 1) * 4, (int) poolUsed);
                poolUsed += (program.length + 15) & ~15L;
                return true;
            }
        }
        return false;
    }

    /** The CPU register file the native hook saw in rbp (0 when it has not run a block with a data program yet). */
    long env() {
        return segment.get(L, ENV);
    }

    /** Adds a code region whose blocks the native hook may account (at most four). */
    void addRegion(Arena arena, long base, long bytes) {
        if (regions == MAX_REGIONS) {
            return;
        }
        MemorySegment table = arena.allocate((bytes >>> 1) * 8, 8);
        MemorySegment programs = arena.allocate((bytes >>> 1) * 4, 8);
        long at = REGIONS + (long) regions * REGION_SIZE;
        segment.set(L, at + REGION_BASE, base);
        segment.set(L, at + REGION_BYTES, bytes);
        segment.set(ValueLayout.ADDRESS, at + REGION_TABLE, table);
        segment.set(ValueLayout.ADDRESS, at + REGION_PROGRAMS, programs);
        tables[regions] = table;
        programTables[regions] = programs;
        bases[regions] = base;
        sizes[regions] = bytes;
        regions++;
        segment.set(L, REGION_COUNT, regions);
    }

    /** Native bytes of the per-halfword tables (8-byte entries, 4-byte program offsets). */
    long tableBytes() {
        long n = 0;
        for (int i = 0; i < regions; i++) {
            n += (sizes[i] >>> 1) * 12;
        }
        return n;
    }

    /** Publishes a block's entry for the native hook (no-op outside the regions). */
    void publish(long address, long entry) {
        for (int i = 0; i < regions; i++) {
            long off = address - bases[i];
            if (off >= 0 && off < sizes[i]) {
                tables[i].set(L, (off >>> 1) * 8, entry);
                return;
            }
        }
    }

    /** Forgets every published entry and program (the Java side re-publishes them as blocks run again). */
    void clearTables() {
        for (int i = 0; i < regions; i++) {
            tables[i].fill((byte) 0);
        }
        poolUsed = 16;
    }

    void setSlowPath(MemorySegment function) {
        segment.set(ValueLayout.ADDRESS, SLOW, function);
    }

    long get(long field) {
        return segment.get(L, field);
    }

    void set(long field, long value) {
        segment.set(L, field, value);
    }

    long cycles() {
        return segment.get(L, CYCLES);
    }

    void cycles(long v) {
        segment.set(L, CYCLES, v);
    }

    long instructions() {
        return segment.get(L, INSTRUCTIONS);
    }

    void instructions(long v) {
        segment.set(L, INSTRUCTIONS, v);
    }
}
