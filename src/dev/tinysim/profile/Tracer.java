package dev.tinysim.profile;

import dev.tinysim.emulator.core.CortexM4;
import dev.tinysim.emulator.disasm.Instruction;
import dev.tinysim.firmware.Symbolizer;

import java.util.ArrayList;
import java.util.List;

/** Records the first N executed instructions: address, symbol, disassembly and cycle cost. */
public final class Tracer implements CortexM4.InstructionListener {
    private final CortexM4 core;
    private final Symbolizer symbols;
    private final int limit;
    private final List<TraceLine> lines = new ArrayList<>();

    public Tracer(CortexM4 core, Symbolizer symbols, int limit) {
        this.core = core;
        this.symbols = symbols;
        this.limit = limit;
    }

    @Override
    public void onInstruction(long address, int size, long cyclesBefore) {
        if (lines.size() >= limit) {
            return;
        }
        Instruction in = core.decodedAt(address);
        lines.add(new TraceLine(String.format("0x%08x", address), symbols.describe(address),
                in == null ? "" : in.text(), core.instructionCycles(address), cyclesBefore));
        if (lines.size() == limit) {
            core.setInstructionListener(null);   // the rest of the run goes at full speed
        }
    }

    public List<TraceLine> lines() {
        return lines;
    }
}
