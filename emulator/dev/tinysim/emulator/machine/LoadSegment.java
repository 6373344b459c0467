package dev.tinysim.emulator.machine;

/**
 * Bytes to place in the machine's memory before reset (a program's PT_LOAD segment).
 *
 * @param index          the segment's number, for messages
 * @param loadAddress    where the bytes are stored (the ELF physical address: flash for .data's image)
 * @param runAddress     where the program expects them while running (virtual address)
 * @param bytes          the bytes stored at loadAddress
 * @param memorySize     bytes the segment occupies at runAddress (.bss beyond the file bytes)
 */
public record LoadSegment(int index, long loadAddress, long runAddress, byte[] bytes, long memorySize) {
}
