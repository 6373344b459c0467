package dev.tinysim.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinysim.support.Cli;
import dev.tinysim.tflite.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tinysim sweep --shard I/N}, {@code --merge} and {@code --resume}: shards of a sweep, merged, are the sweep one
 * machine gives (every column but the wall time); a failing configuration is a row, not a lost sweep; a resumed sweep
 * measures only what is missing.
 */
class SweepShardTest {
    private static final Path MODELS = Path.of("firmware-images", "models");
    private static final Path TFLM = Models.DIR.getParent().resolve("tflm-examples");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WALL = SweepCsv.COLUMNS.indexOf("wall_seconds");

    @TempDir
    Path tmp;

    /** Shared models (int8 and float32), a corrupt one (a failed row per board) and three boards, one without FPU. */
    private List<String> sweep(String... more) throws IOException {
        Path bad = tmp.resolve("corrupt.tflite");
        if (!Files.exists(bad)) {
            Files.write(bad, new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        }
        List<String> args = new ArrayList<>(List.of("sweep", TFLM.resolve("hello_world_int8.tflite").toString(),
                TFLM.resolve("hello_world_float.tflite").toString(), Models.DIR.resolve("kws_ref_model.tflite").toString(),
                bad.toString(), "--boards", "nrf52840,mk20dx256,stm32f411", "--jobs", "2", "-q"));
        args.addAll(List.of(more));
        return args;
    }

    private static Cli.Result run(List<String> args) {
        return Cli.run(args.toArray(String[]::new));
    }

    /** The CSV's records with the wall time blanked (it is the host's, not the emulation's). */
    private static List<List<String>> withoutWallTime(String csv) {
        List<List<String>> records = SweepCsv.records(csv);
        for (List<String> r : records.subList(1, records.size())) {
            r.set(WALL, "");
        }
        return records;
    }

    @Test
    void threeShardsMergedAreTheWholeSweep() throws IOException {
        Path whole = tmp.resolve("whole.csv");
        Cli.Result w = run(sweep("-o", whole.toString()));
        assertEquals(65, w.exitCode(), "the corrupt model's rows fail, the sweep does not: " + w.err());
        List<List<String>> expected = withoutWallTime(Files.readString(whole));
        assertEquals(1 + 3 * 2 + 3 * 2 + (2 + 1 + 2) + 3, expected.size(),
                "hello int8 (2 configs) + kws int8 (2) + hello float (fpu + soft on two FPU boards, soft on mk20dx256) + corrupt (1 per board)");

        List<String> shards = new ArrayList<>();
        Set<Integer> measured = new HashSet<>();
        int kind = SweepCsv.COLUMNS.indexOf("result");
        for (int i = 1; i <= 3; i++) {
            Path out = tmp.resolve("shard" + i + ".csv");
            Cli.Result s = run(sweep("--shard", i + "/3", "-o", out.toString()));
            assertTrue(s.exitCode() == 0 || s.exitCode() == 65, s.err());
            shards.add(out.toString());
            List<List<String>> rows = SweepCsv.records(Files.readString(out));
            assertEquals(expected.size(), rows.size(), "a shard lists every row");
            int mine = 0;
            for (int r = 1; r < rows.size(); r++) {
                if (!rows.get(r).get(kind).equals(Sweep.OTHER_SHARD)) {
                    assertTrue(measured.add(r), "row " + r + " is measured by one shard only");
                    mine++;
                }
            }
            assertTrue(mine >= 3, "shard " + i + " has a fair share: " + mine + " rows");
        }
        assertEquals(expected.size() - 1, measured.size(), "every row is in some shard");

        Path merged = tmp.resolve("all.csv");
        List<String> args = new ArrayList<>(List.of("sweep", "--merge"));
        args.addAll(shards);
        args.addAll(List.of("-o", merged.toString()));
        Cli.Result m = run(args);
        assertEquals(w.exitCode(), m.exitCode(), m.err());
        assertEquals(w.err(), m.err(), "the same first failure");
        assertEquals(expected, withoutWallTime(Files.readString(merged)));

        // the shards in another order merge to the same file; a missing shard is an error naming a row
        Cli.Result reversed = run(List.of("sweep", "--merge", shards.get(2), shards.get(1), shards.get(0)));
        assertEquals(expected, withoutWallTime(reversed.out()));
        Cli.Result missing = run(List.of("sweep", "--merge", shards.get(0), shards.get(2)));
        assertEquals(65, missing.exitCode());
        assertTrue(missing.err().startsWith("tinysim: --merge: row ") && missing.err().contains("a shard is missing"), missing.err());
    }

    @Test
    void jsonShardsMergeIntoTheWholeJsonReport() throws IOException {
        Path whole = tmp.resolve("whole.json");
        run(sweep("--format", "json", "--configs", "int8-simd,float32-soft", "-o", whole.toString()));
        List<String> args = new ArrayList<>(List.of("sweep", "--merge"));
        for (int i = 1; i <= 2; i++) {
            Path out = tmp.resolve("shard" + i + ".json");
            run(sweep("--format", "json", "--configs", "int8-simd,float32-soft", "--shard", i + "/2", "-o", out.toString()));
            args.add(out.toString());
        }
        Cli.Result m = run(args);
        assertEquals(65, m.exitCode(), m.err());
        JsonNode expected = JSON.readTree(Files.readString(whole));
        JsonNode actual = JSON.readTree(m.out());
        for (JsonNode doc : List.of(expected, actual)) {
            for (JsonNode row : doc.get("rows")) {
                ((ObjectNode) row).remove("wallSeconds");
            }
        }
        assertEquals(expected, actual);
        assertTrue(((ArrayNode) actual.get("rows")).get(0).get("operators").size() > 0, "per-operator cycles survive the merge");
    }

    @Test
    void resumeMeasuresOnlyTheMissingRows() throws IOException {
        Path first = tmp.resolve("shard1.csv");
        run(sweep("--shard", "1/2", "-o", first.toString()));
        List<List<String>> shard = SweepCsv.records(Files.readString(first));
        Path resumed = tmp.resolve("resumed.csv");
        Cli.Result r = run(sweep("--resume", first.toString(), "-o", resumed.toString()));
        assertEquals(65, r.exitCode(), r.err());
        List<List<String>> rows = SweepCsv.records(Files.readString(resumed));
        int kind = SweepCsv.COLUMNS.indexOf("result");
        int taken = 0;
        for (int i = 1; i < rows.size(); i++) {
            assertNotEquals(Sweep.OTHER_SHARD, rows.get(i).get(kind), "the resumed sweep is whole");
            if (!shard.get(i).get(kind).equals(Sweep.OTHER_SHARD)) {
                // taken as it was: the very same wall time proves it was not measured again
                assertEquals(shard.get(i), rows.get(i), "row " + i);
                taken++;
            }
        }
        assertTrue(taken > 0);
        Path whole = tmp.resolve("whole.csv");
        run(sweep("-o", whole.toString()));
        assertEquals(withoutWallTime(Files.readString(whole)), withoutWallTime(Files.readString(resumed)));

        // JSON output cannot be resumed from a CSV (the CSV lacks per-operator cycles)
        Cli.Result mixed = run(sweep("--resume", first.toString(), "--format", "json"));
        assertEquals(64, mixed.exitCode());
        assertTrue(mixed.err().contains("--format csv"), mixed.err());
    }

    @Test
    void aCsvReadBackRendersTheSameText() throws IOException {
        Cli.Result r = run(sweep());
        String csv = r.out();
        assertFalse(csv.isEmpty());
        assertEquals(csv, SweepCsv.render(SweepCsv.parse(csv)));
    }

    @Test
    void shardsAreBalancedLongestFirst() {
        // costs 7, 5, 4, 3, 1 on 2 shards: 7→1, 5→2, 4→2 (5 < 7), 3→1 (7 < 9), 1→2 (9 < 10): loads 10 and 10
        List<Sweep.Slot> slots = new ArrayList<>();
        double[] costs = {5, 7, 3, 1, 4};
        for (int i = 0; i < costs.length; i++) {
            slots.add(new Sweep.Slot(i, i, 0, "int8-simd", costs[i], null));
        }
        assertEquals(List.of(1, 2), Sweep.shardRows(slots, new Sweep.Shard(1, 2)));
        assertEquals(List.of(0, 3, 4), Sweep.shardRows(slots, new Sweep.Shard(2, 2)));
        assertEquals(List.of(0, 1, 2, 3, 4), Sweep.shardRows(slots, Sweep.Shard.WHOLE));
        // more shards than rows: one row each, the costliest in shard 1, and empty shards
        assertEquals(List.of(1), Sweep.shardRows(slots, new Sweep.Shard(1, 7)));
        assertEquals(List.of(3), Sweep.shardRows(slots, new Sweep.Shard(5, 7)));
        assertEquals(List.of(), Sweep.shardRows(slots, new Sweep.Shard(7, 7)));
    }

    @Test
    void badShardAndMergeArgumentsAreUsageErrors() throws IOException {
        String model = MODELS.resolve("demo_int8.tflite").toString();
        for (String bad : List.of("0/3", "4/3", "1/0", "3", "a/b", "-1/2", "1/2/3", "")) {
            Cli.Result r = Cli.run("sweep", model, "--shard", bad);
            assertEquals(64, r.exitCode(), bad + ": " + r.err());
            assertTrue(r.err().startsWith("tinysim: --shard: expected I/N"), r.err());
            assertFalse(r.err().contains("\tat "), r.err());
        }
        Path notCsv = Files.writeString(tmp.resolve("x.csv"), "hello\n");
        Cli.Result r = Cli.run("sweep", "--merge", notCsv.toString());
        assertEquals(65, r.exitCode());
        assertTrue(r.err().startsWith("tinysim: " + notCsv + ": not a tinysim sweep output"), r.err());
        r = Cli.run("sweep", "--merge", tmp.resolve("none.csv").toString());
        assertEquals(66, r.exitCode());
        r = Cli.run("sweep", "--merge", notCsv.toString(), "--shard", "1/2");
        assertEquals(64, r.exitCode());
        assertTrue(r.err().contains("--merge takes only"), r.err());
    }
}
