package dev.tinysim.reference;

import dev.tinysim.tflite.TensorType;

/**
 * HARD_SWISH, x * relu6(x + 3) / 6. float32: {@code x * min(6, max(0, x + 3)) / 6} with C++ min/max.
 * int8 (TFLM hard_swish_common.cc, reference_ops::HardSwish): int16 fixed point with two multipliers
 * (input to output scale, and input to the "relu-ish" [-3, 3] -> [-1, 1] scale) downscaled to 16 bits.
 */
final class HardSwishKernel {

    private HardSwishKernel() {
    }

    static Kernel create(OpContext c) {
        UnaryOperand u = UnaryOperand.of(c, TensorType.INT8, TensorType.FLOAT32);
        if (u.in().type() == TensorType.FLOAT32) {
            return u.floats(HardSwishKernel::hardSwishFloat);
        }
        float inScale = c.scale(u.in(), "input");
        float outScale = c.scale(u.out(), "output");
        int zpIn = c.zeroPoint(u.in(), "input");
        int zpOut = c.zeroPoint(u.out(), "output");
        float hiresInputScale = (1.0f / 128.0f) * inScale;
        float reluishScale = 3.0f / 32768.0f;
        QuantizedMath.Multiplier om = ElementwiseMath.multiplier(c, (double) (hiresInputScale / outScale), "output");
        if (om.shift() > 0) {
            throw c.fail("output multiplier " + (hiresInputScale / outScale) + " is 1 or more (input scale / 128 "
                    + "must be below the output scale)");
        }
        QuantizedMath.Multiplier rm = ElementwiseMath.multiplier(c, (double) (hiresInputScale / reluishScale),
                "relu-ish");
        short outMult = ElementwiseMath.downScaleInt32ToInt16Multiplier(om.multiplier());
        short reluishMult = ElementwiseMath.downScaleInt32ToInt16Multiplier(rm.multiplier());
        int outExponent = om.shift();
        int reluishExponent = rm.shift();
        return u.ints(q -> {
            short inputValue = (short) (q - zpIn);
            short hires = (short) (inputValue * (1 << 7));
            short preshiftOutputScale = ElementwiseMath.srdhm16(hires, outMult);
            short reluish = hires;
            if (reluishExponent > 0) {
                reluish = ElementwiseMath.saturatingLeftShift16(reluish, reluishExponent - 1);
            }
            reluish = ElementwiseMath.srdhm16(reluish, reluishMult);
            if (reluishExponent > 0) {
                reluish = ElementwiseMath.saturatingLeftShift16(reluish, 1);
            }
            if (reluishExponent < 0) {
                reluish = ElementwiseMath.roundingDivideByPot16(reluish, -reluishExponent);
            }
            reluish = (short) ((reluish + (1 << 15)) >> 1);
            short preshiftOutput = ElementwiseMath.sdhm16(reluish, preshiftOutputScale);
            short v = ElementwiseMath.roundingDivideByPot16(preshiftOutput, -outExponent);
            v = (short) (v + zpOut);
            return Math.max(-128, Math.min(127, v));
        });
    }

    static float hardSwishFloat(float x) {
        float r = x + 3.0f;
        r = (0.0f < r) ? r : 0.0f;
        r = (r < 6.0f) ? r : 6.0f;
        return x * r / 6.0f;
    }
}
