package dev.tinysim.differential;

import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.tflite.BuiltinOperator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's operator × type table is {@link OperatorTable#markdown()}, generated from the operator table and the
 * differential test's variants, so it cannot drift: after adding an operator or a type, run
 * {@code mvn -q -o test -Dtest=OperatorTableTest -Dtinysim.readme.update=true} and commit the README.
 */
class OperatorTableTest {

    private static final Path README = Path.of("README.md");

    @Test
    void theReadmeTableIsTheGeneratedOne() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int begin = readme.indexOf(OperatorTable.BEGIN);
        int end = readme.indexOf(OperatorTable.END);
        assertTrue(begin >= 0 && end > begin, "README.md has no generated operator table (markers "
                + OperatorTable.BEGIN + " ... " + OperatorTable.END + ")");
        String current = readme.substring(begin, end + OperatorTable.END.length() + 1);
        String generated = OperatorTable.markdown();
        if (Boolean.getBoolean("tinysim.readme.update") && !current.equals(generated)) {
            Files.writeString(README, readme.substring(0, begin) + generated + readme.substring(end + OperatorTable.END.length() + 1),
                    StandardCharsets.UTF_8);
            return;
        }
        assertEquals(generated, current, "README.md's operator table is stale: run mvn -q -o test -Dtest=OperatorTableTest "
                + "-Dtinysim.readme.update=true");
    }

    @Test
    void everySupportedOperatorHasARowWithATestedType() {
        Map<BuiltinOperator, Set<String>> tested = OperatorTable.tested();
        String table = OperatorTable.markdown();
        for (BuiltinOperator op : ReferenceInterpreter.supportedOperators()) {
            assertTrue(table.contains("\n| " + op.name() + " | "), op + " has no row");
            assertTrue(!tested.getOrDefault(op, Set.of()).isEmpty(), op + ": no differential variant, so no type in the table");
        }
        assertTrue(table.contains("LSH_PROJECTION"), "an unsupported operator is listed as refused");
        assertTrue(!table.contains(", CONV_2D,"), "a supported operator is not listed as refused");
    }
}
