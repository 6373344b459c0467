package dev.tinysim.cli;

import dev.tinysim.boards.Boards;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.board.BoardException;
import picocli.CommandLine.Option;

/** --board and --no-fpu, shared by every command that runs something. */
public final class BoardOptions {
    @Option(names = "--board", paramLabel = "NAME|FILE", defaultValue = "nrf52840",
            description = "Board profile: a bundled name (see `tinysim boards`) or a JSON file. Default: ${DEFAULT-VALUE}.")
    String board;

    @Option(names = "--no-fpu", description = "Run on the board's FPU-less configuration (same as --board NAME-nofpu).")
    boolean noFpu;

    public Board load() {
        try {
            return Boards.load(board, noFpu);
        } catch (BoardException e) {
            boolean missing = e.getMessage().contains("no such board file");
            throw new CliException(missing ? ExitCode.NO_INPUT : e.getMessage().startsWith("unknown board") ? ExitCode.USAGE
                    : ExitCode.BAD_INPUT, e.getMessage());
        }
    }
}
