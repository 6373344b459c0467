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

    @Test
    void aOneByteOverflowIsReportedInBytes(@TempDir Path dir) throws Exception {
        Path elf = dev.tinysim.support.TinyElf.write(dir, "over.elf", dev.tinysim.support.TinyElf.build(
                new dev.tinysim.support.TinyElf.Segment(0x20000000L, new byte[256 * 1024 + 1])));
        Cli.Result r = Cli.run("run", elf.toString());
        assertEquals(67, r.exitCode(), r.err());
        assertEquals("tinysim: over.elf: segment 0 (256.0 KB at 0x20000000) does not fit ram (256 KB): it exceeds ram by 1 byte\n",
                r.err());
    }

    /** A vector table (SP at the top of the nRF52840's RAM) and SYS_EXIT(ApplicationExit) through semihosting. */
    static byte[] exitProgram(long base) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(20).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x20040000).putInt((int) base + 9);
        b.putShort((short) 0x2018);            // movs r0, #0x18 (SYS_EXIT)
        b.putShort((short) 0x4901);            // ldr r1, [pc, #4]
        b.putShort((short) 0xBEAB);            // bkpt 0xab
        b.putShort((short) 0xE7FE);            // b .
        b.putInt(0x20026);                     // ADP_Stopped_ApplicationExit
        return b.array();
    }

    @Test
    void anImageInTheReservedFlashDoesNotFitAndOneAfterItRuns(@TempDir Path dir) throws Exception {
        Path atZero = dev.tinysim.support.TinyElf.write(dir, "at0.elf", dev.tinysim.support.TinyElf.build(
                new dev.tinysim.support.TinyElf.Segment(0, exitProgram(0))));
        assertEquals(0, Cli.run("run", atZero.toString()).exitCode(), "runs on the board without a SoftDevice");
        Cli.Result r = Cli.run("run", atZero.toString(), "--board", "nrf52840-s140");
        assertEquals(67, r.exitCode(), r.err());
        assertEquals("tinysim: at0.elf: segment 0 (20 bytes at 0x00000000) lies in the flash board nrf52840-s140 reserves for "
                + "other software (0x00000000-0x00026fff); link the firmware from 0x00027000\n", r.err());
        Cli.Result fit = Cli.run("fit", atZero.toString(), "--board", "nrf52840-s140");
        assertEquals(67, fit.exitCode(), fit.err());

        Path inRam = dev.tinysim.support.TinyElf.write(dir, "ram.elf", dev.tinysim.support.TinyElf.build(
                new dev.tinysim.support.TinyElf.Segment(0x27000, exitProgram(0x27000)),
                new dev.tinysim.support.TinyElf.Segment(0x20001000L, new byte[16])));
        Cli.Result ram = Cli.run("run", inRam.toString(), "--board", "nrf52840-s140");
        assertEquals(67, ram.exitCode(), ram.err());
        assertEquals("tinysim: ram.elf: segment 1 (16 bytes at 0x20001000) lies in the RAM board nrf52840-s140 reserves for "
                + "other software (0x20000000-0x20002fff); link the firmware from 0x20003000\n", ram.err());

        Path after = dev.tinysim.support.TinyElf.write(dir, "app.elf", dev.tinysim.support.TinyElf.build(
                new dev.tinysim.support.TinyElf.Segment(0x27000, exitProgram(0x27000))));
        Cli.Result ok = Cli.run("run", after.toString(), "--board", "nrf52840-s140");
        assertEquals(0, ok.exitCode(), ok.out() + ok.err());
    }

    /** An ELF32 with the values of the named symbols changed (symbol table walked from the section headers). */
    static byte[] withSymbols(byte[] elf, java.util.Map<String, Long> values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(elf.clone()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int shoff = b.getInt(32), shentsize = b.getShort(46) & 0xFFFF, shnum = b.getShort(48) & 0xFFFF;
        int changed = 0;
        for (int i = 0; i < shnum; i++) {
            int sh = shoff + i * shentsize;
            if (b.getInt(sh + 4) != 2) {   // SHT_SYMTAB
                continue;
            }
            int off = b.getInt(sh + 16), size = b.getInt(sh + 20), link = b.getInt(sh + 24), entsize = b.getInt(sh + 36);
            int strOff = b.getInt(shoff + link * shentsize + 16);
            for (int e = off; e < off + size; e += entsize) {
                int nameAt = strOff + b.getInt(e);
                int end = nameAt;
                while (elf[end] != 0) {
                    end++;
                }
                String name = new String(elf, nameAt, end - nameAt, java.nio.charset.StandardCharsets.US_ASCII);
                if (values.containsKey(name)) {
                    b.putInt(e + 4, (int) (long) values.get(name));
                    changed++;
                }
            }
        }
        assertEquals(values.size(), changed, "symbols found");
        return b.array();
    }

    @Test
    void stackSymbolsOutsideTheBoardsRamAreNotTakenForTheStack(@TempDir Path dir) throws Exception {
        byte[] selftest = Files.readAllBytes(Path.of("firmware-images/prebuilt/selftest-m4f.elf"));
        Path bad = Files.write(dir.resolve("badstack.elf"), withSymbols(selftest,
                java.util.Map.of("__StackLimit", 0L, "__StackTop", 0xFFFFFFFEL)));
        Cli.Result r = Cli.run("run", bad.toString(), "--format", "json");
        assertEquals(0, r.exitCode(), r.err());
        com.fasterxml.jackson.databind.JsonNode ram = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out()).at("/fit/ram");
        long reserved = ram.get("stackReserved").asLong();
        assertEquals(true, reserved > 0 && reserved <= 262144 - ram.get("staticBytes").asLong(), ram.toString());
        assertEquals(true, ram.get("stackPeak").asLong() > 0 && ram.get("stackPeak").asLong() <= reserved, ram.toString());
    }

    /** in * 0 * inf: NaN made by the arithmetic (not carried in), in every element. */
    static byte[] nanModel() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addTensor("in", TensorType.FLOAT32, new int[]{1, 4});
        int zero = b.addFloatConstant("zero", new int[]{1, 4}, 0f, 0f, 0f, 0f);
        float inf = Float.POSITIVE_INFINITY;
        int infs = b.addFloatConstant("inf", new int[]{1, 4}, inf, inf, inf, inf);
        int mid = b.addTensor("mid", TensorType.FLOAT32, new int[]{1, 4});
        int out = b.addTensor("out", TensorType.FLOAT32, new int[]{1, 4});
        b.addOperator(BuiltinOperator.MUL, new BuiltinOptions.Mul(dev.tinysim.tflite.ActivationFunction.NONE),
                new int[]{in, zero}, new int[]{mid});
        b.addOperator(BuiltinOperator.MUL, new BuiltinOptions.Mul(dev.tinysim.tflite.ActivationFunction.NONE),
                new int[]{mid, infs}, new int[]{out});
        return b.inputs(in).outputs(out).toBytes();
    }

    @Test
    void aNaNMadeByTheModelHasTheSameBitsInTheFirmwareAndTheReference(@TempDir Path dir) throws Exception {
        byte[] bytes = nanModel();
        Path model = Files.write(dir.resolve("nan.tflite"), bytes);
        dev.tinysim.tflite.TfliteModel m = dev.tinysim.tflite.TfliteReader.read(bytes, "nan.tflite");
        byte[] input = dev.tinysim.reference.InputGenerator.random(m.mainSubgraph().inputTensor(0), 1);
        byte[] reference = dev.tinysim.reference.ReferenceInterpreter.prepare(m).invoke(java.util.List.of(input)).get(0);
        assertEquals("0000c07f".repeat(4), java.util.HexFormat.of().formatHex(reference), "the Arm default NaN, little-endian");
        for (String board : new String[]{"nrf52840", "nrf52840-nofpu"}) {
            Cli.Result r = Cli.run("run", "--model", model.toString(), "--board", board, "--format", "json");
            assertEquals(0, r.exitCode(), r.err());
            String firmware = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out()).at("/output/hex").asText();
            assertEquals(java.util.HexFormat.of().formatHex(reference), firmware, board);
        }
    }

    @Test
    void timeoutEndsARunawayFirmwareWithItsOwnExitCode(@TempDir Path dir) throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x20040000).putInt(9);
        b.putShort((short) 0x3001);            // loop: adds r0, #1
        b.putShort((short) 0xE7FD);            // b loop (never the same state twice: no hang)
        Path elf = dev.tinysim.support.TinyElf.write(dir, "count.elf",
                dev.tinysim.support.TinyElf.build(new dev.tinysim.support.TinyElf.Segment(0, b.array())));
        long start = System.nanoTime();
        Cli.Result r = Cli.run("run", elf.toString(), "--max-instructions", "1000000000000", "--timeout", "1.5", "-q");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(94, r.exitCode(), r.out() + r.err());
        assertEquals(true, seconds >= 1.5 && seconds < 30, "took " + seconds + " s");
        assertEquals(true, r.out().contains("timeout: the run took more than 1.500 s of wall-clock time; stopped at 0x0000000"),
                r.out());
        Cli.Result bad = Cli.run("run", elf.toString(), "--timeout", "0");
        assertEquals(64, bad.exitCode());
        assertEquals("tinysim: --timeout must be a number of seconds above 0 and at most 1000000 (got 0.0)\n", bad.err());
    }

    @Test
    void timeoutEndsAModelRunWithItsOwnExitCode() throws Exception {
        // 50 inferences of the float ResNet take about 13 s of emulation on this machine: far beyond 0.5 s
        String model = "/work/shared/models/mlperf-tiny/pretrainedResnet.tflite";
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(Path.of(model)), "shared model missing");
        long start = System.nanoTime();
        Cli.Result r = Cli.run("run", "--model", model, "--runs", "50", "--timeout", "0.5", "--format", "json");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(94, r.exitCode(), r.out() + r.err());
        assertEquals(true, seconds < 30, "took " + seconds + " s");
        com.fasterxml.jackson.databind.JsonNode result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out()).get("result");
        assertEquals("timeout", result.get("kind").asText());
        assertEquals(94, result.get("exitCode").asInt());
        String message = result.get("message").asText();
        assertEquals(true, message.matches("timeout: the run took more than 0\\.500 s of wall-clock time; stopped at 0x[0-9a-f]{8} "
                + "\\([^\\n]*\\) \\(raise --timeout if this is expected\\)"), message);
        Cli.Result text = Cli.run("run", "--model", model, "--runs", "50", "--timeout", "0.5");
        assertEquals(94, text.exitCode());
        assertEquals(true, text.out().lines().anyMatch(l -> l.startsWith("  result     timeout: the run took more than 0.500 s of wall-clock time; stopped at 0x")),
                text.out());
        Cli.Result bad = Cli.run("run", "--model", model, "--timeout", "-1");
        assertEquals(64, bad.exitCode());
        assertEquals("tinysim: --timeout must be a number of seconds above 0 and at most 1000000 (got -1.0)\n", bad.err());
    }

    /** A WAV file: RIFF/WAVE header, a mono 16-bit PCM 'fmt ' chunk, then {@code rest}. */
    static byte[] wav(byte[] rest) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(36 + rest.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(28 + rest.length).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(16000).putInt(32000)
                .putShort((short) 2).putShort((short) 16);
        return b.put(rest).array();
    }

    @Test
    void aWavChunkOfNearly4GBIsCorruptNotAnInternalError(@TempDir Path dir) throws Exception {
        // found by MutationFuzzTest (p.wav): the chunk walk stopped at Integer.MAX_VALUE, then read 4 bytes there
        java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        chunk.put("LIST".getBytes()).putInt(0xFFFFFFF0).putInt(0);
        Path file = Files.write(dir.resolve("huge.wav"), wav(chunk.array()));
        Cli.Result r = Cli.run("run", "--model", "firmware-images/models/demo_f32.tflite", "--input", file.toString());
        assertEquals(65, r.exitCode(), r.err());
        assertEquals("tinysim: " + file + ": no 'data' chunk\n", r.err());
    }

    @Test
    void hostileNamesInDataFilesAreEscapedAndCutInTheMessage(@TempDir Path dir) throws Exception {
        String model = "firmware-images/models/demo_f32.tflite";
        // a .npz array named with a newline and an ANSI escape, 213 characters once escaped
        java.util.Map<String, byte[]> arrays = new java.util.LinkedHashMap<>();
        arrays.put("a\n\u001b[31m" + "z".repeat(200), dev.tinysim.data.DataFiles.npyFloat32(new int[]{1, 192}, new float[192]));
        arrays.put("y", dev.tinysim.data.DataFiles.npyInt64(new int[]{1}, 0));
        Path npz = dev.tinysim.data.DataFiles.write(dir.resolve("h.npz"), dev.tinysim.data.DataFiles.npz(arrays, false));
        Cli.Result r = Cli.run("run", "--model", model, "--input", npz.toString());
        assertEquals(64, r.exitCode(), r.err());
        assertEquals("tinysim: " + npz + " holds 2 arrays (a\\x0a\\x1b[31m" + "z".repeat(67) + "…(213 characters) [1,192] float32, "
                + "y [1] int64): choose the inputs with --array NAME (and the labels with --labels NAME)\n", r.err());
        // a .csv field that is not a number: BEL and 100 digits
        StringBuilder csv = new StringBuilder("x,y,z\n1\u0007" + "9".repeat(100) + ",2,3\n");
        Path table = dev.tinysim.data.DataFiles.write(dir.resolve("h.csv"), csv.toString());
        Cli.Result c = Cli.run("run", "--model", model, "--input", table.toString());
        assertEquals(65, c.exitCode(), c.err());
        assertEquals("tinysim: " + table + ": line 2, column 1: '1\\x07" + "9".repeat(75) + "…(105 characters)' is not a number\n", c.err());
        // a header row named with an escape character, asked for by a --label-column it does not have
        Path header = dev.tinysim.data.DataFiles.write(dir.resolve("l.csv"), "a\u001bb,c\n1,2\n");
        Cli.Result l = Cli.run("run", "--model", model, "--input", header.toString(), "--label-column", "nosuch");
        assertEquals(64, l.exitCode(), l.err());
        assertEquals("tinysim: --label-column nosuch: " + header + " has no column of that name (first row: a\\x1bb, c)\n", l.err());
    }

    @Test
    void aHostileTensorNameIsEscapedAndCutInTheMessage(@TempDir Path dir) throws Exception {
        String hostile = "out\n\r\u001b[31mred\u0007" + "x".repeat(5000);
        ModelBuilder b = new ModelBuilder();
        int in = b.addTensor("in", TensorType.FLOAT32, new int[]{2});
        int mid = b.addTensor("mid", TensorType.FLOAT32, new int[]{2});
        int never = b.addTensor(hostile, TensorType.FLOAT32, new int[]{2});
        b.addOperator(BuiltinOperator.RELU, BuiltinOptions.NONE, new int[]{in}, new int[]{mid});
        Path model = Files.write(dir.resolve("hostile.tflite"), b.inputs(in).outputs(mid, never).toBytes());
        Cli.Result r = Cli.run("run", "--model", model.toString());
        assertEquals(65, r.exitCode(), r.err());
        assertEquals("tinysim: hostile.tflite: graph output 2 ('out\\x0a\\x0d\\x1b[31mred\\x07" + "x".repeat(80 - 26)
                + "…(5026 characters)') is never written by an operator\n", r.err());

        // an input tensor of that name, listed when --input NAME=FILE names no input
        ModelBuilder m = new ModelBuilder();
        int hin = m.addTensor(hostile, TensorType.FLOAT32, new int[]{2});
        int hout = m.addTensor("o", TensorType.FLOAT32, new int[]{2});
        m.addOperator(BuiltinOperator.RELU, BuiltinOptions.NONE, new int[]{hin}, new int[]{hout});
        Path inModel = Files.write(dir.resolve("hostile-input.tflite"), m.inputs(hin).outputs(hout).toBytes());
        Path raw = Files.write(dir.resolve("x.bin"), new byte[8]);
        Cli.Result named = Cli.run("run", "--model", inModel.toString(), "--input", "nosuch=" + raw);
        assertEquals(64, named.exitCode(), named.err());
        assertEquals("tinysim: --input nosuch=" + raw + ": the model has no input named 'nosuch' (its inputs: 'out\\x0a\\x0d\\x1b[31mred\\x07"
                + "x".repeat(80 - 26) + "…(5026 characters)')\n", named.err());
    }

    /** SLICE whose begin (INT32, named {@code name}) and size (INT64) differ in type: refused by the reference kernel. */
    static byte[] sliceOfMixedIndexTypes(String name) {
        ModelBuilder b = new ModelBuilder();
        int in = b.addTensor("in", TensorType.FLOAT32, new int[]{4});
        int begin = b.addInt32Constant(name, new int[]{1}, null, 0);
        int size = b.addInt64Constant("size", new int[]{1}, null, 2L);
        int out = b.addTensor("out", TensorType.FLOAT32, new int[]{2});
        b.addOperator(BuiltinOperator.SLICE, BuiltinOptions.NONE, new int[]{in, begin, size}, new int[]{out});
        return b.inputs(in).outputs(out).toBytes();
    }

    @Test
    void aHostileTensorNameInAReferenceKernelsMessageIsCut(@TempDir Path dir) throws Exception {
        String hostile = "b\n\u001b[31m" + "y".repeat(5000);
        Path model = Files.write(dir.resolve("slice.tflite"), sliceOfMixedIndexTypes(hostile));
        Cli.Result r = Cli.run("run", "--model", model.toString());
        assertEquals("tinysim: slice.tflite: SLICE (operator 0): begin 'b\\x0a\\x1b[31m" + "y".repeat(80 - 13)
                + "…(5013 characters)' is INT32 but size 'size' is INT64; they must have the same type\n", r.err());
        assertEquals(72, r.exitCode(), r.err());
    }
}
