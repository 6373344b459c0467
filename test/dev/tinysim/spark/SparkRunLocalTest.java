package dev.tinysim.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinysim.support.Cli;
import dev.tinysim.sweep.SweepCsv;
import dev.tinysim.tflite.Models;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code spark/run-local} (the sweep as an Apache Spark job, in Spark's local mode) gives the rows of {@code tinysim
 * sweep}, every column but the wall time, on shared models × three boards, a corrupt model's failed rows included;
 * its JSON report is the sweep's too (but the
 * version, `jobs` and wall times).
 * The first run builds the job and fetches Spark from Maven Central; the test is skipped only when Maven Central
 * cannot be reached and Spark is not already in the local Maven repository.
 */
class SparkRunLocalTest {
    private static final Path RUN_LOCAL = Path.of("spark", "run-local");
    private static final String SPARK_POM = "org/apache/spark/spark-sql_2.13/4.2.0/spark-sql_2.13-4.2.0.pom";

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 40, unit = TimeUnit.MINUTES)
    void sparkRowsEqualTheSweepsRows() throws Exception {
        Assumptions.assumeTrue(sparkAvailable(), "Maven Central (repo.maven.apache.org) is unreachable and Spark 4.2.0 is not in"
                + " ~/.m2: spark/run-local cannot fetch Spark, so its rows cannot be compared with tinysim sweep's");
        Path corrupt = Files.write(tmp.resolve("corrupt.tflite"), new byte[]{9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6});
        Path tflm = Models.DIR.getParent().resolve("tflm-examples");
        List<String> sweep = List.of(tflm.resolve("hello_world_int8.tflite").toString(), tflm.resolve("hello_world_float.tflite").toString(),
                Models.DIR.resolve("kws_ref_model.tflite").toString(), corrupt.toString(), "--boards", "nrf52840,mk20dx256,stm32f411");

        Path sparkCsv = tmp.resolve("spark.csv");
        List<String> cmd = new ArrayList<>(List.of(RUN_LOCAL.toAbsolutePath().toString()));
        cmd.addAll(sweep);
        cmd.addAll(List.of("--cores", "2", "-o", sparkCsv.toString()));
        Path log = tmp.resolve("run-local.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(35, TimeUnit.MINUTES), "spark/run-local did not finish in 35 minutes");
        String output = Files.readString(log);

        Path localCsv = tmp.resolve("local.csv");
        List<String> args = new ArrayList<>(List.of("sweep"));
        args.addAll(sweep);
        args.addAll(List.of("-q", "-o", localCsv.toString()));
        Cli.Result local = Cli.run(args.toArray(String[]::new));
        assertEquals(65, local.exitCode(), "the corrupt model's rows: " + local.err());
        assertEquals(local.exitCode(), p.exitValue(), "spark/run-local exits as tinysim sweep does:\n" + output);
        assertTrue(output.contains(local.err().strip()), "the same first failure:\n" + output);

        List<List<String>> expected = withoutWallTime(Files.readString(localCsv));
        List<List<String>> actual = withoutWallTime(Files.readString(sparkCsv));
        assertEquals(1 + 6 + 5 + 6 + 3, expected.size());
        assertEquals(expected, actual);

        // JSON: the whole report, per-operator cycles included, is the sweep's (but wall times and `jobs`)
        List<String> two = List.of(tflm.resolve("hello_world_int8.tflite").toString(), tflm.resolve("hello_world_float.tflite").toString(),
                "--boards", "nrf52840,mk20dx256", "--format", "json");
        Path sparkJson = tmp.resolve("spark.json");
        cmd = new ArrayList<>(List.of(RUN_LOCAL.toAbsolutePath().toString()));
        cmd.addAll(two);
        cmd.addAll(List.of("--cores", "2", "-o", sparkJson.toString()));
        p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), Files.readString(log));
        args = new ArrayList<>(List.of("sweep"));
        args.addAll(two);
        args.add("-q");
        Cli.Result localJson = Cli.run(args.toArray(String[]::new));
        assertEquals(0, localJson.exitCode(), localJson.err());
        JsonNode e = comparable(JSON.readTree(localJson.out()));
        JsonNode a = comparable(JSON.readTree(Files.readString(sparkJson)));
        assertEquals(7, e.get("rows").size());
        assertTrue(e.at("/rows/0/operators").size() > 0);
        assertEquals(e, a);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode comparable(JsonNode report) {
        ((ObjectNode) report).remove("jobs");
        // the version: "0.1.0-dev" in these tests (classes, no jar manifest), the release's in the job's jar
        ((ObjectNode) report.get("tool")).remove("version");
        for (JsonNode row : report.get("rows")) {
            ((ObjectNode) row).remove("wallSeconds");
        }
        return report;
    }

    private static List<List<String>> withoutWallTime(String csv) {
        int wall = SweepCsv.COLUMNS.indexOf("wall_seconds");
        List<List<String>> records = SweepCsv.records(csv);
        for (List<String> r : records.subList(1, records.size())) {
            assertTrue(r.get(wall).isEmpty() || Double.parseDouble(r.get(wall)) >= 0, r.toString());
            r.set(wall, "");
        }
        return records;
    }

    /** Spark can be fetched (Maven Central answers) or is already in the local repository. */
    private static boolean sparkAvailable() throws IOException {
        if (Files.exists(Path.of(System.getProperty("user.home"), ".m2", "repository").resolve(SPARK_POM))) {
            return true;
        }
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).build()) {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("https://repo.maven.apache.org/maven2/" + SPARK_POM))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
