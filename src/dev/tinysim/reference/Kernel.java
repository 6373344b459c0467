package dev.tinysim.reference;

/** One prepared operator: all checks and requantization parameters done, ready to run. */
interface Kernel {
    void run(TensorArrays t);
}
