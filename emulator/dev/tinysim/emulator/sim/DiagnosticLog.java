package dev.tinysim.emulator.sim;

/** Diagnostics from the machine (unmodelled registers, ignored writes), shown with --verbose and counted in reports. */
@FunctionalInterface
public interface DiagnosticLog {
    void log(String message);
}
