package dev.tinysim.emulator.board;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Set;

import static dev.tinysim.emulator.board.BoardFields.checkFields;
import static dev.tinysim.emulator.board.BoardFields.number;
import static dev.tinysim.emulator.board.BoardFields.text;

/** The "cpu" section of a board file: core, FPU, clock, CPUID, interrupts and NVIC priority bits. */
final class CpuReader {
    private static final Set<String> CPU_FIELDS = Set.of("core", "fpu", "clockHz", "cpuid", "interrupts",
            "nvicPriorityBits", "$comment");

    private CpuReader() {
    }

    static CpuSpec read(ObjectNode n, String where) throws BoardException {
        checkFields(n, CPU_FIELDS, where, "cpu.");
        String core = text(n, "core", where, "cpu.");
        if (!core.equals("cortex-m4")) {
            throw new BoardException(where + ": cpu.core \"" + core + "\" is not modelled (only \"cortex-m4\")");
        }
        JsonNode fpu = n.get("fpu");
        if (fpu == null || !fpu.isBoolean()) {
            throw new BoardException(where + ": cpu.fpu must be true or false");
        }
        long clock = number(n, "clockHz", where, "cpu.");
        if (clock < 1_000 || clock > 2_000_000_000L) {
            throw new BoardException(where + ": cpu.clockHz " + clock + " is not a plausible core clock");
        }
        long cpuid = n.has("cpuid") ? number(n, "cpuid", where, "cpu.") : 0x410FC241L;
        long irqs = n.has("interrupts") ? number(n, "interrupts", where, "cpu.") : 240;
        if (irqs < 1 || irqs > 240) {
            throw new BoardException(where + ": cpu.interrupts must be 1..240 (got " + irqs + ")");
        }
        long bits = n.has("nvicPriorityBits") ? number(n, "nvicPriorityBits", where, "cpu.") : 3;
        if (bits < 2 || bits > 8) {
            throw new BoardException(where + ": cpu.nvicPriorityBits must be 2..8 (got " + bits + ")");
        }
        return new CpuSpec(core, fpu.booleanValue(), clock, cpuid, (int) irqs, (int) bits);
    }
}
