package dev.tinysim.run;

import dev.tinysim.emulator.sim.ConsoleSink;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Collects the firmware's console output (for reports and tests) and, when asked, echoes it live
 * to the terminal as the firmware writes it.
 */
public final class ConsoleCapture implements ConsoleSink {
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final PrintStream echoOut;
    private final PrintStream echoErr;
    private final int limit;

    /** @param echoOut where to echo stdout live, or null; likewise echoErr */
    public ConsoleCapture(PrintStream echoOut, PrintStream echoErr) {
        this(echoOut, echoErr, 16 << 20);
    }

    public ConsoleCapture(PrintStream echoOut, PrintStream echoErr, int limit) {
        this.echoOut = echoOut;
        this.echoErr = echoErr;
        this.limit = limit;
    }

    @Override
    public void write(Stream stream, byte[] bytes, int offset, int length) {
        ByteArrayOutputStream target = stream == Stream.STDERR ? stderr : stdout;
        if (target.size() < limit) {
            target.write(bytes, offset, Math.min(length, limit - target.size()));
        }
        PrintStream echo = stream == Stream.STDERR ? echoErr : echoOut;
        if (echo != null) {
            echo.write(bytes, offset, length);
            echo.flush();
        }
    }

    public String stdout() {
        return stdout.toString(StandardCharsets.ISO_8859_1);
    }

    public String stderr() {
        return stderr.toString(StandardCharsets.ISO_8859_1);
    }

    /** True when the echoed output did not end with a newline (the summary then starts on a new line). */
    public boolean endsMidLine() {
        byte[] b = stdout.toByteArray();
        return b.length > 0 && b[b.length - 1] != '\n';
    }
}
