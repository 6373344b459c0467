package dev.tinysim.emulator.arch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The machine knows nothing of models, reports or the command line: code under emulator/ may use
 * only its own packages, the JDK, and Jackson (board files). And nothing outside the Unicorn
 * binding sees a Unicorn constant.
 */
class EmulatorIndependenceTest {
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("\\bdev\\.tinysim\\.(\\w+)");

    @Test
    void emulatorImportsOnlyItselfTheJdkAndJackson() throws IOException {
        List<String> violations = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of("emulator"))) {
            files = s.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertTrue(files.size() > 20, "found the emulator sources");
        for (Path f : files) {
            String src = Files.readString(f);
            Matcher m = IMPORT.matcher(src);
            while (m.find()) {
                String imp = m.group(2);
                boolean ok = imp.startsWith("java.") || imp.startsWith("javax.") || imp.startsWith("dev.tinysim.emulator.")
                        || imp.startsWith("com.fasterxml.jackson.");
                if (!ok) {
                    violations.add(f + ": import " + imp);
                }
            }
            Matcher q = QUALIFIED.matcher(src);
            while (q.find()) {
                if (!q.group(1).equals("emulator")) {
                    violations.add(f + ": refers to dev.tinysim." + q.group(1));
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void unicornConstantsStayInsideTheBinding() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> s = Stream.concat(Files.walk(Path.of("emulator")), Files.walk(Path.of("src")))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (f.toString().contains("/engine/unicorn/")) {
                    continue;
                }
                String src = Files.readString(f);
                if (src.matches("(?s).*\\bUC_[A-Z_]+.*") || src.contains("engine.unicorn.UnicornNative")) {
                    violations.add(f.toString());
                }
            }
        }
        assertEquals(List.of(), violations);
    }
}
