package dev.tinysim.emulator.memory;

import dev.tinysim.emulator.board.MemorySystemSpec;
import dev.tinysim.emulator.board.MemorySystemSpec.CacheSpec;
import dev.tinysim.emulator.board.MemorySystemSpec.Side;
import dev.tinysim.emulator.engine.HostMemory;
import dev.tinysim.emulator.engine.NativeConstants;
import dev.tinysim.emulator.engine.NativeCounters;
import dev.tinysim.emulator.timing.TimingModel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The board's flash path at run time: wait states, line buffers, prefetch and caches, in native
 * memory laid out as {@code struct memsys} of emulator/dev/tinysim/emulator/engine/unicorn/block_hook.c, so that the native
 * block hook and this class (the Java path) update the same state and count alike. Its controls
 * are what the flash controller's registers switch; its static answers ({@link TimingModel.MemoryState})
 * are what the cycle model's per-block costs assume. Each cache is a {@link FlashCache}; the reads of the
 * Java path are {@link FlashReads}.
 */
public final class FlashPath implements MemorySystemControls, TimingModel.MemoryState {
    // struct memsys, struct cache and struct region_map, from their one description (engine.NativeCounters)
    private static final NativeCounters.Struct M = NativeCounters.MEMSYS, C = NativeCounters.CACHE,
            RM = NativeCounters.REGION_MAP;
    static final long FLAGS = M.offset("flags"), ROW_SHIFT = M.offset("row_shift"), WAIT = M.offset("wait"),
            FLASH_BASE = M.offset("flash_base"), FLASH_SIZE = M.offset("flash_size"), FLASH_NORM = M.offset("flash_norm"),
            ICACHE = M.offset("icache"), DCACHE = M.offset("dcache"), LAST_IROW = M.offset("last_irow"),
            LAST_DROW = M.offset("last_drow"), I_HITS = M.offset("i_hits"), I_MISSES = M.offset("i_misses"),
            I_BUFFER = M.offset("i_buffer"), I_ROWS = M.offset("i_rows"), I_STALL = M.offset("i_stall"),
            D_READS = M.offset("d_reads"), D_HITS = M.offset("d_hits"), D_MISSES = M.offset("d_misses"),
            D_BUFFER = M.offset("d_buffer"), D_ROWS = M.offset("d_rows"), D_STALL = M.offset("d_stall"),
            UNRESOLVED = M.offset("unresolved"), FETCH_BLOCK = M.offset("fetch_block"), FETCH_STALL = M.offset("fetch_stall"),
            REGION_COUNT = M.offset("region_count"), REGIONS = M.offset("regions"), OP_STALL = M.offset("op_stall"),
            DATA_BLOCK = M.offset("data_block"), SIZE = M.size();
    static final int MAX_REGIONS = (int) M.count("regions"), MAX_STALL_OPS = (int) M.count("op_stall");
    static final long C_SETS_MASK = C.offset("sets_mask"), C_WAYS = C.offset("ways"), C_LINE_SHIFT = C.offset("line_shift"),
            C_POLICY = C.offset("policy"), C_TAGS = C.offset("tags"), C_NEXT = C.offset("next"),
            C_LAST_LINE = C.offset("last_line"), C_MISS_PENALTY = C.offset("miss_penalty"), C_SIZE = C.size();
    static final long RM_SIZE = RM.size(), RM_BASE = RM.offset("base"), RM_BYTES = RM.offset("size"), RM_HOST = RM.offset("host");
    // flags, from their one description (engine.NativeConstants)
    static final long I_LINEBUF = NativeConstants.I_LINEBUF, I_PREFETCH = NativeConstants.I_PREFETCH,
            I_CACHE = NativeConstants.I_CACHE, D_ON = NativeConstants.D_ON, D_LINEBUF = NativeConstants.D_LINEBUF,
            D_PREFETCH = NativeConstants.D_PREFETCH, D_CACHE = NativeConstants.D_CACHE;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;

    private final MemorySystemSpec spec;
    private final boolean modelled;
    private final MemorySegment ms;
    private final Map<CacheSpec, FlashCache> caches = new java.util.LinkedHashMap<>();
    private final List<HostMemory> regions;
    private final int rowShift;
    /** The Java path of the reads (block_hook.c's twin). */
    private final FlashReads reads;
    private final Map<Side, Boolean> cacheOn = new EnumMap<>(Side.class);
    private final Map<Side, Boolean> prefetchOn = new EnumMap<>(Side.class);
    private int requestedWaitStates;
    private boolean active;
    private Runnable onChange = () -> { };

    /**
     * @param spec        the board's memory system (its zero-wait stand-in when the board gives none)
     * @param modelled    whether the board file gave it
     * @param flashRanges [base, size, base of the flash it shows] of the flash and each alias of it
     * @param regions     the host memory of every mapped region, for the values data programs load
     */
    public FlashPath(MemorySystemSpec spec, boolean modelled, List<long[]> flashRanges, List<HostMemory> regions, Arena arena) {
        this.spec = spec;
        this.modelled = modelled;
        this.regions = regions.size() > MAX_REGIONS ? regions.subList(0, MAX_REGIONS) : List.copyOf(regions);
        this.ms = arena.allocate(SIZE, 64);
        this.rowShift = Integer.numberOfTrailingZeros(spec.flash().readBytes());
        ms.set(L, ROW_SHIFT, rowShift);
        this.reads = new FlashReads(ms, rowShift, this.regions);
        for (int i = 0; i < 2; i++) {
            if (i < flashRanges.size()) {
                long[] r = flashRanges.get(i);
                ms.set(L, FLASH_BASE + 8L * i, r[0]);
                ms.set(L, FLASH_SIZE + 8L * i, r[1]);
                ms.set(L, FLASH_NORM + 8L * i, r[0] - r[2]);
            }
        }
        ms.set(L, REGION_COUNT, this.regions.size());
        for (int i = 0; i < this.regions.size(); i++) {
            HostMemory h = this.regions.get(i);
            long at = REGIONS + RM_SIZE * i;
            ms.set(L, at + RM_BASE, h.base());
            ms.set(L, at + RM_BYTES, h.size());
            ms.set(ValueLayout.ADDRESS, at + RM_HOST, h.segment());
        }
        for (CacheSpec c : spec.caches()) {
            FlashCache cache = new FlashCache(c, arena);
            caches.put(c, cache);
            MemorySegment seg = cache.segment();
            if (c.serves().contains(Side.INSTRUCTION)) {
                ms.set(ValueLayout.ADDRESS, ICACHE, seg);
            }
            if (c.serves().contains(Side.DATA)) {
                ms.set(ValueLayout.ADDRESS, DCACHE, seg);
            }
        }
        for (Side s : Side.values()) {
            cacheOn.put(s, false);
            prefetchOn.put(s, false);
        }
        requestedWaitStates = 0;
        configure();
    }

    /** The native {@code struct memsys}. */
    public MemorySegment segment() {
        return ms;
    }

    public MemorySystemSpec spec() {
        return spec;
    }

    /** Whether the board file describes its memory system (else it is zero-wait memory, named so in reports). */
    public boolean modelled() {
        return modelled;
    }

    /** The cycle model uses the flash path (the instruction-count model does not). */
    public void activate(boolean on) {
        active = on;
        configure();
    }

    public boolean active() {
        return active;
    }

    /** Called after a change that alters per-block costs (the core then costs its blocks again). */
    public void onConfigurationChange(Runnable listener) {
        this.onChange = listener;
    }

    // ------------------------------------------------------------------ configuration

    private boolean cacheUsed(Side side) {
        return spec.cacheFor(side).map(c -> c.alwaysOn() || cacheOn.get(side)).orElse(false);
    }

    private boolean prefetchUsed(Side side) {
        return spec.prefetch().contains(side) && prefetchOn.get(side);
    }

    private long flags() {
        if (!active) {
            return 0;
        }
        long f = 0;
        if (spec.flash().instructionLineBuffer()) {
            f |= I_LINEBUF;
        }
        if (prefetchUsed(Side.INSTRUCTION)) {
            f |= I_PREFETCH;
        }
        if (cacheUsed(Side.INSTRUCTION)) {
            f |= I_CACHE;
        }
        if (spec.flash().dataLineBuffer()) {
            f |= D_LINEBUF;
        }
        if (prefetchUsed(Side.DATA)) {
            f |= D_PREFETCH;
        }
        if (cacheUsed(Side.DATA)) {
            f |= D_CACHE;
        }
        if (waitStates() > 0 || (f & D_CACHE) != 0) {
            f |= D_ON;
        }
        return f;
    }

    private void configure() {
        long f = flags();
        ms.set(L, FLAGS, f);
        ms.set(L, WAIT, waitStates());
        caches.forEach((c, cache) -> cache.setMissPenalty(missPenalty(c, waitStates(), spec.flash().readBytes())));
    }

    private void changed() {
        configure();
        onChange.run();
    }

    /** Cycles a cache miss costs beyond a hit (see {@link FlashCache#missPenalty}). */
    public static int missPenalty(CacheSpec c, int waitStates, int readBytes) {
        return FlashCache.missPenalty(c, waitStates, readBytes);
    }

    // ------------------------------------------------------------------ MemorySystemControls

    @Override
    public void setCache(Side side, boolean on) {
        if (cacheOn.get(side) != on) {
            cacheOn.put(side, on);
            changed();
        }
    }

    @Override
    public void setPrefetch(Side side, boolean on) {
        if (prefetchOn.get(side) != on) {
            prefetchOn.put(side, on);
            changed();
        }
    }

    @Override
    public void invalidate(Side side) {
        spec.cacheFor(side).ifPresent(c -> caches.get(c).invalidate());
    }

    @Override
    public void invalidateWays(Side side, int wayMask) {
        spec.cacheFor(side).ifPresent(c -> caches.get(c).invalidateWays(wayMask));
    }

    @Override
    public void clearBuffers() {
        ms.set(L, LAST_IROW, 0);
        ms.set(L, LAST_DROW, 0);
    }

    @Override
    public void requestWaitStates(int waitStates) {
        int before = waitStates();
        requestedWaitStates = Math.max(0, waitStates);
        if (waitStates() != before) {
            changed();
        }
    }

    @Override
    public int waitStates() {
        return Math.max(spec.flash().waitStates(), requestedWaitStates);
    }

    @Override
    public int requiredWaitStates() {
        return spec.flash().waitStates();
    }

    @Override
    public boolean hasCache(Side side) {
        return spec.cacheFor(side).isPresent();
    }

    /** Whether the cache serving {@code side} is in use now. */
    public boolean cacheInUse(Side side) {
        return cacheUsed(side);
    }

    public boolean prefetchInUse(Side side) {
        return prefetchUsed(side);
    }

    @Override
    public MemoryStats stats() {
        return new MemoryStats(ms.get(L, I_HITS), ms.get(L, I_MISSES), ms.get(L, I_BUFFER), ms.get(L, I_ROWS),
                ms.get(L, I_STALL), ms.get(L, D_READS), ms.get(L, D_HITS), ms.get(L, D_MISSES), ms.get(L, D_BUFFER),
                ms.get(L, D_ROWS), ms.get(L, D_STALL), ms.get(L, UNRESOLVED));
    }

    // ------------------------------------------------------------------ TimingModel.MemoryState

    /** Instruction fetches from flash go through the flash path at run time (else the static fetch model). */
    @Override
    public boolean dynamicFetch() {
        long f = flags();
        return (f & (I_LINEBUF | I_PREFETCH | I_CACHE)) != 0;
    }

    @Override
    public int staticFetchWaitStates() {
        return active && !dynamicFetch() ? waitStates() : 0;
    }

    /** Literal reads are costed in their block (W each) unless a data cache or buffer decides at run time. */
    @Override
    public int staticLiteralWaitStates() {
        return active && !literalsAtRunTime() ? waitStates() : 0;
    }

    /** Flash data reads are accounted at run time (blocks get data programs). */
    public boolean dataAtRunTime() {
        return (flags() & D_ON) != 0;
    }

    /** PC-relative reads of flash go through the run-time data path too. */
    public boolean literalsAtRunTime() {
        return (flags() & (D_CACHE | D_LINEBUF | D_PREFETCH)) != 0;
    }

    // ------------------------------------------------------------------ the Java path (block_hook.c's twin): FlashReads

    /** Instruction fetch of a block from flash: the stall beyond zero-wait fetches. */
    public long fetch(long address, long size) {
        return reads.fetch(address, size);
    }

    /** The flash address behind {@code a}, or -1 when it is not flash or an alias of it. */
    long flashAddress(long a) {
        return reads.flashAddress(a);
    }


    @Override
    public String summary() {
        if (!modelled) {
            return "memory system: not modelled (zero wait)";
        }
        StringBuilder sb = new StringBuilder("flash ").append(waitStates()).append(" wait states, ")
                .append(8 * spec.flash().readBytes()).append("-bit reads");
        for (CacheSpec c : spec.caches()) {
            boolean on = c.serves().stream().anyMatch(this::cacheUsed);
            sb.append("; ").append(c.name()).append(" (").append(geometry(c)).append(") ").append(on ? "on" : "off");
        }
        for (Side s : spec.prefetch()) {
            sb.append("; ").append(s.key()).append(" prefetch ").append(prefetchUsed(s) ? "on" : "off");
        }
        return sb.toString();
    }

    /** "2 KB, 2-way, 16-byte lines, LRU" */
    public static String geometry(CacheSpec c) {
        return FlashCache.geometry(c);
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        if (!modelled) {
            m.put("memorySystem", "not modelled (zero wait)");
            return m;
        }
        m.put("memorySystem.flash.readBytes", spec.flash().readBytes());
        m.put("memorySystem.flash.waitStates", waitStates());
        m.put("memorySystem.flash.instructionLineBuffer", spec.flash().instructionLineBuffer());
        m.put("memorySystem.flash.dataLineBuffer", spec.flash().dataLineBuffer());
        for (CacheSpec c : spec.caches()) {
            String serves = String.join("+", c.serves().stream().map(Side::key).toList());
            m.put("memorySystem.cache." + serves, c.name() + ": " + geometry(c) + ", miss "
                    + missPenalty(c, waitStates(), spec.flash().readBytes()) + " cycles"
                    + (c.serves().stream().anyMatch(this::cacheUsed) ? ", on" : ", off"));
        }
        for (Side s : spec.prefetch()) {
            m.put("memorySystem.prefetch." + s.key(), prefetchUsed(s) ? "on" : "off");
        }
        return m;
    }

    /** Whether a data read at {@code a} goes through the flash path (the flash or an alias of it). */
    public boolean isFlash(long a) {
        return flashAddress(a) >= 0;
    }

    /** One data transfer at {@code address} (any address: only flash costs): the stall beyond a zero-wait read. */
    public long dataRead(long address) {
        long f = flashAddress(address);
        return f < 0 ? 0 : dataReadFlash(f);
    }

    long dataReadFlash(long address) {
        return reads.dataReadFlash(address);
    }

    void countUnresolved(long n) {
        reads.countUnresolved(n);
    }

    /** Records the cumulative data stall after op {@code k} of the block that started at {@code blockStart}. */
    void noteStall(int k, long cumulative, long blockStart) {
        reads.noteStall(k, cumulative, blockStart);
    }

    /** {@code count} transfers of {@code size} bytes from {@code address}: the stall of those that read flash. */
    long transfers(int address, int size, int count) {
        return reads.transfers(address, size, count);
    }

    /** Loads a value for a data program from host memory; null when the address is not plain memory. */
    Integer loadValue(long address, int size, boolean signed) {
        return reads.loadValue(address, size, signed);
    }

    /** Records a block's fetch stall (only when it stalled, as the native hook does). */
    public void noteFetchStall(long blockStart, long fetchStall) {
        reads.noteFetchStall(blockStart, fetchStall);
    }

    /**
     * Stall cycles inside the block that started at {@code blockStart} before its data op number
     * {@code ops} (that many data reads have happened): the fetch stall, charged before the first
     * instruction, and the data stall of the reads before.
     */
    public long stallBefore(long blockStart, int ops) {
        return reads.stallBefore(blockStart, ops);
    }
}
