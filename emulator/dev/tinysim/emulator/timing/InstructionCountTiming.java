package dev.tinysim.emulator.timing;

import dev.tinysim.emulator.disasm.Instruction;

import java.util.List;
import java.util.Map;

/**
 * One cycle per instruction, nothing else: what Renode, QEMU -icount and Arm's Fast Models
 * report. Kept for comparison (--timing instructions).
 */
public final class InstructionCountTiming implements TimingModel {
    @Override
    public String name() {
        return "instructions";
    }

    @Override
    public String description() {
        return "one cycle per executed instruction (as Renode and Arm Fast Models count)";
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of();
    }

    @Override
    public BlockTiming blockTiming(List<Instruction> instructions, MemoryKind memory) {
        int n = instructions.size();
        int[] before = new int[n + 1];
        for (int i = 0; i <= n; i++) {
            before[i] = i;
        }
        return new BlockTiming(n, before, 0);
    }

    @Override
    public int exceptionEntryCycles(boolean floatingPointFrame) {
        return 0;
    }

    @Override
    public int exceptionReturnCycles(boolean floatingPointFrame) {
        return 0;
    }

    @Override
    public int tailChainCycles() {
        return 0;
    }
}
