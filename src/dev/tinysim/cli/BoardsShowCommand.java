package dev.tinysim.cli;

import dev.tinysim.boards.Boards;
import dev.tinysim.boards.ResolvedProfile;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.board.BoardException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * `tinysim boards show NAME|FILE`: a board profile with inheritance applied, every CPU, timing and
 * memory-system value, and where each came from (the board file, a parent it extends, or tinysim's
 * built-in default) with the document the board file cites for it. No value is silent.
 */
@Command(name = "show", header = "Print one board profile as resolved.",
        description = "Print a board profile as tinysim uses it: inheritance applied, every timing and memory-system "
                + "parameter, and where each came from (board file, parent, built-in default) with the source it cites.")
public final class BoardsShowCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME|FILE", description = "A bundled board name (see `tinysim boards`) or a board JSON file.")
    String board;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        Board b;
        try {
            b = Boards.load(board, false);
        } catch (BoardException e) {
            boolean missing = e.getMessage().contains("no such board file");
            throw new CliException(missing ? ExitCode.NO_INPUT : e.getMessage().startsWith("unknown board") ? ExitCode.USAGE
                    : ExitCode.BAD_INPUT, e.getMessage());
        }
        ResolvedProfile p = ResolvedProfile.of(b);
        if (output.format == OutputOptions.Format.json) {
            ReportWriter.emit(ReportWriter.json(Map.of("board", p)), output.output, Io.current().out());
            return 0;
        }
        ReportWriter.emit(text(p), output.output, Io.current().out());
        return 0;
    }

    static String text(ResolvedProfile p) {
        StringBuilder sb = new StringBuilder();
        sb.append("board ").append(p.name()).append(": ").append(p.description()).append('\n');
        sb.append("  file          ").append(p.file()).append('\n');
        String label = "  references    ";
        for (String r : p.references()) {
            sb.append(label).append(r).append('\n');
            label = "                ";
        }
        sb.append("  memory system ").append(p.memorySystemSummary()).append('\n');
        for (ResolvedProfile.Cache c : p.caches()) {
            sb.append("                ").append(c.name()).append(": ").append(String.join("+", c.serves())).append(", ")
                    .append(c.geometry()).append(", a miss stalls ").append(c.missCycles()).append(" cycles")
                    .append(c.alwaysOn() ? ", always on" : "").append('\n');
        }
        sb.append("  memory map\n");
        for (ResolvedProfile.Region r : p.memory()) {
            sb.append(String.format(Locale.ROOT, "    %-16s %-6s %s  %s%s%n", r.name(), r.kind(), r.base(), size(r.size()),
                    r.aliasOf() == null ? "" : " (alias of " + r.aliasOf() + ")"));
        }
        sb.append("  values (origin; source)\n");
        int w = p.values().stream().mapToInt(v -> v.key().length()).max().orElse(10);
        for (ResolvedProfile.Value v : p.values()) {
            sb.append(String.format(Locale.ROOT, "    %-" + w + "s  %s%n", v.key(), v.value()));
            sb.append(String.format(Locale.ROOT, "    %-" + w + "s    %s%s%n", "", v.origin(),
                    v.source() == null ? (v.origin().equals("built-in default") ? "" : "; no source cited")
                            : "; " + v.source()));
        }
        sb.append("  peripherals\n");
        for (ResolvedProfile.Peripheral per : p.peripherals()) {
            sb.append(String.format(Locale.ROOT, "    %-16s %-20s %s%s%n", per.name(), per.model(), per.base(),
                    per.irq() == null ? "" : "  irq " + per.irq()));
        }
        return sb.toString();
    }

    private static String size(long bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MB" : bytes % 1024 == 0 ? bytes / 1024 + " KB" : bytes + " B";
    }

}
