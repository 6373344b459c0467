package dev.tinysim.reference;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

/**
 * TFLite's quantized ADD / SUB, int8 and int16 (TFLM add_common.cc / sub_common.cc and reference_ops
 * AddElementwise / SubElementwise, the general path): both inputs rescaled to a common scale after a left
 * shift of 20 (int8) or 15 (int16), added or subtracted, rescaled to the output. ADD computes the
 * multipliers in double, SUB from float quotients; TFLM never reads pot_scale_int16.
 */
record AddSubArithmetic(boolean sub, int leftShift, int offset1, int offset2, int outputOffset,
                        QuantizedMath.Multiplier m1, QuantizedMath.Multiplier m2, QuantizedMath.Multiplier mo,
                        ActivationRange act) {

    static AddSubArithmetic of(OpContext c, Tensor in1, Tensor in2, Tensor out, ActivationFunction activation,
                               boolean sub) {
        boolean int16 = out.type() == TensorType.INT16;
        float s1 = c.scale(in1, "input 1");
        float s2 = c.scale(in2, "input 2");
        float so = c.scale(out, "output");
        int zp1 = int16 ? ElementwiseMath.zeroPoint16(c, in1, "input 1", false) : c.zeroPoint(in1, "input 1");
        int zp2 = int16 ? ElementwiseMath.zeroPoint16(c, in2, "input 2", false) : c.zeroPoint(in2, "input 2");
        int zpo = int16 ? ElementwiseMath.zeroPoint16(c, out, "output", false) : c.zeroPoint(out, "output");
        ActivationRange act = int16 ? ActivationRange.int16(activation, so, zpo, c)
                : ActivationRange.int8(activation, so, zpo, c);
        int leftShift = int16 ? 15 : 20;
        double r1;
        double r2;
        double ro;
        if (sub) {
            float twiceMax = 2 * Math.max(s1, s2);
            r1 = (double) (s1 / twiceMax);
            r2 = (double) (s2 / twiceMax);
            ro = (double) (twiceMax / ((1 << leftShift) * so));
        } else {
            double twiceMax = 2 * (double) Math.max(s1, s2);
            r1 = (double) s1 / twiceMax;
            r2 = (double) s2 / twiceMax;
            ro = twiceMax / ((1 << leftShift) * (double) so);
        }
        String what = sub ? "SUB" : "ADD";
        return new AddSubArithmetic(sub, leftShift, -zp1, -zp2, zpo,
                ElementwiseMath.multiplierSmallerThanOne(c, r1, what + " input 1"),
                ElementwiseMath.multiplierSmallerThanOne(c, r2, what + " input 2"),
                ElementwiseMath.multiplierSmallerThanOne(c, ro, what + " output"), act);
    }

    /** One output element from two raw input values. */
    int apply(int a, int b) {
        int shifted1 = (offset1 + a) * (1 << leftShift);
        int shifted2 = (offset2 + b) * (1 << leftShift);
        int scaled1 = QuantizedMath.multiplyByQuantizedMultiplier(shifted1, m1);
        int scaled2 = QuantizedMath.multiplyByQuantizedMultiplier(shifted2, m2);
        int raw = sub ? scaled1 - scaled2 : scaled1 + scaled2;
        return act.clamp(QuantizedMath.multiplyByQuantizedMultiplier(raw, mo) + outputOffset);
    }
}
