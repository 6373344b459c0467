package dev.tinysim.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinysim.demo.ActivityData;
import dev.tinysim.demo.DemoModels;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.reference.TensorValues;
import dev.tinysim.support.Cli;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data files on the command line: {@code run --model --input} in every format (the firmware's output equals the
 * reference interpreter's on the values the test expects the data to become), {@code compare --dataset} and
 * {@code validate} with labels (the figures equal an independent evaluation of the same windows), and the errors.
 */
class DataCommandsTest {
    static final Path DEMO_F32 = Path.of("firmware-images", "models", "demo_f32.tflite");
    static final Path DEMO_INT8 = Path.of("firmware-images", "models", "demo_int8.tflite");
    static TfliteModel f32;
    static TfliteModel int8;

    @BeforeAll
    static void models() throws IOException {
        f32 = TfliteReader.read(DEMO_F32);
        int8 = TfliteReader.read(DEMO_INT8);
    }

    static JsonNode json(String s) throws IOException {
        return new ObjectMapper().readTree(s);
    }

    static byte[] floats(float[]... windows) {
        int n = 0;
        for (float[] w : windows) {
            n += w.length;
        }
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] w : windows) {
            for (float v : w) {
                b.putFloat(v);
            }
        }
        return b.array();
    }

    /** The last run's output raw bytes from the run report, and every run's argmax. */
    private static void assertRunMatchesReference(Cli.Result r, TfliteModel model, List<float[]> expectedInputs) throws IOException {
        assertEquals(0, r.exitCode(), r.err() + r.out());
        JsonNode j = json(r.out());
        Tensor in = model.mainSubgraph().inputTensor(0);
        ReferenceInterpreter ref = ReferenceInterpreter.prepare(model);
        for (int i = 0; i < expectedInputs.size(); i++) {
            byte[] bytes = in.type() == dev.tinysim.tflite.TensorType.INT8 ? TensorValues.quantize(in, expectedInputs.get(i))
                    : TensorValues.fromFloats(expectedInputs.get(i));
            byte[] out = ref.invoke(List.of(bytes)).get(0);
            Tensor o = model.mainSubgraph().outputTensor(0);
            assertEquals(TensorValues.argmax(TensorValues.toFloats(o, out)), j.at("/runs/" + i + "/argmax").asInt(), "run " + i);
            if (i == expectedInputs.size() - 1 && o.type() == dev.tinysim.tflite.TensorType.INT8) {
                for (int k = 0; k < out.length; k++) {
                    assertEquals(out[k], j.at("/output/raw/" + k).asInt(), "output byte " + k);
                }
            }
        }
    }

    @Test
    void npyNpzAndCsvInputsFeedTheFirmware(@TempDir Path dir) throws IOException {
        List<ActivityData.Window> w = ActivityData.generate(DemoModels.EXAMPLE_SEED, 0, 3);
        Path npy = DataFiles.write(dir.resolve("w.npy"), DataFiles.npy("<f4", false, new int[] {3, 1, 64, 3},
                floats(w.get(0).values(), w.get(1).values(), w.get(2).values()), 1));
        Cli.Result r = Cli.run("run", "--model", DEMO_INT8.toString(), "--input", npy.toString(), "--runs", "3", "--format", "json");
        assertRunMatchesReference(r, int8, List.of(w.get(0).values(), w.get(1).values(), w.get(2).values()));
        assertEquals(npy + " (npy): data [3,1,64,3] float32; model input [1,1,64,3] int8: 3 samples, layout ok, quantized with scale "
                + "0.021859681 zero point 3; run i takes sample i modulo 3", json(r.out()).at("/input/source").asText());

        Map<String, byte[]> arrays = new LinkedHashMap<>();
        arrays.put("x", DataFiles.npy("<f4", false, new int[] {2, 192}, floats(w.get(1).values(), w.get(2).values()), 1));
        arrays.put("y", DataFiles.npyInt64(new int[] {2}, 1, 2));
        Path npz = DataFiles.write(dir.resolve("w.npz"), DataFiles.npz(arrays, true));
        assertRunMatchesReference(Cli.run("run", "--model", DEMO_F32.toString(), "--input", npz.toString(), "--array", "x", "--runs", "2",
                "--format", "json"), f32, List.of(w.get(1).values(), w.get(2).values()));

        // one window as 64 rows of x,y,z with a header: the whole table is one sample
        StringBuilder csv = new StringBuilder("x,y,z\n");
        float[] v = w.get(2).values();
        for (int t = 0; t < 64; t++) {
            csv.append(v[3 * t]).append(',').append(v[3 * t + 1]).append(',').append(v[3 * t + 2]).append('\n');
        }
        Path table = DataFiles.write(dir.resolve("w.csv"), csv.toString());
        Cli.Result c = Cli.run("run", "--model", DEMO_INT8.toString(), "--input", table.toString(), "--format", "json");
        assertRunMatchesReference(c, int8, List.of(v));
        assertEquals(table + " (csv with a header row): data [64,3] float32; model input [1,1,64,3] int8: 1 sample, layout ok, "
                + "quantized with scale 0.021859681 zero point 3; run i takes sample i", json(c.out()).at("/input/source").asText());
    }

    @Test
    void wavAndPngInputsFeedTheFirmware(@TempDir Path dir) throws IOException {
        // 384 float samples of audio are two inputs of 192 values for the demo's [1,1,64,3] input
        float[] audio = new float[384];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (float) Math.sin(i * 0.3) * 1.5f;
        }
        Path wav = DataFiles.write(dir.resolve("a.wav"), DataFiles.wavFloat(25, audio));
        Cli.Result r = Cli.run("run", "--model", DEMO_F32.toString(), "--input", wav.toString(), "--runs", "2", "--sample-rate", "25",
                "--format", "json");
        assertRunMatchesReference(r, f32, List.of(java.util.Arrays.copyOfRange(audio, 0, 192), java.util.Arrays.copyOfRange(audio, 192, 384)));
        short[] pcm = new short[192];
        float[] scaled = new float[192];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) (i * 300 - 28000);
            scaled[i] = pcm[i] / 32768f;
        }
        Path pcmWav = DataFiles.write(dir.resolve("p.wav"), DataFiles.wavPcm16(16000, pcm));
        assertRunMatchesReference(Cli.run("run", "--model", DEMO_INT8.toString(), "--input", pcmWav.toString(), "--format", "json"),
                int8, List.of(scaled));
        Cli.Result rate = Cli.run("run", "--model", DEMO_INT8.toString(), "--input", pcmWav.toString(), "--sample-rate", "8000");
        assertEquals(65, rate.exitCode());
        assertEquals("tinysim: " + pcmWav + ": sample rate 16000 Hz, but --sample-rate is 8000 Hz; tinysim does not resample "
                + "(resample it first, e.g. sox in.wav -r 8000 out.wav)\n", rate.err());

        // a 64x1 RGB image is an input of [1,1,64,3]: pixels scaled to 0..1 for the float model
        int[] px = new int[64];
        float[] expected = new float[192];
        for (int x = 0; x < 64; x++) {
            int red = 4 * x;
            int green = 255 - 3 * x;
            int blue = (x * 37) % 256;
            px[x] = red << 16 | green << 8 | blue;
            expected[3 * x] = red / 255f;
            expected[3 * x + 1] = green / 255f;
            expected[3 * x + 2] = blue / 255f;
        }
        Path png = DataFiles.write(dir.resolve("i.png"), DataFiles.image("png", 64, 1, px));
        Cli.Result p = Cli.run("run", "--model", DEMO_F32.toString(), "--input", png.toString(), "--format", "json");
        assertRunMatchesReference(p, f32, List.of(expected));
        assertTrue(json(p.out()).at("/input/source").asText().startsWith(png + " (image, resized to 1x64, rgb, pixels scaled to 0..1 "
                + "(the default for a float input; --scale 0..255 or -1..1 if the model was trained so)): data [1,64,3] float32"), p.out());
    }

    @Test
    void badDataFilesAreOneLineWithTheirExitCode(@TempDir Path dir) {
        Path corrupt = DataFiles.write(dir.resolve("c.npy"), "not numpy".getBytes());
        Cli.Result r = Cli.run("run", "--model", DEMO_INT8.toString(), "--input", corrupt.toString());
        assertEquals(65, r.exitCode());
        assertEquals("tinysim: " + corrupt + ": not a .npy file (it does not start with \\x93NUMPY)\n", r.err());
        assertEquals("", r.out());
        Cli.Result missing = Cli.run("validate", DEMO_INT8.toString(), "--dataset", dir.resolve("none.npz").toString());
        assertEquals(66, missing.exitCode());
        assertEquals("tinysim: " + dir.resolve("none.npz") + ": no such file\n", missing.err());
        Path wide = DataFiles.write(dir.resolve("w.npy"), DataFiles.npyFloat32(new int[] {2, 4}, new float[8]));
        Cli.Result shape = Cli.run("compare", "--float", DEMO_F32.toString(), "--int8", DEMO_INT8.toString(), "--dataset", wide.toString());
        assertEquals(65, shape.exitCode());
        assertEquals("tinysim: " + wide + ": data [2,4] float32; model input [1,1,64,3] float32: 4 values per sample (the first "
                + "dimension counts the samples), the input takes 192\n", shape.err());
        Cli.Result both = Cli.run("compare", "--float", DEMO_F32.toString(), "--int8", DEMO_INT8.toString(), "--dataset", wide.toString(),
                "--inputs", "5");
        assertEquals(64, both.exitCode());
        assertEquals("tinysim: --dataset gives the inputs; --inputs and --seed choose generated ones\n", both.err());
        Cli.Result budget = Cli.run("compare", "--float", DEMO_F32.toString(), "--int8", DEMO_INT8.toString(), "--max-accuracy-drop", "1");
        assertEquals(64, budget.exitCode());
        Cli.Result scale = Cli.run("run", "--model", DEMO_INT8.toString(), "--input", wide.toString(), "--scale", "0..2");
        assertEquals(64, scale.exitCode());
        assertEquals("tinysim: --scale: '0..2' is not 0..1, -1..1 or 0..255\n", scale.err());
    }

    /** The held-out windows the demo uses, with their labels, as a .npz and as a folder of class folders of .csv files. */
    static Path heldOut(Path dir, int n) {
        List<ActivityData.Window> w = ActivityData.generate(DemoModels.EXAMPLE_SEED, 0, n);
        float[][] values = new float[n][];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = w.get(i).values();
            labels[i] = w.get(i).label();
        }
        Map<String, byte[]> arrays = new LinkedHashMap<>();
        arrays.put("x", DataFiles.npy("<f4", false, new int[] {n, 1, 64, 3}, floats(values), 1));
        arrays.put("y", DataFiles.npyInt64(new int[] {n}, labels));
        return DataFiles.write(dir.resolve("held_out.npz"), DataFiles.npz(arrays, false));
    }

    @Test
    void compareAndValidateOnLabelledDataGiveTheIndependentEvaluationsFigures(@TempDir Path dir) throws IOException {
        int n = 60;
        Path npz = heldOut(dir, n);
        DemoModels.Evaluation e = DemoModels.evaluate(f32, int8, ActivityData.generate(DemoModels.EXAMPLE_SEED, 0, n));
        Cli.Result c = Cli.run("compare", "--float", DEMO_F32.toString(), "--int8", DEMO_INT8.toString(), "--dataset", npz.toString(),
                "--array", "x", "--labels", "y", "--format", "json", "--max-accuracy-drop", "5");
        assertEquals(0, c.exitCode(), c.err());
        JsonNode a = json(c.out()).get("accuracy");
        assertEquals(n, a.get("count").asInt());
        assertFalse(a.get("synthetic").asBoolean());
        assertEquals(e.floatAccuracy(), a.get("float32").asDouble(), 1e-6);
        assertEquals(e.int8Accuracy(), a.get("int8").asDouble(), 1e-6);
        assertEquals(e.floatAccuracy() - e.int8Accuracy(), a.get("drop").asDouble(), 1e-6);
        assertEquals(e.agreement(), a.get("agreement").asDouble(), 1e-6);
        assertEquals(3, a.get("deviceSamples").asInt());
        assertTrue(a.get("deviceBitExact").asBoolean());
        for (int t = 0; t < 4; t++) {
            for (int p = 0; p < 4; p++) {
                assertEquals(e.int8Confusion()[t][p], a.at("/labelled/confusion/int8/" + t + "/" + p).asInt());
                assertEquals(e.floatConfusion()[t][p], a.at("/labelled/confusion/float32/" + t + "/" + p).asInt());
            }
        }
        JsonNode budget = json(c.out()).at("/budgets/0");
        assertEquals("--max-accuracy-drop", budget.get("option").asText());
        assertEquals("points", budget.get("unit").asText());
        assertEquals(0, budget.get("exceeded").size());
        assertEquals(2, a.get("data").size());
        assertTrue(a.at("/data/1").asText().startsWith("demo_int8.tflite: data [60,1,64,3] float32; model input [1,1,64,3] int8: 60 samples, "
                + "layout ok, quantized with scale 0.021859681 zero point 3"), a.toString());

        // the same windows as class folders (named by index: the model's class order) of one .csv row each
        Path folder = dir.resolve("windows");
        List<ActivityData.Window> w = ActivityData.generate(DemoModels.EXAMPLE_SEED, 0, n);
        for (int i = 0; i < n; i++) {
            StringBuilder row = new StringBuilder();
            for (float v : w.get(i).values()) {
                row.append(row.isEmpty() ? "" : ",").append(v);
            }
            DataFiles.write(folder.resolve(w.get(i).label() + "/w" + String.format("%03d", i) + ".csv"), row + "\n");
        }
        Cli.Result v = Cli.run("validate", DEMO_INT8.toString(), "--float", DEMO_F32.toString(), "--dataset", folder.toString(),
                "--format", "json", "--device-samples", "2");
        assertEquals(0, v.exitCode(), v.err());
        JsonNode m = json(v.out());
        assertEquals(n, m.at("/metrics/count").asInt());
        assertEquals(e.int8Accuracy(), m.at("/metrics/model/accuracy").asDouble(), 1e-6);
        assertEquals(e.floatAccuracy(), m.at("/metrics/reference/accuracy").asDouble(), 1e-6);
        assertEquals(e.agreement(), m.at("/metrics/agreement").asDouble(), 1e-6);
        assertEquals(2, m.at("/device/samples").asInt());
        assertTrue(m.at("/device/bitExact").asBoolean());
        assertEquals(0, m.at("/device/mismatches").size());
        assertEquals("ok", m.at("/result/kind").asText());
        assertTrue(m.at("/data/labelled").asBoolean());

        Cli.Result text = Cli.run("validate", DEMO_INT8.toString(), "--dataset", npz.toString(), "--array", "x", "--labels", "y");
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("\ndevice: 3 samples on nrf52840 (runtime-m4f.elf, simd kernels): bit-exact with the reference "
                + "interpreter (3 of 3); "), text.out());
        assertTrue(text.out().contains(String.format(java.util.Locale.ROOT, "  top-1 accuracy   int8 %.1f%% (%d of %d)\n",
                100 * e.int8Accuracy(), Math.round(e.int8Accuracy() * n), n)), text.out());
        assertTrue(text.out().contains("  confusion matrix of demo_int8.tflite (rows: true class, columns: predicted)\n"), text.out());
    }

    @Test
    void anAccuracyDropOverTheBudgetExits68(@TempDir Path dir) throws IOException {
        // random inputs on the KWS pair: int8 picks float32's class on few of them; labelled with float32's own picks,
        // float32 is 100 % "accurate" and int8's accuracy is its agreement
        TfliteModel kf = TfliteReader.read(dev.tinysim.tflite.Models.DIR.resolve("kws_ref_model_float32.tflite"));
        int n = 12;
        float[][] x = new float[n][490];
        long[] y = new long[n];
        java.util.Random rnd = new java.util.Random(7);
        ReferenceInterpreter ref = ReferenceInterpreter.prepare(kf);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 490; k++) {
                x[i][k] = (float) (rnd.nextGaussian() * 20);
            }
            y[i] = TensorValues.argmax(TensorValues.toFloats(kf.mainSubgraph().outputTensor(0),
                    ref.invoke(List.of(TensorValues.fromFloats(x[i]))).get(0)));
        }
        Path xs = DataFiles.write(dir.resolve("x.npy"), DataFiles.npy("<f4", false, new int[] {n, 49, 10}, floats(x), 1));
        Path ys = DataFiles.write(dir.resolve("y.npy"), DataFiles.npyInt64(new int[] {n}, y));
        Cli.Result r = Cli.run("validate", dev.tinysim.tflite.Models.DIR.resolve("kws_ref_model.tflite").toString(), "--float",
                dev.tinysim.tflite.Models.DIR.resolve("kws_ref_model_float32.tflite").toString(), "--dataset", xs.toString(),
                "--labels", ys.toString(), "--device-samples", "0", "--max-accuracy-drop", "5", "--format", "json");
        assertEquals(68, r.exitCode(), r.err());
        JsonNode j = json(r.out());
        assertEquals(1.0, j.at("/metrics/reference/accuracy").asDouble());
        double drop = j.at("/metrics/drop").asDouble();
        assertEquals(1.0 - j.at("/metrics/agreement").asDouble(), drop, 1e-6);
        assertTrue(drop > 0.05, "drop " + drop);
        assertEquals("budget-exceeded", j.at("/result/kind").asText());
        assertEquals(String.format(java.util.Locale.ROOT, "budget --max-accuracy-drop 5 exceeded: kws_ref_model.tflite loses %.2f points "
                + "of top-1 accuracy against float32 (limit 5 points)", 100 * drop), j.at("/result/message").asText());
        assertTrue(j.get("device").isNull());
    }

    @Test
    void theDemosExportedDataFeedQuantizeAndValidate(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("demo-data");
        Cli.Result demo = Cli.run("demo", "--export-data", data.toString(), "--inputs", "40", "--no-report", "-q");
        assertEquals(0, demo.exitCode(), demo.err());
        assertTrue(demo.out().contains("  tinysim validate my_int8.tflite --float " + data.resolve("demo_f32.tflite") + " --dataset "
                + data.resolve("held_out.npz") + " --array x --labels y --class-names idle,walking,running,shaking\n"), demo.out());
        assertArrayEquals(Files.readAllBytes(DEMO_F32), Files.readAllBytes(data.resolve("demo_f32.tflite")));
        NpyReader.Array cal = NpyReader.read(Files.readAllBytes(data.resolve("calibration.npy")), "calibration.npy");
        assertEquals(List.of(256, 1, 64, 3), cal.shape());
        assertArrayEquals(ActivityData.window(DemoModels.RECIPE.dataSeed(), 255).values(),
                java.util.Arrays.copyOfRange(cal.values(), 255 * 192, 256 * 192));
        Map<String, NpyReader.Array> held = NpzReader.read(data.resolve("held_out.npz"));
        assertEquals(List.of(40), held.get("y").shape());
        assertEquals(DataType.INT64, held.get("y").type());

        // the README's two commands: quantize gives the committed int8 model (but its description), validate its figures
        Path q = dir.resolve("my_int8.tflite");
        Cli.Result quantize = Cli.run("quantize", data.resolve("demo_f32.tflite").toString(), "--calibration",
                data.resolve("calibration.npy").toString(), "-o", q.toString());
        assertEquals(0, quantize.exitCode(), quantize.err());
        assertEquals(TfliteReader.read(DEMO_INT8).subgraphs(), TfliteReader.read(q).subgraphs());
        Cli.Result v = Cli.run("validate", q.toString(), "--float", data.resolve("demo_f32.tflite").toString(), "--dataset",
                data.resolve("held_out.npz").toString(), "--array", "x", "--labels", "y", "--class-names", "idle,walking,running,shaking",
                "--format", "json");
        assertEquals(0, v.exitCode(), v.err());
        JsonNode j = json(v.out());
        DemoModels.Evaluation e = DemoModels.evaluate(f32, int8, ActivityData.generate(DemoModels.EXAMPLE_SEED, 0, 40));
        assertEquals(e.int8Accuracy(), j.at("/metrics/model/accuracy").asDouble(), 1e-6);
        assertEquals(List.of("idle", "walking", "running", "shaking"), List.of(j.at("/metrics/classes/0").asText(),
                j.at("/metrics/classes/1").asText(), j.at("/metrics/classes/2").asText(), j.at("/metrics/classes/3").asText()));
        assertEquals("shaking", j.at("/metrics/model/perClass/3/name").asText());
    }

    @Test
    void theDemoShowsTheAccuracyValidateGivesOnItsHeldOutWindows(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("demo-data");
        Path report = dir.resolve("demo.json");
        Cli.Result demo = Cli.run("demo", "--export-data", data.toString(), "--inputs", "40", "--report", report.toString(), "-q");
        assertEquals(0, demo.exitCode(), demo.err());
        JsonNode a = json(Files.readString(report)).get("accuracy");
        assertEquals(40, a.get("count").asInt());
        Cli.Result v = Cli.run("validate", DEMO_INT8.toString(), "--float", DEMO_F32.toString(), "--dataset",
                data.resolve("held_out.npz").toString(), "--array", "x", "--labels", "y", "--format", "json");
        JsonNode j = json(v.out());
        assertEquals(0, v.exitCode(), v.err());
        assertEquals(j.at("/metrics/reference/accuracy").asDouble(), a.get("float32").asDouble(), 1e-6);
        assertEquals(j.at("/metrics/model/accuracy").asDouble(), a.get("int8").asDouble(), 1e-6);
        assertEquals(j.at("/metrics/model/confusion").toString(), a.at("/labelled/confusion/int8").toString());
    }
}
