package dev.tinysim.firmware;

import dev.tinysim.elf.ElfSymbol;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Names code addresses from an ELF symbol table: "conv_float+0x1c". Functions are preferred;
 * other symbols (labels, objects) are used when no function covers the address.
 */
public final class Symbolizer {
    private record Entry(long start, long size, String name, boolean function, boolean weak) {
    }

    private final Entry[] entries;

    public Symbolizer(List<ElfSymbol> symbols) {
        List<Entry> list = new ArrayList<>();
        for (ElfSymbol s : symbols) {
            if (s.name().startsWith("$") || s.name().isEmpty() || s.sectionIndex() == 0) {
                continue;   // mapping symbols ($t, $d) and undefined ones
            }
            if (s.type() != ElfSymbol.STT_FUNC && s.type() != ElfSymbol.STT_NOTYPE && s.type() != ElfSymbol.STT_OBJECT) {
                continue;
            }
            list.add(new Entry(s.address(), s.size(), s.name(), s.function(), s.binding() == 2));
        }
        // At one address, the last entry wins the search below: order so that it is a function,
        // and a strong symbol rather than a weak alias (Default_Handler, not BusFault_Handler).
        list.sort(Comparator.comparingLong(Entry::start).thenComparing(Entry::function)
                .thenComparing(e -> !e.weak()).thenComparing(Entry::name, Comparator.reverseOrder()));
        entries = list.toArray(new Entry[0]);
    }

    /** "name+0xoff", or "" when no symbol is near. */
    public String describe(long address) {
        Entry best = null;
        int lo = 0, hi = entries.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (entries[mid].start <= address) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        for (int i = hi; i >= 0 && i > hi - 64; i--) {
            Entry e = entries[i];
            boolean inside = e.size > 0 ? address < e.start + e.size : address - e.start < 0x1000;
            if (e.function && inside) {
                best = e;
                break;
            }
            if (best == null && inside && e.size > 0) {
                best = e;
            }
        }
        if (best == null) {
            return "";
        }
        long off = address - best.start;
        return off == 0 ? best.name : best.name + "+0x" + Long.toHexString(off);
    }

    /** The function containing the address, or null. */
    public String function(long address) {
        String d = describe(address);
        if (d.isEmpty()) {
            return null;
        }
        int plus = d.indexOf('+');
        return plus < 0 ? d : d.substring(0, plus);
    }
}
