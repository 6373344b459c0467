package dev.tinysim.emulator.machine;

import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.board.MemoryRegion;
import dev.tinysim.emulator.board.PeripheralSpec;
import dev.tinysim.emulator.bus.Peripheral;
import dev.tinysim.emulator.bus.PeripheralBus;
import dev.tinysim.emulator.bus.PeripheralContext;
import dev.tinysim.emulator.bus.UnmodelledAccessLog;
import dev.tinysim.emulator.sim.AddressSpace;
import dev.tinysim.emulator.core.CortexM4;
import dev.tinysim.emulator.core.RegisterSnapshot;
import dev.tinysim.emulator.sim.EventScheduler;
import dev.tinysim.emulator.core.FaultReport;
import dev.tinysim.emulator.core.RunOutcome;
import dev.tinysim.emulator.core.Semihosting;
import dev.tinysim.emulator.disasm.CapstoneDisassembler;
import dev.tinysim.emulator.disasm.Disassembler;
import dev.tinysim.emulator.engine.Access;
import dev.tinysim.emulator.engine.CpuEngine;
import dev.tinysim.emulator.engine.HostMemory;
import dev.tinysim.emulator.engine.MmioHandler;
import dev.tinysim.emulator.engine.Reg;
import dev.tinysim.emulator.peripherals.PeripheralCatalog;
import dev.tinysim.emulator.scs.CoreStatus;
import dev.tinysim.emulator.scs.Dwt;
import dev.tinysim.emulator.scs.Itm;
import dev.tinysim.emulator.scs.Nvic;
import dev.tinysim.emulator.scs.PrivatePeripheralBus;
import dev.tinysim.emulator.scs.SysTick;
import dev.tinysim.emulator.scs.SystemControlSpace;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A board built from its profile: the engine (CPU container), memory regions, the private
 * peripheral bus (NVIC, SCB, SysTick, DWT, ITM), the board's peripherals on their bus, and the
 * Cortex-M4 core. Board → SoC memory map and peripherals → CPU, as QEMU structures it.
 * One machine runs one program once; close it to free its native memory.
 */
public final class Machine implements AutoCloseable {
    /** The architectural peripheral region of every Cortex-M: unmodelled accesses here are logged, not faults. */
    private static final long PERIPHERAL_REGION = 0x40000000L, PERIPHERAL_REGION_SIZE = 0x20000000L;
    /** Painted into the stack before a run, to find how deep it went. */
    private static final byte STACK_PAINT = (byte) 0xC5;

    private final Board board;
    private final CpuEngine engine;
    private final Disassembler disassembler;
    private final AddressSpace memory = new AddressSpace();
    private final EventScheduler scheduler = new EventScheduler();
    private final UnmodelledAccessLog unmodelled;
    private final Semihosting semihosting;
    private final CortexM4 core;
    private final Nvic nvic;
    private final List<Peripheral> peripherals = new ArrayList<>();
    private final MachineOptions options;

    private Machine(Board board, MachineOptions options) {
        this.board = board;
        this.options = options;
        this.engine = options.engine().open();
        Disassembler d = null;
        try {
            d = new CapstoneDisassembler();
            this.disassembler = d;
            this.unmodelled = new UnmodelledAccessLog(msg -> options.log().log(msg));
            mapMemory();
            this.nvic = new Nvic(board.cpu().interrupts(), board.cpu().nvicPriorityBits());
            CoreClockProxy clock = new CoreClockProxy(board.cpu().clockHz());
            this.semihosting = new Semihosting(memory, options.console(), options.stdin(), clock, options.commandLine(),
                    options.heapInfo());
            SysTick sysTick = new SysTick(clock, scheduler, nvic);
            Dwt dwt = new Dwt(clock, unmodelled);
            SystemControlSpace scs = new SystemControlSpace(board.cpu(), nvic, sysTick, dwt, unmodelled);
            Itm itm = new Itm(options.console(), unmodelled);
            PrivatePeripheralBus ppb = new PrivatePeripheralBus(itm, dwt, scs, unmodelled);
            this.core = new CortexM4(engine, memory, board.cpu(), board.name(), nvic, scs, scheduler, semihosting,
                    options.timing(), disassembler, board.effectiveMemorySystem(), board.memorySystemModelled());
            connect(core, clock, dwt, scs);
            core.setMaxInstructions(options.maxInstructions());
            core.setStrict(options.strict());
            engine.mapMmio(PrivatePeripheralBus.BASE, PrivatePeripheralBus.SIZE, tracked(ppb));
            mapPeripherals(clock);
        } catch (RuntimeException e) {
            if (d != null) {
                d.close();
            }
            engine.close();
            throw e;
        }
    }

    /**
     * The parts are built first, then connected (as a QEMU SoC wires its children): the clock the SCS, semihosting
     * and peripherals read is the core's cycle count, DWT's CYCCNT is gated by the SCS's DEMCR.TRCENA, the SCS reports
     * the core's state, and the core hears of each first unmodelled access after the log.
     */
    private void connect(CortexM4 core, CoreClockProxy clock, Dwt dwt, SystemControlSpace scs) {
        clock.core = core;
        dwt.connectTrace(scs::traceEnabled);
        scs.connectCore(new CoreStatus() {
            @Override
            public int currentException() {
                return core.currentException();
            }

            @Override
            public void requestSystemReset() {
                core.requestSystemReset();
            }

            @Override
            public long currentPc() {
                return core.currentPc();
            }

            @Override
            public void fpuAccessChanged() {
                core.fpuAccessChanged();
            }
        });
        unmodelled.alsoNotify(core::unmodelledAccess);
    }

    /** Builds a machine for a board. Throws {@link dev.tinysim.emulator.engine.EngineException} if Unicorn is missing. */
    public static Machine create(Board board, MachineOptions options) {
        return new Machine(board, options);
    }

    private void mapMemory() {
        Map<String, HostMemory> byName = new LinkedHashMap<>();
        for (MemoryRegion r : board.memory()) {
            if (r.kind() == MemoryRegion.Kind.ALIAS) {
                continue;
            }
            EnumSet<Access> perms = r.kind() == MemoryRegion.Kind.FLASH
                    ? EnumSet.of(Access.READ, Access.FETCH) : EnumSet.allOf(Access.class);
            HostMemory m = engine.mapMemory(r.base(), r.size(), perms);
            if (r.kind() == MemoryRegion.Kind.FLASH) {
                m.fill(r.base(), r.size(), (byte) 0xFF);    // erased flash
            }
            byName.put(r.name(), m);
            memory.add(r, m);
        }
        for (MemoryRegion r : board.memory()) {
            if (r.kind() == MemoryRegion.Kind.ALIAS) {
                HostMemory target = byName.get(r.aliasOf());
                // The same host bytes mapped a second time: a true alias, writes show through both.
                HostMemory alias = engine.mapAlias(r.base(), target, EnumSet.allOf(Access.class));
                memory.add(r, alias);
            }
        }
    }

    private void mapPeripherals(CoreClockProxy clock) {
        PeripheralContext.FlashPort flashPort = new PeripheralContext.FlashPort() {
            @Override
            public void setWriteEnabled(boolean enabled) {
                core.setFlashWriteEnabled(enabled);
            }

            @Override
            public void erasePage(long address, long pageSize) {
                long start = address & ~(pageSize - 1);
                AddressSpace.Mapping m = memory.find(start, pageSize);
                if (m != null && m.region().kind() == MemoryRegion.Kind.FLASH) {
                    m.memory().fill(start, pageSize, (byte) 0xFF);
                    engine.invalidateCode(start, start + pageSize);
                }
            }
        };
        PeripheralContext ctx = new PeripheralContext(clock, scheduler, nvic, memory, flashPort, options.console(),
                unmodelled, options.log(), core.flashPath());
        PeripheralBus peripheralRegion = new PeripheralBus("PERIPHERAL", PERIPHERAL_REGION, PERIPHERAL_REGION_SIZE, unmodelled);
        Map<Long, PeripheralBus> otherPages = new LinkedHashMap<>();
        for (PeripheralSpec spec : board.peripherals()) {
            PeripheralBus bus;
            if (spec.base() >= PERIPHERAL_REGION && spec.end() <= PERIPHERAL_REGION + PERIPHERAL_REGION_SIZE) {
                bus = peripheralRegion;
            } else {
                long pageBase = spec.base() & ~0xFFFL;
                long pageEnd = (spec.end() + 0xFFF) & ~0xFFFL;
                bus = otherPages.computeIfAbsent(pageBase, b -> new PeripheralBus(spec.name(), b, pageEnd - b, unmodelled));
            }
            Peripheral p = PeripheralCatalog.standard().create(spec, ctx);
            if (p == null) {
                bus.nameUnmodelled(spec.base(), spec.name());
            } else {
                bus.attach(spec.base(), spec.size(), p);
                peripherals.add(p);
            }
        }
        engine.mapMmio(PERIPHERAL_REGION, PERIPHERAL_REGION_SIZE, tracked(peripheralRegion));
        for (PeripheralBus bus : otherPages.values()) {
            engine.mapMmio(bus.base(), bus.size(), tracked(bus));
        }
    }

    /** Tells the core which address a device access is for, so that time is exact at that instruction. */
    private MmioHandler tracked(MmioHandler inner) {
        long base = inner instanceof PeripheralBus pb ? pb.base() : PrivatePeripheralBus.BASE;
        return new MmioHandler() {
            @Override
            public long read(long offset, int size) {
                core.beginDeviceAccess(base + offset, size, false);
                try {
                    return inner.read(offset, size);
                } finally {
                    core.endDeviceAccess();
                }
            }

            @Override
            public void write(long offset, int size, long value) {
                core.beginDeviceAccess(base + offset, size, true);
                try {
                    inner.write(offset, size, value);
                } finally {
                    core.endDeviceAccess();
                }
            }
        };
    }

    public Board board() {
        return board;
    }

    public AddressSpace memory() {
        return memory;
    }

    public CortexM4 core() {
        return core;
    }

    public Semihosting semihosting() {
        return semihosting;
    }

    public UnmodelledAccessLog unmodelled() {
        return unmodelled;
    }

    public String engineDescription() {
        return engine.description();
    }

    /**
     * Places a program's segments. Each must lie inside one memory region: the bytes at their
     * load address, and the whole segment at its run address.
     */
    public void load(List<LoadSegment> segments) throws ImageException {
        for (LoadSegment s : segments) {
            checkFits(s, s.loadAddress(), s.bytes().length, "its contents");
            if (s.runAddress() != s.loadAddress() || s.memorySize() > s.bytes().length) {
                checkFits(s, s.runAddress(), s.memorySize(), "its run-time image");
            }
        }
        for (LoadSegment s : segments) {
            memory.write(s.loadAddress(), s.bytes());
        }
    }

    private void checkFits(LoadSegment s, long address, long length, String what) throws ImageException {
        if (length == 0) {
            return;
        }
        if (memory.find(address, length) != null) {
            return;
        }
        MemoryRegion target = null;
        for (MemoryRegion r : board.memory()) {
            if (r.contains(address)) {
                target = r;
            }
        }
        if (target == null) {
            throw new ImageException(ImageException.Reason.DOES_NOT_FIT, String.format(
                    "segment %d (%s at 0x%x) is outside the memory of board %s", s.index(), dev.tinysim.emulator.units.Units.bytesRounded(length), address, board.name()));
        }
        long over = address + length - target.end();
        throw new ImageException(ImageException.Reason.DOES_NOT_FIT, String.format(
                "segment %d (%s at 0x%x) does not fit %s (%s): it exceeds %s by %,d byte%s", s.index(), dev.tinysim.emulator.units.Units.bytesRounded(length), address,
                target.name(), dev.tinysim.emulator.units.Units.bytesRounded(target.size()), target.name(), over, over == 1 ? "" : "s"));
    }

    /**
     * Resets the core from the vector table at the start of flash: initial SP from word 0, reset
     * handler from word 1. Refuses a table that cannot be one.
     */
    public long boot() throws ImageException {
        return boot(null);
    }

    /**
     * Resets like {@link #boot()}, but with the given initial stack pointer instead of word 0 of the
     * vector table (the reset handler still comes from word 1). For an image linked for a larger RAM
     * whose loader placed the stack reservation at the top of this board's RAM: the value must be a
     * word-aligned address just above RAM, like word 0 of a table linked for this board.
     */
    public long boot(long initialSpOverride) throws ImageException {
        return boot(Long.valueOf(initialSpOverride & 0xFFFFFFFFL));
    }

    private long boot(Long initialSpOverride) throws ImageException {
        long table = board.flash().base();
        if (board.reservedFlash() > 0 && memory.read32(table) == 0xFFFFFFFFL && memory.read32(table + 4) == 0xFFFFFFFFL) {
            // the start of flash belongs to other software (a SoftDevice and its MBR), which forwards reset and
            // interrupts to the application's vector table right after it: boot from there
            table += board.reservedFlash();
        }
        long sp = initialSpOverride != null ? initialSpOverride : memory.read32(table);
        long reset = memory.read32(table + 4);
        if (sp == 0xFFFFFFFFL && reset == 0xFFFFFFFFL) {
            throw new ImageException(ImageException.Reason.NO_VECTOR_TABLE, String.format(
                    "no vector table at 0x%08x: flash there is erased (the image places nothing at the start of flash)", table));
        }
        AddressSpace.Mapping stack = memory.find((sp - 4) & 0xFFFFFFFFL, 4);
        if (stack == null || stack.region().kind() == MemoryRegion.Kind.FLASH || (sp & 3) != 0) {
            throw new ImageException(ImageException.Reason.NO_VECTOR_TABLE, String.format(
                    initialSpOverride != null ? "initial stack pointer 0x%2$08x (given for the table at 0x%1$08x) is not a word-aligned address at the top of RAM"
                            : "no vector table at 0x%08x: word 0 (initial stack pointer) is 0x%08x, not a word-aligned address at the top of RAM",
                    table, sp));
        }
        if ((reset & 1) == 0 || memory.find(reset & ~1L, 2) == null) {
            throw new ImageException(ImageException.Reason.NO_VECTOR_TABLE, String.format(
                    "no vector table at 0x%08x: word 1 (reset handler) is 0x%08x, not a Thumb address in memory", table, reset));
        }
        long entry = core.reset(table);
        if (initialSpOverride != null) {
            engine.write(Reg.MSP, sp);
            engine.write(Reg.SP, sp);
        }
        return entry;
    }

    /** Fills [from, to) with the paint pattern (before the run). */
    public void paintStack(long from, long to) {
        AddressSpace.Mapping m = memory.find(from, to - from);
        if (m != null && to > from) {
            m.memory().fill(from, to - from, STACK_PAINT);
        }
    }

    /** Bytes of [from, to) the firmware overwrote, counted from the top (the stack grows down). */
    public long stackUsed(long from, long to) {
        AddressSpace.Mapping m = memory.find(from, to - from);
        if (m == null || to <= from) {
            return 0;
        }
        long a = from;
        while (a < to && (byte) m.memory().read8(a) == STACK_PAINT) {
            a++;
        }
        return to - a;
    }

    /** Runs the booted program to its end. */
    /** Bytes of the block tables the core allocated (native and Java): proportional to flash, not RAM. */
    public long blockTableBytes() {
        return core.blockTableBytes();
    }

    /** Ends {@link #run()} after this many milliseconds of host time, outcome {@link RunOutcome.TimedOut} (0: no limit). */
    public void setWallTimeout(long millis) {
        core.setWallTimeout(millis);
    }

    public RunResult run() {
        long start = System.nanoTime();
        RunOutcome outcome = core.run();
        long wall = System.nanoTime() - start;
        Map<String, Long> regs = RegisterSnapshot.read(engine, core.currentException(), null);
        if (outcome instanceof RunOutcome.Faulted(FaultReport f)) {
            if (core.registersAtFault() != null) {
                regs.clear();
                regs.putAll(core.registersAtFault());
            }
            regs.put("pc", f.pc());
        }
        return new RunResult(outcome, core.instructions(), core.cycles(), board.cpu().clockHz(), core.sleepCycles(),
                core.exceptionsTaken(), unmodelled.entries(), regs, wall);
    }

    @Override
    public void close() {
        try {
            disassembler.close();
        } finally {
            try {
                engine.close();
            } finally {
                core.close();   // after the engine: the native hook reads the core's counters until then
            }
        }
    }

    /** The clock peripherals see: the core's, once the core exists. */
    private static final class CoreClockProxy implements dev.tinysim.emulator.sim.SimClock {
        private final long hz;
        CortexM4 core;

        CoreClockProxy(long hz) {
            this.hz = hz;
        }

        @Override
        public long now() {
            return core == null ? 0 : core.now();
        }

        @Override
        public long hz() {
            return hz;
        }
    }
}
