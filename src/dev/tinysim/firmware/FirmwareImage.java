package dev.tinysim.firmware;

import dev.tinysim.elf.ElfFile;
import dev.tinysim.elf.ElfFormatException;
import dev.tinysim.elf.ElfSection;
import dev.tinysim.elf.ElfSegment;
import dev.tinysim.elf.ElfSymbol;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.board.MemoryRegion;
import dev.tinysim.emulator.machine.LoadSegment;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A firmware ELF ready to run: its segments, symbols and the facts a fit report needs.
 */
public final class FirmwareImage {
    private final ElfFile elf;
    private final String displayName;
    private final Symbolizer symbolizer;
    private final String placement;

    private FirmwareImage(ElfFile elf, String displayName, String placement) {
        this.elf = elf;
        this.displayName = displayName;
        this.symbolizer = new Symbolizer(elf.symbols());
        this.placement = placement;
    }

    private FirmwareImage(ElfFile elf, String displayName) {
        this(elf, displayName, null);
    }

    /** The same image moved to other addresses ({@link BoardPlacement}); {@code placement} says how. */
    FirmwareImage moved(ElfFile movedElf, String placement) {
        return new FirmwareImage(movedElf, displayName, placement);
    }

    /** How the image was moved to the board's memory, or null when it runs where it is linked. */
    public String placement() {
        return placement;
    }

    public static FirmwareImage read(Path path) throws ElfFormatException {
        return new FirmwareImage(ElfFile.read(path), path.getFileName().toString());
    }

    /** Prebuilt images shipped with tinysim (firmware-images/prebuilt), by file name. */
    public static Optional<FirmwareImage> bundled(String fileName) throws ElfFormatException {
        try (InputStream in = FirmwareImage.class.getClassLoader().getResourceAsStream("firmware/" + fileName)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(new FirmwareImage(ElfFile.parse("firmware/" + fileName, in.readAllBytes()), fileName));
        } catch (IOException e) {
            throw new ElfFormatException("firmware/" + fileName + ": cannot read the bundled image: " + e.getMessage());
        }
    }

    /** The bundled image named {@code base} built for the board's FPU: base-m4f.elf or base-m4.elf. */
    public static Optional<FirmwareImage> bundledFor(String base, Board board) throws ElfFormatException {
        return bundled(base + (board.cpu().fpu() ? "-m4f" : "-m4") + ".elf");
    }

    /** What the image declares it needs of a board ({@code .tinysim.requires}); none for most ELF files. */
    public Requirements requirements() throws ElfFormatException {
        return Requirements.of(this);
    }

    public ElfFile elf() {
        return elf;
    }

    public String name() {
        return displayName;
    }

    public Symbolizer symbolizer() {
        return symbolizer;
    }

    public Optional<Long> symbolAddress(String name) {
        return elf.symbol(name).map(ElfSymbol::address);
    }

    public List<LoadSegment> segments() {
        List<LoadSegment> out = new ArrayList<>();
        for (ElfSegment s : elf.loadSegments()) {
            out.add(new LoadSegment(s.index(), s.physicalAddress(), s.virtualAddress(), elf.segmentBytes(s), s.memorySize()));
        }
        return out;
    }

    /**
     * Flash and RAM use, by the same rules as {@code arm-none-eabi-size}: text = allocated
     * read-only sections, data = allocated writable sections with contents, bss = allocated
     * sections without contents (.bss, .noinit, heap and stack reservations). Flash = every
     * PT_LOAD byte stored in flash; static RAM = data + bss placed in RAM.
     */
    public MemoryUse memoryUse(Board board) {
        long text = 0, data = 0, bss = 0;
        for (ElfSection s : elf.sections()) {
            if (!s.allocated() || s.size() == 0) {
                continue;
            }
            if (s.noBits()) {
                bss += s.size();
            } else if (s.writable()) {
                data += s.size();
            } else {
                text += s.size();
            }
        }
        long flash = 0;
        MemoryRegion flashRegion = board.flash();
        for (ElfSegment s : elf.loadSegments()) {
            if (flashRegion.contains(s.physicalAddress())) {
                flash += s.fileSize();
            }
        }
        long staticRam = 0;
        MemoryRegion ram = board.ram();
        for (ElfSection s : elf.sections()) {
            if (s.allocated() && s.writable() && ram.contains(s.address())) {
                staticRam += s.size();
            } else if (s.allocated() && s.noBits() && ram.contains(s.address())) {
                staticRam += s.size();
            }
        }
        return new MemoryUse(text, data, bss, flash, staticRam);
    }

    /**
     * The stack region: [__StackLimit, __StackTop) when the image defines them, else from the end
     * of the highest RAM section to the initial stack pointer.
     */
    public StackRegion stackRegion(Board board, long initialSp) {
        Optional<Long> limit = symbolAddress("__StackLimit");
        Optional<Long> top = symbolAddress("__StackTop");
        MemoryRegion ram = board.ram();
        // symbols outside the board's RAM (a corrupt or foreign image) describe no stack of this board
        if (limit.isPresent() && top.isPresent() && limit.get() < top.get()
                && ram.contains(limit.get()) && top.get() <= ram.end()) {
            return new StackRegion(limit.get(), top.get(), true);
        }
        for (ElfSection s : elf.sections()) {
            // the linker's stack reservation itself, when its symbols cannot be trusted
            if (s.name().equals(".stack") && s.allocated() && s.size() > 0 && ram.contains(s.address())
                    && s.address() + s.size() <= ram.end()) {
                return new StackRegion(s.address(), s.address() + s.size(), true);
            }
        }
        long end = ram.base();
        for (ElfSection s : elf.sections()) {
            if (s.allocated() && ram.contains(s.address()) && s.address() + s.size() <= initialSp) {
                end = Math.max(end, s.address() + s.size());
            }
        }
        return new StackRegion((end + 7) & ~7L, initialSp, false);
    }

    /**
     * @param text      bytes of read-only allocated sections (Berkeley "text")
     * @param data      bytes of initialised writable sections (Berkeley "data")
     * @param bss       bytes of zero-initialised and reserved sections (Berkeley "bss")
     * @param flash     bytes stored in flash (PT_LOAD contents placed there)
     * @param staticRam bytes of RAM taken before the program runs (data + bss in RAM)
     */
    public record MemoryUse(long text, long data, long bss, long flash, long staticRam) {
    }

    /** @param reserved true when the linker reserved it explicitly (__StackLimit/__StackTop) */
    public record StackRegion(long bottom, long top, boolean reserved) {
        public long size() {
            return top - bottom;
        }
    }
}
