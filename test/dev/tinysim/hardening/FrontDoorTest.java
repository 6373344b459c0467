package dev.tinysim.hardening;

import dev.tinysim.support.Cli;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.TensorType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Defects of issue 12 ("hostile input never gets past the front door"): each input here once ended in an
 * internal error (exit 70), a silent acceptance or a misleading message; each is now refused with the
 * documented exit code and one line naming the file and the problem.
 */
class FrontDoorTest {

    /** FLOAT32 [2] -> RELU -> out, with the graph's input list left empty. */
    static byte[] noInputsModel() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addTensor("in", TensorType.FLOAT32, new int[]{2});
        int out = b.addTensor("out", TensorType.FLOAT32, new int[]{2});
        b.addOperator(BuiltinOperator.RELU, BuiltinOptions.NONE, new int[]{in}, new int[]{out});
        return b.outputs(out).toBytes();
    }

    @Test
    void fitAndTableRefuseAModelWithNoInputs(@TempDir Path dir) throws Exception {
        Path model = Files.write(dir.resolve("noinputs.tflite"), noInputsModel());
        for (String command : new String[]{"fit", "table"}) {
            Cli.Result r = Cli.run(command, model.toString());
            assertEquals(65, r.exitCode(), command + ": " + r.err());
            assertEquals("tinysim: noinputs.tflite: subgraph 0 has no inputs\n", r.err(), command);
        }
        Cli.Result run = Cli.run("run", "--model", model.toString());
        assertEquals(65, run.exitCode());
        assertEquals("tinysim: noinputs.tflite: subgraph 0 has no inputs\n", run.err());
    }

    /** nrf52832.json with its TIMER entries' options replaced by {@code options}. */
    private static Path boardWithTimerOptions(Path dir, String name, String options) throws Exception {
        String text = Files.readString(Path.of("boards/nrf52832.json"));
        com.fasterxml.jackson.databind.node.ObjectNode node = (com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        com.fasterxml.jackson.databind.JsonNode opts = new com.fasterxml.jackson.databind.ObjectMapper().readTree(options);
        int n = 0;
        for (com.fasterxml.jackson.databind.JsonNode p : node.get("peripherals")) {
            if (p.get("model").asText().equals("nrf52.timer")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) p).set("options", opts);
                n++;
            }
        }
        assertEquals(true, n > 0);
        node.put("$schema", Path.of("boards/schema.json").toAbsolutePath().toString());
        return Files.writeString(dir.resolve(name), node.toPrettyString());
    }

    @Test
    void badPeripheralOptionsAreABadBoardFileNamingTheField(@TempDir Path dir) throws Exception {
        String[][] cases = {
                {"{\"channels\": -1}", "must be 1..6 (CC registers (the nRF52 TIMER has 4 or 6)), got -1"},
                {"{\"channels\": \"abc\"}", "must be a whole number (decimal or 0x-hex), got \"abc\""},
                {"{\"channels\": 100000}", "must be 1..6 (CC registers (the nRF52 TIMER has 4 or 6)), got 100000"},
                {"{\"channels\": 2147483648000}", "must be 1..6 (CC registers (the nRF52 TIMER has 4 or 6)), got 2147483648000"},
                {"{\"channels\": 2.5}", "must be a whole number (decimal or 0x-hex), got 2.5"},
        };
        int i = 0;
        for (String[] c : cases) {
            Path board = boardWithTimerOptions(dir, "bad" + i++ + ".json", c[0]);
            Cli.Result r = Cli.run("run", "selftest", "--board", board.toString());
            assertEquals(65, r.exitCode(), c[0] + ": " + r.err());
            assertEquals(true, r.err().startsWith("tinysim: " + board + ": peripherals["), r.err());
            assertEquals(true, r.err().endsWith(".options.channels (peripheral TIMER0) " + c[1] + "\n"), r.err());
        }
        Path fine = boardWithTimerOptions(dir, "fine.json", "{\"channels\": \"0x6\"}");
        assertEquals(0, Cli.run("run", "selftest", "--board", fine.toString()).exitCode());
    }

    @Test
    void extendsOfAnUnknownBoardNamesTheFileAndTheField(@TempDir Path dir) throws Exception {
        Path board = Files.writeString(dir.resolve("child.json"), "{\"extends\": \"nosuch\", \"name\": \"x\"}");
        Cli.Result r = Cli.run("run", "selftest", "--board", board.toString());
        assertEquals(65, r.exitCode(), r.err());
        assertEquals(true, r.err().startsWith("tinysim: " + board + ": field \"extends\": unknown board \"nosuch\" (bundled boards are nrf52840, "),
                r.err());
    }

    @Test
    void duplicateKeysAreRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        Path board = Files.writeString(dir.resolve("dup.json"), "{\"extends\": \"nrf52840\",\n \"name\": \"x\",\n \"name\": \"y\"}");
        Cli.Result r = Cli.run("run", "selftest", "--board", board.toString());
        assertEquals(65, r.exitCode(), r.err());
        assertEquals("tinysim: " + board + ": not valid JSON (line 3, column 8): Duplicate field 'name'\n", r.err());
    }

    @Test
    void aBoardFileThatIsADeviceIsRefusedBeforeReading() {
        Cli.Result r = Cli.run("run", "selftest", "--board", "/dev/zero");
        assertEquals(66, r.exitCode(), r.err());
        assertEquals("tinysim: /dev/zero: cannot read board file (not a regular file: a device, FIFO or socket)\n", r.err());
    }
}
