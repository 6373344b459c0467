package dev.tinysim.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * Which functions and data objects of a linked Arm executable reference which others, read from the relocations
 * the executable kept ({@code ld --emit-relocs}): an absolute address (R_ARM_ABS32: literal pools, function
 * tables, the vector table) or a branch (R_ARM_THM_CALL, _JUMP24, _JUMP19, _JUMP11, _JUMP8). The target of each
 * is read from the linked bytes, so addends need no interpretation. This is the graph the linker's
 * {@code --gc-sections} walks; {@link #reachable} answers what a link with fewer roots would keep.
 */
public final class ElfReferences {

    private static final int R_ARM_ABS32 = 2, R_ARM_THM_CALL = 10, R_ARM_THM_JUMP24 = 30, R_ARM_TARGET1 = 38,
            R_ARM_THM_JUMP19 = 51, R_ARM_THM_JUMP11 = 102, R_ARM_THM_JUMP8 = 103;
    private static final int SHT_REL = 9;

    /** A function or data object with a size, as the symbol table describes it. */
    public record Item(String name, long start, long size, boolean function) {
        long end() {
            return start + size;
        }
    }

    /** One reference: the address of the place that holds it and the item it points into. */
    public record Reference(long site, int target) {
    }

    private final List<Item> items;
    private final List<List<Reference>> out;
    private final List<Integer> roots;

    private ElfReferences(List<Item> items, List<List<Reference>> out, List<Integer> roots) {
        this.items = items;
        this.out = out;
        this.roots = roots;
    }

    /** Whether the executable kept its relocations, without which there is no graph to read. */
    public static boolean available(ElfFile elf) {
        return ElfRelocator.hasRelocations(elf);
    }

    /**
     * Builds the graph. Roots: the entry point, the named symbols (what the linker script keeps, such as the
     * vector table) and every reference from a place outside all items (linker-made tables).
     */
    public static ElfReferences of(ElfFile elf, String... rootSymbols) throws ElfFormatException {
        List<long[]> refs = relocations(elf);
        List<Item> items = withUnnamedData(elf, items(elf), refs);
        List<List<Reference>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            out.add(new ArrayList<>());
        }
        List<Integer> roots = new ArrayList<>();
        rootAt(items, elf.entry() & ~1L, roots);
        for (String name : rootSymbols) {
            elf.symbol(name).ifPresent(sym -> rootAt(items, sym.address(), roots));
        }
        for (long[] r : refs) {
            int to = indexOf(items, r[1]);
            if (to < 0) {
                continue;
            }
            int from = indexOf(items, r[0]);
            if (from < 0) {
                roots.add(to);
            } else if (from != to) {
                out.get(from).add(new Reference(r[0], to));
            }
        }
        return new ElfReferences(List.copyOf(items), out, List.copyOf(roots));
    }

    /** Every (place, target address) pair of the kept relocations, targets read from the linked bytes. */
    private static List<long[]> relocations(ElfFile elf) throws ElfFormatException {
        List<long[]> refs = new ArrayList<>();
        ByteBuffer file = ByteBuffer.wrap(elf.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (ElfSection rel : elf.sections()) {
            if (rel.type() != SHT_REL || !rel.name().startsWith(".rel")) {
                continue;
            }
            Optional<ElfSection> target = elf.section(rel.name().substring(4));
            if (target.isEmpty() || !target.get().allocated() || target.get().noBits()) {
                continue;
            }
            ElfSection sec = target.get();
            if (rel.offset() + rel.size() > file.capacity()) {
                throw new ElfFormatException(elf.name() + ": relocation section " + dev.tinysim.text.Printable.name(rel.name()) + " is outside the file");
            }
            for (long e = 0; e + 8 <= rel.size(); e += 8) {
                long place = file.getInt((int) (rel.offset() + e)) & 0xFFFF_FFFFL;
                int type = file.getInt((int) (rel.offset() + e + 4)) & 0xFF;
                long at = place - sec.address();
                if (at < 0 || at + 4 > sec.size()) {
                    continue;
                }
                int fileAt = (int) (sec.offset() + at);
                long dest = switch (type) {
                    case R_ARM_ABS32, R_ARM_TARGET1 -> (file.getInt(fileAt) & 0xFFFF_FFFFL) & ~1L;
                    case R_ARM_THM_CALL, R_ARM_THM_JUMP24 -> place + 4 + branch24(file.getShort(fileAt), file.getShort(fileAt + 2));
                    case R_ARM_THM_JUMP19 -> place + 4 + branch19(file.getShort(fileAt), file.getShort(fileAt + 2));
                    case R_ARM_THM_JUMP11 -> place + 4 + (((file.getShort(fileAt) & 0x7FF) << 21) >> 20);
                    case R_ARM_THM_JUMP8 -> place + 4 + (((file.getShort(fileAt) & 0xFF) << 24) >> 23);
                    default -> -1;
                };
                if (dest >= 0) {
                    refs.add(new long[] {place, dest & 0xFFFF_FFFFL});
                }
            }
        }
        return refs;
    }

    /**
     * Adds the data no symbol names (string literals, switch tables of loaded sections) as items of their own:
     * each stretch of a section outside the named items is cut at every address a relocation points to, so a
     * string counts only when something that is kept refers to it. Stretches nothing refers to (alignment
     * padding) stay out of the items.
     */
    private static List<Item> withUnnamedData(ElfFile elf, List<Item> named, List<long[]> refs) {
        java.util.TreeSet<Long> targets = new java.util.TreeSet<>();
        for (long[] r : refs) {
            if (indexOf(named, r[1]) < 0) {
                targets.add(r[1]);
            }
        }
        List<Item> all = new ArrayList<>(named);
        for (ElfSection sec : elf.sections()) {
            if (!sec.allocated() || sec.noBits() || sec.size() == 0) {
                continue;
            }
            long end = sec.address() + sec.size();
            for (Long t = targets.ceiling(sec.address()); t != null && t < end; t = targets.higher(t)) {
                long stop = end;
                Long nextTarget = targets.higher(t);
                if (nextTarget != null && nextTarget < stop) {
                    stop = nextTarget;
                }
                int after = firstStartAfter(named, t);
                if (after >= 0 && named.get(after).start() < stop) {
                    stop = named.get(after).start();
                }
                if (stop > t) {
                    all.add(new Item(String.format("<data at 0x%x>", t), t, stop - t, false));
                }
            }
        }
        all.sort((a, b) -> Long.compare(a.start(), b.start()));
        return all;
    }

    private static int firstStartAfter(List<Item> items, long address) {
        int lo = 0, hi = items.size() - 1, found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (items.get(mid).start() > address) {
                found = mid;
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        return found;
    }

    public List<Item> items() {
        return items;
    }

    /** The item a symbol names, or -1. */
    public int indexOf(String symbol) {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).name().equals(symbol)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The items reachable from the roots; a reference whose place lies in item {@code filtered} is followed only
     * when {@code keepSite} accepts the place's address (how a table keeps only some of its entries).
     */
    public BitSet reachable(int filtered, LongPredicate keepSite) {
        BitSet seen = new BitSet(items.size());
        Deque<Integer> work = new ArrayDeque<>();
        for (int r : roots) {
            if (!seen.get(r)) {
                seen.set(r);
                work.push(r);
            }
        }
        while (!work.isEmpty()) {
            int i = work.pop();
            for (Reference ref : out.get(i)) {
                if (i == filtered && !keepSite.test(ref.site())) {
                    continue;
                }
                if (!seen.get(ref.target())) {
                    seen.set(ref.target());
                    work.push(ref.target());
                }
            }
        }
        return seen;
    }

    /**
     * Functions and objects with a size in allocated sections, by address. Aliases at one address and items that
     * overlap (assembly routines entered at several symbols, as libgcc's comparisons) are one item: the linker
     * keeps or drops them together.
     */
    private static List<Item> items(ElfFile elf) {
        List<Item> all = new ArrayList<>();
        for (ElfSymbol s : elf.symbols()) {
            boolean f = s.function();
            if ((f || s.type() == ElfSymbol.STT_OBJECT) && s.size() > 0 && s.sectionIndex() > 0
                    && s.sectionIndex() < 0xFF00) {
                all.add(new Item(s.name(), s.address(), s.size(), f));
            }
        }
        all.sort((a, b) -> a.start() != b.start() ? Long.compare(a.start(), b.start()) : Long.compare(b.size(), a.size()));
        List<Item> merged = new ArrayList<>();
        for (Item it : all) {
            Item last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && it.start() < last.end()) {
                if (it.end() > last.end()) {
                    merged.set(merged.size() - 1, new Item(last.name(), last.start(), it.end() - last.start(),
                            last.function()));
                }
                continue;
            }
            merged.add(it);
        }
        return merged;
    }

    private static void rootAt(List<Item> items, long address, List<Integer> roots) {
        int i = indexOf(items, address);
        if (i >= 0) {
            roots.add(i);
        }
    }

    /** The item containing the address, or -1 (binary search over starts). */
    private static int indexOf(List<Item> items, long address) {
        int lo = 0, hi = items.size() - 1, found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (items.get(mid).start() <= address) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found >= 0 && address < items.get(found).end() ? found : -1;
    }

    /** BL / B.W (T4) offset: S:I1:I2:imm10:imm11:0, I = NOT(J XOR S) (Arm ARM A7.7.12, A7.7.18). */
    private static long branch24(short first, short second) {
        int h1 = first & 0xFFFF, h2 = second & 0xFFFF;
        int s = (h1 >> 10) & 1, imm10 = h1 & 0x3FF, j1 = (h2 >> 13) & 1, j2 = (h2 >> 11) & 1, imm11 = h2 & 0x7FF;
        int i1 = ~(j1 ^ s) & 1, i2 = ~(j2 ^ s) & 1;
        int imm = (s << 24) | (i1 << 23) | (i2 << 22) | (imm10 << 12) | (imm11 << 1);
        return (imm << 7) >> 7;
    }

    /** B<c>.W (T3) offset: S:J2:J1:imm6:imm11:0. */
    private static long branch19(short first, short second) {
        int h1 = first & 0xFFFF, h2 = second & 0xFFFF;
        int s = (h1 >> 10) & 1, imm6 = h1 & 0x3F, j1 = (h2 >> 13) & 1, j2 = (h2 >> 11) & 1, imm11 = h2 & 0x7FF;
        int imm = (s << 20) | (j2 << 19) | (j1 << 18) | (imm6 << 12) | (imm11 << 1);
        return (imm << 11) >> 11;
    }

    @Override
    public String toString() {
        return "ElfReferences" + Arrays.asList(items.size(), roots.size());
    }
}
