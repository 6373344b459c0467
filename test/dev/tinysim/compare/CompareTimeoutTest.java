package dev.tinysim.compare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tinysim.support.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tinysim compare --timeout SECONDS}: each configuration's firmware run has the wall-clock limit on its own; one
 * that passes it is a row with result {@code timeout}, the others go on, and the comparison exits 94 naming it.
 */
class CompareTimeoutTest {
    private static final List<String> KWS_ROWS = List.of("int8-simd", "int8-reference", "hybrid-fpu", "hybrid-soft");
    /** The message of a run stopped by a 1 ms limit (where it stopped varies with the host). */
    private static final String STOPPED = "timeout: the run took more than 0\\.001 s of wall-clock time; stopped at 0x[0-9a-f]{8} "
            + "\\([^\\n]*\\) \\(raise --timeout if this is expected\\)";

    @TempDir
    Path tmp;

    @Test
    void aConfigurationOverItsTimeoutIsATimeoutRowAndExit94() {
        // one KWS inference is millions of emulated cycles: 1 ms of wall-clock time never covers it
        Path out = tmp.resolve("compare.json");
        Cli.Result r = Cli.run("compare", "--float", Fixtures.KWS_FLOAT.toString(), "--int8", Fixtures.KWS_INT8.toString(),
                "--timeout", "0.001", "--format", "json", "-o", out.toString());
        assertEquals(94, r.exitCode(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().matches("tinysim: int8-simd: " + STOPPED + "\n"), r.err());
        JsonNode j = Fixtures.json(out);
        assertEquals("failed", j.at("/result/kind").asText());
        assertEquals(94, j.at("/result/exitCode").asInt());
        assertEquals(4, j.get("configurations").size());
        for (int i = 0; i < 4; i++) {
            JsonNode c = j.at("/configurations/" + i);
            assertEquals(KWS_ROWS.get(i), c.get("id").asText());
            assertEquals("timeout", c.at("/result/kind").asText(), c.toString());
            assertEquals(94, c.at("/result/exitCode").asInt());
            assertTrue(c.at("/result/message").asText().matches(STOPPED), c.at("/result/message").asText());
        }
    }

    @Test
    void theTextReportEndsWithTheTimedOutConfiguration() {
        Cli.Result r = Cli.run("compare", "--float", Fixtures.KWS_FLOAT.toString(), "--int8", Fixtures.KWS_INT8.toString(),
                "--timeout", "0.001", "--device-samples", "0");
        assertEquals(94, r.exitCode(), r.err());
        assertEquals("", r.err(), "text on stdout: the result line says it");
        String last = r.out().lines().filter(l -> l.startsWith("result: ")).findFirst().orElseThrow();
        assertTrue(last.matches("result: int8-simd: " + STOPPED), last);
    }

    @Test
    void aTimeoutNotReachedChangesNothing() {
        String f = Fixtures.DEMO_FLOAT.toString();
        String q = Fixtures.DEMO_INT8.toString();
        Cli.Result without = Fixtures.cached("compare", "--float", f, "--int8", q, "--format", "json");
        Cli.Result with = Cli.run("compare", "--float", f, "--int8", q, "--format", "json", "--timeout", "600");
        assertEquals(0, without.exitCode(), without.err());
        assertEquals(0, with.exitCode(), with.err());
        assertEquals("", with.err());
        JsonNode a = Fixtures.json(without.out());
        JsonNode b = Fixtures.json(with.out());
        assertEquals(a.get("result"), b.get("result"));
        assertEquals(a.get("accuracy"), b.get("accuracy"));
        for (int i = 0; i < a.get("configurations").size(); i++) {
            JsonNode x = a.at("/configurations/" + i);
            JsonNode y = b.at("/configurations/" + i);
            assertEquals(x.get("id"), y.get("id"));
            assertEquals(x.get("cycles"), y.get("cycles"));
            assertEquals(x.get("result"), y.get("result"));
            assertTrue(y.get("cycles").asLong() > 0);
        }
    }

    @Test
    void aTimeoutThatIsNotAboveZeroIsAUsageError() {
        Cli.Result r = Cli.run("compare", "--float", Fixtures.KWS_FLOAT.toString(), "--int8", Fixtures.KWS_INT8.toString(),
                "--timeout", "0");
        assertEquals(64, r.exitCode());
        assertEquals("", r.out());
        assertEquals("tinysim: --timeout must be a number of seconds above 0 and at most 1000000 (got 0.0)\n", r.err());
    }
}
