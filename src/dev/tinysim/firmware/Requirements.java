package dev.tinysim.firmware;

import dev.tinysim.elf.ElfFormatException;
import dev.tinysim.elf.ElfSection;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.board.MemoryRegion;
import dev.tinysim.emulator.board.PeripheralSpec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a firmware image needs of a board beyond a Cortex-M4 core and memory: the lines of its
 * {@code .tinysim.requires} section, which the image's sources declare next to the code that needs them
 * ({@code firmware-images/common/tinysim_requires.h} gives the syntax). A run is refused before it starts
 * when the board lacks what the lines that apply to it name — by their WHEN: every run, a run without
 * firmware arguments, or a run whose first firmware argument is one of a list.
 */
public final class Requirements {
    static final String SECTION = ".tinysim.requires";

    /** One thing a board must have; {@link #missing} says what the board has instead, or empty when it has it. */
    sealed interface Need permits Peripheral, Alias, Flash, Unmapped, Interrupts {
        String describe();

        Optional<String> missing(Board board);
    }

    record Peripheral(String model, long base) implements Need {
        public String describe() {
            return "a peripheral " + model + " at " + hex(base);
        }

        public Optional<String> missing(Board board) {
            for (PeripheralSpec p : board.peripherals()) {
                if (p.model().equals(model) && p.base() == base) {
                    return Optional.empty();
                }
            }
            return Optional.of("which the board does not have");
        }
    }

    record Alias(long alias, long target) implements Need {
        public String describe() {
            return "memory at " + hex(alias) + " that shows the memory at " + hex(target);
        }

        public Optional<String> missing(Board board) {
            for (MemoryRegion r : board.memory()) {
                if (r.kind() == MemoryRegion.Kind.ALIAS && r.base() == alias
                        && board.region(r.aliasOf()).map(t -> t.base() == target).orElse(false)) {
                    return Optional.empty();
                }
            }
            return Optional.of("which the board does not have");
        }
    }

    record Flash(long address) implements Need {
        public String describe() {
            return "flash at " + hex(address);
        }

        public Optional<String> missing(Board board) {
            MemoryRegion f = board.flash();
            return f.contains(address) ? Optional.empty() : Optional.of("where the board has none (its flash is "
                    + hex(f.base()) + ".." + hex(f.end()) + ")");
        }
    }

    record Unmapped(long address) implements Need {
        public String describe() {
            return "nothing mapped at " + hex(address);
        }

        public Optional<String> missing(Board board) {
            for (MemoryRegion r : board.memory()) {
                if (r.contains(address)) {
                    return Optional.of("where the board has " + r.name());
                }
            }
            for (PeripheralSpec p : board.peripherals()) {
                if (address >= p.base() && address < p.base() + p.size()) {
                    return Optional.of("where the board has " + p.name());
                }
            }
            return Optional.empty();
        }
    }

    record Interrupts(int count) implements Need {
        public String describe() {
            return "at least " + count + " interrupts";
        }

        public Optional<String> missing(Board board) {
            return board.cpu().interrupts() >= count ? Optional.empty()
                    : Optional.of("but the board has " + board.cpu().interrupts());
        }
    }

    /**
     * @param always true for WHEN {@code always}
     * @param noArgs true for WHEN {@code no-args}
     * @param args   the first-argument values of WHEN {@code arg:A,B}
     */
    record Line(boolean always, boolean noArgs, Set<String> args, Need need, String why) {
        boolean applies(List<String> firmwareArgs) {
            return always || (noArgs && firmwareArgs.isEmpty()) || (!firmwareArgs.isEmpty() && args.contains(firmwareArgs.get(0)));
        }
    }

    private final List<Line> lines;

    private Requirements(List<Line> lines) {
        this.lines = lines;
    }

    static Requirements of(FirmwareImage image) throws ElfFormatException {
        Optional<ElfSection> section = image.elf().section(SECTION);
        if (section.isEmpty()) {
            return new Requirements(List.of());
        }
        String text = new String(image.elf().sectionBytes(section.get()), StandardCharsets.US_ASCII);
        List<Line> lines = new ArrayList<>();
        int number = 0;
        for (String raw : text.split("\n")) {
            number++;
            String line = raw.strip();
            if (!line.isEmpty()) {
                lines.add(parse(image.name(), number, line));
            }
        }
        return new Requirements(List.copyOf(lines));
    }

    List<Line> lines() {
        return lines;
    }

    /**
     * The first need that applies to a run with these firmware arguments and that the board lacks, as the end of
     * a sentence ("needs a peripheral nrf52.clock at 0x40000000 (the HFCLK start-up handshake), which board
     * stm32f411 does not have"); empty when the board has everything.
     */
    public Optional<String> unmet(Board board, List<String> firmwareArgs) {
        for (Line l : lines) {
            if (!l.applies(firmwareArgs)) {
                continue;
            }
            Optional<String> missing = l.need().missing(board);
            if (missing.isPresent()) {
                return Optional.of("needs " + l.need().describe() + " (" + l.why() + "), " + missing.get());
            }
        }
        return Optional.empty();
    }

    private static Line parse(String file, int number, String line) throws ElfFormatException {
        String[] w = line.split("\\s+", 4);
        if (w.length < 4) {
            throw bad(file, number, line, "expected WHEN NEED WHAT WHY");
        }
        boolean always = false, noArgs = false;
        Set<String> args = Set.of();
        if (w[0].equals("always")) {
            always = true;
        } else if (w[0].equals("no-args")) {
            noArgs = true;
        } else if (w[0].startsWith("arg:") && w[0].length() > 4) {
            args = Set.of(w[0].substring(4).split(","));
        } else {
            throw bad(file, number, line, "WHEN must be always, no-args or arg:A[,B...]");
        }
        Need need = switch (w[1]) {
            case "peripheral" -> {
                int at = w[2].indexOf('@');
                if (at <= 0) {
                    throw bad(file, number, line, "a peripheral is MODEL@ADDRESS");
                }
                yield new Peripheral(w[2].substring(0, at), address(file, number, line, w[2].substring(at + 1)));
            }
            case "alias" -> {
                int eq = w[2].indexOf('=');
                if (eq <= 0) {
                    throw bad(file, number, line, "an alias is ALIAS=TARGET");
                }
                yield new Alias(address(file, number, line, w[2].substring(0, eq)), address(file, number, line, w[2].substring(eq + 1)));
            }
            case "flash" -> new Flash(address(file, number, line, w[2]));
            case "unmapped" -> new Unmapped(address(file, number, line, w[2]));
            case "interrupts" -> {
                try {
                    yield new Interrupts(Integer.parseInt(w[2]));
                } catch (NumberFormatException e) {
                    throw bad(file, number, line, "interrupts takes a number");
                }
            }
            default -> throw bad(file, number, line, "NEED must be peripheral, alias, flash, unmapped or interrupts");
        };
        return new Line(always, noArgs, args, need, w[3]);
    }

    private static long address(String file, int number, String line, String text) throws ElfFormatException {
        try {
            return Long.parseLong(text.toLowerCase(Locale.ROOT).startsWith("0x") ? text.substring(2) : text, 16);
        } catch (NumberFormatException e) {
            throw bad(file, number, line, "\"" + text + "\" is not a hexadecimal address");
        }
    }

    private static ElfFormatException bad(String file, int number, String line, String what) {
        return new ElfFormatException(file + ": " + SECTION + " line " + number + " (\"" + line + "\"): " + what);
    }

    static String hex(long v) {
        return String.format("0x%08x", v);
    }
}
