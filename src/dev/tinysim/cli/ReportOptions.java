package dev.tinysim.cli;

import picocli.CommandLine.Option;

/** --format text|json|csv|html, -o, --layers, -v and -q of fit and compare. */
public final class ReportOptions {
    public enum Format { text, json, csv, html }

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Report format: ${COMPLETION-CANDIDATES} (CSV: one row per configuration; HTML: a self-contained page). Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the report to FILE (written to a temporary file and renamed: never half-written).")
    java.nio.file.Path output;

    @Option(names = "--layers", description = "With --format csv: one row per layer (operator) and configuration.")
    boolean layers;

    @Option(names = {"-v", "--verbose"}, description = "Stack traces of errors.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "Only the report: no progress bar.")
    boolean quiet;

    void check() {
        if (layers && format != Format.csv) {
            throw new CliException(ExitCode.USAGE, "--layers goes with --format csv (the text and JSON reports always have the layers)");
        }
    }
}
