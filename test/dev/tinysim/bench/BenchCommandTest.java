package dev.tinysim.bench;

import dev.tinysim.support.Cli;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `tinysim bench`: every configuration runs the same program; whole commands are timed in new processes. */
class BenchCommandTest {
    private static final Pattern ROW = Pattern.compile("^(unicorn, no hooks|tinysim, [^ ]+(?: [^ ]+)*?) +([0-9,]+) ", Pattern.MULTILINE);

    @Test
    void everyConfigurationExecutesTheSameInstructionsAsBareUnicorn() {
        Cli.Result r = Cli.run("bench", "--repeat", "1", "--no-inference", "--no-commands");
        assertEquals(0, r.exitCode(), r.err());
        Matcher m = ROW.matcher(r.out());
        List<String> names = new java.util.ArrayList<>();
        String count = null;
        while (m.find()) {
            names.add(m.group(1));
            if (count == null) {
                count = m.group(2);
            }
            assertEquals(count, m.group(2), "instructions of " + m.group(1) + " differ from bare Unicorn's:\n" + r.out());
        }
        assertEquals(List.of("unicorn, no hooks", "tinysim, timing cortex-m4, memory not modelled", "tinysim, timing cortex-m4",
                "tinysim, timing cortex-m4, + NVMC instruction cache", "tinysim, timing instructions", "tinysim, --profile",
                "tinysim, per-instruction listener"), names, r.out());
        // what the memory system costs in speed, against the cycle model without it
        assertTrue(r.out().contains("\nmemory system cost (CPU time against \"tinysim, timing cortex-m4, memory not modelled\"): "
                + "as at reset "), r.out());
        assertTrue(r.out().contains("; + NVMC instruction cache "), r.out());
        assertFalse(r.out().contains("whole commands"), "--no-commands still timed commands:\n" + r.out());
    }

    @Test
    void aTimedCommandReportsItsExitCodeAndAFailureMissesItsTarget() throws Exception {
        CommandTimer timer = CommandTimer.forThisInstallation();
        CommandTimer.CommandFigure ok = timer.time("version", List.of("--version"), 30, 1);
        assertEquals(0, ok.exitCode());
        assertTrue(ok.medianWallSeconds() > 0 && ok.met(), ok.toString());
        CommandTimer.CommandFigure missing = timer.time("missing", List.of("run", "no/such/firmware.elf"), 30, 1);
        assertEquals(66, missing.exitCode(), missing.toString());
        assertFalse(missing.met(), missing.toString());
    }
}
