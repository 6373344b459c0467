package dev.tinysim.emulator.core;

import dev.tinysim.emulator.sim.AddressSpace;
import dev.tinysim.emulator.sim.EventScheduler;
import dev.tinysim.emulator.sim.SimClock;
import dev.tinysim.emulator.board.CpuSpec;
import dev.tinysim.emulator.board.MemoryRegion;
import dev.tinysim.emulator.board.MemorySystemSpec;
import dev.tinysim.emulator.disasm.Disassembler;
import dev.tinysim.emulator.disasm.Instruction;
import dev.tinysim.emulator.engine.CpuEngine;
import dev.tinysim.emulator.engine.Reg;
import dev.tinysim.emulator.memory.FlashPath;
import dev.tinysim.emulator.scs.CoreStatus;
import dev.tinysim.emulator.scs.Nvic;
import dev.tinysim.emulator.scs.SystemControlSpace;
import dev.tinysim.emulator.timing.TimingModel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Cortex-M4 core around the CPU engine, as the rest of the simulator sees it: it builds its parts,
 * connects them to each other and to the engine's hooks, resets from the vector table, and answers for
 * them. The work is in the parts: {@link BlockAccounting} (the per-block hook), {@link ExceptionSequencer}
 * (exception entry, return and tail-chaining), {@link Traps}, {@link FpuGating}, {@link FaultDelivery},
 * {@link RunLoop} and {@link EngineStops} (the run and what each engine stop means), {@link CurrentBlock}
 * (time and PC inside a block), {@link Observers} (profile and trace listeners).
 */
public final class CortexM4 implements SimClock, CoreStatus {
    private final CpuEngine engine;
    private final AddressSpace memory;
    private final CpuSpec cpu;
    private final Nvic nvic;
    private final SystemControlSpace scs;
    private final TimingModel timing;
    private final ExceptionUnit exceptions;
    private final BlockCache blocks;
    private final FlashPath flashPath;
    private final SleepAndSpin idle;
    private final InvalidAccesses invalidAccesses;
    private final FaultDelivery faults;
    private final StopState stops;
    private final CurrentBlock position;
    private final SlowPathLimits limits;
    private final Observers observers;
    private final ExceptionSequencer sequencer;
    private final BlockAccounting accounting;
    private final RunLoop runLoop;

    // Time and counts live in native memory shared with the native block hook (AccountingState).
    // `cycles` and `instructions` include the whole current block from its start.
    private final Arena arena = Arena.ofShared();
    private final AccountingState st = new AccountingState(arena);
    private final boolean nativeHook;

    /**
     * @param memorySystem the board's flash path (its zero-wait stand-in when the board gives none)
     * @param memorySystemModelled whether the board file describes it
     */
    public CortexM4(CpuEngine engine, AddressSpace memory, CpuSpec cpu, String boardName, Nvic nvic,
                    SystemControlSpace scs, EventScheduler scheduler, Semihosting semihosting, TimingModel timing,
                    Disassembler disassembler, MemorySystemSpec memorySystem, boolean memorySystemModelled) {
        this.engine = engine;
        this.memory = memory;
        this.cpu = cpu;
        this.nvic = nvic;
        this.scs = scs;
        this.timing = timing;
        this.exceptions = new ExceptionUnit(engine, memory, nvic, scs, cpu.fpu());
        AccessLocator locator = new AccessLocator(engine);
        this.blocks = new BlockCache(memory);
        for (AddressSpace.Mapping m : memory.mappings()) {
            if (BlockCache.tabled(m, memory)) {
                st.addRegion(arena, m.region().base(), m.region().size());
            }
        }
        this.flashPath = new FlashPath(memorySystem, memorySystemModelled, flashRanges(memory),
                memory.mappings().stream().map(AddressSpace.Mapping::memory).toList(), arena);
        flashPath.activate(timing.usesMemorySystem());
        timing.bindMemoryState(flashPath);
        BlockDecoder decoder = new BlockDecoder(memory, disassembler, timing, flashPath, scs);

        // The parts, each built from the parts it uses; the one pair that use each other is connected below.
        this.stops = new StopState(engine);
        this.position = new CurrentBlock(st, blocks, locator, flashPath, timing, engine, memory, disassembler);
        this.limits = new SlowPathLimits(st, nvic, scheduler);
        this.faults = new FaultDelivery(stops, engine, memory, exceptions, nvic, scs, boardName);
        this.idle = new SleepAndSpin(stops, engine, st, nvic, scs, scheduler, exceptions);
        EngineStops engineStops = new EngineStops(stops, semihosting, engine, memory, st, position, idle, faults);
        FpuGating fpu = new FpuGating(engine, st, cpu.fpu(), stops, faults, engineStops);
        DataDependentHooks dataHooks = new DataDependentHooks(position, fpu, faults, engine, st, scs, timing, flashPath, locator);
        this.invalidAccesses = new InvalidAccesses(stops, position, engine, memory);
        this.observers = new Observers(engine, st, position, fpu, limits);
        this.sequencer = new ExceptionSequencer(engine, nvic, scs, exceptions, timing, flashPath, st, stops, position,
                observers, faults);
        Traps traps = new Traps(engine, memory, nvic, exceptions, cpu.fpu(), semihosting, stops, position, faults,
                sequencer, limits);
        this.accounting = new BlockAccounting(engine, st, blocks, decoder, dataHooks, flashPath, scheduler, nvic, scs,
                stops, limits, sequencer, fpu, idle, observers);
        this.runLoop = new RunLoop(engine, st, stops, fpu, engineStops);

        // Connected once every part exists.
        faults.connect(sequencer);
        flashPath.onConfigurationChange(accounting::memorySystemChanged);
        st.setMemorySystem(flashPath.segment());
        MemorySegment hook = engine.nativeBlockHook();
        this.nativeHook = hook != null;
        if (nativeHook) {
            st.setSlowPath(engine.blockUpcall(accounting::onBlock));
            engine.onBlockNative(hook, st.segment);
        } else {
            engine.onBlock(accounting::onBlock);
        }
        engine.onInterrupt(traps::onTrap);
        engine.onInvalidMemory(invalidAccesses::onInvalidMemory);
    }

    /** [base, size, base of the flash it shows] for the flash and each alias of it. */
    private static List<long[]> flashRanges(AddressSpace memory) {
        List<long[]> out = new ArrayList<>();
        long flashBase = -1;
        for (AddressSpace.Mapping m : memory.mappings()) {
            if (m.region().kind() == MemoryRegion.Kind.FLASH) {
                flashBase = m.region().base();
                out.add(new long[]{m.region().base(), m.region().size(), m.region().base()});
            }
        }
        for (AddressSpace.Mapping m : memory.mappings()) {
            if (m.region().kind() == MemoryRegion.Kind.ALIAS && flashBase >= 0) {
                for (AddressSpace.Mapping t : memory.mappings()) {
                    if (t.region().kind() == MemoryRegion.Kind.FLASH && t.region().name().equals(m.region().aliasOf())) {
                        out.add(new long[]{m.region().base(), m.region().size(), t.region().base()});
                    }
                }
            }
        }
        return out;
    }

    /** The board's flash path: its controls (for the flash controller's registers) and its counters. */
    public FlashPath flashPath() {
        return flashPath;
    }

    // ---------------------------------------------------------------- SimClock / CoreStatus

    @Override
    public long now() {
        return position.now();
    }

    @Override
    public long hz() {
        return cpu.clockHz();
    }

    @Override
    public int currentException() {
        return exceptions.current();
    }

    @Override
    public void requestSystemReset() {
        stops.requestSystemReset();
    }

    @Override
    public long currentPc() {
        return position.currentPc();
    }

    // ---------------------------------------------------------------- counts and settings

    /** Cycles of simulated time so far. */
    public long cycles() {
        return st.cycles();
    }

    public long instructions() {
        return st.instructions();
    }

    /**
     * IT instructions and the instructions of their IT blocks executed (all counted in {@link #instructions()}).
     * Counted on the Java path only (with a listener installed, or without the native hook): a diagnostic
     * for checking the block accounting against the engine's per-instruction hook, which skips some of them.
     */
    public long itInstructions() {
        return st.get(AccountingState.IT_INSTRUCTIONS);
    }

    public long exceptionsTaken() {
        return sequencer.exceptionsTaken();
    }

    public long sleepCycles() {
        return idle.sleepCycles();
    }

    public TimingModel timing() {
        return timing;
    }

    public void setMaxInstructions(long max) {
        limits.setMaxInstructions(max);
    }

    /** Whether the native block hook is in use (else every block takes the Java path). */
    public boolean nativeBlockHook() {
        return nativeHook;
    }

    /** Blocks that went through the Java path (all of them without the native hook). */
    public long slowPathBlocks() {
        return accounting.slowPathBlocks();
    }

    /** Bytes of the per-halfword block tables (native and Java) this core allocated: proportional to flash only. */
    public long blockTableBytes() {
        return st.tableBytes() + blocks.tableBytes();
    }

    /** The FPU was enabled or disabled (CPACR): blocks published as always-slow for FPU gating may change. */
    public void fpuAccessChanged() {
        accounting.fpuAccessChanged();
    }

    /**
     * The memory system changed in a way block costs depend on (the flash instruction cache was
     * switched): forget every decoded block's cost; blocks are costed again when next executed.
     */
    public void memorySystemChanged() {
        accounting.memorySystemChanged();
    }

    /** Frees the native memory of the counters and block tables. */
    public void close() {
        arena.close();
    }

    /** Strict mode: the first access to an unmodelled register ends the run. */
    public void setStrict(boolean strict) {
        stops.strict = strict;
    }

    /** NVMC CONFIG.WEN: CPU stores to flash program it (bits go 1 to 0) instead of faulting. */
    public void setFlashWriteEnabled(boolean enabled) {
        invalidAccesses.flashWriteEnabled = enabled;
    }

    // ---------------------------------------------------------------- listeners (profiles, traces)

    /** Per-instruction observer (for --trace and for checking the block accounting): slow. */
    @FunctionalInterface
    public interface InstructionListener {
        /** Called before each instruction executes, with the cycles retired before it. */
        void onInstruction(long address, int size, long cyclesBefore);
    }

    /** Installs (or with null removes) a listener called before every executed instruction. */
    public void setInstructionListener(InstructionListener listener) {
        observers.setInstructionListener(listener);
    }

    /** Per-block observer for profiles: called once per executed block, on the slow path. */
    public interface BlockListener {
        /**
         * A block starts executing.
         *
         * @param endsInCall    the block's last instruction is a BL or BLX (a function call)
         * @param fallThrough   the address after the block (the return address of that call)
         */
        void onBlock(long address, long cyclesAtStart, long blockCycles, boolean endsInCall, long fallThrough);

        /** An exception was entered (its handler's first block comes next). */
        default void onExceptionEntry(int exception, long cycles) {
        }

        /** The current exception returned. */
        default void onExceptionReturn(long cycles) {
        }
    }

    /** Installs (or with null removes) a per-block listener; every block then takes the Java path. */
    public void setBlockListener(BlockListener listener) {
        observers.setBlockListener(listener);
    }

    /** Cycles the timing model gives the instruction at {@code address} of the current block (static part), or -1. */
    public long instructionCycles(long address) {
        return position.instructionCycles(address);
    }

    /** The decoded instruction at an address of a block already executed, or null. */
    public Instruction decodedAt(long address) {
        return position.decodedAt(address);
    }

    /** "ldr r3, [r2]" for the instruction at pc, or "" when it cannot be read. */
    public String describeAt(long pc) {
        return position.describeAt(pc);
    }

    // ---------------------------------------------------------------- devices and the host

    /**
     * Called by the bus before each MMIO access, so that now() can find the accessing instruction;
     * charges the timing model's cost of a device access (APB wait states) from that instruction on.
     */
    public void beginDeviceAccess(long address, int size, boolean write) {
        position.beginDeviceAccess(address, size, write);
    }

    public void endDeviceAccess() {
        position.endDeviceAccess();
        limits.refresh();    // the access may have pended an interrupt or rescheduled an event
    }

    /** Strict mode hook: called for the first access to each unmodelled register. */
    public void unmodelledAccess(String description) {
        stops.unmodelledAccess(description);
    }

    /** The host ends the run (after its last inference, for example). */
    public void stopByHost(String reason) {
        stops.stopByHost(reason);
    }

    // ---------------------------------------------------------------- reset and run

    /** Resets the core from the vector table at {@code vectorTable}: SP from word 0, PC from word 1. */
    public long reset(long vectorTable) {
        long sp = memory.read32(vectorTable);
        long pc = memory.read32(vectorTable + 4);
        engine.write(Reg.MSP, sp);
        engine.write(Reg.SP, sp);
        engine.write(Reg.CONTROL, 0);
        engine.write(Reg.LR, 0xFFFFFFFFL);
        engine.write(Reg.XPSR, ExceptionUnit.XPSR_T);
        engine.write(Reg.PC, pc | 1);
        // VTOR resets to 0, where a part whose flash is elsewhere shows it through its boot alias (STM32: BOOT0 = 0).
        // A board file without anything at 0 keeps the table where reset read it, for exceptions too.
        scs.resetVectorTable(memory.find(0, 4) == null ? vectorTable : 0);
        exceptions.reset();
        nvic.reset();
        st.cycles(0);
        st.instructions(0);
        st.set(AccountingState.PREV_ENTRY, 0);
        st.set(AccountingState.CURRENT, -1);
        stops.outcome = null;
        return pc & ~1L;
    }

    /** Ends {@link #run()} after this many milliseconds of host time (0: no limit). */
    public void setWallTimeout(long millis) {
        runLoop.setWallTimeout(millis);
    }

    /** Runs until the firmware exits, faults, hangs, hits a breakpoint, the instruction limit or the wall-clock limit. */
    public RunOutcome run() {
        return runLoop.run();
    }

    /** Registers at the first fault of the run that ended it, or null. */
    public Map<String, Long> registersAtFault() {
        return faults.registersAtFault();
    }
}
