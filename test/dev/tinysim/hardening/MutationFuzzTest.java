package dev.tinysim.hardening;

import dev.tinysim.bench.SharedModels;
import dev.tinysim.support.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bounded, deterministic mutation fuzzing of everything a user hands tinysim: models through {@code run --model}
 * (reader, validator, reference interpreter and the firmware, in-process), firmware ELFs through {@code run}, and
 * board files, and the data readers ({@code .npy}, {@code .npz}, {@code .csv}, {@code .wav}, images) through
 * {@code run --model --input}. The seed corpus is made here from the shared models, the bundled images and the bundled boards, and
 * the data seeds written by this test;
 * each case is derived from a fixed seed, so a failure names the seed that reproduces it.
 *
 * <p>Every case must end in a documented way: no internal error (exit 70), no stack trace, and an error message
 * that is one line without control characters. The CI size is small (about a minute in all); a longer campaign is
 * {@code mvn -o test -Dtest=MutationFuzzTest -Dtinysim.fuzz.cases=5000} (README, "Reliability").
 *
 * <p>This is a plain mutation fuzzer (bit flips, byte overwrites, 32-bit offset/size overwrites, truncations, chunk
 * swaps), without coverage feedback; the coverage-guided targets (Jazzer) are in {@code hardening.fuzz} and share
 * its invariants ({@link FuzzChecks}).
 */
class MutationFuzzTest {

    /** Cases per target (models, ELFs, boards) in CI; -Dtinysim.fuzz.cases=N for a longer campaign. */
    private static final int CASES = Integer.getInteger("tinysim.fuzz.cases", 150);

    private static final List<String> MODELS = List.of("hello_world_int8.tflite", "simple_add_model.tflite",
            "hello_world_float.tflite");

    /** One mutation of {@code seed}'s bytes, chosen and placed by {@code random}. */
    static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        int kind = random.nextInt(6);
        int n = 1 + random.nextInt(4);
        for (int k = 0; k < n; k++) {
            switch (kind) {
                case 0 -> {   // bit flip
                    int at = random.nextInt(b.length);
                    b[at] ^= (byte) (1 << random.nextInt(8));
                }
                case 1 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                case 2 -> {   // a 32-bit offset or size overwritten with an interesting value
                    int at = random.nextInt(Math.max(1, b.length - 4)) & ~3;
                    int[] values = {0, -1, 0x7FFFFFFF, 0x80000000, b.length, b.length - 1, 4, random.nextInt()};
                    int v = values[random.nextInt(values.length)];
                    for (int i = 0; i < 4 && at + i < b.length; i++) {
                        b[at + i] = (byte) (v >>> (8 * i));
                    }
                }
                case 3 -> {   // truncation
                    return java.util.Arrays.copyOf(b, random.nextInt(b.length));
                }
                case 4 -> {   // swap two chunks
                    int len = 1 + random.nextInt(Math.min(64, b.length / 2));
                    int x = random.nextInt(b.length - len), y = random.nextInt(b.length - len);
                    byte[] t = java.util.Arrays.copyOfRange(b, x, x + len);
                    System.arraycopy(b, y, b, x, len);
                    System.arraycopy(t, 0, b, y, len);
                }
                default -> {   // control characters and invalid UTF-8 pasted over a run of bytes (names)
                    byte[] hostile = {'\n', '\r', 0x1B, '[', '3', '1', 'm', (byte) 0xC3, (byte) 0x28, 0x07, (byte) 0xFF, 0};
                    int at = random.nextInt(b.length);
                    for (int i = 0; i < hostile.length && at + i < b.length; i++) {
                        b[at + i] = hostile[i];
                    }
                }
            }
        }
        return b;
    }

    /** The checks every case must pass, whatever the input ({@link FuzzChecks}, shared with the Jazzer targets). */
    static void assertDocumented(String what, Cli.Result r, Set<Integer> allowed) {
        FuzzChecks.assertDocumented(what, r, allowed);
    }

    @Test
    void mutatedModelsEndInADocumentedWay(@TempDir Path dir) throws Exception {
        Map<Integer, Integer> codes = new TreeMap<>();
        int runtimeErrorsAfterJavaChecks = 0;
        int loadErrorsAfterJavaChecks = 0;
        for (String name : MODELS) {
            byte[] seed = Files.readAllBytes(SharedModels.tflmExample(name));
            for (int i = 0; i < CASES / MODELS.size() + 1; i++) {
                long caseSeed = name.hashCode() * 1_000_003L + i;
                String only = System.getProperty("tinysim.fuzz.only");
                if (only != null && !java.util.Arrays.asList(only.split(",")).contains(Long.toString(caseSeed))) {
                    continue;
                }
                byte[] mutated = mutate(seed, new Random(caseSeed));
                Path file = Files.write(dir.resolve("m.tflite"), mutated);
                Cli.Result r = Cli.run("run", "--model", file.toString(), "--max-instructions", "200000000");
                String what = name + " seed " + caseSeed;
                // 80-92: the firmware faulted on a model Java accepted (a finding, still a documented exit)
                assertDocumented(what, r, Set.of(0, 65, 67, 72, 80, 81, 82, 83, 84, 85, 86, 89, 93));
                codes.merge(r.exitCode(), 1, Integer::sum);
                if (r.exitCode() == 93) {
                    runtimeErrorsAfterJavaChecks++;
                    System.out.println("MutationFuzzTest: runtime error after the Java checks: " + what + ": "
                            + FuzzChecks.runtimeErrorResult(r));
                    if (FuzzChecks.refusedAtLoadAfterJavaChecks(r)) {
                        loadErrorsAfterJavaChecks++;
                    }
                }
            }
        }
        System.out.println("MutationFuzzTest models: exit codes " + codes + "; runtime errors after the Java checks: "
                + runtimeErrorsAfterJavaChecks);
        assertTrue(codes.getOrDefault(65, 0) > 0 || System.getProperty("tinysim.fuzz.only") != null,
                "some mutations are refused: " + codes);
        // the Java checks mirror the runtime's load checks: a model they pass is never refused by the firmware
        // at load (a run-time kernel failure, which the reference reports the same way, is the only exit 93)
        assertEquals(0, loadErrorsAfterJavaChecks, "models the Java checks passed and the runtime refused at load");
    }

    @Test
    void mutatedFirmwareEndsInADocumentedWay(@TempDir Path dir) throws Exception {
        Map<String, Integer> kinds = new TreeMap<>();
        for (String image : List.of("selftest-m4f.elf", "faults-m4.elf")) {
            byte[] seed = Files.readAllBytes(Path.of("firmware-images/prebuilt", image));
            for (int i = 0; i < CASES / 2 + 1; i++) {
                long caseSeed = image.hashCode() * 1_000_003L + i;
                byte[] mutated = mutate(seed, new Random(caseSeed));
                Path file = Files.write(dir.resolve("f.elf"), mutated);
                Cli.Result r = Cli.run("run", file.toString(), "--max-instructions", "5000000", "--format", "json");
                String what = image + " seed " + caseSeed;
                // a mutated firmware may exit with any status of its own: the JSON report says what ended it
                kinds.merge(FuzzChecks.assertFirmwareRunDocumented(what, r), 1, Integer::sum);
            }
        }
        System.out.println("MutationFuzzTest firmware: " + kinds);
    }

    @Test
    void mutatedBoardFilesEndInADocumentedWay(@TempDir Path dir) throws Exception {
        Map<Integer, Integer> codes = new TreeMap<>();
        List<Path> seeds = new ArrayList<>();
        for (String b : List.of("nrf52832.json", "stm32f411.json", "mk20dx256.json")) {
            seeds.add(Path.of("boards", b));
        }
        String[] replacements = {"-1", "\"abc\"", "100000", "4294967296", "1e300", "null", "[]", "{}", "\"0x\"", "2.5",
                "\"\\u001b[31m\\n\"", "\"nosuch\""};
        for (Path seedFile : seeds) {
            String seed = Files.readString(seedFile);
            for (int i = 0; i < CASES / seeds.size() + 1; i++) {
                long caseSeed = seedFile.getFileName().toString().hashCode() * 1_000_003L + i;
                Random random = new Random(caseSeed);
                String text;
                if (random.nextBoolean()) {
                    // a JSON value (number or string) replaced with a hostile one
                    List<int[]> values = new ArrayList<>();
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile(":\\s*(\"[^\"]*\"|-?[0-9][0-9.eE+-]*)").matcher(seed);
                    while (m.find()) {
                        values.add(new int[]{m.start(1), m.end(1)});
                    }
                    int[] v = values.get(random.nextInt(values.size()));
                    text = seed.substring(0, v[0]) + replacements[random.nextInt(replacements.length)] + seed.substring(v[1]);
                } else {
                    text = new String(mutate(seed.getBytes(StandardCharsets.UTF_8), random), StandardCharsets.UTF_8);
                }
                text = text.replace("\"$schema\": \"schema.json\"", "\"$schema\": \"" + Path.of("boards/schema.json").toAbsolutePath() + "\"");
                Path file = Files.writeString(dir.resolve("board.json"), text);
                Cli.Result r = Cli.run("run", "selftest", "--board", file.toString(), "--max-instructions", "20000000", "-q");
                String what = seedFile.getFileName() + " seed " + caseSeed;
                FuzzChecks.assertBoardRunDocumented(what, r);
                codes.merge(r.exitCode(), 1, Integer::sum);
            }
        }
        System.out.println("MutationFuzzTest boards: exit codes " + codes);
        assertTrue(codes.getOrDefault(65, 0) > 0, "some mutations are refused: " + codes);
    }

    /** Seed data files for the demo float model's [1,1,64,3] input, one per format the readers take. */
    static Map<String, byte[]> dataSeeds() {
        return dev.tinysim.hardening.fuzz.FuzzSeeds.dataFiles();
    }

    @Test
    void mutatedDataFilesEndInADocumentedWay(@TempDir Path dir) throws Exception {
        Path model = Path.of("firmware-images", "models", "demo_f32.tflite");
        Map<String, Integer> codes = new TreeMap<>();
        Map<String, byte[]> seeds = dataSeeds();
        List<String> findings = new ArrayList<>();
        for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
            // the unmutated seed is read and run: the mutations start from a file the readers accept
            Path clean = Files.write(dir.resolve("clean-" + seed.getKey()), seed.getValue());
            List<String> args = new ArrayList<>(List.of("run", "--model", model.toString(), "--input", "", "-q"));
            if (seed.getKey().endsWith(".npz")) {
                args.addAll(List.of("--array", "x"));
            }
            args.set(4, clean.toString());
            Cli.Result ok = Cli.run(args.toArray(String[]::new));
            assertEquals(0, ok.exitCode(), seed.getKey() + ": " + ok.err());
            for (int i = 0; i < CASES / seeds.size() + 1; i++) {
                long caseSeed = seed.getKey().hashCode() * 1_000_003L + i;
                String only = System.getProperty("tinysim.fuzz.only");
                if (only != null && !java.util.Arrays.asList(only.split(",")).contains(Long.toString(caseSeed))) {
                    continue;
                }
                byte[] mutated = mutate(seed.getValue(), new Random(caseSeed));
                Path file = Files.write(dir.resolve(seed.getKey()), mutated);
                args.set(4, file.toString());
                Cli.Result r = Cli.run(args.toArray(String[]::new));
                String what = seed.getKey() + " seed " + caseSeed;
                try {   // every finding of the run at once, not only the first
                    FuzzChecks.assertDataRunDocumented(what, r);
                } catch (AssertionError e) {
                    findings.add(e.getMessage());
                }
                codes.merge(seed.getKey() + " " + r.exitCode(), 1, Integer::sum);
            }
        }
        System.out.println("MutationFuzzTest data: " + codes);
        assertEquals(List.of(), findings, "cases that did not end in a documented way");
        assertTrue(codes.keySet().stream().anyMatch(k -> k.endsWith(" 65")) || System.getProperty("tinysim.fuzz.only") != null,
                "some mutations are refused: " + codes);
    }
}
