package dev.tinysim.emulator.timing;

import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.board.BoardException;

import java.util.List;
import java.util.Map;

/** The timing models a run can use, by name, and the check of a board's "timing" parameters. */
public final class TimingModels {
    public static final String INSTRUCTIONS = "instructions";
    public static final String CORTEX_M4 = CortexM4Timing.NAME;

    private TimingModels() {
    }

    public static List<String> names() {
        return List.of(CORTEX_M4, INSTRUCTIONS);
    }

    /** The cycle model: what silicon takes. "instructions" is kept for comparison with other simulators. */
    public static String defaultName() {
        return CORTEX_M4;
    }

    /** Creates a model for a board; throws IllegalArgumentException for an unknown name. */
    public static TimingModel create(String name, Board board) {
        return switch (name) {
            case CORTEX_M4 -> CortexM4Timing.forBoard(board);
            case INSTRUCTIONS -> new InstructionCountTiming();
            default -> throw new IllegalArgumentException("unknown timing model '" + name + "' (known: " + String.join(", ", names()) + ")");
        };
    }

    /**
     * Checks a board file's "timing" object: every key known, every value sensible (the
     * parameters of the cortex-m4 model, docs/timing-model.md). {@code where} names the file.
     */
    public static void validate(Map<String, Object> timing, String where) throws BoardException {
        CortexM4TimingParameters.parse(timing, where);
    }
}
