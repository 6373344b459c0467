package dev.tinysim.quantize;

import dev.tinysim.reference.InputGenerator;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.tflite.Models;
import dev.tinysim.tflite.Operator;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our quantizer against real TensorFlow Lite converter output: the MLPerf Tiny int8 models and their
 * float twins (the shared MLPerf Tiny models, read-only test data). The converter stored each activation's calibrated
 * min/max in the int8 models, so its calibration can be replayed: with those ranges, quantizing the
 * float model must reproduce the converter's int8 model exactly (every scale, zero point, weight,
 * bias, operator and version), and both must give the same output bytes.
 */
class TfliteConverterParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"kws_ref_model.tflite", "pretrainedResnet_quant.tflite", "ad01_int8.tflite"})
    void activationParametersFromTheConvertersRangesAreTheConvertersParameters(String name) {
        TfliteModel q = Models.model(name);
        int checked = 0;
        for (Tensor t : q.mainSubgraph().tensors()) {
            Quantization qq = t.quantization();
            if (q.isConstant(t) || t.type() != TensorType.INT8 || qq.min().size() != 1) {
                continue;
            }
            QuantizationMath.Affine a = QuantizationMath.asymmetric(qq.min().get(0), qq.max().get(0));
            assertEquals(qq.scaleValue(), a.scale(), t.name() + " scale");
            assertEquals(qq.zeroPointValue(), a.zeroPoint(), t.name() + " zero point");
            checked++;
        }
        assertTrue(checked >= 10, "only " + checked + " activations carry min/max");
    }

    @ParameterizedTest
    @CsvSource({"pretrainedResnet.tflite, pretrainedResnet_quant.tflite", "ad01_fp32.tflite, ad01_int8.tflite"})
    void replayingTheConvertersCalibrationReproducesItsInt8Model(String floatName, String int8Name) {
        TfliteModel f = Models.model(floatName);
        TfliteModel theirs = Models.model(int8Name);
        Subgraph gf = f.mainSubgraph();
        Subgraph gq = theirs.mainSubgraph();
        assertEquals(gf.operators().size(), gq.operators().size());
        Map<Integer, Calibration.Range> ranges = new TreeMap<>();
        record(ranges, gf.inputs().get(0), gq.inputTensor(0));
        for (int i = 0; i < gf.operators().size(); i++) {
            record(ranges, gf.operators().get(i).output(0), gq.tensor(gq.operators().get(i).output(0)));
        }
        TfliteModel ours = PostTrainingQuantizer.quantize(f, Calibration.of(ranges, 1), PostTrainingQuantizer.Options.DEFAULT);
        Subgraph go = ours.mainSubgraph();
        assertEquals(gq.operators().size(), go.operators().size());
        for (int i = 0; i < gq.operators().size(); i++) {
            Operator a = gq.operators().get(i);
            Operator b = go.operators().get(i);
            assertEquals(theirs.operatorCode(a), ours.operatorCode(b), "operator " + i);
            assertEquals(a.options(), b.options(), "operator " + i + " options");
            for (int k = 0; k < a.inputs().size(); k++) {
                sameTensor(theirs, gq.tensor(a.input(k)), ours, go.tensor(b.input(k)), "operator " + i + " input " + k);
            }
            sameTensor(theirs, gq.tensor(a.output(0)), ours, go.tensor(b.output(0)), "operator " + i + " output");
        }
        ReferenceInterpreter r1 = ReferenceInterpreter.prepare(theirs);
        ReferenceInterpreter r2 = ReferenceInterpreter.prepare(ours);
        for (long seed = 1; seed <= 3; seed++) {
            List<byte[]> in = List.of(InputGenerator.random(gq.inputTensor(0), seed));
            assertArrayEquals(r1.invoke(in).get(0), r2.invoke(in).get(0), "output for seed " + seed);
        }
    }

    private static void record(Map<Integer, Calibration.Range> ranges, int floatTensor, Tensor quantized) {
        Quantization q = quantized.quantization();
        if (q.min().size() == 1) {
            ranges.put(floatTensor, new Calibration.Range(q.min().get(0), q.max().get(0)));
        }
    }

    private static void sameTensor(TfliteModel ma, Tensor a, TfliteModel mb, Tensor b, String what) {
        assertEquals(a.type(), b.type(), what + " type");
        assertEquals(a.shape(), b.shape(), what + " shape");
        assertEquals(a.quantization().scale(), b.quantization().scale(), what + " scales");
        assertEquals(a.quantization().zeroPoint(), b.quantization().zeroPoint(), what + " zero points");
        if (a.quantization().isPerChannel()) {
            assertEquals(a.quantization().quantizedDimension(), b.quantization().quantizedDimension(), what + " dimension");
        }
        assertEquals(ma.isConstant(a), mb.isConstant(b), what + " constness");
        if (ma.isConstant(a)) {
            assertArrayEquals(ma.buffers().get(a.buffer()).toByteArray(), mb.buffers().get(b.buffer()).toByteArray(),
                    what + " data");
        }
    }
}
