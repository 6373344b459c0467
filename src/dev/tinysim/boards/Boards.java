package dev.tinysim.boards;

import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.board.BoardException;
import dev.tinysim.emulator.board.BoardLoader;
import dev.tinysim.emulator.peripherals.PeripheralCatalog;
import dev.tinysim.emulator.timing.TimingModels;

import java.util.ArrayList;
import java.util.List;

/** Finds board profiles: bundled ones by name, a user's own by path; --no-fpu derives the FPU-less configuration. */
public final class Boards {
    private Boards() {
    }

    public static BoardLoader loader() {
        return new BoardLoader(PeripheralCatalog.standard()::known, TimingModels::validate);
    }

    /**
     * Loads a board. With {@code noFpu}, the FPU-less configuration: the bundled "NAME-nofpu"
     * profile when one exists, otherwise the same board with the FPU removed.
     */
    public static Board load(String nameOrPath, boolean noFpu) throws BoardException {
        BoardLoader loader = loader();
        Board board = loader.load(nameOrPath);
        if (!noFpu || !board.cpu().fpu()) {
            return board;
        }
        String variant = board.name() + "-nofpu";
        if (BoardLoader.bundledNames().contains(variant)) {
            return loader.load(variant);
        }
        return board.withFpu(false, variant);
    }

    /** Every bundled board, loaded (a broken bundled profile is a bug: it throws). */
    public static List<Board> bundled() throws BoardException {
        List<Board> out = new ArrayList<>();
        for (String name : BoardLoader.bundledNames()) {
            out.add(loader().load(name));
        }
        return out;
    }
}
