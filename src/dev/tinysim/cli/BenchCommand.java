package dev.tinysim.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** `tinysim bench`: emulator speed against bare Unicorn, measured in one process. */
@Command(name = "bench", description = "Measure emulation speed on the bundled compute-heavy firmware.")
public final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new CliException(ExitCode.INTERNAL, "bench is not implemented yet");
    }
}
