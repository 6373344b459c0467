package dev.tinysim.emulator.timing;

import dev.tinysim.emulator.disasm.Instruction;

import java.util.List;
import java.util.Map;

/**
 * Turns executed instructions into core cycles. Costs that depend only on the code are computed
 * once per translated block ({@link #blockTiming}); the core adds the dynamic parts the model
 * reports (taken branches, exception entry and return). Every report names the model and its
 * parameters.
 */
public interface TimingModel {
    /** Short name for reports and --timing ("cortex-m4", "instructions"). */
    String name();

    /** One line on what the model counts. */
    String description();

    /** The parameters in effect, for reports. */
    Map<String, Object> parameters();

    /** Static timing of a block whose instructions start at {@code address} and are in {@code memory}. */
    BlockTiming blockTiming(List<Instruction> instructions, MemoryKind memory);

    /** Exception entry: stacking and vector fetch. */
    int exceptionEntryCycles(boolean floatingPointFrame);

    /** Exception return: unstacking. */
    int exceptionReturnCycles(boolean floatingPointFrame);

    /** Going from one handler straight into the next pending one. */
    int tailChainCycles();

    /** Where the code of a block lives: it decides fetch wait states. */
    enum MemoryKind { FLASH, RAM, OTHER }
}
