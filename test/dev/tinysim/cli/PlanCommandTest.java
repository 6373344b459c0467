package dev.tinysim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinysim.plan.Graphs;
import dev.tinysim.plan.OfflinePlan;
import dev.tinysim.support.Cli;
import dev.tinysim.tflite.Models;
import dev.tinysim.tflite.TfliteReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tinysim plan} and the fit verdict with tinysim's plan, on x, y → ADD → PAD (Graphs.addThenPad(1000)): TFLite
 * Micro plans 112,000 bytes (x, y, s: 32,000 each; out: 48,000; see PlannerTest for the derivation at 1/1000 scale),
 * 96,000 suffice.
 */
class PlanCommandTest {

    private static Path model(Path dir) throws Exception {
        Path m = dir.resolve("add-pad.tflite");
        Files.write(m, Graphs.addThenPad(1000));
        return m;
    }

    @Test
    void writesTheBestPlanAndTheRuntimeHonoursIt(@TempDir Path dir) throws Exception {
        Path m = model(dir);
        Path out = dir.resolve("planned.tflite");
        Cli.Result r = Cli.run("plan", m.toString(), "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("plan       TFLite Micro's planner: 112,000 bytes; best plan: 96,000 bytes (lower bound 96,000)\n"), r.out());
        assertTrue(r.out().contains("the runtime plans it in 96,000 bytes"), r.out());
        assertTrue(r.out().contains("result     wrote " + out + ": the arena's planned part shrinks from 112,000 to 96,000 bytes (16,000 saved)"),
                r.out());
        byte[] original = Files.readAllBytes(m);
        byte[] planned = Files.readAllBytes(out);
        assertArrayEquals(original, java.util.Arrays.copyOfRange(planned, planned.length - original.length, planned.length));
        long[] offsets = OfflinePlan.read(TfliteReader.read(planned, "planned.tflite")).orElseThrow();
        assertEquals(5, offsets.length);
        assertEquals(-1, offsets[3]); // the constant paddings

        Cli.Result run = Cli.run("run", "--model", out.toString(), "--format", "json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode j = new ObjectMapper().readTree(run.out());
        assertEquals(96_000, j.at("/arena/planned").asLong());
        assertEquals(4, j.at("/arena/offline").asLong());
        assertEquals(96_000, j.at("/arena/bestPlanned").asLong());
        assertEquals(96_000, j.at("/arena/lowerBound").asLong());

        // the reference kernels are int8 kernels: on this float32 graph the option would change nothing, so it is refused
        Cli.Result reference = Cli.run("plan", m.toString(), "-o", out.toString(), "--format", "json", "--kernels", "reference");
        assertEquals(64, reference.exitCode());
        assertEquals("tinysim: --kernels reference chooses the int8 kernels; add-pad.tflite is a float32 model, whose float kernels "
                + "have one variant\n", reference.err());
        Cli.Result json = Cli.run("plan", m.toString(), "-o", out.toString(), "--format", "json");
        assertEquals(0, json.exitCode(), json.err());
        JsonNode p = new ObjectMapper().readTree(json.out());
        assertEquals(112_000, p.at("/arena/planned").asLong());
        assertEquals(96_000, p.at("/arena/bestPlanned").asLong());
        assertEquals(96_000, p.at("/output/planned").asLong());
        assertEquals("simd", p.at("/kernels").asText());
        assertEquals(0, p.at("/memory/peak/operator").asInt());
    }

    @Test
    void aModelThatFitsOnlyWithTinysimsPlanIsSaidSo(@TempDir Path dir) throws Exception {
        Path m = model(dir);
        // 108,544 bytes of RAM left: static + 112,000 planned + persistent + stack does not fit; with 96,000 it does
        Cli.Result fit = Cli.run("fit", m.toString(), "--reserve-ram", "150K", "--format", "json");
        assertEquals(67, fit.exitCode(), fit.err());
        JsonNode j = new ObjectMapper().readTree(fit.out());
        String msg = j.at("/result/message").asText();
        assertTrue(msg.startsWith("add-pad.tflite fits nrf52840 (fpu) with tinysim's plan (tinysim plan), not with TFLite Micro's planner: RAM: "),
                msg);
        assertTrue(msg.contains("arena 96,000 planned instead of 112,000"), msg);
        assertEquals(112_000, j.at("/arena/planned").asLong());
        assertEquals(96_000, j.at("/arena/bestPlanned").asLong());
        assertFalse(j.at("/configurations/0/fits").asBoolean());

        Cli.Result run = Cli.run("run", "--model", m.toString(), "--reserve-ram", "150K");
        assertEquals(67, run.exitCode());
        assertTrue(run.out().contains("fit        fits nrf52840 with tinysim's plan (tinysim plan: RAM "), run.out());
        assertTrue(run.resultLine().contains("; fits with tinysim's plan (tinysim plan: RAM "), run.resultLine());

        Path out = dir.resolve("planned.tflite");
        assertEquals(0, Cli.run("plan", m.toString(), "-o", out.toString()).exitCode());
        Cli.Result again = Cli.run("fit", out.toString(), "--reserve-ram", "150K");
        assertEquals(0, again.exitCode(), again.out());
    }

    @Test
    void badInputIsOneLineAndItsExitCode(@TempDir Path dir) throws Exception {
        Path m = model(dir);
        Cli.Result noOutput = Cli.run("plan", m.toString());
        assertEquals(64, noOutput.exitCode());
        assertTrue(noOutput.err().startsWith("tinysim: Missing required option: '--output=OUT.tflite'"), noOutput.err());

        Cli.Result same = Cli.run("plan", m.toString(), "-o", m.toString());
        assertEquals(64, same.exitCode());
        assertEquals("tinysim: -o " + m + ": the output must not be the model itself\n", same.err());

        Cli.Result missing = Cli.run("plan", dir.resolve("nope.tflite").toString(), "-o", dir.resolve("o.tflite").toString());
        assertEquals(66, missing.exitCode());
        assertEquals("tinysim: " + dir.resolve("nope.tflite") + ": no such file\n", missing.err());

        Path corrupt = dir.resolve("corrupt.tflite");
        Files.write(corrupt, java.util.Arrays.copyOf(Files.readAllBytes(m), 100));
        Cli.Result bad = Cli.run("plan", corrupt.toString(), "-o", dir.resolve("o.tflite").toString());
        assertEquals(65, bad.exitCode());
        assertTrue(bad.err().startsWith("tinysim: corrupt.tflite: ") && bad.err().split("\n").length == 1, bad.err());

        Path bm = dir.resolve("lsh.tflite");
        Files.write(bm, Models.unsupportedOperatorModel());
        Cli.Result unsupported = Cli.run("plan", bm.toString(), "-o", dir.resolve("o.tflite").toString());
        assertEquals(72, unsupported.exitCode());

        Cli.Result unwritable = Cli.run("plan", m.toString(), "-o", dir.resolve("no/such/dir/o.tflite").toString());
        assertEquals(73, unwritable.exitCode(), unwritable.err());
        assertFalse(Files.exists(dir.resolve("o.tflite")));
    }
}
