package dev.tinysim.emulator.engine.unicorn;

import dev.tinysim.emulator.engine.NativeCounters;
import dev.tinysim.emulator.engine.NativeCounters.Field;
import dev.tinysim.emulator.engine.NativeCounters.Struct;
import dev.tinysim.support.Toolchain;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The structures the native block hook shares with Java are described once (engine.NativeCounters): the C header
 * block_hook.c includes is what BlockHookHeader generates from that description now, and the C compiler lays every
 * field of every struct out where the Java layout says (a probe prints each {@code offsetof} and {@code sizeof}).
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
    }

    @Test
    void javaOffsetsAreTheCompilersOffsets() throws Exception {
        Assumptions.assumeTrue(gccAvailable(), "gcc is not installed");
        StringBuilder probe = new StringBuilder("#include <stddef.h>\n#include <stdio.h>\n#include \"")
                .append(HEADER.toAbsolutePath()).append("\"\nint main(void) {\n");
        Map<String, Long> expected = new LinkedHashMap<>();
        for (Struct s : NativeCounters.ALL) {
            for (Field f : s.fields()) {
                probe.append("  printf(\"%s %zu\\n\", \"").append(s.name()).append('.').append(f.name())
                        .append("\", offsetof(struct ").append(s.name()).append(", ").append(f.name()).append("));\n");
                expected.put(s.name() + "." + f.name(), s.offset(f.name()));
            }
            probe.append("  printf(\"%s %zu\\n\", \"").append(s.name()).append(".SIZE\", sizeof(struct ").append(s.name()).append("));\n");
            expected.put(s.name() + ".SIZE", s.size());
        }
        probe.append("  return 0;\n}\n");

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
            assertEquals(expected, offsets);
            assertTrue(expected.size() > 60, "checked " + expected.size() + " offsets");
            // a few fixed points, so that a change of the description is seen here too
            assertEquals(256, offsets.get("state.SIZE"));
            assertEquals(456, offsets.get("memsys.SIZE"));
            assertEquals(320, offsets.get("memsys.op_stall"));
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
