package dev.tinysim.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The ARM cross toolchain, when installed (.ci/run installs it, so CI always has it). */
public final class Toolchain {
    private Toolchain() {
    }

    public static boolean available() {
        try {
            return run(List.of("arm-none-eabi-gcc", "--version")).exitCode == 0;
        } catch (IOException e) {
            return false;
        }
    }

    public record Output(int exitCode, String text) {
    }

    public static Output run(List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(600, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Output(-1, text + "\n(timed out)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Output(-1, text);
        }
        return new Output(p.exitValue(), text);
    }
}
