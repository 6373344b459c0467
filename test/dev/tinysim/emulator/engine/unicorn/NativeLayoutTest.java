package dev.tinysim.emulator.engine.unicorn;

import dev.tinysim.emulator.engine.NativeConstants;
import dev.tinysim.emulator.engine.NativeConstants.Define;
import dev.tinysim.emulator.engine.NativeConstants.Group;
import dev.tinysim.emulator.engine.NativeCounters;
import dev.tinysim.emulator.engine.NativeCounters.Struct;
import dev.tinysim.support.Toolchain;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The structures and constants the native block hook shares with Java are described once (engine.NativeCounters,
 * engine.NativeConstants): the C header block_hook.c includes is what BlockHookHeader generates from that description
 * now, block_hook.c defines none of them itself, the C compiler lays every field of every struct out where the Java
 * layout says (a probe prints each {@code offsetof} and {@code sizeof}) and reads every constant as Java has it, and
 * the Java classes that use the constants (core.BlockEntry, memory.FlashPath, memory.DataProgram) hold those values.
 */
class NativeLayoutTest {
    private static final Path HEADER = Path.of(BlockHookHeader.PATH);

    @Test
    void committedHeaderIsTheGeneratedOne() throws Exception {
        assertEquals(BlockHookHeader.text(), Files.readString(HEADER),
                "regenerate " + HEADER + " with emulator/dev/tinysim/emulator/engine/unicorn/gen-block-hook.sh --header");
    }

    @Test
    void blockHookIncludesTheGeneratedHeader() throws Exception {
        String c = Files.readString(HEADER.resolveSibling("block_hook.c"));
        assertTrue(c.contains("#include \"block_hook_layout.h\""), "block_hook.c includes block_hook_layout.h");
        for (Struct s : NativeCounters.ALL) {
            assertTrue(!c.contains("struct " + s.name() + " {"), "struct " + s.name() + " is defined only in the generated header");
        }
        for (Define d : defines()) {
            assertTrue(!c.matches("(?s).*#\\s*define\\s+" + d.name() + "\\b.*"), d.name() + " is defined only in the generated header");
        }
    }

    @Test
    void everyDefineIsAFieldOfNativeConstants() throws Exception {
        List<Define> all = defines();
        for (Define d : all) {
            Field f = NativeConstants.class.getField(d.name());
            assertTrue(Modifier.isStatic(f.getModifiers()) && Modifier.isFinal(f.getModifiers()), d.name());
            assertEquals(((Number) f.get(null)).longValue(), d.value(), d.name());
        }
        assertEquals(all.size(), all.stream().map(Define::name).distinct().count(), "names are unique");
        // a few fixed points, so that a change of the description is seen here too
        assertEquals("(1ull << 63)", NativeConstants.ENTRY_BITS.defines().stream().filter(d -> d.name().equals("VALID")).findFirst().orElseThrow().c());
        assertEquals(26, NativeConstants.OP_ACCE);
        assertEquals(64, NativeConstants.D_CACHE);
    }

    /** The Java twins take their values from NativeConstants: a literal that differs there fails here. */
    @Test
    void javaTwinsHoldTheDescribedValues() throws Exception {
        Map<String, List<Group>> twins = new LinkedHashMap<>();
        twins.put("dev.tinysim.emulator.core.BlockEntry", List.of(NativeConstants.ENTRY_BITS));
        twins.put("dev.tinysim.emulator.memory.FlashPath", List.of(NativeConstants.MEMSYS_FLAGS));
        twins.put("dev.tinysim.emulator.memory.DataProgram", List.of(NativeConstants.PROGRAM_OPS, NativeConstants.OP_FIELDS,
                NativeConstants.PROGRAM_LIMITS));
        int checked = 0;
        for (Map.Entry<String, List<Group>> e : twins.entrySet()) {
            Class<?> owner = Class.forName(e.getKey());
            for (Group g : e.getValue()) {
                for (Define d : g.defines()) {
                    Field f = owner.getDeclaredField(d.name());
                    f.setAccessible(true);
                    assertEquals(d.value(), ((Number) f.get(null)).longValue(), e.getKey() + "." + d.name());
                    checked++;
                }
            }
        }
        // the entry's field positions: BlockEntryLayoutTest checks core.BlockEntry.pack puts every field there
        assertEquals(defines().size() - NativeConstants.ENTRY_FIELDS.defines().size(), checked,
                "every other constant has its Java twin checked");
    }

    @Test
    void compilerReadsEveryDefineAsJava() throws Exception {
        Assumptions.assumeTrue(gccAvailable(), "gcc is not installed");
        StringBuilder probe = new StringBuilder("#include <stdio.h>\n#include \"")
                .append(HEADER.toAbsolutePath()).append("\"\nint main(void) {\n");
        List<String> expected = new ArrayList<>();
        for (Define d : defines()) {
            probe.append("  printf(\"%s %llu %zu\\n\", \"").append(d.name()).append("\", (unsigned long long) (")
                    .append(d.name()).append("), sizeof(").append(d.name()).append("));\n");
            boolean entryBit = NativeConstants.ENTRY_BITS.defines().contains(d);
            expected.add(d.name() + " " + Long.toUnsignedString(d.value()) + " " + (entryBit ? 8 : 4));
        }
        probe.append("  return 0;\n}\n");
        assertEquals(expected, List.of(runProbe(probe.toString()).strip().split("\n")));
    }

    @Test
    void javaOffsetsAreTheCompilersOffsets() throws Exception {
        Assumptions.assumeTrue(gccAvailable(), "gcc is not installed");
        StringBuilder probe = new StringBuilder("#include <stddef.h>\n#include <stdio.h>\n#include \"")
                .append(HEADER.toAbsolutePath()).append("\"\nint main(void) {\n");
        Map<String, Long> expected = new LinkedHashMap<>();
        for (Struct s : NativeCounters.ALL) {
            for (NativeCounters.Field f : s.fields()) {
                probe.append("  printf(\"%s %zu\\n\", \"").append(s.name()).append('.').append(f.name())
                        .append("\", offsetof(struct ").append(s.name()).append(", ").append(f.name()).append("));\n");
                expected.put(s.name() + "." + f.name(), s.offset(f.name()));
            }
            probe.append("  printf(\"%s %zu\\n\", \"").append(s.name()).append(".SIZE\", sizeof(struct ").append(s.name()).append("));\n");
            expected.put(s.name() + ".SIZE", s.size());
        }
        probe.append("  return 0;\n}\n");

        Map<String, Long> offsets = new LinkedHashMap<>();
        for (String line : runProbe(probe.toString()).strip().split("\n")) {
            String[] kv = line.split(" ");
            offsets.put(kv[0], Long.parseLong(kv[1]));
        }
        assertEquals(expected, offsets);
        assertTrue(expected.size() > 60, "checked " + expected.size() + " offsets");
        // a few fixed points, so that a change of the description is seen here too
        assertEquals(256, offsets.get("state.SIZE"));
        assertEquals(456, offsets.get("memsys.SIZE"));
        assertEquals(320, offsets.get("memsys.op_stall"));
    }

    private static List<Define> defines() {
        return NativeConstants.ALL.stream().flatMap(g -> g.defines().stream()).toList();
    }

    /** Compiles and runs a C program; returns what it printed. */
    private static String runProbe(String source) throws Exception {
        Path dir = Files.createTempDirectory("tinysim-layout");
        try {
            Files.writeString(dir.resolve("probe.c"), source);
            Toolchain.Output cc = Toolchain.run(List.of("gcc", "-O0", "-w", "-o", dir.resolve("probe").toString(),
                    dir.resolve("probe.c").toString()));
            assertEquals(0, cc.exitCode(), cc.text());
            Toolchain.Output run = Toolchain.run(List.of(dir.resolve("probe").toString()));
            assertEquals(0, run.exitCode(), run.text());
            return run.text();
        } finally {
            for (String f : new String[]{"probe", "probe.c"}) {
                Files.deleteIfExists(dir.resolve(f));
            }
            Files.deleteIfExists(dir);
        }
    }

    private static boolean gccAvailable() {
        try {
            return Toolchain.run(List.of("gcc", "--version")).exitCode() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
