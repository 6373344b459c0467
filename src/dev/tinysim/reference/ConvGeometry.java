package dev.tinysim.reference;

import dev.tinysim.tflite.Padding;

/**
 * Output size and padding of a 2-D window operator, as TFLite's ComputePaddingHeightWidth computes them:
 * the odd extra padding row/column goes to the bottom/right, so only the top/left amounts are needed.
 */
record ConvGeometry(int outH, int outW, int padTop, int padLeft) {

    static ConvGeometry of(Padding padding, int inH, int inW, int filterH, int filterW, int strideH, int strideW,
                           int dilationH, int dilationW) {
        int outH = outSize(padding, inH, filterH, strideH, dilationH);
        int outW = outSize(padding, inW, filterW, strideW, dilationW);
        return new ConvGeometry(outH, outW, pad(strideH, dilationH, inH, filterH, outH),
                pad(strideW, dilationW, inW, filterW, outW));
    }

    static int outSize(Padding padding, int in, int filter, int stride, int dilation) {
        int effective = (filter - 1) * dilation + 1;
        return switch (padding) {
            case SAME -> (in + stride - 1) / stride;
            case VALID -> (in + stride - effective) / stride;
        };
    }

    private static int pad(int stride, int dilation, int in, int filter, int out) {
        int effective = (filter - 1) * dilation + 1;
        int total = (out - 1) * stride + effective - in;
        return total > 0 ? total / 2 : 0;
    }
}
