package dev.tinysim.differential;

import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.tflite.BuiltinOperator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The C runtime and the Java reference are twins: the firmware's operator table
 * (firmware-images/runtime/ts_op_table.c) lists exactly the operators the reference supports, and the
 * differential test generates models for every one of them.
 */
class OperatorCoverageTest {

    private static final Path TABLE = Path.of("firmware-images/runtime/ts_op_table.c");

    static Set<BuiltinOperator> firmwareOperators() throws IOException {
        String src = Files.readString(TABLE);
        Set<BuiltinOperator> ops = EnumSet.noneOf(BuiltinOperator.class);
        Matcher m = Pattern.compile("\\{\\s*TFL_OP_(\\w+)\\s*,").matcher(src);
        while (m.find()) {
            ops.add(BuiltinOperator.valueOf(m.group(1)));
        }
        return ops;
    }

    @Test
    void firmwareTableAndReferenceSupportTheSameOperators() throws IOException {
        assertEquals(new TreeSet<>(ReferenceInterpreter.supportedOperators()), new TreeSet<>(firmwareOperators()));
    }

    @Test
    void everySupportedOperatorIsInTheDifferentialTest() {
        Set<BuiltinOperator> generated = EnumSet.noneOf(BuiltinOperator.class);
        for (OperatorCases family : Families.ALL) {
            for (Variant v : family.variants()) {
                generated.add(v.op());
            }
        }
        assertEquals(new TreeSet<>(ReferenceInterpreter.supportedOperators()), new TreeSet<>(generated),
                "operators the runtime supports but no differential family generates (or the reverse)");
    }
}
