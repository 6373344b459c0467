package dev.tinysim.demo;

import dev.tinysim.reference.InferenceResult;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.reference.TensorValues;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivityNetTest {

    private final ActivityNet net = new ActivityNet();

    @Test
    void parameterAndMacCounts() {
        assertEquals(256 + 2592 + 192 + 2112 + 12352 + 2080 + 132, net.paramCount());
        assertEquals(15360 + 81920 + 2560 + 32768 + 98304 + 2048 + 128, net.macs());
    }

    /**
     * The exported float model computes exactly what training computed: the reference interpreter's
     * "logits" tensor equals the training forward pass bit for bit (same float operations in the same
     * order), which pins the filter layouts, padding and strides of the export.
     */
    @Test
    void exportedModelComputesTheTrainingForwardPassBitForBit() throws Exception {
        float[] p = net.initialParams(new Rng(11));
        TfliteModel m = TfliteReader.read(net.exportFloat(p, "test"), "test");
        Subgraph g = m.mainSubgraph();
        int logitsTensor = -1;
        for (int i = 0; i < g.tensors().size(); i++) {
            if (g.tensor(i).name().equals("logits")) {
                logitsTensor = i;
            }
        }
        ReferenceInterpreter ri = ReferenceInterpreter.prepare(m);
        ActivityNet.Workspace ws = net.workspace();
        net.prepare(p, ws);
        for (ActivityData.Window w : ActivityData.generate(5, 0, 8)) {
            float[] expected = net.forward(p, w.values(), ws).clone();
            InferenceResult r = ri.invokeWithIntermediates(List.of(TensorValues.fromFloats(w.values())));
            float[] logits = new float[expected.length];
            ByteBuffer.wrap(r.tensor(logitsTensor)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(logits);
            assertArrayEquals(expected, logits, 0f);
            float[] probs = TensorValues.toFloats(g.outputTensor(0), r.outputs().get(0));
            double sum = 0;
            for (float v : probs) {
                sum += v;
            }
            assertEquals(1.0, sum, 1e-5);
        }
    }

    /** Backward pass against central differences (in float, so with a loose tolerance) on 60 parameters. */
    @Test
    void gradientsMatchFiniteDifferences() {
        Rng r = new Rng(3);
        float[] p = net.initialParams(r);
        ActivityData.Window w = ActivityData.window(9, 2);
        ActivityNet.Workspace ws = net.workspace();
        net.prepare(p, ws);
        float[] g = new float[p.length];
        net.accumulateGradient(p, w.values(), w.label(), ws, g);
        int checked = 0;
        int bad = 0;
        StringBuilder report = new StringBuilder();
        for (CnnLayers.Layer l : net.layers) {
            for (int k = 0; k < 6 && l.paramCount() > 0; k++) {
                int i = l.offset + r.nextInt(l.paramCount());
                float h = 1e-2f;
                float saved = p[i];
                p[i] = saved + h;
                net.prepare(p, ws);
                double up = net.accumulateGradient(p, w.values(), w.label(), ws, new float[p.length]);
                p[i] = saved - h;
                net.prepare(p, ws);
                double down = net.accumulateGradient(p, w.values(), w.label(), ws, new float[p.length]);
                p[i] = saved;
                double numeric = (up - down) / (2 * h);
                checked++;
                if (Math.abs(numeric - g[i]) > 0.05 * Math.max(Math.abs(numeric), Math.abs(g[i])) + 2e-3) {
                    bad++;
                    report.append(String.format(" %s[%d] numeric %.5f analytic %.5f;", l.name, i - l.offset, numeric, g[i]));
                }
            }
        }
        net.prepare(p, ws);
        // a ReLU kink inside ±h can spoil an occasional difference quotient, nothing more
        assertTrue(bad <= 2, bad + " of " + checked + " gradients differ:" + report);
    }

    @Test
    void trainingIsBitIdenticalWhateverTheNumberOfThreads() {
        List<ActivityData.Window> data = ActivityData.generate(4, 0, 256);
        Trainer.Config c = new Trainer.Config(5, 1, 32, 4, 0.004, 1e-4, 0.0);
        Trainer.Result one = Trainer.train(net, data, c, null, 1);
        Trainer.Result four = Trainer.train(net, data, c, null, 4);
        assertArrayEquals(one.params(), four.params(), 0f);
        assertEquals(one.finalLoss(), four.finalLoss());
        assertTrue(one.finalLoss() > 0 && one.finalLoss() < 1.4, "loss " + one.finalLoss());
    }
}
