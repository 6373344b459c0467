package dev.tinysim.emulator.machine;

import dev.tinysim.emulator.engine.EngineFactory;
import dev.tinysim.emulator.engine.unicorn.UnicornEngine;
import dev.tinysim.emulator.sim.ConsoleSink;
import dev.tinysim.emulator.sim.DiagnosticLog;
import dev.tinysim.emulator.core.Semihosting;
import dev.tinysim.emulator.timing.TimingModel;

import java.io.InputStream;

/**
 * How to build and run a machine.
 *
 * @param timing          the timing model
 * @param console         where firmware output goes
 * @param stdin           what SYS_READ/SYS_READC read (may be null: end of input)
 * @param commandLine     SYS_GET_CMDLINE's answer
 * @param strict          an access to an unmodelled register ends the run
 * @param maxInstructions runaway limit
 * @param heapInfo        SYS_HEAPINFO's answer
 * @param log             diagnostics (unmodelled registers…)
 * @param engine          opens the CPU engine (the constructor without it: Unicorn 2's Cortex-M4)
 */
public record MachineOptions(TimingModel timing, ConsoleSink console, InputStream stdin, String commandLine,
                             boolean strict, long maxInstructions, Semihosting.HeapInfo heapInfo, DiagnosticLog log,
                             EngineFactory engine) {
    public MachineOptions(TimingModel timing, ConsoleSink console, InputStream stdin, String commandLine,
                          boolean strict, long maxInstructions, Semihosting.HeapInfo heapInfo, DiagnosticLog log) {
        this(timing, console, stdin, commandLine, strict, maxInstructions, heapInfo, log, UnicornEngine::openCortexM4);
    }
}
