package dev.tinysim.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinysim.support.Cli;
import dev.tinysim.tflite.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tinysim sweep --timeout SECONDS}: each configuration's firmware run has the wall-clock limit on its own; one that
 * passes it becomes a failed row of kind {@code timeout} (exit code 94), and the sweep exits with the first failed row's
 * code, as for any failed configuration.
 */
class SweepTimeoutTest {
    private static final Path KWS_INT8 = Models.DIR.resolve("kws_ref_model.tflite");
    private static final Path DEMO_INT8 = Path.of("firmware-images", "models", "demo_int8.tflite");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STOPPED = "timeout: the run took more than 0\\.001 s of wall-clock time; stopped at 0x[0-9a-f]{8} "
            + "\\([^\\n]*\\) \\(raise --timeout if this is expected\\)";

    @TempDir
    Path tmp;

    @Test
    void aConfigurationOverItsTimeoutIsAFailedTimeoutRow() throws Exception {
        Path out = tmp.resolve("sweep.json");
        Cli.Result r = Cli.run("sweep", KWS_INT8.toString(), "--timeout", "0.001", "--format", "json", "-o", out.toString());
        assertEquals(94, r.exitCode(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().matches("tinysim: 2 of 2 configurations failed; first: kws_ref_model\\.tflite int8-simd on nrf52840: "
                + STOPPED + "\n"), r.err());
        JsonNode j = JSON.readTree(Files.readString(out));
        assertEquals("failed", j.at("/result/kind").asText());
        assertEquals(94, j.at("/result/exitCode").asInt());
        List<String> configurations = List.of("int8-simd", "int8-reference");
        assertEquals(2, j.get("rows").size());
        for (int i = 0; i < 2; i++) {
            JsonNode row = j.at("/rows/" + i);
            assertEquals(configurations.get(i), row.get("configuration").asText());
            assertEquals("timeout", row.at("/result/kind").asText());
            assertEquals(94, row.at("/result/exitCode").asInt());
            assertTrue(row.at("/result/message").asText().matches(STOPPED), row.toString());
            assertTrue(row.get("cycles").isNull(), "a run that was stopped has no cycles: " + row);
        }
    }

    @Test
    void theCsvRowSaysTimeoutAndItsExitCode() {
        Cli.Result r = Cli.run("sweep", KWS_INT8.toString(), "--configs", "int8-simd", "--timeout", "0.001");
        assertEquals(94, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.out());
        String row = lines.get(1);
        assertTrue(row.startsWith("kws_ref_model.tflite," + KWS_INT8 + ",int8,"), row);
        assertTrue(row.matches(".*,timeout,94," + STOPPED), row);
    }

    @Test
    void aTimeoutNotReachedChangesNoFigure() throws Exception {
        Cli.Result without = Cli.run("sweep", DEMO_INT8.toString(), "--format", "json");
        Cli.Result with = Cli.run("sweep", DEMO_INT8.toString(), "--format", "json", "--timeout", "600");
        assertEquals(0, without.exitCode(), without.err());
        assertEquals(0, with.exitCode(), with.err());
        JsonNode a = JSON.readTree(without.out());
        JsonNode b = JSON.readTree(with.out());
        assertEquals(a.get("result"), b.get("result"));
        assertEquals(2, b.get("rows").size());
        for (int i = 0; i < 2; i++) {
            com.fasterxml.jackson.databind.node.ObjectNode x = (com.fasterxml.jackson.databind.node.ObjectNode) a.at("/rows/" + i);
            com.fasterxml.jackson.databind.node.ObjectNode y = (com.fasterxml.jackson.databind.node.ObjectNode) b.at("/rows/" + i);
            assertEquals("ok", y.at("/result/kind").asText());
            x.remove("wallSeconds");
            y.remove("wallSeconds");
            assertEquals(x, y);
        }
    }

    @Test
    void badTimeoutsAreUsageErrors() {
        Cli.Result zero = Cli.run("sweep", DEMO_INT8.toString(), "--timeout", "-1");
        assertEquals(64, zero.exitCode());
        assertEquals("tinysim: --timeout must be a number of seconds above 0 and at most 1000000 (got -1.0)\n", zero.err());
        Cli.Result merge = Cli.run("sweep", "--merge", "a.csv", "b.csv", "--timeout", "5");
        assertEquals(64, merge.exitCode());
        assertEquals("tinysim: --merge takes only the shards' outputs (and -o, --format)\n", merge.err());
    }
}
