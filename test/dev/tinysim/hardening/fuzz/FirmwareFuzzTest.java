package dev.tinysim.hardening.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tinysim.hardening.FuzzChecks;
import dev.tinysim.support.Cli;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the ELF reader and the firmware loader through {@code run FILE} in-process (the
 * reader, segment placement on the board, symbols, the first 200,000 instructions and the JSON report). A mutated
 * firmware may exit with any status of its own; otherwise it is refused with a documented exit and a safe message.
 */
@ExtendWith(ClassVersionBridge.class)
class FirmwareFuzzTest {
    private static final Path FILE = FuzzFiles.file("f.elf");

    @MethodSource("dev.tinysim.hardening.fuzz.FuzzSeeds#firmware")
    @FuzzTest(maxDuration = "15s")
    void runFirmware(byte[] elf) throws IOException {
        Files.write(FILE, elf);
        Cli.Result r = Cli.run("run", FILE.toString(), "--max-instructions", "200000", "--timeout", "20", "--format", "json");
        FuzzChecks.assertFirmwareRunDocumented("run FILE.elf", r);
    }
}
