package dev.tinysim.inference;

import dev.tinysim.boards.Boards;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.board.BoardException;

import java.util.List;

/**
 * Runs a model's bytes on the emulated firmware without the Java side's checks, for tests outside this
 * package (the differential test): what the runtime itself accepts, computes or rejects.
 */
public final class FirmwareOracle {

    /**
     * What the firmware did with one model.
     *
     * @param exitCode 0 when it ran; the runtime's error otherwise
     * @param outputs  every graph output of the single run (empty when it did not run)
     * @param message  the report's result message (the runtime's error when it rejected the model)
     */
    public record Result(int exitCode, List<byte[]> outputs, String message) {
    }

    private FirmwareOracle() {
    }

    /** One run of {@code model} on the nRF52840 (hard- or soft-float build) with the given graph inputs. */
    public static Result run(byte[] model, String name, List<byte[]> inputs, boolean fpu, Kernels kernels) {
        Board board;
        try {
            board = Boards.load("nrf52840", !fpu);
        } catch (BoardException e) {
            throw new IllegalStateException(e);
        }
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("the runtime protocol exchanges one graph input today; got " + inputs.size());
        }
        InferenceOptions options = InferenceOptions.of(board, kernels, 1,
                new InputSource.Given(List.of(inputs.get(0)), "differential test input"));
        InferenceRunner.Outcome o = InferenceRunner.runUnchecked(model, name, options);
        int exit = o.exitCode();
        boolean ran = exit == 0 || "does-not-fit".equals(o.report().result().kind());
        return new Result(ran ? 0 : exit, ran ? List.copyOf(o.outputs()) : List.of(), o.report().result().message());
    }
}
