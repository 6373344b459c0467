package dev.tinysim.emulator.board;

/**
 * The core.
 *
 * @param core             "cortex-m4" (the only one modelled so far)
 * @param fpu              FPv4-SP present
 * @param clockHz          core clock
 * @param cpuid            value of SCB CPUID
 * @param interrupts       number of external interrupt lines on the NVIC
 * @param nvicPriorityBits implemented priority bits (3 on the nRF52840)
 */
public record CpuSpec(String core, boolean fpu, long clockHz, long cpuid, int interrupts, int nvicPriorityBits) {
}
