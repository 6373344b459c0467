package dev.tinysim.inference;

/** Which int8 kernels the runtime uses ({@code ts_host.kernels}); float kernels exist once. */
public enum Kernels {
    /** DSP-extension (SMLAD) int8 CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED. */
    simd(0),
    /** Plain C reference kernels (TFLite's reference loop structure). */
    reference(1);

    private final int hostValue;

    Kernels(int hostValue) {
        this.hostValue = hostValue;
    }

    /** The value written into {@code ts_host.kernels}. */
    public int hostValue() {
        return hostValue;
    }
}
