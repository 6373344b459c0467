package dev.tinysim.emulator.bus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Accesses to registers tinysim does not model: each distinct register is logged once (through
 * the listener) and every access is counted for the report. Reads of such registers return 0 and
 * writes are ignored, as Renode does: startup code that pokes an unmodelled block keeps running.
 * With strict mode on, the first such access stops the run instead.
 */
public final class UnmodelledAccessLog {
    /** One unmodelled register and how often it was touched. */
    public record Entry(String peripheral, String register, long address, long reads, long writes) {
    }

    private final Map<Long, long[]> counts = new LinkedHashMap<>();
    private final Map<Long, String[]> names = new LinkedHashMap<>();
    private Consumer<String> firstAccessListener;

    public UnmodelledAccessLog(Consumer<String> firstAccessListener) {
        this.firstAccessListener = firstAccessListener;
    }

    /** Also tells {@code listener} of each first access, after the listeners already connected. */
    public void alsoNotify(Consumer<String> listener) {
        firstAccessListener = firstAccessListener.andThen(listener);
    }

    /**
     * Records one access.
     *
     * @param register the register's name when known ("RXD.PTR"), or null for an unknown offset
     */
    public void record(String peripheral, String register, long address, boolean write, long value) {
        long[] c = counts.get(address);
        if (c == null) {
            c = new long[2];
            counts.put(address, c);
            String reg = register == null ? String.format("+0x%03x", address & 0xFFF) : register;
            names.put(address, new String[]{peripheral, reg});
            firstAccessListener.accept(String.format("unmodelled register %s.%s (0x%08x) %s%s", peripheral, reg, address,
                    write ? "written" : "read", write ? String.format(" (value 0x%x)", value) : ", returning 0"));
        }
        c[write ? 1 : 0]++;
    }

    public List<Entry> entries() {
        return counts.entrySet().stream().map(e -> {
            String[] n = names.get(e.getKey());
            return new Entry(n[0], n[1], e.getKey(), e.getValue()[0], e.getValue()[1]);
        }).toList();
    }

    public long totalAccesses() {
        return counts.values().stream().mapToLong(c -> c[0] + c[1]).sum();
    }

    public int registerCount() {
        return counts.size();
    }
}
