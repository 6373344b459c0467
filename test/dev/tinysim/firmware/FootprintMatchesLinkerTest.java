package dev.tinysim.firmware;

import dev.tinysim.elf.ElfFile;
import dev.tinysim.support.Toolchain;
import dev.tinysim.tflite.BuiltinOperator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RuntimeFootprint} against the linker: the runtime is rebuilt with its operator table cut to a model's
 * operators (what an application registering only those does) and its flash (text + data, arm-none-eabi-size)
 * compared with the footprint computed from the bundled image. Measured when written: 0.0 % to 1.2 % apart (the
 * linker keeps whole input sections of libgcc, where the footprint counts its functions one by one).
 */
class FootprintMatchesLinkerTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "m4f; CONV_2D DEPTHWISE_CONV_2D AVERAGE_POOL_2D FULLY_CONNECTED RESHAPE SOFTMAX QUANTIZE",
            "m4; CONV_2D DEPTHWISE_CONV_2D AVERAGE_POOL_2D FULLY_CONNECTED RESHAPE SOFTMAX QUANTIZE",
            "m4f; ADD",
            "m4f; SVDF FULLY_CONNECTED QUANTIZE SOFTMAX",
            "m4; UNIDIRECTIONAL_SEQUENCE_LSTM FULLY_CONNECTED RESHAPE SOFTMAX LOGISTIC"})
    void footprintOfAModelsOperatorsIsWhatTheLinkerKeeps(String variant, String operators, @TempDir Path dir)
            throws Exception {
        Assumptions.assumeTrue(Toolchain.available(), "arm-none-eabi-gcc is not installed");
        Set<String> keep = Arrays.stream(operators.split(" ")).collect(Collectors.toSet());
        Path tree = copyFirmwareSources(dir, keep);
        Path elf = tree.resolve("out/runtime-" + variant + ".elf");
        Toolchain.Output make = Toolchain.run(List.of("make", "-C", tree.toString(), "OUT=out", "out/runtime-" + variant + ".elf"));
        assertEquals(0, make.exitCode(), make.text());
        long linked = flash(elf);

        ElfFile bundled = ElfFile.read(Path.of("firmware-images/prebuilt/runtime-" + variant + ".elf"));
        Set<Integer> codes = keep.stream().map(n -> BuiltinOperator.valueOf(n).code()).collect(Collectors.toSet());
        long image = flash(Path.of("firmware-images/prebuilt/runtime-" + variant + ".elf"));
        long computed = RuntimeFootprint.linkedBytes(bundled, image, codes);
        double error = Math.abs(computed - linked) / (double) linked;
        assertTrue(error < 0.02, operators + " (" + variant + "): computed " + computed + " bytes, the linker keeps "
                + linked + " (" + String.format("%.2f", 100 * error) + " % apart; the whole image is " + image + ")");
        assertTrue(linked < image, "the cut table links less than the whole runtime");
    }

    /** firmware-images/ copied, with ts_op_table.c listing only {@code keep}. */
    private static Path copyFirmwareSources(Path dir, Set<String> keep) throws IOException {
        Path src = Path.of("firmware-images");
        Path dst = dir.resolve("fw");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path rel = src.relativize(p);
                if (rel.startsWith("prebuilt") || rel.startsWith("build")) {
                    continue;
                }
                Path to = dst.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        Path table = dst.resolve("runtime/ts_op_table.c");
        String kept = Files.readAllLines(table).stream().filter(line -> {
            String t = line.trim();
            if (!t.startsWith("{ TFL_OP_")) {
                return true;
            }
            return keep.contains(t.substring("{ TFL_OP_".length(), t.indexOf(',')));
        }).collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(table, kept);
        return dst;
    }

    /** text + data of arm-none-eabi-size (Berkeley format): the bytes stored in flash. */
    private static long flash(Path elf) throws IOException {
        Toolchain.Output out = Toolchain.run(List.of("arm-none-eabi-size", "-B", elf.toString()));
        assertEquals(0, out.exitCode(), out.text());
        String[] row = out.text().lines().skip(1).findFirst().orElseThrow().trim().split("\\s+");
        return Long.parseLong(row[0]) + Long.parseLong(row[1]);
    }
}
