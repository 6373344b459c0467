package dev.tinysim.data;

import dev.tinysim.reference.TensorValues;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** How data meets a model input: samples, layout, quantization, labels, and the one-line messages. */
class BindingTest {
    private static final Tensor KWS_INT8 = new Tensor("input_1", TensorType.INT8, List.of(1, 49, 10, 1), 0,
            Quantization.perTensor(0.52f, -2));
    private static final Tensor KWS_FLOAT = new Tensor("input_1", TensorType.FLOAT32, List.of(1, 49, 10, 1), 0, Quantization.NONE);

    private static float[] ramp(int n, float step) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i % 97 - 48) * step;
        }
        return v;
    }

    @Test
    void theFirstDimensionCountsTheSamplesAndFloatDataIsQuantizedWithTheInputsParameters() {
        float[] values = ramp(100 * 490, 0.25f);
        Dataset d = Dataset.single("kws.npy", "npy", DataType.FLOAT32, List.of(100, 49, 10), values);
        Binding b = Binding.bind(d, KWS_INT8, null);
        assertEquals("data [100,49,10] float32; model input [1,49,10,1] int8: 100 samples, layout ok, quantized with scale 0.52 zero point -2",
                b.description());
        assertEquals(100, b.size());
        for (int s : new int[] {0, 57, 99}) {
            float[] one = java.util.Arrays.copyOfRange(values, s * 490, s * 490 + 490);
            assertArrayEquals(TensorValues.quantize(KWS_INT8, one), b.inputs().get(s), "sample " + s);
        }
        Binding f = Binding.bind(d, KWS_FLOAT, 10);
        assertEquals("data [100,49,10] float32; model input [1,49,10,1] float32: 10 samples (the first 10 of 100), layout ok, as float32",
                f.description());
        assertArrayEquals(TensorValues.fromFloats(java.util.Arrays.copyOfRange(values, 490, 980)), f.inputs().get(1));
    }

    @Test
    void oneInputsWorthIsOneSampleAndFlatRowsAreReshaped() {
        Dataset one = Dataset.single("x.npy", "npy", DataType.FLOAT32, List.of(49, 10), new float[490]);
        assertEquals(1, Binding.bind(one, KWS_FLOAT, null).size());
        Dataset rows = Dataset.single("x.csv", "csv", DataType.FLOAT32, List.of(3, 490), new float[3 * 490]);
        assertEquals("data [3,490] float32; model input [1,49,10,1] float32: 3 samples, each sample's [490] taken as [1,49,10,1] "
                + "in row-major order, as float32", Binding.bind(rows, KWS_FLOAT, null).description());
        Dataset audio = Dataset.single("a.wav", "wav", DataType.FLOAT32, List.of(980), new float[980]);
        assertEquals(2, Binding.bind(audio, KWS_FLOAT, null).size());
    }

    @Test
    void mismatchesSayWhatTheDataIsAndWhatTheModelWants() {
        Dataset wide = Dataset.single("w.npy", "npy", DataType.FLOAT32, List.of(100, 49, 12), new float[100 * 588]);
        DataException e = assertThrows(DataException.class, () -> Binding.bind(wide, KWS_INT8, null));
        assertEquals(DataException.Kind.MISMATCH, e.kind());
        assertEquals("w.npy: data [100,49,12] float32; model input [1,49,10,1] int8: 588 values per sample (the first dimension "
                + "counts the samples), the input takes 490", e.getMessage());
        Dataset audio = Dataset.single("a.wav", "wav", DataType.FLOAT32, List.of(16000), new float[16000]);
        assertEquals("a.wav: data [16000] float32; model input [1,49,10,1] int8: 16000 values, not a multiple of the 490 the input takes",
                assertThrows(DataException.class, () -> Binding.bind(audio, KWS_INT8, null)).getMessage());
        Tensor unquantized = new Tensor("x", TensorType.INT8, List.of(1, 2), 0, Quantization.NONE);
        Dataset floats = Dataset.single("f.npy", "npy", DataType.FLOAT32, List.of(2), new float[] {0.5f, 1});
        assertEquals("f.npy: data [2] float32; model input [1,2] int8: the input has no scale and zero point to quantize float32 data "
                + "with; give int8 data", assertThrows(DataException.class, () -> Binding.bind(floats, unquantized, null)).getMessage());
        Dataset nan = Dataset.single("n.npy", "npy", DataType.FLOAT32, List.of(2, 2), new float[] {0, 1, Float.NaN, 2});
        DataException bad = assertThrows(DataException.class, () -> Binding.bind(nan,
                new Tensor("x", TensorType.FLOAT32, List.of(1, 2), 0, Quantization.NONE), null));
        assertEquals(DataException.Kind.CORRUPT, bad.kind());
        assertEquals("n.npy: sample 1 holds NaN; data must be finite numbers", bad.getMessage());
    }

    @Test
    void int8DataIsPassedAsCodesAndCodesAreDequantizedForAFloatInput() {
        Tensor q = new Tensor("x", TensorType.INT8, List.of(1, 3), 0, Quantization.perTensor(0.5f, 10));
        Tensor f = new Tensor("x", TensorType.FLOAT32, List.of(1, 3), 0, Quantization.NONE);
        Dataset codes = Dataset.single("c.bin", "raw int8 tensor bytes", DataType.INT8, List.of(3), new float[] {-128, 10, 127})
                .withCodes(new Dataset.Codes(0.5f, 10));
        Binding toInt8 = Binding.bind(codes, q, null);
        assertArrayEquals(new byte[] {-128, 10, 127}, toInt8.inputs().get(0));
        assertEquals("data [3] int8; model input [1,3] int8: 1 sample, layout as stored, int8 values passed as they are "
                + "(codes of the input's scale 0.5 zero point 10)", toInt8.description());
        Binding toFloat = Binding.bind(codes, f, null);
        assertArrayEquals(TensorValues.fromFloats(new float[] {-69f, 0f, 58.5f}), toFloat.inputs().get(0));
        assertEquals("data [3] int8; model input [1,3] float32: 1 sample, layout as stored, dequantized from int8 codes with scale 0.5 "
                + "zero point 10", toFloat.description());
        // uint8 pixels for an int8 input are real values: quantized (and some clamped)
        Dataset u8 = Dataset.single("u.npy", "npy", DataType.UINT8, List.of(3), new float[] {0, 40, 255});
        Binding b = Binding.bind(u8, q, null);
        assertArrayEquals(new byte[] {10, 90, 127}, b.inputs().get(0));
        assertEquals("data [3] uint8; model input [1,3] int8: 1 sample, layout ok, quantized with scale 0.5 zero point 10; "
                + "1 of 3 values (33.3%) clamped to the int8 range", b.description());
    }

    @Test
    void labelsFollowTheSamples() {
        Tensor in = new Tensor("x", TensorType.FLOAT32, List.of(1, 2), 0, Quantization.NONE);
        Dataset d = Dataset.single("x.npy", "npy", DataType.FLOAT32, List.of(3, 2), new float[6]).withLabels(new int[] {2, 0, 1}, null);
        Binding b = Binding.bind(d, in, 2);
        assertArrayEquals(new int[] {2, 0}, b.labels());
        b.checkLabels(3, "[1,3]");
        DataException e = assertThrows(DataException.class, () -> b.checkLabels(2, "[1,2]"));
        assertEquals("label 2 of sample 0 is not a class of the model's output [1,2] (classes 0..1)", e.getMessage());
        Dataset wrong = d.withLabels(new int[] {1, 2}, null);
        assertEquals("x.npy: data [3,2] float32; model input [1,2] float32: 3 samples but 2 labels",
                assertThrows(DataException.class, () -> Binding.bind(wrong, in, null)).getMessage());
        assertNull(Binding.bind(Dataset.single("y", "npy", DataType.FLOAT32, List.of(2), new float[2]), in, null).labels());
    }
}
