package dev.tinysim.emulator.timing;

import dev.tinysim.emulator.board.BoardException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters of the "cortex-m4" cycle model, as a board file's {@code "timing"} object sets
 * them. Every value is a whole number of core cycles. docs/timing-model.md gives the evidence for
 * each default. The flash path (wait states, caches) is the board's {@code "memorySystem"}.
 *
 * @param branchRefill          P after a taken branch whose target is in the instruction (B, B&lt;cond&gt;,
 *                              BL, CBZ, CBNZ): the target is fetched speculatively from the decode stage
 * @param registerBranchRefill  P after a branch to a register (BX, BLX Rm, MOV/ADD PC) and after ISB
 * @param loadBranchRefill      P after a branch to a loaded value (LDR PC, POP/LDM with PC, TBB, TBH)
 * @param unalignedWideTarget   extra refill when the branch target is a 32-bit instruction at a halfword
 *                              address (one more fetch before it can be decoded)
 * @param systemBusFetchWaitStates wait states of an instruction fetch over the System bus (code run from RAM
 *                              at 0x20000000; the code-bus alias of RAM has none)
 * @param apbReadWaitStates     extra cycles of a load from an APB peripheral (0x40000000–0x4FFFFFFF)
 * @param apbWriteWaitStates    extra cycles of a store to an APB peripheral (stores go through the write buffer)
 * @param exceptionEntry        exception entry, basic frame
 * @param exceptionEntryFp      exception entry when the frame holds FP state (lazy stacking off)
 * @param exceptionReturn       exception return, basic frame
 * @param exceptionReturnFp     exception return with FP state in the frame
 * @param tailChain             handler to handler without unstacking
 */
public record CortexM4TimingParameters(int branchRefill, int registerBranchRefill, int loadBranchRefill,
                                       int unalignedWideTarget, int systemBusFetchWaitStates, int apbReadWaitStates,
                                       int apbWriteWaitStates, int exceptionEntry, int exceptionEntryFp,
                                       int exceptionReturn, int exceptionReturnFp, int tailChain) {

    /** Board-file keys, in report order, with their defaults and the range a value must be in. */
    private enum Key {
        branchRefillCycles(1, 1, 8),
        registerBranchRefillCycles(2, 1, 8),
        loadBranchRefillCycles(3, 1, 8),
        unalignedWideTargetCycles(1, 0, 8),
        systemBusFetchWaitStates(1, 0, 32),
        apbReadWaitStates(1, 0, 64),
        apbWriteWaitStates(0, 0, 64),
        exceptionEntryCycles(12, 0, 1000),
        exceptionEntryFpCycles(29, 0, 1000),
        exceptionReturnCycles(10, 0, 1000),
        exceptionReturnFpCycles(27, 0, 1000),
        tailChainCycles(6, 0, 1000);

        final int defaultValue;
        final int min;
        final int max;

        Key(int defaultValue, int min, int max) {
            this.defaultValue = defaultValue;
            this.min = min;
            this.max = max;
        }
    }

    /** Keys that moved to the board's "memorySystem" object, and where to. */
    private static final Map<String, String> MOVED = Map.of(
            "flashWaitStates", "memorySystem.flash.waitStates",
            "flashCachedWaitStates", "memorySystem.caches (a hit is zero-wait; misses cost a line fill)",
            "flashAcceleratorOn", "memorySystem.controller (the peripheral whose registers switch the caches)");

    /** The defaults (the Cortex-M4 TRM values and inferences of docs/timing-model.md). */
    public static CortexM4TimingParameters defaults() {
        try {
            return parse(Map.of(), "defaults");
        } catch (BoardException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The keys a board file may set. */
    public static java.util.List<String> keys() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (Key k : Key.values()) {
            out.add(k.name());
        }
        return out;
    }

    /**
     * Reads a board's "timing" object: every key must be known, every value a whole number in its
     * range. {@code where} names the file for messages.
     */
    public static CortexM4TimingParameters parse(Map<String, Object> timing, String where) throws BoardException {
        int[] v = new int[Key.values().length];
        for (Key k : Key.values()) {
            v[k.ordinal()] = k.defaultValue;
        }
        for (Map.Entry<String, Object> e : timing.entrySet()) {
            Key key;
            try {
                key = Key.valueOf(e.getKey());
            } catch (IllegalArgumentException ex) {
                // the same wording as every other unknown field of a board file (docs/timing-model.md lists the keys)
                String moved = MOVED.get(e.getKey());
                throw new BoardException(where + ": unknown field \"timing." + e.getKey() + "\""
                        + (moved == null ? "" : ": the flash path is described by " + moved));
            }
            Object value = e.getValue();
            String field = "\"timing." + key.name() + "\"";
            long n;
            if (value instanceof Long l) {
                n = l;
            } else if (value instanceof Integer i) {
                n = i;
            } else if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
                n = d.longValue();
            } else {
                throw new BoardException(where + ": " + field + " must be a whole number of cycles (got " + describe(value) + ")");
            }
            if (n < key.min) {
                throw new BoardException(where + ": " + field + " must be " + (key.min == 0 ? "0 or more" : "at least " + key.min)
                        + " (got " + n + ")" + (key.min > 0 ? ": a taken branch always refills the pipeline" : ""));
            }
            if (n > key.max) {
                throw new BoardException(where + ": " + field + " must be at most " + key.max + " (got " + n + ")");
            }
            v[key.ordinal()] = (int) n;
        }
        CortexM4TimingParameters p = new CortexM4TimingParameters(
                v[Key.branchRefillCycles.ordinal()], v[Key.registerBranchRefillCycles.ordinal()],
                v[Key.loadBranchRefillCycles.ordinal()], v[Key.unalignedWideTargetCycles.ordinal()],
                v[Key.systemBusFetchWaitStates.ordinal()], v[Key.apbReadWaitStates.ordinal()],
                v[Key.apbWriteWaitStates.ordinal()], v[Key.exceptionEntryCycles.ordinal()],
                v[Key.exceptionEntryFpCycles.ordinal()], v[Key.exceptionReturnCycles.ordinal()],
                v[Key.exceptionReturnFpCycles.ordinal()], v[Key.tailChainCycles.ordinal()]);
        if (p.exceptionEntryFp < p.exceptionEntry) {
            throw new BoardException(where + ": \"timing.exceptionEntryFpCycles\" (" + p.exceptionEntryFp
                    + ") is less than \"timing.exceptionEntryCycles\" (" + p.exceptionEntry + "): stacking 18 more words cannot be faster");
        }
        if (p.exceptionReturnFp < p.exceptionReturn) {
            throw new BoardException(where + ": \"timing.exceptionReturnFpCycles\" (" + p.exceptionReturnFp
                    + ") is less than \"timing.exceptionReturnCycles\" (" + p.exceptionReturn + "): unstacking 18 more words cannot be faster");
        }
        return p;
    }

    private static String describe(Object value) {
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        if (value instanceof Map) {
            return "an object";
        }
        return String.valueOf(value);
    }

    /** All parameters by board-file key, for reports. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(Key.branchRefillCycles.name(), branchRefill);
        m.put(Key.registerBranchRefillCycles.name(), registerBranchRefill);
        m.put(Key.loadBranchRefillCycles.name(), loadBranchRefill);
        m.put(Key.unalignedWideTargetCycles.name(), unalignedWideTarget);
        m.put(Key.systemBusFetchWaitStates.name(), systemBusFetchWaitStates);
        m.put(Key.apbReadWaitStates.name(), apbReadWaitStates);
        m.put(Key.apbWriteWaitStates.name(), apbWriteWaitStates);
        m.put(Key.exceptionEntryCycles.name(), exceptionEntry);
        m.put(Key.exceptionEntryFpCycles.name(), exceptionEntryFp);
        m.put(Key.exceptionReturnCycles.name(), exceptionReturn);
        m.put(Key.exceptionReturnFpCycles.name(), exceptionReturnFp);
        m.put(Key.tailChainCycles.name(), tailChain);
        return m;
    }
}
