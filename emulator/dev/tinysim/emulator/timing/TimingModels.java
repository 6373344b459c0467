package dev.tinysim.emulator.timing;

import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.board.BoardException;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The timing models a run can use, by name, and the check of a board's "timing" parameters. */
public final class TimingModels {
    public static final String INSTRUCTIONS = "instructions";

    /** Parameters a board's "timing" object may set (interpreted by the cycle model). */
    private static final Set<String> KNOWN_PARAMETERS = Set.of();

    private TimingModels() {
    }

    public static List<String> names() {
        return List.of(INSTRUCTIONS);
    }

    public static String defaultName() {
        return INSTRUCTIONS;
    }

    /** Creates a model for a board; throws IllegalArgumentException for an unknown name. */
    public static TimingModel create(String name, Board board) {
        return switch (name) {
            case INSTRUCTIONS -> new InstructionCountTiming();
            default -> throw new IllegalArgumentException("unknown timing model '" + name + "' (known: " + String.join(", ", names()) + ")");
        };
    }

    /** Checks a board file's "timing" object: every key known, every value sensible. */
    public static void validate(Map<String, Object> timing, String where) throws BoardException {
        for (String key : timing.keySet()) {
            if (!KNOWN_PARAMETERS.contains(key)) {
                throw new BoardException(where + ": unknown field \"timing." + key + "\"");
            }
        }
    }
}
