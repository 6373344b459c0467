package dev.tinysim.emulator.engine.unicorn;

import dev.tinysim.support.Toolchain;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The structures the native block hook shares with Java (block_hook.c's {@code struct state}, {@code struct region},
 * {@code struct memsys}, {@code struct cache}) have the offsets the Java side writes at (core.AccountingState,
 * memory.FlashPath): every field of each struct, read from the C source, is compiled into a probe that prints its
 * {@code offsetof}, and the Java constant of the same name must be that number.
 */
class NativeLayoutTest {
    private static final Path SOURCE = Path.of("emulator/dev/tinysim/emulator/engine/unicorn/block_hook.c");
    private static final Pattern STRUCT = Pattern.compile("(?ms)^struct (\\w+) \\{\\n(.*?)^\\};");

    @Test
    void javaOffsetsAreTheCompilersOffsets() throws Exception {
        Assumptions.assumeTrue(gccAvailable(), "gcc is not installed");
        String c = Files.readString(SOURCE);
        Map<String, List<String>> fields = structs(c);
        // C struct -> (Java class, prefix of its constants); the C name of a field, upper-cased, is the constant's name
        Map<String, String[]> twins = new LinkedHashMap<>();
        twins.put("state", new String[]{"dev.tinysim.emulator.core.AccountingState", ""});
        twins.put("memsys", new String[]{"dev.tinysim.emulator.memory.FlashPath", ""});
        twins.put("cache", new String[]{"dev.tinysim.emulator.memory.FlashPath", "C_"});
        Map<String, String> renamed = Map.of("state.ms", "MEMSYS");

        StringBuilder probe = new StringBuilder("#include <stddef.h>\n#include <stdio.h>\n#include \"")
                .append(SOURCE.toAbsolutePath()).append("\"\nint main(void) {\n");
        List<String[]> expected = new ArrayList<>();   // {struct.field, class, constant}
        for (Map.Entry<String, String[]> t : twins.entrySet()) {
            String struct = t.getKey();
            assertTrue(fields.containsKey(struct), "struct " + struct + " in " + SOURCE);
            for (String f : fields.get(struct)) {
                String constant = renamed.getOrDefault(struct + "." + f, t.getValue()[1] + f.toUpperCase(Locale.ROOT));
                probe.append("  printf(\"%s %zu\\n\", \"").append(struct).append('.').append(f).append("\", offsetof(struct ")
                        .append(struct).append(", ").append(f).append("));\n");
                expected.add(new String[]{struct + "." + f, t.getValue()[0], constant});
            }
            probe.append("  printf(\"%s %zu\\n\", \"").append(struct).append(".SIZE\", sizeof(struct ").append(struct).append("));\n");
            expected.add(new String[]{struct + ".SIZE", t.getValue()[0], t.getValue()[1] + "SIZE"});
        }
        probe.append("  printf(\"%s %zu\\n\", \"region.SIZE\", sizeof(struct region));\n  return 0;\n}\n");
        expected.add(new String[]{"region.SIZE", "dev.tinysim.emulator.core.AccountingState", "REGION_SIZE"});

        Path dir = Files.createTempDirectory("tinysim-layout");
        try {
            Files.writeString(dir.resolve("probe.c"), probe);
            Toolchain.Output cc = Toolchain.run(List.of("gcc", "-O0", "-w", "-o", dir.resolve("probe").toString(),
                    dir.resolve("probe.c").toString()));
            assertEquals(0, cc.exitCode(), cc.text());
            Toolchain.Output run = Toolchain.run(List.of(dir.resolve("probe").toString()));
            assertEquals(0, run.exitCode(), run.text());
            Map<String, Long> offsets = new LinkedHashMap<>();
            for (String line : run.text().strip().split("\n")) {
                String[] kv = line.split(" ");
                offsets.put(kv[0], Long.parseLong(kv[1]));
            }
            List<String> wrong = new ArrayList<>();
            for (String[] e : expected) {
                long java = constant(e[1], e[2]);
                if (java != offsets.get(e[0])) {
                    wrong.add(e[0] + ": C " + offsets.get(e[0]) + ", " + e[1].substring(e[1].lastIndexOf('.') + 1) + "." + e[2] + " " + java);
                }
            }
            assertEquals(List.of(), wrong);
            assertTrue(expected.size() > 50, "checked " + expected.size() + " offsets");
        } finally {
            for (String f : new String[]{"probe", "probe.c"}) {
                Files.deleteIfExists(dir.resolve(f));
            }
            Files.deleteIfExists(dir);
        }
    }

    /** Field names of every {@code struct name { ... };} at the start of a line, in order. */
    private static Map<String, List<String>> structs(String c) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Matcher m = STRUCT.matcher(c);
        while (m.find()) {
            List<String> names = new ArrayList<>();
            for (String line : m.group(2).split("\n")) {
                String d = line.replaceAll("/\\*.*?\\*/", "").strip();
                if (d.isEmpty()) {
                    continue;
                }
                d = d.substring(0, d.lastIndexOf(';'));
                Matcher fp = Pattern.compile("\\(\\*(\\w+)\\)").matcher(d);
                if (fp.find()) {
                    names.add(fp.group(1));   // a function pointer
                    continue;
                }
                d = d.replaceFirst("^(?:struct\\s+\\w+|\\w+)\\s*", "");
                for (String declarator : d.split(",")) {
                    names.add(declarator.replaceAll("[*\\s]", "").replaceAll("\\[.*", ""));
                }
            }
            out.put(m.group(1), names);
        }
        return out;
    }

    private static long constant(String className, String name) throws Exception {
        Field f = Class.forName(className).getDeclaredField(name);
        f.setAccessible(true);
        return ((Number) f.get(null)).longValue();
    }

    private static boolean gccAvailable() {
        try {
            return Toolchain.run(List.of("gcc", "--version")).exitCode() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
