package dev.tinysim.cli;

import dev.tinysim.text.Printable;

import dev.tinysim.run.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;

/** The `tinysim` command line. */
@Command(name = "tinysim", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = Main.VersionProvider.class,
        description = {"Does my model fit this microcontroller, and how many cycles does it take?",
                "tinysim runs firmware on an emulated Cortex-M4 (Unicorn 2) with a cycle model and reports fit and cost."},
        footer = {"", "Exit codes: 0 = success (or the firmware's own exit status); 64-73 bad input or environment;",
                "80-93 how the firmware ended (fault, hang, limit…). The README lists each one."})
public final class Main implements Runnable {
    /**
     * The subcommands, in the order the usage lists them. They are registered by {@link #commandLine}: only the one
     * being run when the first argument names it (picocli builds a command's model by reflection, ~0.3 s of start-up
     * for all of them), every one for usage, help and anything else.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(DemoCommand.class, RunCommand.class, FitCommand.class, CompareCommand.class,
            QuantizeCommand.class, ValidateCommand.class, SweepCommand.class, PlanCommand.class, BoardsCommand.class, BenchCommand.class, TableCommand.class, MakeDemoModelsCommand.class, CommandLine.HelpCommand.class);

    @Override
    public void run() {
        commandLine(null).usage(Io.current().out());
    }

    /** The command line with the subcommand named {@code first} only, or with all of them (first null or not a subcommand name). */
    static CommandLine commandLine(String first) {
        CommandLine cl = new CommandLine(new Main());
        boolean known = first != null && !first.equals("help")
                && SUBCOMMANDS.stream().anyMatch(c -> c.getAnnotation(Command.class).name().equals(first));
        for (Class<?> c : SUBCOMMANDS) {
            String name = c.getAnnotation(Command.class).name();
            if (!known || name.equals(first)) {
                cl.addSubcommand(name, c);
            }
        }
        return cl;
    }

    /** Runs the command line on the process streams and returns the exit code (no System.exit). */
    public static int execute(String... args) {
        return execute(new Io(System.out, System.err, System.in), args);
    }

    /** Runs the command line on the given streams (tests capture output this way). */
    public static int execute(Io io, String... args) {
        Io.set(io);
        Invocation.set(Arrays.asList(args));
        try {
            return executeWithStreams(io, args);
        } finally {
            io.out().flush();
            io.err().flush();
            Io.set(null);
            Invocation.set(null);
        }
    }

    private static int executeWithStreams(Io io, String... args) {
        boolean verbose = Arrays.asList(args).contains("--verbose") || Arrays.asList(args).contains("-v");
        CommandLine cl = commandLine(args.length == 0 ? null : args[0]);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(io.out(), java.nio.charset.StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(io.err(), java.nio.charset.StandardCharsets.UTF_8), true));
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("tinysim: " + Printable.line(ex.getMessage()));
            err.println("Run 'tinysim " + (ex.getCommandLine().getCommandName().equals("tinysim") ? "" : ex.getCommandLine().getCommandName() + " ")
                    + "--help' for usage.");
            err.flush();
            return ExitCode.USAGE.code();
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof dev.tinysim.failure.FailureException ce) {
                err.println("tinysim: " + Printable.line(ce.getMessage()));
                if (verbose && ce.getCause() != null) {
                    ce.getCause().printStackTrace(err);
                }
                err.flush();
                return ExitCode.of(ce.kind()).code();
            }
            if (ex instanceof dev.tinysim.reference.KernelFailureException kf) {
                // the reference interpreter fails at run time where the runtime does (e.g. int8 RSQRT of a negative value)
                err.println("tinysim: " + Printable.line(kf.getMessage()));
                err.flush();
                return ExitCode.RUNTIME_ERROR.code();
            }
            err.println("tinysim: internal error: " + Printable.line(String.valueOf(ex)) + (verbose ? "" : " (run with --verbose for details)"));
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return ExitCode.INTERNAL.code();
        });
        return cl.execute(args);
    }

    public static void main(String[] args) {
        int code;
        try {
            code = execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("tinysim: out of memory");
            code = ExitCode.INTERNAL.code();
        }
        System.out.flush();
        System.exit(code);
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"tinysim " + Version.get()};
        }
    }
}
