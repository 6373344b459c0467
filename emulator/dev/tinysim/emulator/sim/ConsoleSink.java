package dev.tinysim.emulator.sim;

/** Where the firmware's console output goes (UART, semihosting, ITM), in program order. */
public interface ConsoleSink {
    enum Stream { STDOUT, STDERR }

    void write(Stream stream, byte[] bytes, int offset, int length);

    default void write(Stream stream, byte[] bytes) {
        write(stream, bytes, 0, bytes.length);
    }
}
