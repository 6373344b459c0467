package dev.tinysim.html;

import dev.tinysim.boards.Boards;
import dev.tinysim.compare.Budgets;
import dev.tinysim.compare.CompareReport;
import dev.tinysim.compare.Comparison;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.timing.TimingModels;
import dev.tinysim.tflite.Models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Comparisons the HTML tests render (each computed once per JVM), and where the tests put their files. */
final class Reports {
    static final Path DEMO_FLOAT = Path.of("firmware-images", "models", "demo_f32.tflite");
    static final Path DEMO_INT8 = Path.of("firmware-images", "models", "demo_int8.tflite");
    static final Path AD01_FLOAT = Models.DIR.resolve("ad01_fp32.tflite");
    static final Path AD01_INT8 = Models.DIR.resolve("ad01_int8.tflite");

    private static final Map<String, CompareReport> CACHE = new ConcurrentHashMap<>();

    private Reports() {
    }

    /** The demo pair on the nRF52840: every configuration fits. */
    static CompareReport demo() {
        return compare(DEMO_FLOAT, DEMO_INT8, "nrf52840", Budgets.NONE);
    }

    /** The MLPerf Tiny anomaly-detection pair: float32 (1.07 MB) does not fit the nRF52840's 1 MB of flash. */
    static CompareReport ad01() {
        return compare(AD01_FLOAT, AD01_INT8, "nrf52840", Budgets.NONE);
    }

    static CompareReport compare(Path f, Path q, String boardName, Budgets budgets) {
        return CACHE.computeIfAbsent(f + "|" + q + "|" + boardName + "|" + budgets, k -> {
            try {
                Board board = Boards.load(boardName, false);
                Board noFpu = Boards.load(boardName, true);
                return Comparison.run(new Comparison.Request(
                        new Comparison.ModelFile(f.getFileName().toString(), Files.readAllBytes(f)),
                        new Comparison.ModelFile(q.getFileName().toString(), Files.readAllBytes(q)),
                        board, noFpu, null, 10, 1, TimingModels.defaultName(), budgets, null));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (dev.tinysim.emulator.board.BoardException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** {@code <build dir>/html-report}: screenshots and pages the tests leave for people to look at (not in git). */
    static Path outputDir() {
        try {
            Path classes = Path.of(Reports.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = classes.getParent().resolve("html-report");
            Files.createDirectories(dir);
            return dir;
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
