package dev.tinysim.emulator.board;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static dev.tinysim.emulator.board.BoardFields.checkFields;
import static dev.tinysim.emulator.board.BoardFields.number;
import static dev.tinysim.emulator.board.BoardFields.object;
import static dev.tinysim.emulator.board.BoardFields.size;
import static dev.tinysim.emulator.board.BoardFields.text;
import static dev.tinysim.emulator.board.BoardFields.toMap;
import static dev.tinysim.emulator.board.MemoryMapReader.PAGE;

/** The "peripherals" section of a board file: each one's model (known to the machine), place, IRQ and options. */
final class PeripheralReader {
    private static final Set<String> PERIPHERAL_FIELDS = Set.of("name", "model", "base", "size", "irq", "options", "$comment");

    private PeripheralReader() {
    }

    static List<PeripheralSpec> read(JsonNode arr, String where, CpuSpec cpu,
                                     Predicate<String> knownPeripheralModel) throws BoardException {
        List<PeripheralSpec> out = new ArrayList<>();
        int i = 0;
        for (JsonNode e : arr) {
            String at = "peripherals[" + i + "].";
            if (!e.isObject()) {
                throw new BoardException(where + ": peripherals[" + i + "] must be an object");
            }
            checkFields((ObjectNode) e, PERIPHERAL_FIELDS, where, at);
            String name = text(e, "name", where, at);
            String model = text(e, "model", where, at);
            if (!knownPeripheralModel.test(model)) {
                throw new BoardException(where + ": " + at + "model " + PeripheralOptions.shown(model) + " (peripheral "
                        + PeripheralOptions.shown(name) + ") is not a known peripheral model");
            }
            long base = number(e, "base", where, at);
            long size = e.has("size") ? size(e.get("size"), where, at + "size", false) : PAGE;
            long irq = e.has("irq") ? number(e, "irq", where, at) : -1;
            if (irq >= cpu.interrupts()) {
                throw new BoardException(where + ": " + at + "irq " + irq + " of " + name + " exceeds the NVIC's " + cpu.interrupts() + " interrupts");
            }
            Map<String, Object> options = e.has("options") ? toMap(object(e, "options", where, at)) : Map.of();
            PeripheralOptions.check(model, name, options, where, at);
            out.add(new PeripheralSpec(name, model, base, size, (int) irq, options));
            i++;
        }
        return out;
    }
}
