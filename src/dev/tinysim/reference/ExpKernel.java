package dev.tinysim.reference;

import dev.tinysim.tflite.TensorType;

/** EXP, float32 only as in TFLM (exp.cc): {@link DeterministicMath#expf} for std::exp. */
final class ExpKernel {

    private ExpKernel() {
    }

    static Kernel create(OpContext c) {
        return UnaryOperand.of(c, TensorType.FLOAT32).floats(DeterministicMath::expf);
    }
}
