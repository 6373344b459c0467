package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Operator;
import dev.tinysim.tflite.Padding;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TfliteModel;

import java.nio.ByteOrder;

/**
 * A deliberately plain, independent recomputation of one int8 CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED
 * layer in double precision: real input = s_in*(q-zp), real weight = s_w[c]*q, real bias = s_in*s_w[c]*b,
 * result quantized with Math.round and clamped to the activation range. Shares no code with the kernels.
 */
final class DoubleLayer {

    private DoubleLayer() {
    }

    static int[] compute(TfliteModel m, Operator op, BuiltinOperator kind, InferenceResult r) {
        Subgraph g = m.mainSubgraph();
        Tensor in = g.tensor(op.input(0));
        Tensor w = g.tensor(op.input(1));
        Tensor out = g.tensor(op.output(0));
        byte[] x = r.tensor(op.input(0));
        byte[] weights = new byte[w.elementCount()];
        m.tensorData(w).get(weights);
        int[] bias = null;
        if (op.input(2) >= 0) {
            Tensor b = g.tensor(op.input(2));
            bias = new int[b.elementCount()];
            m.tensorData(b).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(bias);
        }
        double sIn = in.quantization().scaleValue();
        int zpIn = in.quantization().zeroPointValue();
        double sOut = out.quantization().scaleValue();
        int zpOut = out.quantization().zeroPointValue();
        int outC = out.dim(out.rank() - 1);
        double[] sW = new double[outC];
        for (int c = 0; c < outC; c++) {
            sW[c] = w.quantization().isPerChannel() ? w.quantization().scale().get(c) : w.quantization().scaleValue();
        }
        int n = out.elementCount();
        double[] real = new double[n];
        switch (kind) {
            case FULLY_CONNECTED -> {
                int depth = w.dim(1);
                for (int b = 0; b < n / outC; b++) {
                    for (int c = 0; c < outC; c++) {
                        double acc = 0;
                        for (int d = 0; d < depth; d++) {
                            acc += sIn * (x[b * depth + d] - zpIn) * sW[c] * weights[c * depth + d];
                        }
                        real[b * outC + c] = acc + (bias == null ? 0 : sIn * sW[c] * bias[c]);
                    }
                }
            }
            case CONV_2D, DEPTHWISE_CONV_2D -> {
                boolean depthwise = kind == BuiltinOperator.DEPTHWISE_CONV_2D;
                int sh;
                int sw;
                Padding padding;
                if (depthwise) {
                    BuiltinOptions.DepthwiseConv2D o = (BuiltinOptions.DepthwiseConv2D) op.options();
                    sh = o.strideH();
                    sw = o.strideW();
                    padding = o.padding();
                } else {
                    BuiltinOptions.Conv2D o = (BuiltinOptions.Conv2D) op.options();
                    sh = o.strideH();
                    sw = o.strideW();
                    padding = o.padding();
                }
                int inH = in.dim(1);
                int inW = in.dim(2);
                int inC = in.dim(3);
                int kh = w.dim(1);
                int kw = w.dim(2);
                int outH = out.dim(1);
                int outW = out.dim(2);
                int padTop = padding == Padding.SAME ? Math.max(0, ((outH - 1) * sh + kh - inH) / 2) : 0;
                int padLeft = padding == Padding.SAME ? Math.max(0, ((outW - 1) * sw + kw - inW) / 2) : 0;
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        for (int c = 0; c < outC; c++) {
                            double acc = 0;
                            for (int ky = 0; ky < kh; ky++) {
                                for (int kx = 0; kx < kw; kx++) {
                                    int iy = oy * sh - padTop + ky;
                                    int ix = ox * sw - padLeft + kx;
                                    if (iy < 0 || ix < 0 || iy >= inH || ix >= inW) {
                                        continue;
                                    }
                                    if (depthwise) {
                                        int ic = c / (outC / inC);
                                        acc += sIn * (x[(iy * inW + ix) * inC + ic] - zpIn) * sW[c]
                                                * weights[(ky * kw + kx) * outC + c];
                                    } else {
                                        for (int ic = 0; ic < inC; ic++) {
                                            acc += sIn * (x[(iy * inW + ix) * inC + ic] - zpIn) * sW[c]
                                                    * weights[((c * kh + ky) * kw + kx) * inC + ic];
                                        }
                                    }
                                }
                            }
                            real[(oy * outW + ox) * outC + c] = acc + (bias == null ? 0 : sIn * sW[c] * bias[c]);
                        }
                    }
                }
            }
            default -> throw new IllegalArgumentException(kind.toString());
        }
        var activation = switch (op.options()) {
            case BuiltinOptions.Conv2D o -> o.activation();
            case BuiltinOptions.DepthwiseConv2D o -> o.activation();
            case BuiltinOptions.FullyConnected o -> o.activation();
            default -> throw new IllegalArgumentException();
        };
        int lo = -128;
        int hi = 127;
        switch (activation) {
            case RELU -> lo = Math.max(lo, zpOut);
            case RELU6 -> {
                lo = Math.max(lo, zpOut);
                hi = (int) Math.min(hi, zpOut + Math.round(6 / sOut));
            }
            case NONE -> { }
            default -> throw new IllegalArgumentException(activation.toString());
        }
        int[] q = new int[n];
        for (int i = 0; i < n; i++) {
            q[i] = (int) Math.max(lo, Math.min(hi, Math.round(real[i] / sOut) + zpOut));
        }
        return q;
    }

}
