package dev.tinysim.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Wall time of whole tinysim commands as a user types them: a new process each time, JVM start-up,
 * class loading and report writing included. That is what the speed targets of {@code compare} and
 * {@code demo} are about, and what an in-process measurement would hide.
 */
public final class CommandTimer {
    /** The launcher script exports its own path here, so commands are timed through it, as typed. */
    public static final String LAUNCHER_VARIABLE = "TINYSIM_LAUNCHER";

    /**
     * One timed command. {@code targetSeconds} is 0 when the command is a baseline with no target;
     * {@code exitCode} is the last run's (a command that fails is reported, not timed as if it worked).
     */
    public record CommandFigure(String name, List<String> arguments, double medianWallSeconds, double minWallSeconds,
                                double targetSeconds, int exitCode) {
        public boolean hasTarget() {
            return targetSeconds > 0;
        }

        public boolean met() {
            return exitCode == 0 && (!hasTarget() || medianWallSeconds <= targetSeconds);
        }
    }

    private final List<String> prefix;
    private final String how;

    private CommandTimer(List<String> prefix, String how) {
        this.prefix = prefix;
        this.how = how;
    }

    /**
     * Through the launcher when this JVM was started by it (its JVM options and class-data-sharing
     * archive are what users get), else the same java with this JVM's options and class path.
     */
    public static CommandTimer forThisInstallation() {
        String launcher = System.getenv(LAUNCHER_VARIABLE);
        if (launcher != null && Files.isExecutable(Path.of(launcher))) {
            return new CommandTimer(List.of(launcher), launcher);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.tinysim.cli.Main");
        return new CommandTimer(cmd, "java with this JVM's options");
    }

    /** How the commands are started, for the report. */
    public String how() {
        return how;
    }

    /** Runs the command once untimed (file cache, archive), then {@code repetitions} times. */
    public CommandFigure time(String name, List<String> arguments, double targetSeconds, int repetitions)
            throws IOException, InterruptedException {
        int exit = runOnce(arguments);
        double[] wall = new double[repetitions];
        for (int i = 0; i < repetitions && exit == 0; i++) {
            long start = System.nanoTime();
            exit = runOnce(arguments);
            wall[i] = (System.nanoTime() - start) / 1e9;
        }
        double min = Arrays.stream(wall).min().orElse(0);
        return new CommandFigure(name, List.copyOf(arguments), EmulatorBenchmark.median(wall), min, targetSeconds, exit);
    }

    private int runOnce(List<String> arguments) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(arguments);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return pb.start().waitFor();
    }
}
