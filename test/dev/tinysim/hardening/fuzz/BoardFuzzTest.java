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
 * Coverage-guided fuzzing of the board loader: a board file through {@code boards show FILE} (JSON parsing, schema
 * checks, {@code extends}, peripherals, timing), and a file it accepts through {@code run selftest --board FILE}
 * (a machine built from it). Refusals are exit 64-67 or 74 with a safe message; never an internal error.
 */
@ExtendWith(ClassVersionBridge.class)
class BoardFuzzTest {
    private static final Path FILE = FuzzFiles.file("board.json");

    @MethodSource("dev.tinysim.hardening.fuzz.FuzzSeeds#boards")
    @FuzzTest(maxDuration = "15s")
    void loadBoard(byte[] json) throws IOException {
        Files.write(FILE, json);
        Cli.Result shown = Cli.run("boards", "show", FILE.toString());
        FuzzChecks.assertBoardRunDocumented("boards show", shown);
        if (shown.exitCode() == 0) {
            Cli.Result r = Cli.run("run", "selftest", "--board", FILE.toString(), "--max-instructions", "2000000",
                    "--timeout", "20", "-q");
            FuzzChecks.assertBoardRunDocumented("run selftest --board", r);
        }
    }
}
