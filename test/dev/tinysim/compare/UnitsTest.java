package dev.tinysim.compare;

import dev.tinysim.failure.Failure;
import dev.tinysim.failure.FailureException;
import dev.tinysim.options.SizeOption;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sizes, budgets, layer matching and CSV quoting. */
class UnitsTest {
    @Test
    void sizesAcceptBytesHexAndBinaryUnits() {
        assertEquals(159_744, SizeOption.parse("--x", "156K"));
        assertEquals(159_744, SizeOption.parse("--x", "0x27000"));
        assertEquals(159_744, SizeOption.parse("--x", "159744"));
        assertEquals(1 << 20, SizeOption.parse("--x", "1M"));
        assertEquals(1 << 20, SizeOption.parse("--x", "1mb"));
        assertEquals(1 << 20, SizeOption.parse("--x", "1MiB"));
        assertEquals(1_572_864, SizeOption.parse("--x", "1.5M"));
        assertEquals(200 * 1024, SizeOption.parse("--x", "200 KB"));
        assertEquals(12, SizeOption.parse("--x", "12B"));
        assertEquals(16 * 1024, SizeOption.parse("--x", "0x10K")); // the board files' style: one grammar for both
        for (String bad : List.of("12Q", "", "K", "-5", "1.3K", "1G", "ten", "0x1.5K", "1.5 0x")) {
            FailureException e = assertThrows(FailureException.class, () -> SizeOption.parse("--max-ram", bad), bad);
            assertEquals(Failure.USAGE, e.kind());
            assertTrue(e.getMessage().startsWith("--max-ram: "), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"));
        }
    }

    @Test
    void budgetsCheckEveryConfigurationAndNameTheOnesOver() {
        Budgets b = Budgets.parse("10", "1K", null);
        Measurement fast = row("a", 5.0, 100);
        Measurement slow = row("b", 12.5, 2000);
        List<Budgets.Check> checks = b.check(List.of(fast, slow));
        assertEquals(2, checks.size());
        assertEquals(List.of(new Budgets.Exceeded("b", 12.5)), checks.get(0).exceeded());
        assertEquals(List.of(new Budgets.Exceeded("b", 2000L)), checks.get(1).exceeded());
        assertEquals(1024L, checks.get(1).limit());
        assertEquals("budget --max-latency-ms 10 exceeded: b takes 12.50 ms (limit 10 ms); "
                + "budget --max-ram 1K exceeded: b uses 2,000 bytes of RAM (limit 1K = 1,024 bytes)", Budgets.message(checks));
        assertNull(Budgets.message(b.check(List.of(fast))));
        assertEquals(12.5, Budgets.parse("12.5ms", null, null).maxLatencyMs());
        assertTrue(!Budgets.NONE.any());
    }

    private static Measurement row(String id, double ms, long ram) {
        return new Measurement(id, id, "int8", "b", true, "r", "hard", "simd", (long) (ms * 64_000), ms, null,
                new Measurement.Flash(1, 1, 2, 10, 0, 10, 8, true),
                new Measurement.Ram(0, ram, 0, 0, false, ram, 10_000, 0, 10_000, 10_000 - ram, true), true, null,
                new Measurement.Result("ok", 0, "ok"), 0, List.of(), 1, 0, null);
    }

    @Test
    void layersMatchByIndexOrAlongTheLongestCommonSubsequence() {
        List<String> f = List.of("CONV_2D", "FULLY_CONNECTED", "SOFTMAX");
        assertEquals("[[0, 0], [1, 1], [2, 2]]", pairs(Layers.match(f, f)));
        List<String> q = List.of("QUANTIZE", "CONV_2D", "FULLY_CONNECTED", "SOFTMAX", "DEQUANTIZE");
        List<int[]> p = Layers.match(f, q);
        assertEquals("[[-1, 0], [0, 1], [1, 2], [2, 3], [-1, 4]]", pairs(p));
        String d = Layers.describe(f, q, p);
        assertTrue(d.startsWith("the models' operator lists differ (3 float32, 5 int8 operators): matched by type in execution order"), d);
        assertTrue(d.endsWith("2 operators are in one model only: QUANTIZE (int8 #0), DEQUANTIZE (int8 #4)"), d);
        // an operator the float graph has and the int8 one fused away
        List<String> f2 = List.of("CONV_2D", "RELU", "FULLY_CONNECTED");
        List<String> q2 = List.of("CONV_2D", "FULLY_CONNECTED");
        assertEquals("[[0, 0], [1, -1], [2, 1]]", pairs(Layers.match(f2, q2)));
    }

    private static String pairs(List<int[]> p) {
        return p.stream().map(java.util.Arrays::toString).toList().toString();
    }

    @Test
    void csvQuotesWhatNeedsQuoting() {
        assertEquals("plain", Csv.quote("plain"));
        assertEquals("\"a,b\"", Csv.quote("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", Csv.quote("say \"hi\""));
        assertEquals("", Csv.quote(null));
    }

    @Test
    void noProgressBarWithoutATerminal() {
        // tests run without a terminal (and the command's stderr is not the process's): the bar is silent
        assertTrue(dev.tinysim.cli.TerminalProgress.create(false) == Progress.NONE);
        assertTrue(dev.tinysim.cli.TerminalProgress.create(true) == Progress.NONE);
    }
}
