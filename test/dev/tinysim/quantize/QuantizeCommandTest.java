package dev.tinysim.quantize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinysim.data.DataFiles;
import dev.tinysim.demo.ActivityData;
import dev.tinysim.demo.DemoModels;
import dev.tinysim.support.Cli;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.Models;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;
import dev.tinysim.tflite.TfliteWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tinysim quantize}: the demo's int8 model from its calibration windows, float I/O, ResNet end to end, refusals. */
class QuantizeCommandTest {
    private static final Path DEMO_F32 = Path.of("firmware-images", "models", "demo_f32.tflite");
    private static final Path DEMO_INT8 = Path.of("firmware-images", "models", "demo_int8.tflite");

    private static byte[] floats(int[] shape, float[][] rows) {
        int n = 0;
        for (float[] r : rows) {
            n += r.length;
        }
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] r : rows) {
            for (float v : r) {
                b.putFloat(v);
            }
        }
        return DataFiles.npy("<f4", false, shape, b.array(), 1);
    }

    private static Path calibrationWindows(Path dir) {
        int n = DemoModels.RECIPE.calibrationWindows();
        List<ActivityData.Window> w = ActivityData.generate(DemoModels.RECIPE.dataSeed(), 0, n);
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = w.get(i).values();
        }
        return DataFiles.write(dir.resolve("calibration.npy"), floats(new int[] {n, 1, 64, 3}, rows));
    }

    @Test
    void theDemosCalibrationWindowsGiveTheCommittedInt8ModelByteForByte(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("q.tflite");
        Cli.Result r = Cli.run("quantize", DEMO_F32.toString(), "--calibration", calibrationWindows(dir).toString(), "-o", out.toString(),
                "--format", "json");
        assertEquals(0, r.exitCode(), r.err());
        TfliteModel q = TfliteReader.read(out);
        TfliteModel committed = TfliteReader.read(DEMO_INT8);
        // everything but the description (make-demo-models writes its own) is the committed file
        byte[] same = TfliteWriter.write(new TfliteModel(q.version(), committed.description(), q.operatorCodes(), q.subgraphs(),
                q.buffers(), q.metadata()));
        assertArrayEquals(Files.readAllBytes(DEMO_INT8), same);

        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(256, j.at("/calibration/samples").asInt());
        assertEquals("int8", j.at("/output/io").asText());
        assertEquals(Files.size(out), j.at("/output/bytes").asLong());
        assertEquals("ok", j.at("/result/kind").asText());
        // every calibrated activation is listed with the parameters the int8 model holds
        JsonNode ranges = j.get("ranges");
        assertTrue(ranges.size() >= 10, ranges.toString());
        for (JsonNode g : ranges) {
            var t = q.mainSubgraph().tensor(g.get("tensor").asInt());
            assertEquals(t.quantization().scaleValue(), (float) g.get("scale").asDouble(), 0f, g.toString());
            assertEquals(t.quantization().zeroPointValue(), g.get("zeroPoint").asInt(), g.toString());
        }
        assertTrue(ranges.get(ranges.size() - 1).get("fixed").asBoolean(), "the softmax output's 1/256, -128 are fixed");
        assertEquals("calibration", j.at("/agreement/on").asText());
        assertEquals(256, j.at("/agreement/count").asInt());
        assertTrue(j.at("/agreement/agreement").asDouble() > 0.97, j.get("agreement").toString());
        assertEquals(7, j.get("weights").size());   // 5 convolutions, 2 FULLY_CONNECTED
        assertEquals("per-channel", j.at("/weights/4/granularity").asText());
        assertEquals("per-tensor", j.at("/weights/5/granularity").asText());
    }

    @Test
    void floatIoAndPerChannelFullyConnected(@TempDir Path dir) throws IOException {
        Path cal = calibrationWindows(dir);
        Path out = dir.resolve("qf.tflite");
        Cli.Result r = Cli.run("quantize", DEMO_F32.toString(), "--calibration", cal.toString(), "--max-samples", "64", "-o", out.toString(),
                "--io", "float32", "--per-channel-fc", "--validation", cal.toString());
        assertEquals(0, r.exitCode(), r.err());
        TfliteModel q = TfliteReader.read(out);
        assertEquals(TensorType.FLOAT32, q.mainSubgraph().inputTensor(0).type());
        List<BuiltinOperator> ops = Models.operators(q);
        assertEquals(BuiltinOperator.QUANTIZE, ops.get(0));
        assertEquals(BuiltinOperator.DEQUANTIZE, ops.get(ops.size() - 1));
        // int8 activations behind float32 input and output: int8, not hybrid (int8 weights, float32 activations)
        assertEquals("int8", dev.tinysim.inference.ModelTable.precision(q));
        assertTrue(r.out().contains("(int8, float32 input and output through QUANTIZE/DEQUANTIZE)"), r.out());
        assertTrue(r.out().contains("weights: int8, symmetric: 7 per output channel, 0 per tensor (FULLY_CONNECTED per channel: --per-channel-fc)"),
                r.out());
        assertTrue(r.out().contains("the int8 model against the float32 one on the 64 validation samples"), r.out());
        assertTrue(r.out().contains("calibration: " + cal + " (npy): data [256,1,64,3] float32; model input [1,1,64,3] float32: 64 samples "
                + "(the first 64 of 256), layout ok, as float32"), r.out());
        assertTrue(r.out().endsWith("result: wrote " + out + " (" + String.format(java.util.Locale.ROOT, "%,d", Files.size(out))
                + " bytes, 82,448 as float32)\n"), r.out());
        // the float-I/O model runs on the firmware with float data
        Cli.Result run = Cli.run("run", "--model", out.toString(), "--input", cal.toString());
        assertEquals(0, run.exitCode(), run.err());
    }

    @Test
    void whatCannotBeQuantizedIsNamedAndNothingIsWritten(@TempDir Path dir) throws IOException {
        Path cal = DataFiles.write(dir.resolve("c.npy"), floats(new int[] {1, 490}, new float[][] {new float[490]}));
        Path out = dir.resolve("q.tflite");
        Cli.Result hybrid = Cli.run("quantize", Models.DIR.resolve("kws_ref_model_float32.tflite").toString(), "--calibration",
                cal.toString(), "-o", out.toString());
        assertEquals(72, hybrid.exitCode());
        assertTrue(hybrid.err().startsWith("tinysim: kws_ref_model_float32.tflite: cannot quantize: operator 0 (CONV_2D): the weights "
                + "must be a FLOAT32 constant; tensor "), hybrid.err());
        assertTrue(hybrid.err().endsWith("') is a INT8 constant\n"), hybrid.err());
        assertFalse(Files.exists(out));

        Path bm = dir.resolve("bm.tflite");
        Files.write(bm, Models.unsupportedOperatorModel());
        Path cal4 = DataFiles.write(dir.resolve("c4.npy"), floats(new int[] {1, 2, 2}, new float[][] {{1, 2, 3, 4}}));
        Cli.Result op = Cli.run("quantize", bm.toString(), "--calibration", cal4.toString(), "-o", out.toString());
        assertEquals(72, op.exitCode());
        assertTrue(op.err().startsWith("tinysim: bm.tflite: cannot quantize: operator 1 is LSH_PROJECTION, which the quantizer does not "
                + "support"), op.err());
        assertFalse(Files.exists(out));

        Cli.Result quantized = Cli.run("quantize", DEMO_INT8.toString(), "--calibration", cal.toString(), "-o", out.toString());
        assertEquals(72, quantized.exitCode());
        assertFalse(Files.exists(out));

        Cli.Result wrong = Cli.run("quantize", DEMO_F32.toString(), "--calibration", cal.toString(), "-o", out.toString());
        assertEquals(65, wrong.exitCode());
        assertEquals("tinysim: " + cal + ": data [1,490] float32; model input [1,1,64,3] float32: 490 values per sample (the first "
                + "dimension counts the samples), the input takes 192\n", wrong.err());
        Cli.Result missing = Cli.run("quantize", DEMO_F32.toString(), "--calibration", dir.resolve("none.npy").toString(), "-o",
                out.toString());
        assertEquals(66, missing.exitCode());
        assertFalse(Files.exists(out));
    }

    /** The "done when": a float model and some .npy → an int8 model that run and compare take. */
    @Test
    void resnetFromANpyToRunAndCompare(@TempDir Path dir) throws IOException {
        Random rnd = new Random(3);
        int n = 6;
        float[][] images = new float[n][32 * 32 * 3];
        for (float[] img : images) {
            for (int i = 0; i < img.length; i++) {
                img[i] = rnd.nextInt(256);
            }
        }
        Path npy = DataFiles.write(dir.resolve("some.npy"), floats(new int[] {n, 32, 32, 3}, images));
        Path q = dir.resolve("q.tflite");
        Path resnet = Models.DIR.resolve("pretrainedResnet.tflite");
        Cli.Result r = Cli.run("quantize", resnet.toString(), "--calibration", npy.toString(), "-o", q.toString());
        assertEquals(0, r.exitCode(), r.err());
        Cli.Result run = Cli.run("run", "--model", q.toString(), "--input", npy.toString(), "--format", "json");
        assertEquals(0, run.exitCode(), run.err());
        Cli.Result c = Cli.run("compare", "--float", resnet.toString(), "--int8", q.toString(), "--dataset", npy.toString(),
                "--format", "json", "--device-samples", "2");
        assertEquals(0, c.exitCode(), c.err());
        JsonNode a = new ObjectMapper().readTree(c.out()).get("accuracy");
        assertEquals(n, a.get("count").asInt());
        assertTrue(a.get("deviceBitExact").asBoolean());
        assertEquals(2, a.get("deviceSamples").asInt());
        assertTrue(a.get("float32").isNull(), "no labels, no accuracy");
        assertTrue(a.get("snrDb").asDouble() > 5, a.toString());
    }
}
