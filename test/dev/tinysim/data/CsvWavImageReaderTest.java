package dev.tinysim.data;

import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** .csv, .wav and images: values exactly, options, and each refusal. */
class CsvWavImageReaderTest {

    private static CsvReader.Table csv(String text, String labelColumn) {
        return CsvReader.read(text.getBytes(StandardCharsets.UTF_8), "t.csv", labelColumn);
    }

    @Test
    void csvHeadersLabelColumnsAndSeparators() {
        CsvReader.Table plain = csv("1,2,3\n4,5.5,-6e-1\n", null);
        assertEquals(List.of(2, 3), plain.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5.5f, -0.6f}, plain.values());
        assertNull(plain.header());
        assertNull(plain.labels());

        CsvReader.Table named = csv("\uFEFFa,b,label\n# a comment\n\n1,2,cat\n3,4,dog\n", "label");
        assertEquals(List.of("a", "b", "label"), named.header());
        assertEquals(List.of(2, 2), named.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4}, named.values());
        assertEquals(List.of("cat", "dog"), named.labels());

        CsvReader.Table byIndex = csv("7;1;2\n3;4;5\r\n", "0");
        assertArrayEquals(new float[] {1, 2, 4, 5}, byIndex.values());
        assertEquals(List.of("7", "3"), byIndex.labels());
        CsvReader.Table last = csv("1\t2\t9\n", "-1");
        assertEquals(List.of("9"), last.labels());
        CsvReader.Table spaces = csv("1.0 2.0  3.0\n4 5 6\n", null);   // numpy.savetxt's default
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, spaces.values());
        CsvReader.Table quoted = csv("\"x,1\",\"y\"\n\"1\",2\n", null);
        assertEquals(List.of("x,1", "y"), quoted.header());
        assertArrayEquals(new float[] {1, 2}, quoted.values());
    }

    @Test
    void csvRefusals() {
        DataException bad = assertThrows(DataException.class, () -> csv("1,2\n3,x\n", null));
        assertEquals("t.csv: line 2, column 2: 'x' is not a number", bad.getMessage());
        assertEquals(DataException.Kind.CORRUPT, bad.kind());
        DataException ragged = assertThrows(DataException.class, () -> csv("1,2\n3\n", null));
        assertEquals("t.csv: line 2 has 1 fields, the first row has 2", ragged.getMessage());
        DataException col = assertThrows(DataException.class, () -> csv("a,b\n1,2\n", "c"));
        assertEquals(DataException.Kind.USAGE, col.kind());
        assertEquals("--label-column c: t.csv has no column of that name (first row: a, b)", col.getMessage());
        DataException range = assertThrows(DataException.class, () -> csv("1,2\n", "5"));
        assertEquals("--label-column 5: t.csv has 2 columns (0..1, or -1 for the last)", range.getMessage());
        assertEquals("t.csv: no rows (the .csv file is empty)",
                assertThrows(DataException.class, () -> csv("\n# only a comment\n", null)).getMessage());
    }

    @Test
    void wavPcmIsScaledAndFloatIsKept() {
        WavReader.Audio pcm = WavReader.read(DataFiles.wavPcm16(16000, (short) -32768, (short) 0, (short) 16384, (short) 32767),
                "a.wav", 16000);
        assertEquals("16-bit PCM", pcm.encoding());
        assertArrayEquals(new float[] {-1f, 0f, 0.5f, 32767 / 32768f}, pcm.values());
        WavReader.Audio f = WavReader.read(DataFiles.wavFloat(8000, 0.25f, -0.75f, 1.5f), "b.wav", null);
        assertEquals(8000, f.sampleRate());
        assertArrayEquals(new float[] {0.25f, -0.75f, 1.5f}, f.values());
    }

    @Test
    void wavRefusals() {
        DataException rate = assertThrows(DataException.class,
                () -> WavReader.read(DataFiles.wavPcm16(44100, (short) 1), "a.wav", 16000));
        assertEquals(DataException.Kind.MISMATCH, rate.kind());
        assertEquals("a.wav: sample rate 44100 Hz, but --sample-rate is 16000 Hz; tinysim does not resample "
                + "(resample it first, e.g. sox in.wav -r 16000 out.wav)", rate.getMessage());
        DataException stereo = assertThrows(DataException.class,
                () -> WavReader.read(DataFiles.wav(1, 2, 16000, 16, new byte[8]), "s.wav", null));
        assertEquals("s.wav: 2 channels; tinysim reads mono WAV files and does not mix them down (e.g. sox in.wav -c 1 out.wav)",
                stereo.getMessage());
        DataException eight = assertThrows(DataException.class,
                () -> WavReader.read(DataFiles.wav(1, 1, 16000, 8, new byte[8]), "e.wav", null));
        assertEquals("e.wav: 8-bit PCM audio; tinysim reads 16-bit PCM and 32-bit float WAV files "
                + "(convert it, e.g. sox in.wav -b 16 -e signed-integer out.wav)", eight.getMessage());
        byte[] ok = DataFiles.wavPcm16(16000, (short) 1, (short) 2, (short) 3);
        byte[] truncated = java.util.Arrays.copyOf(ok, ok.length - 2);
        assertEquals("t.wav: truncated: the data chunk says 6 bytes, the file has 4",
                assertThrows(DataException.class, () -> WavReader.read(truncated, "t.wav", null)).getMessage());
        assertEquals("n.wav: not a WAV file (no RIFF/WAVE header)",
                assertThrows(DataException.class, () -> WavReader.read(new byte[20], "n.wav", null)).getMessage());
    }

    private static Tensor image(int h, int w, int c) {
        return new Tensor("img", TensorType.FLOAT32, c == 0 ? List.of(1, h, w) : List.of(1, h, w, c), 0, Quantization.NONE);
    }

    @Test
    void anImageOfTheInputsSizeIsTakenPixelForPixel() {
        int[] px = {0xff0000, 0x00ff00, 0x0000ff, 0x808080, 0x102030, 0xffffff};
        for (String format : List.of("png", "bmp")) {
            byte[] png = DataFiles.image(format, 3, 2, px);
            float[] rgb = ImageReader.read(png, "i." + format, 2, 3, ImageOptions.Channels.RGB, ImageOptions.Resize.STRETCH,
                    ImageOptions.PixelScale.BYTE);
            assertArrayEquals(new float[] {255, 0, 0, 0, 255, 0, 0, 0, 255, 128, 128, 128, 16, 32, 48, 255, 255, 255}, rgb, format);
            float[] bgr = ImageReader.read(png, "i", 2, 3, ImageOptions.Channels.BGR, ImageOptions.Resize.STRETCH,
                    ImageOptions.PixelScale.UNIT);
            assertArrayEquals(new float[] {0, 0, 1, 0, 1, 0, 1, 0, 0}, java.util.Arrays.copyOf(bgr, 9), format);
            float[] signed = ImageReader.read(png, "i", 2, 3, ImageOptions.Channels.RGB, ImageOptions.Resize.STRETCH,
                    ImageOptions.PixelScale.SIGNED);
            assertEquals(1f, signed[0]);
            assertEquals(-1f, signed[1]);
            float[] gray = ImageReader.read(png, "i", 2, 3, ImageOptions.Channels.GRAY, ImageOptions.Resize.STRETCH,
                    ImageOptions.PixelScale.BYTE);
            assertEquals(0.2989f * 255, gray[0], 1e-4);
            assertEquals(0.5870f * 255, gray[1], 1e-4);
            assertEquals(128f, gray[3], 0.02);   // the weights add up to 0.9999
        }
        // JPEG is lossy: the values are close, not equal
        float[] jpg = ImageReader.read(DataFiles.image("jpg", 2, 2, 0x808080, 0x808080, 0x808080, 0x808080), "i.jpg", 2, 2,
                ImageOptions.Channels.RGB, ImageOptions.Resize.STRETCH, ImageOptions.PixelScale.BYTE);
        for (float v : jpg) {
            assertEquals(128f, v, 3f);
        }
    }

    @Test
    void grayPngsKeepTheirRasterValues() {
        // an sRGB conversion (BufferedImage.getRGB) would turn 100 into about 168
        float[] v = ImageReader.read(DataFiles.grayPng(2, 1, 100, 200), "g.png", 1, 2, ImageOptions.Channels.GRAY,
                ImageOptions.Resize.STRETCH, ImageOptions.PixelScale.BYTE);
        assertArrayEquals(new float[] {100, 200}, v);
    }

    @Test
    void resizingIsBilinearWithHalfPixelCentresAndCropTakesTheMiddle() {
        // 2 pixels wide to 4: output x samples source (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 (clamped at the edges)
        byte[] two = DataFiles.grayPng(2, 1, 0, 100);
        float[] up = ImageReader.read(two, "u", 1, 4, ImageOptions.Channels.GRAY, ImageOptions.Resize.STRETCH,
                ImageOptions.PixelScale.BYTE);
        assertArrayEquals(new float[] {0, 25, 75, 100}, up, 1e-3f);
        // 4x1 to 2x1: samples at 0.5 and 2.5
        byte[] four = DataFiles.grayPng(4, 1, 0, 10, 20, 30);
        assertArrayEquals(new float[] {5, 25}, ImageReader.read(four, "d", 1, 2, ImageOptions.Channels.GRAY,
                ImageOptions.Resize.STRETCH, ImageOptions.PixelScale.BYTE), 1e-3f);
        // crop a 4x1 image to a 1x1 input: the middle 1x1 region is pixel 1 (x0 = (4 - 1) / 2)
        assertArrayEquals(new float[] {10}, ImageReader.read(four, "c", 1, 1, ImageOptions.Channels.GRAY,
                ImageOptions.Resize.CROP, ImageOptions.PixelScale.BYTE), 1e-3f);
        // stretching averages all four into one sample at x = 1.5
        assertArrayEquals(new float[] {15}, ImageReader.read(four, "s", 1, 1, ImageOptions.Channels.GRAY,
                ImageOptions.Resize.STRETCH, ImageOptions.PixelScale.BYTE), 1e-3f);
    }

    @Test
    void imagesNeedAnImageInputAndTheRightChannels(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path p = DataFiles.write(dir.resolve("a.png"), DataFiles.image("png", 2, 2, 1, 2, 3, 4));
        DataException notImage = assertThrows(DataException.class, () -> DataReader.read(p, DataOptions.DEFAULT,
                new DataReader.Target(new Tensor("x", TensorType.FLOAT32, List.of(1, 490), 0, Quantization.NONE), null)));
        assertEquals(p + ": an image, but model input [1,490] float32 is not one (an image needs [1,H,W,C] with C 1 or 3, or [1,H,W])",
                notImage.getMessage());
        DataOptions gray = new DataOptions(null, null, null, null, new ImageOptions(null, ImageOptions.Channels.GRAY, null), null);
        DataException channels = assertThrows(DataException.class, () -> DataReader.read(p, gray,
                new DataReader.Target(image(4, 4, 3), null)));
        assertEquals(p + ": --channels gray makes 1 channel, model input [1,4,4,3] has 3", channels.getMessage());
        Dataset d = DataReader.read(p, DataOptions.DEFAULT, new DataReader.Target(image(4, 4, 0), null));
        assertEquals(List.of(4, 4, 1), d.parts().get(0).shape());
        assertTrue(d.format().contains("gray, pixels scaled to 0..1 (the default for a float input"), d.format());
        // an int8 input whose real range is [0, 255] gets pixels as they are
        Tensor q = new Tensor("q", TensorType.INT8, List.of(1, 4, 4, 3), 0, Quantization.perTensor(1f, -128));
        assertTrue(DataReader.read(p, DataOptions.DEFAULT, new DataReader.Target(q, q)).format()
                .endsWith("rgb, pixels scaled to 0..255 (the int8 input's range; --scale to change)"));
        assertEquals(ImageOptions.PixelScale.SIGNED, ImageOptions.PixelScale.forRange(1 / 128f, 0));
        assertEquals(ImageOptions.PixelScale.UNIT, ImageOptions.PixelScale.forRange(1 / 255f, -128));
    }
}
