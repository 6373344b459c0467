package dev.tinysim.hardening;

import dev.tinysim.bench.SharedModels;
import dev.tinysim.emulator.board.BoardLoader;
import dev.tinysim.support.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Soak: {@code sweep} over shared models × every bundled board × every configuration, twice in one process. Both
 * passes must give the same rows (wall time aside) and the process must not grow from the first pass to the
 * second (no machine, native table or thread left behind). CI size: the two hello_world models; the full size
 * (every shared model) is {@code mvn -o test -Dtest=SoakTest -Dtinysim.soak.full=true} (README, "Reliability").
 */
class SoakTest {

    private static long rssBytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    private static long heapAfterGc() {
        System.gc();
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    /** The CSV without the wall_seconds column (host time differs from run to run). */
    private static List<String> withoutWallTime(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        int wall = List.of(lines.get(0).split(",")).indexOf("wall_seconds");
        assertTrue(wall >= 0, lines.get(0));
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            List<String> cells = cells(line);
            cells.remove(wall);
            out.add(String.join(",", cells));
        }
        return out;
    }

    /** One CSV line's cells, quotes kept: a message or a "measured on" note may hold commas inside quotes. */
    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    @Test
    void twoSweepsGiveTheSameRowsAndTheProcessDoesNotGrow(@TempDir Path dir) throws Exception {
        boolean full = Boolean.getBoolean("tinysim.soak.full");
        List<String> models = new ArrayList<>();
        if (full) {
            for (Path d : List.of(SharedModels.directory(), SharedModels.tflmExamples())) {
                try (Stream<Path> s = Files.list(d)) {
                    s.filter(p -> p.toString().endsWith(".tflite")).sorted().forEach(p -> models.add(p.toString()));
                }
            }
        } else {
            models.add(SharedModels.tflmExample("hello_world_int8.tflite").toString());
            models.add(SharedModels.tflmExample("hello_world_float.tflite").toString());
        }
        String boards = String.join(",", BoardLoader.bundledNames());
        long[] rss = new long[2];
        long[] heap = new long[2];
        List<List<String>> results = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            Path out = dir.resolve("sweep-" + (pass + 1) + ".csv");
            List<String> args = new ArrayList<>(List.of("sweep", "--boards", boards, "-q", "-o", out.toString()));
            args.addAll(models);
            Cli.Result r = Cli.run(args.toArray(String[]::new));
            assertTrue(r.exitCode() == 0 || r.exitCode() == 72, r.err());
            results.add(withoutWallTime(out));
            heap[pass] = heapAfterGc();
            rss[pass] = rssBytes();
        }
        int rows = results.get(0).size() - 1;
        System.out.printf("soak: %d models x %d boards, %d rows per pass; identical: %b; heap after GC %,d -> %,d bytes; "
                        + "RSS %,d -> %,d bytes%n", models.size(), BoardLoader.bundledNames().size(), rows,
                results.get(0).equals(results.get(1)), heap[0], heap[1], rss[0], rss[1]);
        assertTrue(rows >= models.size() * BoardLoader.bundledNames().size(), "rows: " + rows);
        assertEquals(results.get(0), results.get(1), "the second sweep gives the first one's rows");
        assertTrue(heap[1] <= heap[0] + (32L << 20), "heap grew: " + heap[0] + " -> " + heap[1]);
        assertTrue(rss[1] <= rss[0] + (rss[0] / 4) + (64L << 20), "RSS grew: " + rss[0] + " -> " + rss[1]);
    }
}
