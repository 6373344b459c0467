package dev.tinysim.firmware;

import dev.tinysim.elf.ElfFile;
import dev.tinysim.elf.ElfFormatException;
import dev.tinysim.elf.ElfRelocator;
import dev.tinysim.elf.ElfSection;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.board.MemoryRegion;

import java.util.Optional;

/**
 * Places an image linked for one memory on a board with another: flash at another address or of another
 * size, RAM at another address or smaller (docs/firmware-placement.md). tinysim's images are linked once,
 * for the nRF52840, with their relocations kept and the memory they are linked for in four symbols
 * ({@code __linked_flash_origin/_end}, {@code __linked_ram_origin/_end}, firmware-images/common/nrf52840.ld).
 * Every linked address moves by the rule of the memory it is in:
 * <ul>
 *   <li>flash moves with the start of the board's flash; the end of flash ({@code __model_end}) with its end;</li>
 *   <li>RAM below {@code __StackLimit} (data, bss, heap, arena start) moves with the start of the board's RAM;</li>
 *   <li>the stack, {@code __StackLimit} to the end of RAM, moves with the end of the board's RAM;</li>
 *   <li>anything else (peripherals, aliases, sizes) stays.</li>
 * </ul>
 * That is what the linker gives for the same objects linked with the board's MEMORY (a test relinks them with
 * {@code make layout} and compares). An image without these symbols or without relocations runs as linked.
 */
public final class BoardPlacement {
    /**
     * The memory an image is linked for.
     *
     * @param stackLimit {@code __StackLimit}: RAM from here to {@code ramEnd} is the stack
     */
    public record LinkedMemory(long flashOrigin, long flashEnd, long ramOrigin, long ramEnd, long stackLimit) {
        /** The image's linked memory, when the image can be placed (symbols present, relocations kept). */
        public static Optional<LinkedMemory> of(FirmwareImage image) {
            Optional<Long> f0 = image.symbolAddress("__linked_flash_origin"), f1 = image.symbolAddress("__linked_flash_end");
            Optional<Long> r0 = image.symbolAddress("__linked_ram_origin"), r1 = image.symbolAddress("__linked_ram_end");
            Optional<Long> s = image.symbolAddress("__StackLimit");
            if (f0.isEmpty() || f1.isEmpty() || r0.isEmpty() || r1.isEmpty() || s.isEmpty() || !ElfRelocator.hasRelocations(image.elf())) {
                return Optional.empty();
            }
            return Optional.of(new LinkedMemory(f0.get(), f1.get(), r0.get(), r1.get(), s.get()));
        }

        boolean sameAs(MemoryRegion flash, MemoryRegion ram) {
            return flashOrigin == flash.base() && flashEnd == flash.end() && ramOrigin == ram.base() && ramEnd == ram.end();
        }
    }

    /** Why an image cannot be placed on a board. */
    public static final class PlacementException extends Exception {
        private final boolean doesNotFit;

        PlacementException(String message, boolean doesNotFit) {
            super(message);
            this.doesNotFit = doesNotFit;
        }

        /** True when the image is too large for the board's memory; false when it cannot be moved at all. */
        public boolean doesNotFit() {
            return doesNotFit;
        }
    }

    private BoardPlacement() {
    }

    /**
     * The image placed in the board's flash and RAM; the image itself when it runs where it is linked (its
     * memory is the board's, or it cannot be placed).
     */
    public static FirmwareImage place(FirmwareImage image, Board board) throws PlacementException {
        Optional<LinkedMemory> linked = LinkedMemory.of(image);
        MemoryRegion flash = board.flash();
        MemoryRegion ram = board.ram();
        if (linked.isEmpty() || linked.get().sameAs(flash, ram)) {
            return image;
        }
        LinkedMemory m = linked.get();
        long flashUsed = flashImageEnd(image, m) - m.flashOrigin();
        if (flashUsed > flash.size()) {
            throw new PlacementException(String.format("%s: its %,d bytes of flash do not fit the %,d bytes of board %s",
                    image.name(), flashUsed, flash.size(), board.name()), true);
        }
        long staticEnd = staticRamEnd(image, m);
        long newStackLimit = m.stackLimit() - m.ramEnd() + ram.end();
        long newStaticEnd = staticEnd - m.ramOrigin() + ram.base();
        if (newStaticEnd > newStackLimit) {
            throw new PlacementException(String.format("%s: its %,d bytes of static RAM and its %,d-byte stack do not fit the %,d bytes "
                            + "of RAM of board %s", image.name(), staticEnd - m.ramOrigin(), m.ramEnd() - m.stackLimit(), ram.size(),
                    board.name()), true);
        }
        ElfRelocator.AddressMap map = new ElfRelocator.AddressMap() {
            @Override
            public long move(long a) {
                if (a >= m.flashOrigin() && a < m.flashEnd()) {
                    return a - m.flashOrigin() + flash.base();
                }
                if (a == m.flashEnd()) {
                    return flash.end();
                }
                if (a >= m.ramOrigin() && a < m.stackLimit()) {
                    return a - m.ramOrigin() + ram.base();
                }
                if (a >= m.stackLimit() && a <= m.ramEnd()) {
                    return a - m.ramEnd() + ram.end();
                }
                return a;
            }

            /** The linker script's convention: __STACK_SIZE, __HEAP_SIZE are sizes. */
            @Override
            public boolean isAddress(String absoluteSymbolName) {
                return !(absoluteSymbolName.startsWith("__") && absoluteSymbolName.endsWith("_SIZE"));
            }
        };
        try {
            byte[] moved = ElfRelocator.relocate(image.elf(), map);
            return image.moved(ElfFile.parse(image.elf().name(), moved), String.format(
                    "linked for flash %s (%s) and RAM %s (%s); moved to flash %s (%s) and RAM %s (%s), the stack at its top",
                    hex(m.flashOrigin()), kb(m.flashEnd() - m.flashOrigin()), hex(m.ramOrigin()), kb(m.ramEnd() - m.ramOrigin()),
                    hex(flash.base()), kb(flash.size()), hex(ram.base()), kb(ram.size())));
        } catch (ElfFormatException e) {
            throw new PlacementException(e.getMessage(), false);
        }
    }

    /** The end of the image's bytes in flash (the vector table, code, read-only data, .data's initial values). */
    private static long flashImageEnd(FirmwareImage image, LinkedMemory m) {
        long end = m.flashOrigin();
        for (var s : image.elf().loadSegments()) {
            if (s.fileSize() > 0 && s.physicalAddress() >= m.flashOrigin() && s.physicalAddress() < m.flashEnd()) {
                end = Math.max(end, s.physicalAddress() + s.fileSize());
            }
        }
        return end;
    }

    /** The end of what the image places in RAM below its stack. */
    private static long staticRamEnd(FirmwareImage image, LinkedMemory m) {
        long end = m.ramOrigin();
        for (ElfSection s : image.elf().sections()) {
            if (s.allocated() && s.address() >= m.ramOrigin() && s.address() < m.stackLimit()) {
                end = Math.max(end, s.address() + s.size());
            }
        }
        return end;
    }

    static String hex(long v) {
        return String.format("0x%08x", v);
    }

    private static String kb(long bytes) {
        return bytes % 1024 == 0 ? bytes / 1024 + " KB" : String.format("%,d bytes", bytes);
    }
}
