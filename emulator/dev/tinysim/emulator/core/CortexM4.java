package dev.tinysim.emulator.core;

import dev.tinysim.emulator.sim.AddressSpace;
import dev.tinysim.emulator.sim.EventScheduler;
import dev.tinysim.emulator.sim.SimClock;
import dev.tinysim.emulator.board.CpuSpec;
import dev.tinysim.emulator.board.MemoryRegion;
import dev.tinysim.emulator.board.MemorySystemSpec;
import dev.tinysim.emulator.disasm.Disassembler;
import dev.tinysim.emulator.disasm.Instruction;
import dev.tinysim.emulator.engine.Access;
import dev.tinysim.emulator.engine.CpuEngine;
import dev.tinysim.emulator.engine.CpuTrap;
import dev.tinysim.emulator.engine.EngineStop;
import dev.tinysim.emulator.engine.Reg;
import dev.tinysim.emulator.memory.DataProgram;
import dev.tinysim.emulator.memory.DataProgramCompiler;
import dev.tinysim.emulator.memory.FlashPath;
import dev.tinysim.emulator.scs.CoreStatus;
import dev.tinysim.emulator.scs.ExceptionNumbers;
import dev.tinysim.emulator.scs.Nvic;
import dev.tinysim.emulator.scs.SystemControlSpace;
import dev.tinysim.emulator.timing.CortexM4Timing;
import dev.tinysim.emulator.timing.TimingModel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The Cortex-M4 core around the CPU engine: reset from the vector table, the per-block hook that
 * counts instructions and cycles and takes interrupts, exception entry and return, semihosting,
 * FPU gating, fault detection and delivery to the firmware's handlers, and the run loop.
 */
public final class CortexM4 implements SimClock, CoreStatus {
    /** Never reached: Thumb code is at even addresses. */
    private static final long NO_END = 0xFFFFFFFFL;
    private static final int BKPT_SEMIHOSTING = 0xAB;

    private final CpuEngine engine;
    private final AddressSpace memory;
    private final CpuSpec cpu;
    private final String boardName;
    private final Nvic nvic;
    private final SystemControlSpace scs;
    private final EventScheduler scheduler;
    private final Semihosting semihosting;
    private final TimingModel timing;
    private final Disassembler disassembler;
    private final ExceptionUnit exceptions;
    private final BlockCache blocks;
    private final FlashPath flashPath;
    private final BlockDecoder decoder;
    private final DataDependentHooks dataHooks;
    private final SleepAndSpin idle;
    private final InvalidAccesses invalidAccesses;
    private final FaultDelivery faults;
    /** The CPU registers the native hook found (TCG's env), once checked against the engine; null until then. */
    private MemorySegment env;
    private boolean envChecked;

    // Time and counts live in native memory shared with the native block hook (AccountingState).
    // `cycles` and `instructions` include the whole current block from its start.
    private final Arena arena = Arena.ofShared();
    private final AccountingState st = new AccountingState(arena);
    private final boolean nativeHook;
    /** Every block goes through Java (profiling, tracing): the native hook only forwards. */
    private boolean forceSlowPath;
    private long maxInstructions = Long.MAX_VALUE;

    // Locating the instruction behind a memory access inside the current block.
    private final AccessLocator locator;
    private long accessAddress = -1;
    private int accessIndex = -1;

    // Why the engine stopped, decided by hooks.
    private boolean stopRequested;
    RunOutcome outcome;
    PendingFault pendingFault;
    private BlockInfo partialRunBlock;
    /** runPartialBlock is running a shortened block: the hooks leave its accounting to it. */
    boolean partialRunActive;
    FaultReport deliveredFault;
    private boolean resetRequested;
    private boolean strict;
    private String strictViolation;

    long exceptionsTaken;

    /** A fault seen by a hook, handled once the engine has stopped. */
    record PendingFault(FaultKind kind, long pc, long address, Access access, String instruction, int blockIndex) {
    }

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
        this.boardName = boardName;
        this.nvic = nvic;
        this.scs = scs;
        this.scheduler = scheduler;
        this.semihosting = semihosting;
        this.timing = timing;
        this.disassembler = disassembler;
        this.exceptions = new ExceptionUnit(engine, memory, nvic, scs, cpu.fpu());
        this.locator = new AccessLocator(engine);
        this.blocks = new BlockCache(memory);
        for (AddressSpace.Mapping m : memory.mappings()) {
            if (BlockCache.tabled(m, memory)) {
                st.addRegion(arena, m.region().base(), m.region().size());
            }
        }
        this.flashPath = new FlashPath(memorySystem, memorySystemModelled, flashRanges(memory),
                memory.mappings().stream().map(AddressSpace.Mapping::memory).toList(), arena);
        flashPath.activate(timing.usesMemorySystem());
        flashPath.onConfigurationChange(this::memorySystemChanged);
        timing.bindMemoryState(flashPath);
        this.decoder = new BlockDecoder(memory, disassembler, timing, flashPath, scs);
        this.dataHooks = new DataDependentHooks(this, engine, st, scs, timing, flashPath, locator);
        this.idle = new SleepAndSpin(this, engine, st, nvic, scs, scheduler, exceptions);
        this.invalidAccesses = new InvalidAccesses(this, engine, memory);
        this.faults = new FaultDelivery(this, engine, memory, exceptions, nvic, scs, timing, st, boardName);
        st.setMemorySystem(flashPath.segment());
        MemorySegment hook = engine.nativeBlockHook();
        this.nativeHook = hook != null;
        if (nativeHook) {
            st.setSlowPath(engine.blockUpcall(this::onBlock));
            engine.onBlockNative(hook, st.segment);
        } else {
            engine.onBlock(this::onBlock);
        }
        engine.onInterrupt(this::onTrap);
        engine.onInvalidMemory(invalidAccesses::onInvalidMemory);
    }

    /** [base, size, base of the flash it shows] for the flash and each alias of it. */
    private static List<long[]> flashRanges(AddressSpace memory) {
        List<long[]> out = new java.util.ArrayList<>();
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
        BlockInfo b = current();
        if (accessAddress >= 0 && b != null) {
            if (accessIndex < 0) {
                accessIndex = locateAccess(accessAddress);
            }
            if (accessIndex >= 0) {
                long start = st.get(AccountingState.BLOCK_START_CYCLES);
                return start + b.cyclesBefore[accessIndex] + dynamicSoFar() + memoryStallBefore(b, start, accessIndex);
            }
        }
        return st.cycles();
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
        resetRequested = true;
        requestStop();
    }

    @Override
    public long currentPc() {
        if (accessAddress >= 0 && current() != null) {
            int i = accessIndex >= 0 ? accessIndex : locateAccess(accessAddress);
            if (i >= 0) {
                return current().instructions[i].address();
            }
        }
        return current() == null ? engine.read(Reg.PC) : current().address;
    }

    /** Flash-path stall cycles of the current block before its instruction {@code index}. */
    private long memoryStallBefore(BlockInfo b, long blockStart, int index) {
        if (!b.dynamicFetch && b.program == null) {
            return 0;
        }
        long s = flashPath.stallBefore(blockStart, b.program == null ? 0 : b.program.accessesBefore(index));
        return Math.max(0, s);
    }

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
        return exceptionsTaken;
    }

    public long sleepCycles() {
        return idle.sleepCycles();
    }

    public TimingModel timing() {
        return timing;
    }

    public void setMaxInstructions(long max) {
        this.maxInstructions = max;
        refreshLimit();
    }

    /** Whether the native block hook is in use (else every block takes the Java path). */
    public boolean nativeBlockHook() {
        return nativeHook;
    }

    /** The FPU was enabled or disabled (CPACR): blocks published as always-slow for FPU gating may change. */
    public void fpuAccessChanged() {
        blocks.forEach(b -> {
            if (b.firstFloatingPoint >= 0) {
                b.entry = BlockDecoder.pack(b, b.selfLoop || !scs.fpuAccessEnabled());
                b.published = false;
            }
        });
        st.clearTables();
        blocks.forEach(b -> b.published = false);
    }

    /**
     * The memory system changed in a way block costs depend on (the flash instruction cache was
     * switched): forget every decoded block's cost; blocks are costed again when next executed.
     */
    public void memorySystemChanged() {
        blocks.clear();
        st.clearTables();
        updateSlowPath();
    }

    /** Every block goes through Java while a listener watches blocks or instructions. */
    private void updateSlowPath() {
        forceSlowPath = blockListener != null || instructionHook != null;
        refreshLimit();
    }

    /** Frees the native memory of the counters and block tables. */
    public void close() {
        arena.close();
    }

    /** Strict mode: the first access to an unmodelled register ends the run. */
    public void setStrict(boolean strict) {
        this.strict = strict;
    }

    /** NVMC CONFIG.WEN: CPU stores to flash program it (bits go 1 to 0) instead of faulting. */
    public void setFlashWriteEnabled(boolean enabled) {
        invalidAccesses.flashWriteEnabled = enabled;
    }

    /** Per-instruction observer (for --trace and for checking the block accounting): slow. */
    @FunctionalInterface
    public interface InstructionListener {
        /** Called before each instruction executes, with the cycles retired before it. */
        void onInstruction(long address, int size, long cyclesBefore);
    }

    private dev.tinysim.emulator.engine.HookHandle instructionHook;

    /** Installs (or with null removes) a listener called before every executed instruction. */
    public void setInstructionListener(InstructionListener listener) {
        if (instructionHook != null) {
            instructionHook.close();
            instructionHook = null;
        }
        if (listener != null) {
            instructionHook = engine.onInstruction(1, 0, (address, size) -> {
                if (partialRunActive) {
                    return;
                }
                long at = st.cycles();
                BlockInfo b = current();
                if (b != null) {
                    int i = b.indexOf(address);
                    if (i >= 0) {
                        at = st.get(AccountingState.BLOCK_START_CYCLES) + b.cyclesBefore[i];
                    }
                }
                listener.onInstruction(address, size, at);
            });
        }
        updateSlowPath();
    }

    /** Cycles the timing model gives the instruction at {@code address} of the current block (static part), or -1. */
    public long instructionCycles(long address) {
        BlockInfo b = current();
        if (b != null) {
            int i = b.indexOf(address);
            if (i >= 0) {
                return b.cyclesBefore[i + 1] - b.cyclesBefore[i];
            }
        }
        return -1;
    }

    /** The decoded instruction at an address of a block already executed, or null. */
    public Instruction decodedAt(long address) {
        BlockInfo b = current();
        if (b != null) {
            int i = b.indexOf(address);
            if (i >= 0) {
                return b.instructions[i];
            }
        }
        return null;
    }

    /**
     * Called by the bus before each MMIO access, so that now() can find the accessing instruction;
     * charges the timing model's cost of a device access (APB wait states) from that instruction on.
     */
    public void beginDeviceAccess(long address, int size, boolean write) {
        accessAddress = address;
        accessIndex = -1;
        int extra = timing.deviceAccessCycles(address, size, write);
        if (extra > 0) {
            addDynamicCycles(extra);
        }
    }

    public void endDeviceAccess() {
        if (accessIndex >= 0) {
            locator.accessDone(accessIndex, accessAddress, st.get(AccountingState.BLOCK_START_CYCLES));
        }
        accessAddress = -1;
        refreshLimit();    // the access may have pended an interrupt or rescheduled an event
    }

    /**
     * Cycles added in the middle of the current block (data-dependent instructions, device
     * wait states): visible to now() for the instructions after them, as on the chip.
     */
    void addDynamicCycles(long extra) {
        long blockStart = st.get(AccountingState.BLOCK_START_CYCLES);
        if (dynamicBlockStart != blockStart) {
            dynamicBlockStart = blockStart;
            dynamicInBlock = 0;
        }
        dynamicInBlock += extra;
        st.cycles(st.cycles() + extra);
    }

    private long dynamicBlockStart = -1;
    private long dynamicInBlock;

    /** Dynamic cycles added so far in the current block execution. */
    private long dynamicSoFar() {
        return dynamicBlockStart == st.get(AccountingState.BLOCK_START_CYCLES) ? dynamicInBlock : 0;
    }

    /** Strict mode hook: called for the first access to each unmodelled register. */
    public void unmodelledAccess(String description) {
        if (strict && strictViolation == null) {
            strictViolation = description;
            requestStop();
        }
    }

    /** The host ends the run (after its last inference, for example). */
    public void stopByHost(String reason) {
        if (outcome == null) {
            outcome = new RunOutcome.StoppedByHost(reason);
        }
        requestStop();
    }

    void requestStop() {
        stopRequested = true;
        engine.stop();
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
        outcome = null;
        return pc & ~1L;
    }

    /** Bytes of the per-halfword block tables (native and Java) this core allocated: proportional to flash only. */
    public long blockTableBytes() {
        return st.tableBytes() + blocks.tableBytes();
    }

    /** Wall-clock limit of {@link #run()} in milliseconds (0: none). */
    private long wallTimeoutMillis;
    /** Set by the watchdog thread when the wall-clock limit passed. */
    private volatile boolean wallTimedOut;

    /** Ends {@link #run()} after this many milliseconds of host time (0: no limit). */
    public void setWallTimeout(long millis) {
        this.wallTimeoutMillis = Math.max(0, millis);
    }

    /** Runs until the firmware exits, faults, hangs, hits a breakpoint, the instruction limit or the wall-clock limit. */
    public RunOutcome run() {
        if (wallTimeoutMillis <= 0) {
            return runLoop();
        }
        wallTimedOut = false;
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Thread watchdog = Thread.ofPlatform().daemon().name("tinysim-timeout").start(() -> {
            try {
                if (done.await(wallTimeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    return;
                }
                // the engine may be between two runs when asked: ask again until the run loop has seen it
                do {
                    wallTimedOut = true;
                    engine.stop();
                } while (!done.await(20, java.util.concurrent.TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            return runLoop();
        } finally {
            done.countDown();
            try {
                watchdog.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private RunOutcome runLoop() {
        while (outcome == null) {
            if (wallTimedOut) {
                outcome = new RunOutcome.TimedOut(wallTimeoutMillis, engine.read(Reg.PC));
                break;
            }
            long pc = engine.read(Reg.PC);
            stopRequested = false;
            EngineStop stop;
            if (partialRunBlock != null) {
                stop = runPartialBlock();
                if (outcome != null) {
                    break;
                }
                continue;
            }
            stop = engine.run(pc, NO_END);
            if (wallTimedOut && outcome == null) {
                outcome = new RunOutcome.TimedOut(wallTimeoutMillis, engine.read(Reg.PC));
                break;
            }
            afterStop(stop);
        }
        st.set(AccountingState.CURRENT, -1);
        return outcome;
    }

    private void afterStop(EngineStop stop) {
        if (outcome != null) {
            return;
        }
        if (semihosting.exit() != null) {
            outcome = new RunOutcome.Exited(semihosting.exit());
            return;
        }
        if (strictViolation != null) {
            outcome = new RunOutcome.UnmodelledAccess(strictViolation, currentPc());
            return;
        }
        if (resetRequested) {
            outcome = new RunOutcome.ResetRequested(engine.read(Reg.PC));
            return;
        }
        if (pendingFault != null) {
            PendingFault f = pendingFault;
            pendingFault = null;
            if (f.blockIndex >= 0 && current() != null) {
                // The block stopped at the faulting instruction: charge only what ran before it.
                st.cycles(st.get(AccountingState.BLOCK_START_CYCLES) + current().cyclesBefore[f.blockIndex]);
                st.instructions(blockStartInstructions() + f.blockIndex);
            }
            raiseFault(f.kind, f.pc, f.address, f.access, f.instruction);
            return;
        }
        switch (stop.kind()) {
            case STOPPED -> {
                if (!stopRequested) {
                    idle.afterWfi();
                }
            }
            case INVALID_INSTRUCTION -> {
                long pc = engine.read(Reg.PC);
                Hint hint = Hint.before(memory, current(), pc);
                if (hint == Hint.WFE || hint == Hint.WFI) {
                    // The engine stops after WFE (as if it were undefined), and may after WFI: wait for an event instead.
                    idle.afterWfi();
                    return;
                }
                if (hint == Hint.YIELD || hint == Hint.SEV) {
                    return;   // hints with no effect here: resume after them
                }
                chargeUpTo(pc);
                if ((engine.read(Reg.XPSR) & ExceptionUnit.XPSR_T) == 0) {
                    // A BX/BLX to an even address left Thumb state: on a Cortex-M the next
                    // instruction raises an INVSTATE UsageFault (the engine sees an ARM-state decode).
                    engine.write(Reg.XPSR, engine.read(Reg.XPSR) | ExceptionUnit.XPSR_T);
                    raiseFault(FaultKind.INVALID_STATE, pc, pc, Access.FETCH, "");
                } else {
                    raiseFault(FaultKind.INVALID_INSTRUCTION, pc, -1, null, describeAt(pc));
                }
            }
            case READ_UNMAPPED, WRITE_UNMAPPED, FETCH_UNMAPPED, READ_PROTECTED, WRITE_PROTECTED, FETCH_PROTECTED ->
                    unexplainedMemoryStop(stop.kind());
            default -> outcome = new RunOutcome.Hang(engine.read(Reg.PC), "the CPU engine stopped: " + stop.message());
        }
    }

    /**
     * The engine stopped on a bad access that no invalid-memory hook call explained (so no fault was recorded):
     * the stop still tells the access kind. A fetch's address is the PC the engine stopped at; a data access's
     * address is not known (the engine's PC is not even the accessing instruction's), and is reported as such (-1).
     */
    private void unexplainedMemoryStop(EngineStop.Kind kind) {
        long pc = engine.read(Reg.PC);
        switch (kind) {
            case FETCH_UNMAPPED, FETCH_PROTECTED -> raiseFault(FaultKind.FETCH_UNMAPPED, pc, pc, Access.FETCH, "");
            case WRITE_UNMAPPED -> raiseFault(FaultKind.WRITE_UNMAPPED, pc, -1, Access.WRITE, "");
            case WRITE_PROTECTED -> raiseFault(FaultKind.WRITE_PROTECTED, pc, -1, Access.WRITE, "");
            default -> raiseFault(FaultKind.READ_UNMAPPED, pc, -1, Access.READ, "");
        }
    }

    /** Adjusts counts when the engine stopped in the middle of the current block, at {@code pc}. */
    private void chargeUpTo(long pc) {
        if (current() != null) {
            int i = current().indexOf(pc);
            if (i >= 0) {
                st.cycles(st.get(AccountingState.BLOCK_START_CYCLES) + current().cyclesBefore[i]);
                st.instructions(blockStartInstructions() + i);
            }
        }
    }


    // ---------------------------------------------------------------- the block hook (hot path)

    /**
     * The block hook's slow path (and the whole hook when the native one is unavailable): the same
     * accounting as emulator/dev/tinysim/emulator/engine/unicorn/block_hook.c, plus timed events, interrupts, FPU gating, the
     * instruction limit and spin detection. Both must count exactly alike.
     */
    private void onBlock(long address, int size) {
        slowPathBlocks++;
        if (partialRunActive) {
            return;   // runPartialBlock accounts for this shortened run itself
        }
        BlockInfo b = blocks.get(address, size);
        if (b == null) {
            b = decode(address, size);
            if (dataHooks.takeRetranslate()) {
                requestStop();    // the engine restarts here with the new per-instruction hooks
                return;
            }
        }
        chargeEntry(address, b);
        long cycles = st.cycles();
        if (cycles >= scheduler.nextDue()) {
            scheduler.runDue(cycles);
        }
        if (nvic.maybePending() && takePendingException(address)) {
            refreshLimit();
            return;
        }
        if (b.firstFloatingPoint >= 0 && !scs.fpuAccessEnabled()) {
            floatingPointDenied(b);
            return;
        }
        long insns = st.instructions();
        if (insns + b.count > maxInstructions) {
            outcome = new RunOutcome.InstructionLimit(maxInstructions, address);
            requestStop();
            return;
        }
        if (b.selfLoop) {
            idle.spin(b);
            if (outcome != null) {
                return;
            }
        }
        if (blockListener != null) {
            blockListener.onBlock(address, st.cycles(), b.cycles, b.endsInCall, b.fallThrough);
        }
        startBlock(address, size, b, insns);
    }

    /**
     * The cycles the previous block left to charge at this one's start: the taken-branch penalty of a
     * conditional end that branched, the refill of a branch target, or the carry of a fall-through.
     */
    private void chargeEntry(long address, BlockInfo b) {
        long prev = st.get(AccountingState.PREV_ENTRY);
        if (prev != 0) {
            long extra = 0;
            if ((prev & BlockEntry.COND_END) != 0) {
                if (address != st.get(AccountingState.PREV_FALLTHROUGH)) {
                    extra = BlockEntry.takenPenalty(prev) + b.entryPenalty;
                } else {
                    extra = BlockEntry.carry(prev);
                }
            } else if ((prev & BlockEntry.BRANCH_END) != 0) {
                extra = b.entryPenalty;
            } else if (address == st.get(AccountingState.PREV_FALLTHROUGH)) {
                extra = BlockEntry.carry(prev);
            }
            st.cycles(st.cycles() + extra);
            st.set(AccountingState.PREV_ENTRY, 0);
        }
    }

    /** The block runs: its flash-path stalls, its cycles and instructions counted from its start, what it leaves to the next. */
    private void startBlock(long address, int size, BlockInfo b, long insns) {
        long cycles = st.cycles();
        long stall = 0;
        if (b.dynamicFetch || b.program != null) {
            // the same work as the memory-system part of tinysim_block_entry in block_hook.c
            long fetchStall = b.dynamicFetch ? flashPath.fetch(address, size) : 0;
            flashPath.noteFetchStall(cycles, fetchStall);
            stall = fetchStall;
            if (b.program != null && b.program.hasAccesses()) {
                stall += b.program.run(flashPath, entryRegisters(), cycles);
            }
        }
        st.set(AccountingState.BLOCK_START_CYCLES, cycles);
        st.set(AccountingState.CURRENT, address);
        st.cycles(cycles + b.cycles + stall);
        st.instructions(insns + b.count);
        st.set(AccountingState.IT_INSTRUCTIONS, st.get(AccountingState.IT_INSTRUCTIONS) + b.itCount);
        st.set(AccountingState.PREV_ENTRY, b.entry);
        st.set(AccountingState.PREV_FALLTHROUGH, b.fallThrough);
        if (!b.published) {
            publish(b);
        }
        refreshLimit();
    }

    /** Gives the native hook a block's entry and data program. */
    private void publish(BlockInfo b) {
        long e = b.entry;
        if (b.program != null && b.program.hasAccesses() && (!envUsable() || !st.publishProgram(b.address, b.program.ops()))) {
            e |= BlockEntry.SLOW;   // its data program runs on the Java path
        }
        st.publish(b.address, e);
        b.published = true;
    }

    /** Whether the native hook may read the registers at the address it found (checked once against the engine). */
    private boolean envUsable() {
        if (!envChecked && st.env() != 0) {
            envChecked = true;
            MemorySegment regs = MemorySegment.ofAddress(st.env()).reinterpret(64);
            boolean same = true;
            for (int i = 0; i <= 14 && same; i++) {
                same = (regs.get(java.lang.foreign.ValueLayout.JAVA_INT, 4L * i) & 0xFFFFFFFFL) == engine.read(Reg.core(i));
            }
            if (same) {
                env = regs;
                st.set(AccountingState.ENV_OK, 1);
            }
        }
        return env != null || st.env() == 0;
    }

    /** r0..r14 as the block about to run sees them. */
    private int[] entryRegisters() {
        envUsable();
        int[] r = new int[15];
        if (env != null) {
            for (int i = 0; i < 15; i++) {
                r[i] = env.get(java.lang.foreign.ValueLayout.JAVA_INT, 4L * i);
            }
        } else {
            for (int i = 0; i < 15; i++) {
                r[i] = (int) engine.read(Reg.core(i));
            }
        }
        return r;
    }

    /**
     * Tells the native hook when it must hand a block to Java: at the next timed event, at once
     * when an exception may be pending, always while a listener wants every block.
     */
    void refreshLimit() {
        long limit = forceSlowPath || nvic.maybePending() ? 0 : scheduler.nextDue();
        st.set(AccountingState.CYCLE_LIMIT, limit);
        st.set(AccountingState.INSN_LIMIT, maxInstructions);
    }

    /** Instructions before the current block: the native hook does not store them (one store less per block). */
    long blockStartInstructions() {
        BlockInfo b = current();
        return b == null ? st.instructions() : st.instructions() - b.count;
    }

    /** The block now executing (or that executed last), or null. */
    BlockInfo current() {
        long a = st.get(AccountingState.CURRENT);
        return a < 0 ? null : blocks.at(a);
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

    BlockListener blockListener;
    private long slowPathBlocks;

    /** Blocks that went through the Java path (all of them without the native hook). */
    public long slowPathBlocks() {
        return slowPathBlocks;
    }

    /** Installs (or with null removes) a per-block listener; every block then takes the Java path. */
    public void setBlockListener(BlockListener listener) {
        blockListener = listener;
        updateSlowPath();
    }

    /** Decodes a block met for the first time, caches it and hooks its data-dependent instructions. */
    private BlockInfo decode(long address, int size) {
        BlockInfo b = decoder.decode(address, size);
        blocks.put(b);
        dataHooks.hook(b);
        return b;
    }

    /** Takes the highest-priority pending exception if it may preempt; returns true if it did (PC redirected). */
    private boolean takePendingException(long nextPc) {
        int exc = nvic.highestPending(scs::faultEnabled);
        if (exc == 0) {
            return false;
        }
        if (nvic.groupPriority(exc) >= exceptions.executionPriority()) {
            return false;
        }
        if ((engine.read(Reg.XPSR) & 0x0600FC00L) != 0) {
            return false;   // never interrupt inside an IT block: the engine cannot resume there
        }
        enterException(exc, nextPc);
        return outcome == null;
    }

    private void enterException(int exc, long returnAddress) {
        try {
            exceptions.enter(exc, returnAddress);
            if (blockListener != null) {
                blockListener.onExceptionEntry(exc, st.cycles());
            }
            exceptionsTaken++;
            st.cycles(st.cycles() + timing.exceptionEntryCycles(exceptions.lastEntryHadFpFrame()) + vectorFetchStall(exc));
            st.set(AccountingState.PREV_ENTRY, BlockEntry.BRANCH_END);   // the handler's first fetch is a branch target's
        } catch (ExceptionUnit.StackingFault e) {
            outcome = new RunOutcome.Faulted(new FaultReport(FaultKind.STACK_OVERFLOW, returnAddress, e.address, Access.WRITE, "",
                    ExceptionNumbers.name(exc) + " entry", -1, false,
                    "stacking the exception frame for " + ExceptionNumbers.name(exc) + " left RAM"));
            requestStop();
        }
    }

    /**
     * The vector read of exception entry, beyond the TRM's zero-wait 12 cycles ("when the memory being
     * accessed has no wait states", TRM §3.9.1): the core reads the vector over the ICode bus (M3 TRM §14.3,
     * "instruction fetches and vector fetches"), so it goes through the flash path's instruction side,
     * and the handler's address is known only once it has arrived (docs/timing-model.md, "Exceptions").
     */
    long vectorFetchStall(int exc) {
        if (!timing.usesMemorySystem()) {
            return 0;
        }
        long a = (scs.vtor() + 4L * exc) & 0xFFFFFFFFL;
        if (!flashPath.isFlash(a)) {
            return 0;
        }
        return flashPath.dynamicFetch() ? flashPath.fetch(a, 4) : flashPath.staticFetchWaitStates();
    }



    // ---------------------------------------------------------------- FPU gating

    private void floatingPointDenied(BlockInfo b) {
        if (b.firstFloatingPoint == 0) {
            Instruction fp = b.instructions[0];
            pendingFault = null;
            st.set(AccountingState.CURRENT, b.address);
            st.set(AccountingState.BLOCK_START_CYCLES, st.cycles());
            raiseFaultLater(cpu.fpu() ? FaultKind.FPU_DISABLED : FaultKind.NO_FPU, fp);
            requestStop();
            return;
        }
        // Run the instructions before the floating-point one, then fault on it.
        partialRunBlock = b;
        requestStop();
    }

    private void raiseFaultLater(FaultKind kind, Instruction at) {
        pendingFault = new PendingFault(kind, at.address(), -1, null, at.text(), -1);
    }

    private EngineStop runPartialBlock() {
        BlockInfo b = partialRunBlock;
        partialRunBlock = null;
        Instruction fp = b.instructions[b.firstFloatingPoint];
        // The block hook sees the shortened run as a new block; account for it exactly here instead.
        st.set(AccountingState.CURRENT, b.address);
        st.set(AccountingState.BLOCK_START_CYCLES, st.cycles());
        long startInstructions = st.instructions();
        EngineStop stop;
        partialRunActive = true;
        try {
            // The cached translation has no per-instruction counting: drop it so the engine
            // re-translates the block with its instruction counter, and again afterwards.
            engine.invalidateCode(b.address, b.address + b.size);
            stop = engine.runCount(b.address, b.firstFloatingPoint);
            engine.invalidateCode(b.address, b.address + b.size);
        } finally {
            partialRunActive = false;
        }
        if (outcome == null && engine.read(Reg.PC) == fp.address()) {
            st.cycles(st.get(AccountingState.BLOCK_START_CYCLES) + b.cyclesBefore[b.firstFloatingPoint]);
            st.instructions(startInstructions + b.firstFloatingPoint);
            raiseFault(cpu.fpu() ? FaultKind.FPU_DISABLED : FaultKind.NO_FPU, fp.address(), -1, null, fp.text());
        } else {
            afterStop(stop);
        }
        return stop;
    }

    // ---------------------------------------------------------------- traps (BKPT, SVC, exception return…)

    private void onTrap(CpuTrap trap) {
        switch (trap) {
            case BREAKPOINT -> breakpoint();
            case SUPERVISOR_CALL -> {
                long pc = engine.read(Reg.PC);
                int prio = nvic.groupPriority(ExceptionNumbers.SVCALL);
                if (prio >= exceptions.executionPriority()) {
                    raiseFault(FaultKind.HARD_FAULT, pc - 2, -1, null, describeAt(pc - 2));
                } else {
                    enterException(ExceptionNumbers.SVCALL, pc);
                }
            }
            case EXCEPTION_RETURN -> exceptionReturn(engine.read(Reg.PC) | 1);
            case PREFETCH_ABORT -> {
                long pc = engine.read(Reg.PC);
                raiseFault(FaultKind.FETCH_UNMAPPED, pc, pc, Access.FETCH, "");
            }
            case NO_COPROCESSOR -> {
                long pc = engine.read(Reg.PC);
                raiseFault(cpu.fpu() ? FaultKind.FPU_DISABLED : FaultKind.NO_FPU, pc, -1, null, describeAt(pc));
            }
            case INVALID_STATE -> {
                long pc = engine.read(Reg.PC);
                raiseFault(FaultKind.INVALID_STATE, pc, pc, Access.FETCH, "");
            }
            case UNDEFINED_INSTRUCTION -> {
                long pc = engine.read(Reg.PC);
                raiseFault(FaultKind.INVALID_INSTRUCTION, pc, -1, null, describeAt(pc));
            }
            default -> {
                long pc = engine.read(Reg.PC);
                raiseFault(FaultKind.HARD_FAULT, pc, -1, null, describeAt(pc) + " (CPU exception " + trap + ")");
            }
        }
        if (outcome != null || semihosting.exit() != null) {
            requestStop();
        }
        refreshLimit();
    }

    private void breakpoint() {
        long pc = engine.read(Reg.PC);
        int insn = memory.read16(pc);
        int imm = insn & 0xFF;
        if ((insn & 0xFF00) == 0xBE00 && imm == BKPT_SEMIHOSTING) {
            long op = engine.read(Reg.R0);
            long r1 = engine.read(Reg.R1);
            long result = semihosting.handle(op, r1);
            engine.write(Reg.R0, result & 0xFFFFFFFFL);
            if (semihosting.exit() != null) {
                outcome = new RunOutcome.Exited(semihosting.exit());
                requestStop();
                return;
            }
            engine.write(Reg.PC, (pc + 2) | 1);
            return;
        }
        outcome = new RunOutcome.Breakpoint(pc, imm);
        requestStop();
    }

    private void exceptionReturn(long excReturn) {
        if (exceptions.current() == 0) {
            // Thread mode: not an exception return but a branch to 0xFFFFFFxx, an execute-never address.
            long from = current() == null ? excReturn : current().instructions[current().count - 1].address();
            raiseFault(FaultKind.FETCH_UNMAPPED, excReturn & ~1L, excReturn & ~1L, Access.FETCH,
                    "branch to " + String.format("0x%08x", excReturn) + " from " + String.format("0x%08x", from));
            return;
        }
        try {
            int returning = exceptions.current();
            exceptions.exit(excReturn);
            if (blockListener != null) {
                blockListener.onExceptionReturn(st.cycles());
            }
            boolean fp = (excReturn & 0x10) == 0;
            if (returning == ExceptionNumbers.HARD_FAULT || returning <= ExceptionNumbers.USAGE_FAULT) {
                deliveredFault = null;   // the handler recovered
            }
            // Tail-chain: a pending exception that may preempt the context we return to is taken at once.
            // The TRM's return (10) and tail-chain (6) cycles run from the returning branch to the next
            // instruction: the branch's own cost, already charged with its block, is part of them.
            long branchCost = 0;
            BlockInfo cur = current();
            if (cur != null && cur.count > 0) {
                branchCost = cur.cyclesBefore[cur.count] - cur.cyclesBefore[cur.count - 1];
            }
            int next = nvic.maybePending() ? nvic.highestPending(scs::faultEnabled) : 0;
            if (next != 0 && nvic.groupPriority(next) < exceptions.executionPriority()) {
                long resume = engine.read(Reg.PC) & ~1L;
                st.cycles(st.cycles() + Math.max(0, timing.tailChainCycles() - branchCost) + vectorFetchStall(next));
                exceptions.enter(next, resume);
                if (blockListener != null) {
                    blockListener.onExceptionEntry(next, st.cycles());
                }
                exceptionsTaken++;
            } else {
                st.cycles(st.cycles() + Math.max(0, timing.exceptionReturnCycles(fp) - branchCost));
            }
            st.set(AccountingState.PREV_ENTRY, BlockEntry.BRANCH_END);   // the code resumed (or the next handler) is fetched as a branch target
        } catch (ExceptionUnit.BadReturn e) {
            long pc = current() == null ? excReturn : current().instructions[current().count - 1].address();
            raiseFault(FaultKind.INVALID_EXCEPTION_RETURN, pc, excReturn, null, e.getMessage());
        } catch (ExceptionUnit.StackingFault e) {
            outcome = new RunOutcome.Faulted(new FaultReport(FaultKind.STACK_OVERFLOW, excReturn, e.address, Access.READ, "",
                    "exception return", -1, false, "unstacking the exception frame read outside RAM"));
            requestStop();
        }
    }

    // ---------------------------------------------------------------- memory faults




    // ---------------------------------------------------------------- fault delivery






    /** A fault at {@code pc}: delivered to the firmware's handler, or the end of the run (see {@link FaultDelivery}). */
    void raiseFault(FaultKind kind, long pc, long address, Access access, String instruction) {
        faults.raise(kind, pc, address, access, instruction);
    }

    /** Registers at the first fault of the run that ended it, or null. */
    public java.util.Map<String, Long> registersAtFault() {
        return faults.registersAtFault();
    }

    /** "ldr r3, [r2]" for the instruction at pc, or "" when it cannot be read. */
    public String describeAt(long pc) {
        if (current() != null) {
            int i = current().indexOf(pc);
            if (i >= 0) {
                return current().instructions[i].text();
            }
        }
        AddressSpace.Mapping m = memory.find(pc, 2);
        if (m == null) {
            return "";
        }
        int len = (int) Math.min(4, m.memory().end() - pc);
        List<Instruction> list = disassembler.decode(memory.read(pc, len), pc, 1);
        return list.isEmpty() ? String.format(".short 0x%04x", memory.read16(pc)) : list.get(0).text();
    }

    /** The instruction of the current block that accesses {@code address} (see {@link AccessLocator}), or -1. */
    int locateAccess(long address) {
        return locator.locate(current(), st.get(AccountingState.BLOCK_START_CYCLES), address);
    }
}
