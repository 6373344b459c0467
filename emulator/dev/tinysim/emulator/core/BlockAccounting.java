package dev.tinysim.emulator.core;

import dev.tinysim.emulator.engine.CpuEngine;
import dev.tinysim.emulator.engine.Reg;
import dev.tinysim.emulator.memory.FlashPath;
import dev.tinysim.emulator.scs.Nvic;
import dev.tinysim.emulator.scs.SystemControlSpace;
import dev.tinysim.emulator.sim.EventScheduler;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The block hook's Java path (and the whole hook when the native one is unavailable): each block is
 * decoded once, charged what the previous block left, its cycles and instructions counted from its start,
 * and published to the native hook; on the way, timed events run, interrupts are taken, FPU gating, the
 * instruction limit and spin detection apply. It must count exactly as block_hook.c does.
 */
final class BlockAccounting {
    private final CpuEngine engine;
    private final AccountingState st;
    private final BlockCache blocks;
    private final BlockDecoder decoder;
    private final DataDependentHooks dataHooks;
    private final FlashPath flashPath;
    private final EventScheduler scheduler;
    private final Nvic nvic;
    private final SystemControlSpace scs;
    private final StopState stops;
    private final SlowPathLimits limits;
    private final ExceptionSequencer sequencer;
    private final FpuGating fpu;
    private final SleepAndSpin idle;
    private final Observers observers;
    /** The CPU registers the native hook found (TCG's env), once checked against the engine; null until then. */
    private MemorySegment env;
    private boolean envChecked;
    private long slowPathBlocks;

    BlockAccounting(CpuEngine engine, AccountingState st, BlockCache blocks, BlockDecoder decoder,
                    DataDependentHooks dataHooks, FlashPath flashPath, EventScheduler scheduler, Nvic nvic,
                    SystemControlSpace scs, StopState stops, SlowPathLimits limits, ExceptionSequencer sequencer,
                    FpuGating fpu, SleepAndSpin idle, Observers observers) {
        this.engine = engine;
        this.st = st;
        this.blocks = blocks;
        this.decoder = decoder;
        this.dataHooks = dataHooks;
        this.flashPath = flashPath;
        this.scheduler = scheduler;
        this.nvic = nvic;
        this.scs = scs;
        this.stops = stops;
        this.limits = limits;
        this.sequencer = sequencer;
        this.fpu = fpu;
        this.idle = idle;
        this.observers = observers;
    }

    /** Blocks that went through the Java path (all of them without the native hook). */
    long slowPathBlocks() {
        return slowPathBlocks;
    }

    /**
     * The block hook's slow path (and the whole hook when the native one is unavailable): the same
     * accounting as emulator/dev/tinysim/emulator/engine/unicorn/block_hook.c, plus timed events, interrupts, FPU gating, the
     * instruction limit and spin detection. Both must count exactly alike.
     */
    void onBlock(long address, int size) {
        slowPathBlocks++;
        if (fpu.partialRunActive()) {
            return;   // runPartialBlock accounts for this shortened run itself
        }
        BlockInfo b = blocks.get(address, size);
        if (b == null) {
            b = decode(address, size);
            if (dataHooks.takeRetranslate()) {
                stops.requestStop();    // the engine restarts here with the new per-instruction hooks
                return;
            }
        }
        chargeEntry(address, b);
        long cycles = st.cycles();
        if (cycles >= scheduler.nextDue()) {
            scheduler.runDue(cycles);
        }
        if (nvic.maybePending() && sequencer.takePendingException(address)) {
            limits.refresh();
            return;
        }
        if (b.firstFloatingPoint >= 0 && !scs.fpuAccessEnabled()) {
            fpu.floatingPointDenied(b);
            return;
        }
        long insns = st.instructions();
        if (insns + b.count > limits.maxInstructions()) {
            stops.outcome = new RunOutcome.InstructionLimit(limits.maxInstructions(), address);
            stops.requestStop();
            return;
        }
        if (b.selfLoop) {
            idle.spin(b);
            if (stops.outcome != null) {
                return;
            }
        }
        if (observers.blockListener() != null) {
            observers.blockListener().onBlock(address, st.cycles(), b.cycles, b.endsInCall, b.fallThrough);
        }
        startBlock(address, size, b, insns);
    }

    /** Decodes a block met for the first time, caches it and hooks its data-dependent instructions. */
    private BlockInfo decode(long address, int size) {
        BlockInfo b = decoder.decode(address, size);
        blocks.put(b);
        dataHooks.hook(b);
        return b;
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
        limits.refresh();
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
                same = (regs.get(ValueLayout.JAVA_INT, 4L * i) & 0xFFFFFFFFL) == engine.read(Reg.core(i));
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
                r[i] = env.get(ValueLayout.JAVA_INT, 4L * i);
            }
        } else {
            for (int i = 0; i < 15; i++) {
                r[i] = (int) engine.read(Reg.core(i));
            }
        }
        return r;
    }

    /** The FPU was enabled or disabled (CPACR): blocks published as always-slow for FPU gating may change. */
    void fpuAccessChanged() {
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
    void memorySystemChanged() {
        blocks.clear();
        st.clearTables();
        observers.updateSlowPath();
    }
}
