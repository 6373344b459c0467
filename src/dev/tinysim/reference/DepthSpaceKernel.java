package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

/**
 * DEPTH_TO_SPACE and SPACE_TO_DEPTH (TFLite Micro depth_to_space.cc / space_to_depth.cc, reference DepthToSpace /
 * SpaceToDepth): float32 or int8 (input and output quantization equal, as for every byte copy), rank 4 NHWC,
 * block_size > 0 from the options. DEPTH_TO_SPACE: output (b, h, w, d) is input (b, h / bs, w / bs,
 * d + ((h % bs) * bs + w % bs) * C_out); SPACE_TO_DEPTH the inverse, and H and W must be multiples of bs. The
 * runtime's twin: prepare_depth_space in firmware-images/runtime/ts_ops_shape.c.
 */
final class DepthSpaceKernel {

    private DepthSpaceKernel() {
    }

    static Kernel create(OpContext c, BuiltinOperator op) {
        boolean toSpace = op == BuiltinOperator.DEPTH_TO_SPACE;
        DataMovement.requireCounts(c, 1, 1, 1);
        int union = c.op.options().unionType();
        int want = toSpace ? BuiltinOptions.DEPTH_TO_SPACE : BuiltinOptions.SPACE_TO_DEPTH;
        if (union != 0 && union != want) {
            throw c.fail("expected " + BuiltinOptions.typeName(want) + " but the operator has " + c.op.options().unionTypeName());
        }
        int bs = union == 0 ? 0 : ((BuiltinOptions.BlockSize) c.op.options()).blockSize();
        if (bs < 1 || bs > 65535) {
            throw c.fail("block_size " + bs + " is not supported (1 to 65535)");
        }
        Tensor in = c.input(0);
        Tensor out = c.output(0);
        DataMovement.requireCopy(c, in, "input", out, "output", TensorType.FLOAT32, TensorType.INT8);
        if (in.rank() != 4 || out.rank() != 4) {
            throw c.fail("input and output must have rank 4 (NHWC)");
        }
        int n = in.dim(0);
        int h = in.dim(1);
        int w = in.dim(2);
        int ch = in.dim(3);
        long b2 = (long) bs * bs;
        int[] expected;
        if (toSpace) {
            if (ch % b2 != 0) {
                throw c.fail("input depth " + ch + " is not a multiple of block_size² " + b2);
            }
            expected = new int[] {n, (int) Math.min(Integer.MAX_VALUE, (long) h * bs), (int) Math.min(Integer.MAX_VALUE, (long) w * bs),
                (int) (ch / b2)};
        } else {
            if (h % bs != 0 || w % bs != 0) {
                throw c.fail("input height " + h + " and width " + w + " must be multiples of block_size " + bs);
            }
            expected = new int[] {n, h / bs, w / bs, (int) Math.min(Integer.MAX_VALUE, ch * b2)};
        }
        DataMovement.requireShape(c, out, "output", expected);
        int[] map = new int[out.elementCount()];
        int k = 0;
        if (toSpace) {
            int co = (int) (ch / b2);
            for (int b = 0; b < n; b++) {
                for (int oh = 0; oh < h * bs; oh++) {
                    for (int ow = 0; ow < w * bs; ow++) {
                        for (int d = 0; d < co; d++) {
                            int id = d + ((oh % bs) * bs + ow % bs) * co;
                            map[k++] = ((b * h + oh / bs) * w + ow / bs) * ch + id;
                        }
                    }
                }
            }
        } else {
            int oh = h / bs;
            int ow = w / bs;
            int co = (int) (ch * b2);
            for (int b = 0; b < n; b++) {
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        for (int d = 0; d < co; d++) {
                            int block = d / ch;
                            int ih = y * bs + block / bs;
                            int iw = x * bs + block % bs;
                            map[k++] = ((b * h + ih) * w + iw) * ch + d % ch;
                        }
                    }
                }
            }
        }
        int i = c.inputIndex(0);
        int o = c.outputIndex(0);
        return t -> t.set(o, DataMovement.select(t.raw(i), map));
    }
}
