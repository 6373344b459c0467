package dev.tinysim.emulator.core;

import dev.tinysim.emulator.board.MemoryRegion;
import dev.tinysim.emulator.disasm.Disassembler;
import dev.tinysim.emulator.disasm.Instruction;
import dev.tinysim.emulator.memory.DataProgramCompiler;
import dev.tinysim.emulator.memory.FlashPath;
import dev.tinysim.emulator.scs.SystemControlSpace;
import dev.tinysim.emulator.sim.AddressSpace;
import dev.tinysim.emulator.timing.BlockTiming;
import dev.tinysim.emulator.timing.TimingModel;

import java.util.List;

/**
 * Turns the code of a block the engine is about to run into a {@link BlockInfo}: its instructions
 * (Capstone), its static cost under the timing model, what it carries into the block that follows it,
 * its data program for the flash path, and the entry word the native hook reads. Decoding happens once
 * per block (the cache keeps the result), so none of this is on the per-block path.
 */
final class BlockDecoder {
    private final AddressSpace memory;
    private final Disassembler disassembler;
    private final TimingModel timing;
    private final FlashPath flashPath;
    private final SystemControlSpace scs;

    BlockDecoder(AddressSpace memory, Disassembler disassembler, TimingModel timing, FlashPath flashPath, SystemControlSpace scs) {
        this.memory = memory;
        this.disassembler = disassembler;
        this.timing = timing;
        this.flashPath = flashPath;
        this.scs = scs;
    }

    /** Decodes and costs the block the engine is about to run (its entry packed for the native hook). */
    BlockInfo decode(long address, int size) {
        byte[] code;
        AddressSpace.Mapping m = memory.find(address, size);
        TimingModel.MemoryKind kind = TimingModel.MemoryKind.OTHER;
        if (m != null) {
            code = m.memory().segment().asSlice(address - m.memory().base(), size).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            kind = memory.backingKind(m) == MemoryRegion.Kind.FLASH ? TimingModel.MemoryKind.FLASH : TimingModel.MemoryKind.RAM;
        } else {
            code = new byte[0];
        }
        List<Instruction> insns = disassembler.decode(code, address, Integer.MAX_VALUE);
        int decodedBytes = insns.stream().mapToInt(Instruction::size).sum();
        if (decodedBytes != size) {
            // Bytes Capstone cannot decode (the engine will raise the fault): count them as halfwords.
            insns = new java.util.ArrayList<>(insns);
            for (long a = address + decodedBytes; a < address + size; a += 2) {
                insns.add(new Instruction(a, 2, "unknown", "(undecodable)", "", Instruction.COND_AL, 0, 0, null, 0,
                        false, Long.MIN_VALUE, false, -1));
            }
        }
        BlockTiming t = timing.blockTiming(insns, kind);
        int entryPenalty = insns.isEmpty() ? 0 : timing.branchTargetPenalty(insns.get(0));
        BlockInfo b = new BlockInfo(address, size, insns, t, entryPenalty);
        if (!b.endsInBranch) {
            b.fallThroughCarry = timing.fallThroughCarry(insns, successorPrefix(m, address + size, CARRY_INSTRUCTIONS), kind);
        } else if (b.conditionalEnd && startsWithIt(m, address + size)) {
            // after a branch only IT folding reaches across (the other rules need a load or an FP or
            // data-processing result right before): decode the IT alone, no more (this runs for most blocks)
            b.fallThroughCarry = timing.fallThroughCarry(insns, successorPrefix(m, address + size, 1), kind);
        }
        b.dynamicFetch = kind == TimingModel.MemoryKind.FLASH && size > 0 && flashPath.dynamicFetch();
        if (flashPath.dataAtRunTime()) {
            b.program = dataCompiler().compile(insns);
        }
        b.entry = pack(b, b.selfLoop || (b.firstFloatingPoint >= 0 && !scs.fpuAccessEnabled()));
        return b;
    }

    /** The block's entry word for the native hook (BlockEntry); {@code alwaysSlow} sends it to the Java path every time. */
    static long pack(BlockInfo b, boolean alwaysSlow) {
        return BlockEntry.pack(b.size, b.count, b.dynamicFetch, b.program != null && b.program.hasAccesses(),
                b.program != null && b.program.quick(), b.cycles, b.takenPenalty, b.entryPenalty, b.conditionalEnd,
                b.endsInBranch && !b.conditionalEnd, alwaysSlow, b.fallThroughCarry);
    }

    /** Whether the halfword at {@code address} is an IT instruction (0xBFxy with a non-zero mask y). */
    private static boolean startsWithIt(AddressSpace.Mapping m, long address) {
        if (m == null || address + 2 > m.memory().base() + m.memory().size()) {
            return false;
        }
        int h = m.memory().read16(address) & 0xFFFF;
        return (h & 0xFF00) == 0xBF00 && (h & 0xF) != 0;
    }

    /** Instructions the pipeline can still hold from a block when the next one starts at {@code address}. */
    private static final int CARRY_INSTRUCTIONS = 16;

    /**
     * The straight-line instructions at the start of the block that follows at {@code address} (at most
     * {@link #CARRY_INSTRUCTIONS}, up to its first branch or PC write): what a fall-through carry is computed on.
     */
    private List<Instruction> successorPrefix(AddressSpace.Mapping m, long address, int most) {
        if (m == null || address >= m.memory().base() + m.memory().size()) {
            return List.of();
        }
        long avail = Math.min(4L * most, m.memory().base() + m.memory().size() - address);
        byte[] code = m.memory().segment().asSlice(address - m.memory().base(), avail).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        List<Instruction> decoded = disassembler.decode(code, address, Integer.MAX_VALUE);
        List<Instruction> prefix = new java.util.ArrayList<>();
        for (Instruction in : decoded) {
            if (prefix.size() == most || in.writes(Instruction.REG_PC) || BlockInfo.isBranchName(in.name())
                    || in.name().equals("it")) {
                break;
            }
            prefix.add(in);
        }
        if (prefix.isEmpty() && !decoded.isEmpty() && decoded.get(0).name().equals("it")) {
            prefix.add(decoded.get(0));   // IT folds onto a preceding 16-bit instruction: its own cost is all it carries
        }
        return prefix;
    }

    private DataProgramCompiler dataCompiler;

    /** Compiles data programs under the flash path's current configuration (blocks are decoded again when it changes). */
    private DataProgramCompiler dataCompiler() {
        boolean literals = flashPath.literalsAtRunTime();
        if (dataCompiler == null || dataCompilerLiterals != literals) {
            dataCompilerLiterals = literals;
            dataCompiler = new DataProgramCompiler(literals, a -> flashPath.isFlash(a), (a, size) -> {
                AddressSpace.Mapping m = memory.find(a, size);
                if (m == null) {
                    return null;
                }
                return size == 1 ? m.memory().read8(a) : size == 2 ? m.memory().read16(a) : m.memory().read32(a);
            });
        }
        return dataCompiler;
    }

    private boolean dataCompilerLiterals;
}
