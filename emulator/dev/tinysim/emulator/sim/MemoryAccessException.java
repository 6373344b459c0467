package dev.tinysim.emulator.sim;

/** The machine itself (not the firmware) touched an address with no memory behind it. */
public class MemoryAccessException extends RuntimeException {
    private final long address;

    public MemoryAccessException(long address, String message) {
        super(message);
        this.address = address;
    }

    public long address() {
        return address;
    }
}
