package dev.tinysim.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinysim.support.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * .wav files and folders of .png images (one subfolder per class) as datasets of {@code validate}, {@code quantize
 * --calibration} and {@code compare --dataset}, on files the test writes (run --model --input: DataCommandsTest).
 */
class WavAndImageDatasetsTest {
    private static final String F32 = DataCommandsTest.DEMO_F32.toString();
    private static final String INT8 = DataCommandsTest.DEMO_INT8.toString();

    private static JsonNode json(Cli.Result r) throws IOException {
        assertEquals(0, r.exitCode(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    /** 4 windows of the demo's [1,1,64,3] input: 768 float samples at 25 Hz. */
    private static Path wav(Path dir) {
        float[] audio = new float[768];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (float) Math.sin(i * 0.3) * 1.5f;
        }
        return DataFiles.write(dir.resolve("a.wav"), DataFiles.wavFloat(25, audio));
    }

    /** 8 images of 64x1 RGB pixels, two per class folder 0..3. */
    private static Path pngFolder(Path dir) throws IOException {
        Path root = dir.resolve("images");
        for (int k = 0; k < 8; k++) {
            int[] px = new int[64];
            for (int x = 0; x < 64; x++) {
                px[x] = ((x * 4 + k * 16) & 0xFF) << 16 | ((255 - 3 * x) & 0xFF) << 8 | ((x * 37 + k) & 0xFF);
            }
            Files.createDirectories(root.resolve(String.valueOf(k % 4)));
            DataFiles.write(root.resolve((k % 4) + "/i" + k + ".png"), DataFiles.image("png", 64, 1, px));
        }
        return root;
    }

    @Test
    void aWavFileIsADatasetForValidateQuantizeAndCompare(@TempDir Path dir) throws IOException {
        Path wav = wav(dir);
        JsonNode v = json(Cli.run("validate", INT8, "--dataset", wav.toString(), "--device-samples", "2", "--format", "json"));
        assertEquals("wav, 32-bit float at 25 Hz", v.at("/data/format").asText());
        assertEquals(4, v.at("/data/samples").asInt());
        assertEquals("demo_int8.tflite: data [768] float32; model input [1,1,64,3] int8: 4 samples, each sample's [192] taken as "
                + "[1,1,64,3] in row-major order, quantized with scale 0.021859681 zero point 3", v.at("/data/bindings/0").asText());
        assertEquals("4 samples; 2 on the firmware, bit-exact", v.at("/result/message").asText());

        Path q = dir.resolve("q.tflite");
        JsonNode c = json(Cli.run("quantize", F32, "--calibration", wav.toString(), "-o", q.toString(), "--format", "json"));
        assertEquals(4, c.at("/calibration/samples").asInt());
        assertEquals("data [768] float32; model input [1,1,64,3] float32: 4 samples, each sample's [192] taken as [1,1,64,3] in "
                + "row-major order, as float32", c.at("/calibration/binding").asText());
        assertTrue(Files.size(q) > 0);

        JsonNode cmp = json(Cli.run("compare", "--float", F32, "--int8", q.toString(), "--dataset", wav.toString(), "--format", "json"));
        assertEquals(4, cmp.at("/accuracy/count").asInt());
        assertTrue(cmp.at("/accuracy/float32").isNull(), "no labels: no accuracy, only agreement");
        assertEquals(3, cmp.at("/accuracy/deviceSamples").asInt());
        assertTrue(cmp.at("/accuracy/deviceBitExact").asBoolean());
        assertTrue(cmp.get("input").asText().startsWith("input 0 of the 4"), cmp.get("input").asText());
    }

    @Test
    void aFolderOfPngClassFoldersIsALabelledDatasetForValidateQuantizeAndCompare(@TempDir Path dir) throws IOException {
        Path images = pngFolder(dir);
        JsonNode v = json(Cli.run("validate", INT8, "--dataset", images.toString(), "--float", F32, "--device-samples", "1",
                "--format", "json"));
        assertEquals(8, v.at("/data/samples").asInt());
        assertTrue(v.at("/data/labelled").asBoolean());
        assertEquals("ok", v.at("/result/kind").asText());

        Path q = dir.resolve("q.tflite");
        JsonNode c = json(Cli.run("quantize", F32, "--calibration", images.toString(), "-o", q.toString(), "--format", "json"));
        assertEquals(8, c.at("/calibration/samples").asInt());

        JsonNode cmp = json(Cli.run("compare", "--float", F32, "--int8", INT8, "--dataset", images.toString(), "--device-samples", "1",
                "--format", "json"));
        assertEquals(8, cmp.at("/accuracy/count").asInt());
        double f = cmp.at("/accuracy/float32").asDouble();
        double i = cmp.at("/accuracy/int8").asDouble();
        assertEquals(f - i, cmp.at("/accuracy/drop").asDouble(), 1e-6);
        // the same figures as validate's on the same folder
        assertEquals(v.at("/metrics/reference/accuracy").asDouble(), f, 1e-6, v.toString());
        assertEquals(v.at("/metrics/model/accuracy").asDouble(), i, 1e-6, v.toString());
        assertTrue(cmp.at("/accuracy/deviceBitExact").asBoolean());
    }
}
