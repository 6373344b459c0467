package dev.tinysim.emulator.peripherals;

import dev.tinysim.emulator.board.MemoryRegion;
import dev.tinysim.emulator.board.PeripheralSpec;
import dev.tinysim.emulator.bus.PeripheralContext;
import dev.tinysim.emulator.bus.UnmodelledAccessLog;
import dev.tinysim.emulator.sim.AddressSpace;
import dev.tinysim.emulator.sim.ConsoleSink;
import dev.tinysim.emulator.sim.EventScheduler;
import dev.tinysim.emulator.sim.SimClock;
import dev.tinysim.emulator.engine.HostMemory;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A peripheral's world without a CPU: a clock the test advances, RAM, a console, IRQ lines. */
final class TestContext {
    long now;
    final long hz;
    final EventScheduler scheduler = new EventScheduler();
    final ByteArrayOutputStream console = new ByteArrayOutputStream();
    final Map<Integer, Boolean> irq = new HashMap<>();
    final List<String> log = new ArrayList<>();
    final List<String> firstUnmodelled = new ArrayList<>();
    final UnmodelledAccessLog unmodelled = new UnmodelledAccessLog(firstUnmodelled::add);
    final AddressSpace memory = new AddressSpace();
    final HostMemory ram;
    boolean flashWritable;
    final List<Long> erased = new ArrayList<>();
    final PeripheralContext context;
    /** An nRF52840-like flash path (2 KB instruction cache) for flash-controller models. */
    final dev.tinysim.emulator.memory.FlashPath flashPath;

    TestContext(long hz) {
        this(hz, new dev.tinysim.emulator.board.MemorySystemSpec(
                new dev.tinysim.emulator.board.MemorySystemSpec.FlashSpec(4, 2, false, false),
                List.of(new dev.tinysim.emulator.board.MemorySystemSpec.CacheSpec("cache",
                        java.util.Set.of(dev.tinysim.emulator.board.MemorySystemSpec.Side.INSTRUCTION), 2048, 16, 2,
                        dev.tinysim.emulator.board.MemorySystemSpec.Replacement.LRU, 1, false)),
                java.util.Set.of(), "NVMC", List.of()));
    }

    /** A context whose flash path is {@code spec} (a board's memory system), flash at 0 (1 MB). */
    TestContext(long hz, dev.tinysim.emulator.board.MemorySystemSpec spec) {
        this.hz = hz;
        Arena arena = Arena.ofAuto();
        ram = new HostMemory(0x20000000L, arena.allocate(0x10000, 16));
        memory.add(new MemoryRegion("ram", MemoryRegion.Kind.RAM, 0x20000000L, 0x10000, null), ram);
        SimClock clock = new SimClock() {
            @Override
            public long now() {
                return now;
            }

            @Override
            public long hz() {
                return TestContext.this.hz;
            }
        };
        ConsoleSink sink = (stream, bytes, off, len) -> console.write(bytes, off, len);
        flashPath = new dev.tinysim.emulator.memory.FlashPath(spec, true, List.of(new long[]{0, 0x100000, 0}), List.of(ram), arena);
        flashPath.activate(true);
        context = new PeripheralContext(clock, scheduler, (n, level) -> irq.put(n, level), memory,
                new PeripheralContext.FlashPort() {
                    @Override
                    public void setWriteEnabled(boolean enabled) {
                        flashWritable = enabled;
                    }

                    @Override
                    public void erasePage(long address, long pageSize) {
                        erased.add(address);
                    }
                }, sink, unmodelled, log::add, flashPath);
    }

    /** Advances simulated time, running due events as the core does at block boundaries. */
    void advance(long cycles) {
        now += cycles;
        scheduler.runDue(now);
    }

    static PeripheralSpec spec(String name, long base, int irq, Map<String, Object> options) {
        return new PeripheralSpec(name, "test", base, 0x1000, irq, options);
    }
}
