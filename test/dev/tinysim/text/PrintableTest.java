package dev.tinysim.text;

import dev.tinysim.support.Cli;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.TensorType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Names from files never reach the terminal as control characters or raw binary. */
class PrintableTest {

    @Test
    void controlCharactersAndInvalidUtf8AreEscaped() {
        byte[] raw = "a\nb\r\u001b[31mc".getBytes(StandardCharsets.UTF_8);
        assertEquals("a\\x0ab\\x0d\\x1b[31mc", Printable.decode(raw, 0, raw.length));
        byte[] bad = {'x', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, 'y', (byte) 0xC3, (byte) 0xA9};
        assertEquals("x\\xc3(\\xffyé", Printable.decode(bad, 0, bad.length));
        assertEquals("\\x85\\x9b", Printable.escape("\u0085\u009b"));
    }

    @Test
    void longNamesAreCut() {
        String n = Printable.name("x".repeat(5000));
        assertEquals(Printable.NAME_LIMIT + "…(5000 characters)".length(), n.length());
        assertTrue(n.endsWith("…(5000 characters)"));
    }

    /** A tensor name with a newline and an escape sequence, in the error the command prints. */
    @Test
    void errorsAboutHostileNamesStayOnOneLine(@TempDir Path dir) throws Exception {
        ModelBuilder b = new ModelBuilder();
        int in = b.addTensor("in\n\u001b[2Jevil", TensorType.FLOAT16, new int[] {2});
        int out = b.addTensor("out", TensorType.FLOAT16, new int[] {2});
        b.addOperator(BuiltinOperator.RELU, BuiltinOptions.NONE, new int[] {in}, new int[] {out});
        Path model = dir.resolve("hostile.tflite");
        Files.write(model, b.inputs(in).outputs(out).toBytes());
        Cli.Result r = Cli.run("run", "--model", model.toString());
        assertEquals(72, r.exitCode(), r.err());
        assertEquals(1, r.err().split("\n", -1).length - 1, "one line: " + r.err());
        assertFalse(r.err().chars().anyMatch(c -> c < 0x20 && c != '\n'), r.err());
        assertTrue(r.err().contains("in\\x0a\\x1b[2Jevil"), r.err());
    }
}
