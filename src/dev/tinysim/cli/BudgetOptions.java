package dev.tinysim.cli;

import dev.tinysim.compare.Budgets;
import picocli.CommandLine.Option;

/** --max-latency-ms, --max-ram, --max-flash: CI budgets (exceeded: exit 68). */
public final class BudgetOptions {
    @Option(names = "--max-latency-ms", paramLabel = "MS", description = "Budget: one inference in at most MS milliseconds at the board clock.")
    String maxLatencyMs;

    @Option(names = "--max-ram", paramLabel = "SIZE", description = "Budget: RAM used (static + arena + stack peak) at most SIZE: 200K, 0x32000, 1M.")
    String maxRam;

    @Option(names = "--max-flash", paramLabel = "SIZE", description = "Budget: flash used (runtime + model) at most SIZE: 512K, 1M.")
    String maxFlash;

    public Budgets parse() {
        return Budgets.parse(maxLatencyMs, maxRam, maxFlash);
    }
}
