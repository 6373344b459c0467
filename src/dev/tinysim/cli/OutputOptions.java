package dev.tinysim.cli;

import picocli.CommandLine.Option;

/** --format, --output, --verbose and --quiet, shared by every reporting command. */
public final class OutputOptions {
    public enum Format { text, json }

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Report format: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the report to FILE (written to a temporary file and renamed: never half-written).")
    java.nio.file.Path output;

    @Option(names = {"-v", "--verbose"}, description = "More detail: registers and backtrace on faults, unmodelled registers, stack traces of internal errors.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "Only the report: no progress, no diagnostics.")
    boolean quiet;
}
