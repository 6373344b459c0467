package dev.tinysim.run;

import dev.tinysim.failure.Failure;
import dev.tinysim.failure.FailureException;
import dev.tinysim.elf.ElfFormatException;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.firmware.BoardPlacement;
import dev.tinysim.firmware.FirmwareImage;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Makes a firmware image ready for a board before anything runs: refuses it, in one line with exit code 74,
 * when the board lacks what it needs (an FPU for a hard-float build, the peripherals and memory its
 * {@code .tinysim.requires} lines name for this run), and places it in the board's memory when the board's
 * flash or RAM is elsewhere or smaller than the memory it is linked for ({@link BoardPlacement}).
 */
public final class BoardImage {
    private BoardImage() {
    }

    /** The image as it runs on the board with these firmware arguments (the words after {@code --}). */
    public static FirmwareImage prepare(FirmwareImage image, Board board, List<String> firmwareArgs) {
        refuseIfLacking(image, board, firmwareArgs);
        try {
            return BoardPlacement.place(image, board);
        } catch (BoardPlacement.PlacementException e) {
            throw new FailureException(e.doesNotFit() ? Failure.DOES_NOT_FIT : Failure.BAD_INPUT, e.getMessage());
        }
    }

    /** Exit 74 when the board lacks what the image needs for this run. */
    public static void refuseIfLacking(FirmwareImage image, Board board, List<String> firmwareArgs) {
        Optional<String> why = lacking(image, board, firmwareArgs);
        if (why.isPresent()) {
            throw new FailureException(Failure.BOARD_LACKS, why.get());
        }
    }

    /** Why the image cannot run on the board with these arguments, as one line naming both; empty when it can. */
    public static Optional<String> lacking(FirmwareImage image, Board board, List<String> firmwareArgs) {
        String what = image.name() + (firmwareArgs.isEmpty() ? "" : " -- " + firmwareArgs.get(0));
        if (image.elf().hardFloat() && !board.cpu().fpu()) {
            return Optional.of(what + " cannot run on board " + board.name() + ": it is a hard-float build (FPv4-SP "
                    + "instructions, floats in FPU registers) and the board has no FPU");
        }
        try {
            return image.requirements().unmet(board, firmwareArgs).map(need -> what + " cannot run on board " + board.name()
                    + ": it " + need);
        } catch (ElfFormatException e) {
            throw new FailureException(Failure.BAD_INPUT, e.getMessage());
        }
    }

    /** The firmware arguments of a semihosting command line ("image arg1 arg2"): the words after the first. */
    static List<String> arguments(String commandLine) {
        String[] words = commandLine.strip().split("\\s+");
        return words.length <= 1 ? List.of() : List.copyOf(Arrays.asList(words).subList(1, words.length));
    }
}
