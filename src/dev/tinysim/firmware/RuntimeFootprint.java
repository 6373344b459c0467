package dev.tinysim.firmware;

import dev.tinysim.elf.ElfFile;
import dev.tinysim.elf.ElfFormatException;
import dev.tinysim.elf.ElfReferences;
import dev.tinysim.elf.ElfSection;
import dev.tinysim.elf.ElfSymbol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.BitSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The inference runtime's flash as a deployment that registers only the model's operators links it: the
 * bundled runtime holds every operator tinysim supports, but an application built with TFLite Micro's
 * {@code MicroMutableOpResolver} (or this runtime with a shorter operator table) keeps only the code and
 * constant data its operators reach, {@code --gc-sections} dropping the rest. Computed from the image's own
 * relocations ({@link ElfReferences}) with the operator table ({@value #TABLE}, ts_op_table.c: entries of
 * {code, prepare, eval}) cut to the model's operators; {@code FootprintMatchesLinkerTest} links such builds
 * and compares.
 */
public final class RuntimeFootprint {

    /** The runtime's operator table symbol and the size of one entry (int32 code, two function pointers). */
    public static final String TABLE = "ops";
    private static final int ENTRY_BYTES = 12;

    /**
     * Keyed by the image's bytes, not by the ElfFile: every run reads its image afresh, so an identity key never
     * hit and kept one analysis per run alive (the full soak's heap grew by 93 MB between two identical sweeps).
     * The key set is the distinct runtime images a process has seen, a handful.
     */
    private static final Map<ByteBuffer, Optional<Analysis>> CACHE = new ConcurrentHashMap<>();

    private RuntimeFootprint() {
    }

    private record Analysis(ElfReferences refs, int table, long tableStart, int[] codes, long[] flashSizes) {
    }

    /**
     * The flash bytes a build of this runtime with only {@code operatorCodes} in its operator table would take:
     * the functions and constant objects those operators (and the runtime's core) reach, plus the bytes no
     * symbol covers (alignment, merged strings) in the same proportion. {@code imageFlashBytes} (the whole image's
     * flash) when the image has no relocations or no operator table: then nothing can be said.
     */
    public static long linkedBytes(ElfFile runtime, long imageFlashBytes, Set<Integer> operatorCodes) {
        Optional<Analysis> a = analysis(runtime);
        if (a.isEmpty()) {
            return imageFlashBytes;
        }
        long all = 0;
        for (long size : a.get().flashSizes()) {
            all += size;
        }
        long unused = unusedItemBytes(a.get(), operatorCodes);
        long reached = all - unused;
        long uncovered = Math.max(0, imageFlashBytes - all);
        return all == 0 ? imageFlashBytes : reached + Math.round((double) uncovered * reached / all);
    }

    /** The operators (BuiltinOperator codes) the runtime's table lists; empty without a table. */
    public static Set<Integer> operators(ElfFile runtime) {
        Optional<Analysis> a = analysis(runtime);
        Set<Integer> out = new java.util.TreeSet<>();
        a.ifPresent(an -> java.util.Arrays.stream(an.codes()).forEach(out::add));
        return out;
    }

    private static Optional<Analysis> analysis(ElfFile runtime) {
        return CACHE.computeIfAbsent(ByteBuffer.wrap(runtime.bytes()), key -> analyse(runtime));
    }

    private static long unusedItemBytes(Analysis an, Set<Integer> operatorCodes) {
        BitSet reached = an.refs().reachable(an.table(), site -> {
            int entry = (int) ((site - an.tableStart()) / ENTRY_BYTES);
            return entry >= 0 && entry < an.codes().length && operatorCodes.contains(an.codes()[entry]);
        });
        long unused = 0;
        for (int i = 0; i < an.flashSizes().length; i++) {
            if (!reached.get(i)) {
                unused += an.flashSizes()[i];
            }
        }
        // the table itself holds only the registered operators' entries
        for (int code : an.codes()) {
            if (!operatorCodes.contains(code)) {
                unused += ENTRY_BYTES;
            }
        }
        return unused;
    }

    private static Optional<Analysis> analyse(ElfFile elf) {
        try {
            if (!ElfReferences.available(elf)) {
                return Optional.empty();
            }
            Optional<ElfSymbol> table = elf.symbol(TABLE);
            if (table.isEmpty() || table.get().size() % ENTRY_BYTES != 0) {
                return Optional.empty();
            }
            ElfReferences refs = ElfReferences.of(elf, "vector_table");
            int index = refs.indexOf(TABLE);
            if (index < 0) {
                return Optional.empty();
            }
            long start = table.get().address();
            int n = (int) (table.get().size() / ENTRY_BYTES);
            int[] codes = new int[n];
            ElfSection sec = containing(elf, start).orElse(null);
            if (sec == null || sec.noBits()) {
                return Optional.empty();
            }
            ByteBuffer b = ByteBuffer.wrap(elf.sectionBytes(sec)).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < n; k++) {
                codes[k] = b.getInt((int) (start - sec.address()) + k * ENTRY_BYTES);
            }
            long[] flash = new long[refs.items().size()];
            for (int i = 0; i < flash.length; i++) {
                ElfReferences.Item it = refs.items().get(i);
                Optional<ElfSection> s = containing(elf, it.start());
                // code and constant data live in flash; writable data (RAM) is not counted here
                flash[i] = s.isPresent() && !s.get().writable() && !s.get().noBits() ? it.size() : 0;
            }
            return Optional.of(new Analysis(refs, index, start, codes, flash));
        } catch (ElfFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<ElfSection> containing(ElfFile elf, long address) {
        for (ElfSection s : elf.sections()) {
            if (s.allocated() && address >= s.address() && address < s.address() + s.size()) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
