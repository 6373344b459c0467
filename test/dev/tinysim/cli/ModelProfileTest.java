package dev.tinysim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinysim.support.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code run --model M --profile}: the profile of one inference, grouped per operator, as collapsed stacks. */
class ModelProfileTest {
    private static final String INT8 = "firmware-images/models/demo_int8.tflite";
    private static final String F32 = "firmware-images/models/demo_f32.tflite";
    /** "frame;frame;leaf count": frames without ';', a space and a positive count at the end. */
    private static final Pattern FOLDED = Pattern.compile("[^;\\n]+(;[^;\\n]+)* [1-9][0-9]*");

    private static JsonNode json(String s) throws IOException {
        return new ObjectMapper().readTree(s);
    }

    @Test
    void theCollapsedStacksAddUpToTheInferenceInsideTsInvokeAndTheConsoleNamesTheFile(@TempDir Path dir) throws IOException {
        for (String model : List.of(INT8, F32)) {
            Path folded = dir.resolve(Path.of(model).getFileName() + ".folded");
            Cli.Result r = Cli.run("run", "--model", model, "--profile", "--profile-output", folded.toString());
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("  profile    collapsed stacks (flamegraph.pl, speedscope) written to " + folded + "\n"), r.out());
            List<String> lines = Files.readAllLines(folded);
            assertTrue(lines.size() > 3, lines.toString());
            long sum = 0;
            for (String l : lines) {
                assertTrue(FOLDED.matcher(l).matches(), l);
                assertTrue(l.startsWith("ts_invoke"), l);
                sum += Long.parseLong(l.substring(l.lastIndexOf(' ') + 1));
            }

            Cli.Result j = Cli.run("run", "--model", model, "--profile", "--profile-output", folded.toString(), "--format", "json");
            assertEquals(0, j.exitCode(), j.err());
            JsonNode report = json(j.out());
            JsonNode profile = report.get("profile");
            assertEquals(folded.toString(), profile.get("file").asText());
            assertEquals(sum, profile.get("cycles").asLong(), "the stacks add up to the cycles inside ts_invoke");
            long run = report.at("/runs/0/cycles").asLong();
            assertEquals(run, profile.get("inferenceCycles").asLong());
            // DWT CYCCNT is read by a call before and after ts_invoke: the run's cycles are the profile's and those calls'
            long counterReads = run - sum;
            assertTrue(counterReads > 0 && counterReads < 100, "counter reads " + counterReads);
            assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "  profile    one inference: %,d cycles inside ts_invoke "
                    + "(the run's %,d cycles also count the %,d cycles of the calls reading the cycle counter around it)\n", sum, run,
                    counterReads)), r.out());

            // one frame per operator, in the report's order, each close to (a little under) the report's own cycles
            JsonNode ops = report.get("operators");
            assertEquals(ops.size(), profile.get("operators").size());
            long opSum = 0;
            for (int i = 0; i < ops.size(); i++) {
                JsonNode p = profile.get("operators").get(i);
                String frame = "[op " + i + " " + ops.get(i).get("operator").asText() + "]";
                assertEquals(frame, p.get("frame").asText());
                assertEquals(ops.get(i).get("cycles").asLong(), p.get("reportedCycles").asLong());
                long inFile = lines.stream().filter(l -> l.startsWith("ts_invoke;" + frame + ";"))
                        .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
                assertEquals(inFile, p.get("cycles").asLong(), frame);
                assertTrue(inFile > 0 && inFile < p.get("reportedCycles").asLong(), frame + " " + inFile);
                opSum += inFile;
            }
            long glue = lines.stream().filter(l -> !l.startsWith("ts_invoke;[op "))
                    .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
            assertEquals(sum, opSum + glue);
            assertTrue(lines.contains("ts_invoke;ts_port_cycles " + lines.stream().filter(l -> l.startsWith("ts_invoke;ts_port_cycles "))
                    .findFirst().map(l -> l.substring(l.lastIndexOf(' ') + 1)).orElse("missing")), lines.toString());

            // profiling does not change what is measured
            Cli.Result plain = Cli.run("run", "--model", model, "--format", "json");
            assertEquals(run, json(plain.out()).at("/runs/0/cycles").asLong());
        }
    }

    @Test
    void aFirmwareProfileNamesItsFileToo(@TempDir Path dir) throws IOException {
        Path folded = dir.resolve("selftest.folded");
        Cli.Result r = Cli.run("run", "selftest", "--profile", "--profile-output", folded.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().endsWith("  profile    collapsed stacks (flamegraph.pl, speedscope) written to " + folded + "\n"), r.out());
        Cli.Result j = Cli.run("run", "selftest", "--profile", "--profile-output", folded.toString(), "--format", "json");
        JsonNode report = json(j.out());
        assertEquals(folded.toString(), report.get("profileFile").asText());
        long sum = 0;
        for (String l : Files.readAllLines(folded)) {
            assertTrue(FOLDED.matcher(l).matches(), l);
            sum += Long.parseLong(l.substring(l.lastIndexOf(' ') + 1));
        }
        // the whole firmware run, every cycle
        assertEquals(report.at("/execution/cycles").asLong(), sum);
    }

    @Test
    void aProfileIsOfOneInferenceAndItsOutputNeedsIt(@TempDir Path dir) {
        Cli.Result runs = Cli.run("run", "--model", INT8, "--profile", "--runs", "2", "--profile-output", dir.resolve("x").toString());
        assertEquals(64, runs.exitCode());
        assertEquals("tinysim: --profile profiles one inference: leave out --runs (or give --runs 1)\n", runs.err());
        Cli.Result out = Cli.run("run", "--model", INT8, "--profile-output", dir.resolve("x").toString());
        assertEquals(64, out.exitCode());
        assertEquals("tinysim: --profile-output needs --profile\n", out.err());
        assertTrue(!Files.exists(dir.resolve("x")));
    }
}
