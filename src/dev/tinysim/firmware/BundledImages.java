package dev.tinysim.firmware;

import dev.tinysim.elf.ElfFormatException;
import dev.tinysim.emulator.board.Board;

import java.util.List;
import java.util.Optional;

/**
 * The images bundled with tinysim by the names users type ({@code tinysim run selftest}), and the build of
 * each that suits a board: the -m4f (hard-float) build on a board with an FPU, the -m4 build without; and,
 * where an image has builds for different peripherals, the first whose {@code .tinysim.requires} lines the
 * board meets for the run's arguments. Every build runs on every board's memory ({@link BoardPlacement}).
 */
public final class BundledImages {
    /** The names, as `tinysim run NAME` takes them. */
    public static final List<String> NAMES = List.of("selftest", "bench", "faults", "irq", "timing", "icache");

    private BundledImages() {
    }

    /** The builds of a bundled image, the preferred first: selftest's nRF52 build, then its semihosting-only one. */
    static List<String> builds(String name) {
        return name.equals("selftest") ? List.of("selftest", "selftest-semihosting") : List.of(name);
    }

    /**
     * The build of {@code name} for the board and these firmware arguments; when no build's requirements are met,
     * the preferred one (whose run is then refused with its reason). Empty when no image has that name.
     */
    public static Optional<FirmwareImage> choose(String name, Board board, List<String> firmwareArgs) throws ElfFormatException {
        if (!NAMES.contains(name)) {
            return Optional.empty();
        }
        FirmwareImage first = null;
        for (String build : builds(name)) {
            Optional<FirmwareImage> image = FirmwareImage.bundledFor(build, board);
            if (image.isEmpty()) {
                continue;
            }
            if (first == null) {
                first = image.get();
            }
            if (image.get().requirements().unmet(board, firmwareArgs).isEmpty()) {
                return image;
            }
        }
        return Optional.ofNullable(first);
    }
}
