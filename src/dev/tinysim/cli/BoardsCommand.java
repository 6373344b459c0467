package dev.tinysim.cli;

import dev.tinysim.boards.Boards;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.board.BoardException;
import dev.tinysim.run.TextReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** `tinysim boards`: the bundled board profiles; `tinysim boards show NAME`: one profile as resolved. */
@Command(name = "boards", header = "List the bundled board profiles.",
        description = "List the bundled board profiles (use --board NAME, or --board FILE.json for your own). "
                + "`tinysim boards show NAME|FILE` prints one profile as tinysim resolves it.",
        subcommands = BoardsShowCommand.class)
public final class BoardsCommand implements Callable<Integer> {
    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        List<Board> boards;
        try {
            boards = Boards.bundled();
        } catch (BoardException e) {
            throw new CliException(ExitCode.INTERNAL, "a bundled board profile is invalid: " + e.getMessage());
        }
        if (output.format == OutputOptions.Format.json) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Board b : boards) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", b.name());
                m.put("description", b.description());
                m.put("core", b.cpu().core());
                m.put("fpu", b.cpu().fpu());
                m.put("clockHz", b.cpu().clockHz());
                m.put("flashBytes", b.flash().size());
                m.put("ramBytes", b.ram().size());
                m.put("reservedFlashBytes", b.reservedFlash());
                m.put("reservedRamBytes", b.reservedRam());
                m.put("references", b.references());
                list.add(m);
            }
            ReportWriter.emit(ReportWriter.json(Map.of("boards", list)), output.output, Io.current().out());
            return 0;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-22s %-10s %-4s %9s %9s  %s%n", "BOARD", "CLOCK", "FPU", "FLASH", "RAM", "DESCRIPTION"));
        for (Board b : boards) {
            sb.append(String.format(Locale.ROOT, "%-22s %-10s %-4s %9s %9s  %s%n", b.name(), TextReport.mhz(b.cpu().clockHz()),
                    b.cpu().fpu() ? "yes" : "no", kb(b.flash().size() - b.reservedFlash()), kb(b.ram().size() - b.reservedRam()),
                    b.description()));
        }
        ReportWriter.emit(sb.toString(), output.output, Io.current().out());
        return 0;
    }

    private static String kb(long bytes) {
        return bytes % 1024 == 0 ? (bytes / 1024) + " KB" : bytes + " B";
    }
}
