package dev.tinysim.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's exit-code table is the ExitCode enum: same codes, same meanings. */
class DocumentationTest {
    @Test
    void readmeExitCodesMatchTheEnum() throws Exception {
        List<String> documented = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (line.matches("\\| \\d+ \\| .* \\|")) {
                String[] cells = line.split("\\|");
                documented.add(cells[1].strip() + " " + cells[2].strip());
            }
        }
        List<String> actual = new ArrayList<>();
        for (ExitCode c : ExitCode.values()) {
            if (c != ExitCode.OK) {
                actual.add(c.code() + " " + c.meaning());
            }
        }
        actual.sort(java.util.Comparator.comparingInt(s -> Integer.parseInt(s.substring(0, s.indexOf(' ')))));
        assertEquals(actual, documented);
    }
}
