package dev.tinysim.inference;

import dev.tinysim.failure.Failure;
import dev.tinysim.failure.FailureException;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.board.MemoryRegion;
import dev.tinysim.emulator.machine.LoadSegment;
import dev.tinysim.emulator.units.Units;
import dev.tinysim.firmware.FirmwareImage;
import dev.tinysim.run.FirmwareRunner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Board adaptation of the inference runtime: where its parts go on a board other than the one it is
 * linked for.
 *
 * <p>The runtime ELF is linked for the nRF52840: flash at 0, static data ({@code .bss}, {@code .noinit}
 * with {@code ts_host}) at 0x20000000, and an 8 KB stack reservation at the top of a 256 KB RAM
 * ({@code .stack}, a RAM-only zero-fill PT_LOAD segment at 0x2003E000, initial SP 0x20040000 in word 0
 * of the vector table). On another board:
 * <ul>
 *   <li><b>flash</b>: the image and the model stay at their linked addresses, which must be the board's
 *       flash or an alias of it at 0 (STM32F411: flash at 0x08000000, boot alias at 0). A board whose
 *       flash is elsewhere with nothing mapped at 0 gets such an alias for the run (the part would boot
 *       from it; the fit is judged on the board's flash).</li>
 *   <li><b>stack</b>: RAM-only zero-fill segments outside the board's RAM (the stack reservation) are
 *       placed at the top of its RAM, and the core boots with that stack pointer instead of word 0 of the
 *       vector table ({@code Machine.boot(long)}).</li>
 *   <li><b>arena</b>: the largest free stretch of the board's RAM outside the static data and the stack,
 *       given to the runtime through {@code ts_host.arena_base}/{@code arena_size}. On the nRF52840 this is
 *       exactly the linker's arena.</li>
 * </ul>
 * Static data ({@code .bss}, {@code .noinit}) cannot move (the code has its addresses): a board whose RAM does not
 * cover 0x20000000.. cannot run the runtime (exit 65, naming the board). Only the stack is relocated (the code
 * addresses it through SP alone).
 *
 * <p>The fit is computed from sizes, not addresses: flash = runtime image + model against the board's flash
 * minus what it reserves; RAM = static + arena high-water mark + stack peak against its RAM minus what it
 * reserves. Where the runtime's fixed static address splits a board's RAM (MK20DX256: RAM from 0x1FFF8000,
 * static data at 0x20000000), the arena gets the larger part; a model that would fit the whole RAM but not
 * that part is measured on enlarged RAM and still judged to fit.
 */
final class RuntimePlacement {
    private static final long FLASH_STEP = 64 * 1024;

    /**
     * @param runBoard      the board the machine is built from (aliases added, flash or RAM enlarged)
     * @param placement     segments (the stack relocated), initial SP and the stack region
     * @param modelAddress  where the model is written ({@code __model_start})
     * @param modelCapacity bytes the model may occupy on {@code runBoard} ({@code ts_host.model_capacity})
     * @param arenaBase     the arena given to the runtime
     * @param arenaSize     its size
     * @param staticBytes   RAM taken by static data (.data, .bss, .noinit), the stack reservation excluded
     * @param stackBytes    the stack reservation
     * @param runtimeFlash  bytes of the runtime image stored in flash
     * @param flashUsed     runtime image + alignment + model, from the start of flash
     * @param adapted       how the runtime was adapted to the board (empty on the board it is linked for)
     * @param enlarged      how memory was enlarged for the measurement (empty: not enlarged)
     */
    record Plan(Board runBoard, FirmwareRunner.Placement placement, long modelAddress, long modelCapacity,
                long arenaBase, long arenaSize, long staticBytes, long stackBytes, long runtimeFlash, long flashUsed,
                List<String> adapted, List<String> enlarged) {
        boolean ramEnlarged() {
            return enlarged.stream().anyMatch(s -> s.startsWith("RAM"));
        }
    }

    private RuntimePlacement() {
    }

    /**
     * Plans a run of {@code image} with a model of {@code modelBytes} on {@code board}; {@code extraRam} bytes
     * are added to the RAM (0 the first time; the retry after {@code arena-too-small} adds enough for the arena).
     */
    static Plan plan(FirmwareImage image, InferenceRunner.Layout layout, Board board, long modelBytes, long extraRam) {
        List<String> adapted = new ArrayList<>();
        List<String> enlarged = new ArrayList<>();
        Board run = board;
        long linkedFlash = linkedFlashBase(image, layout);
        long flashWindowEnd = layout.modelEnd();

        // flash: the linked addresses must show the board's flash
        run = showFlashAtLinkedAddress(board, run, linkedFlash, adapted);
        long flashUsed = layout.modelStart() - linkedFlash + modelBytes;
        run = enlarge(run, flashUsed, extraRam, enlarged);
        long modelCapacity = linkedFlash + run.flash().size() - layout.modelStart();

        // RAM: static data stays where it is linked; zero-fill segments outside RAM go to its top
        MemoryRegion ram = run.ram();
        long stackLimit = layout.stackTop() - stackSize(image, layout);
        List<LoadSegment> segments = new ArrayList<>();
        List<long[]> occupied = new ArrayList<>();
        List<LoadSegment> toPlace = new ArrayList<>();
        long runtimeFlash = 0;
        long staticBytes = 0;
        LoadSegment stackSegment = null;
        for (LoadSegment s : image.segments()) {
            if (s.bytes().length > 0 && s.loadAddress() >= linkedFlash && s.loadAddress() < flashWindowEnd) {
                runtimeFlash += s.bytes().length;
            }
            boolean ramImage = s.memorySize() > 0 && (s.runAddress() < linkedFlash || s.runAddress() >= flashWindowEnd);
            if (!ramImage) {
                segments.add(s);
                continue;
            }
            boolean isStack = s.bytes().length == 0 && s.runAddress() == stackLimit;
            if (isStack) {
                stackSegment = s;
            } else {
                staticBytes += s.memorySize();
            }
            boolean inside = s.runAddress() >= ram.base() && s.runAddress() + s.memorySize() <= ram.end();
            if (inside && !isStack) {
                segments.add(s);
                occupied.add(new long[]{s.runAddress(), s.runAddress() + s.memorySize()});
            } else if (isStack) {
                toPlace.add(s);
            } else {
                // static data: the code has its addresses, it cannot move
                throw new FailureException(Failure.BAD_INPUT, String.format(
                        "board %s cannot run the inference runtime: its static data (segment %d, %d bytes at 0x%08x) "
                                + "lies outside the board's RAM (%s..%s)", board.name(), s.index(), s.memorySize(), s.runAddress(),
                        hex(ram.base()), hex(ram.end())));
            }
        }
        Stack placed = placeAtTopOfRam(toPlace, stackSegment, ram, layout.stackTop(), stackLimit, segments, occupied);
        long stackTop = placed.top();
        long stackBottom = placed.bottom();
        boolean stackMoved = placed.moved();
        if (stackSegment == null) {
            throw new FailureException(Failure.INTERNAL, image.name() + ": the inference runtime has no stack segment at __StackLimit");
        }
        if (stackMoved && extraRam == 0) {
            adapted.add("stack reservation (" + Units.bytesExact(stackSegment.memorySize()) + ") moved to the top of RAM, "
                    + hex(stackBottom) + ".." + hex(stackTop) + ", initial SP " + hex(stackTop));
        }

        // arena: the largest free stretch
        occupied.sort(Comparator.comparingLong(a -> a[0]));
        long[] gap = largestGap(occupied, ram);
        long bestBase = gap[0];
        long bestSize = gap[1];
        bestSize = Math.max(0, bestSize);
        if (!(bestBase == layout.arenaStart() && bestSize == layout.arenaEnd() - layout.arenaStart()) && extraRam == 0) {
            adapted.add("arena of " + size(bestSize) + " at " + hex(bestBase) + " (the largest free part of RAM)");
        }
        FirmwareImage.StackRegion stack = new FirmwareImage.StackRegion(stackBottom, stackTop, true);
        FirmwareRunner.Placement placement = new FirmwareRunner.Placement(List.copyOf(segments), stackTop, stack);
        return new Plan(run, placement, layout.modelStart(), modelCapacity, bestBase, bestSize, staticBytes,
                stackSegment.memorySize(), runtimeFlash, flashUsed, List.copyOf(adapted), List.copyOf(enlarged));
    }

    /** Where the stack reservation went: its bottom and top, and whether it moved from its linked place. */
    private record Stack(long bottom, long top, boolean moved) {
    }

    /**
     * Places the zero-fill segments outside RAM at its top, downwards (into {@code segments} and {@code occupied}); returns
     * where the stack went ({@code linkedTop}/{@code linkedBottom} when it is not among them).
     */
    private static Stack placeAtTopOfRam(List<LoadSegment> toPlace, LoadSegment stackSegment, MemoryRegion ram, long linkedTop,
                                         long linkedBottom, List<LoadSegment> segments, List<long[]> occupied) {
        long stackLimit = linkedBottom;
        long top = ram.end() & ~7L;
        long stackTop = linkedTop;
        long stackBottom = stackLimit;
        boolean stackMoved = false;
        for (LoadSegment s : toPlace) {
            long base = (top - s.memorySize()) & ~7L;
            if (base < ram.base()) {
                base = ram.base();
            }
            segments.add(new LoadSegment(s.index(), base, base, new byte[0], s.memorySize()));
            occupied.add(new long[]{base, base + s.memorySize()});
            if (s == stackSegment) {
                stackMoved = base != s.runAddress();
                stackBottom = base;
                stackTop = base + s.memorySize();
            }
            top = base;
        }
        return new Stack(stackBottom, stackTop, stackMoved);
    }

    /** The board with its flash visible at the runtime's linked flash address (an alias added when nothing is there). */
    private static Board showFlashAtLinkedAddress(Board board, Board run, long linkedFlash, List<String> adapted) {
        MemoryRegion flash = run.flash();
        if (flash.base() != linkedFlash) {
            boolean aliased = run.memory().stream().anyMatch(r -> r.kind() == MemoryRegion.Kind.ALIAS
                    && flash.name().equals(r.aliasOf()) && r.base() == linkedFlash);
            if (!aliased) {
                for (MemoryRegion r : run.memory()) {
                    if (r.overlaps(linkedFlash, flash.size())) {
                        throw new FailureException(Failure.BAD_INPUT, "board " + board.name() + " cannot run the inference runtime: "
                                + "it is linked for flash at " + hex(linkedFlash) + ", where the board has " + r.name()
                                + " (its flash is at " + hex(flash.base()) + ")");
                    }
                }
                List<MemoryRegion> regions = new ArrayList<>(run.memory());
                regions.add(new MemoryRegion("flash-alias-for-runtime", MemoryRegion.Kind.ALIAS, linkedFlash, flash.size(),
                        flash.name()));
                run = run.withMemory(regions);
                adapted.add("flash at " + hex(flash.base()) + " aliased at " + hex(linkedFlash) + " (the runtime is linked there)");
            } else {
                adapted.add("the runtime runs from the flash alias at " + hex(linkedFlash) + " (flash at " + hex(flash.base()) + ")");
            }
        }
        return run;
    }

    /** The board with flash enlarged to hold the runtime and the model, and RAM by {@code extraRam}. */
    private static Board enlarge(Board run, long flashUsed, long extraRam, List<String> enlarged) {
        if (flashUsed > run.flash().size()) {
            long size = InferenceRunner.roundUp(flashUsed, FLASH_STEP);
            run = run.withRegionSize(run.flash().name(), size);
            enlarged.add("flash enlarged to " + Units.bytesExact(size));
        }
        if (extraRam > 0) {
            long size = InferenceRunner.roundUp(run.ram().size() + extraRam, 4096);
            run = run.withRegionSize(run.ram().name(), size);
            enlarged.add("RAM enlarged to " + Units.bytesExact(size));
        }
        return run;
    }

    /** The largest free stretch of {@code ram} outside {@code occupied} (sorted by base), 16-byte aligned: {base, size}. */
    private static long[] largestGap(List<long[]> occupied, MemoryRegion ram) {
        long bestBase = 0;
        long bestSize = -1;
        long cursor = ram.base();
        for (long[] o : occupied) {
            long gapStart = InferenceRunner.roundUp(cursor, 16);
            long gapEnd = o[0] & ~15L;
            if (gapEnd - gapStart > bestSize) {
                bestBase = gapStart;
                bestSize = gapEnd - gapStart;
            }
            cursor = Math.max(cursor, o[1]);
        }
        long gapStart = InferenceRunner.roundUp(cursor, 16);
        long gapEnd = ram.end() & ~15L;
        if (gapEnd - gapStart > bestSize) {
            bestBase = gapStart;
            bestSize = gapEnd - gapStart;
        }
        return new long[]{bestBase, bestSize};
    }

    /** Where the runtime's flash image starts: its lowest load address with contents (its vector table). */
    private static long linkedFlashBase(FirmwareImage image, InferenceRunner.Layout layout) {
        long base = Long.MAX_VALUE;
        for (LoadSegment s : image.segments()) {
            if (s.bytes().length > 0 && s.loadAddress() < layout.modelStart()) {
                base = Math.min(base, s.loadAddress());
            }
        }
        return base == Long.MAX_VALUE ? 0 : base;
    }

    private static long stackSize(FirmwareImage image, InferenceRunner.Layout layout) {
        return image.symbolAddress("__StackLimit").map(limit -> layout.stackTop() - limit).orElse(0L);
    }

    /** "32 KB", "57,200 bytes" */
    static String size(long bytes) {
        return bytes % 1024 == 0 ? Units.bytesExact(bytes) : Units.grouped(bytes) + " bytes";
    }

    static String hex(long v) {
        return String.format("0x%08x", v);
    }
}
