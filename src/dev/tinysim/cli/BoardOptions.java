package dev.tinysim.cli;

import dev.tinysim.boards.Boards;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.board.BoardException;
import picocli.CommandLine.Option;

/** --board, --no-fpu, --reserve-flash and --reserve-ram, shared by every command that runs something. */
public final class BoardOptions {
    @Option(names = "--board", paramLabel = "NAME|FILE", defaultValue = "nrf52840",
            description = "Board profile: a bundled name (see `tinysim boards`) or a JSON file. Default: ${DEFAULT-VALUE}.")
    String board;

    @Option(names = "--no-fpu", description = "Run on the board's FPU-less configuration (same as --board NAME-nofpu).")
    boolean noFpu;

    @Option(names = "--reserve-flash", paramLabel = "SIZE",
            description = "Flash set aside for other software (a BLE stack, a bootloader), instead of the profile's: 156K, 0x27000, 1M.")
    String reserveFlash;

    @Option(names = "--reserve-ram", paramLabel = "SIZE",
            description = "RAM set aside for other software, instead of the profile's: 12K, 0x3000.")
    String reserveRam;

    /** The board as given (with the FPU-less configuration when --no-fpu is set). */
    public Board load() {
        return load(noFpu);
    }

    /** The board, in its FPU-less configuration when {@code withoutFpu} (whatever --no-fpu says). */
    public Board load(boolean withoutFpu) {
        Long flash = reserveFlash == null ? null : dev.tinysim.options.SizeOption.parse("--reserve-flash", reserveFlash);
        Long ram = reserveRam == null ? null : dev.tinysim.options.SizeOption.parse("--reserve-ram", reserveRam);
        Board b;
        try {
            b = Boards.load(board, withoutFpu);
        } catch (BoardException e) {
            boolean missing = e.getMessage().contains("no such board file") || e.getMessage().contains("cannot read board file")
                    || e.getMessage().startsWith("empty file name");
            throw new CliException(missing ? ExitCode.NO_INPUT : e.getMessage().startsWith("unknown board") ? ExitCode.USAGE
                    : ExitCode.BAD_INPUT, e.getMessage());
        }
        if (flash == null && ram == null) {
            return b;
        }
        long f = flash == null ? b.reservedFlash() : flash;
        long r = ram == null ? b.reservedRam() : ram;
        if (f >= b.flash().size()) {
            throw new CliException(ExitCode.USAGE, "--reserve-flash: " + reserveFlash + " leaves nothing of " + b.name()
                    + "'s " + dev.tinysim.emulator.units.Units.bytesExact(b.flash().size()) + " of flash");
        }
        if (r >= b.ram().size()) {
            throw new CliException(ExitCode.USAGE, "--reserve-ram: " + reserveRam + " leaves nothing of " + b.name()
                    + "'s " + dev.tinysim.emulator.units.Units.bytesExact(b.ram().size()) + " of RAM");
        }
        return b.withReserved(f, r);
    }

    /** The board name or file as given. */
    public String name() {
        return board;
    }
}
