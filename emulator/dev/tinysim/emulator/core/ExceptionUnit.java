package dev.tinysim.emulator.core;

import dev.tinysim.emulator.sim.AddressSpace;
import dev.tinysim.emulator.board.MemoryRegion;
import dev.tinysim.emulator.engine.CpuEngine;
import dev.tinysim.emulator.engine.Reg;
import dev.tinysim.emulator.scs.ExceptionNumbers;
import dev.tinysim.emulator.scs.Nvic;
import dev.tinysim.emulator.scs.SystemControlSpace;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Exception entry and return, done by tinysim rather than by the engine (Unicorn 2.0.1 does not
 * return from M-profile exceptions reliably): stacking the 8-word frame (26 words with FP state,
 * realigned to 8 bytes under CCR.STKALIGN), EXC_RETURN values, MSP/PSP selection, and the
 * reverse on return. The engine stays in Thread mode as far as it knows; tinysim keeps IPSR.
 */
final class ExceptionUnit {
    static final long XPSR_T = 1L << 24;
    private static final long XPSR_IT_MASK = 0x0600FC00L;
    private static final long CONTROL_NPRIV = 1, CONTROL_SPSEL = 2, CONTROL_FPCA = 4;

    /** The frame could not be stacked: the stack pointer left RAM. */
    static final class StackingFault extends Exception {
        final long address;

        StackingFault(long address) {
            super(String.format("exception frame at 0x%08x is outside RAM", address));
            this.address = address;
        }
    }

    /** An EXC_RETURN the core cannot honour. */
    static final class BadReturn extends Exception {
        BadReturn(String message) {
            super(message);
        }
    }

    private record Frame(int exception, boolean threadNpriv) {
    }

    private final CpuEngine engine;
    private final AddressSpace memory;
    private final Nvic nvic;
    private final SystemControlSpace scs;
    private final boolean fpuPresent;
    private final Deque<Frame> frames = new ArrayDeque<>();
    private int current;
    private boolean lastEntryHadFpFrame;

    ExceptionUnit(CpuEngine engine, AddressSpace memory, Nvic nvic, SystemControlSpace scs, boolean fpuPresent) {
        this.engine = engine;
        this.memory = memory;
        this.nvic = nvic;
        this.scs = scs;
        this.fpuPresent = fpuPresent;
    }

    /** IPSR: the exception now executing, 0 in Thread mode. */
    int current() {
        return current;
    }

    boolean lastEntryHadFpFrame() {
        return lastEntryHadFpFrame;
    }

    /** Execution priority: the highest of active exceptions and PRIMASK/BASEPRI/FAULTMASK. */
    int executionPriority() {
        int p = nvic.activeGroupPriority();
        long primask = engine.read(Reg.PRIMASK) & 1;
        long faultmask = engine.read(Reg.FAULTMASK) & 1;
        long basepri = engine.read(Reg.BASEPRI) & 0xFF;
        if (basepri != 0) {
            int bp = (int) basepri & nvic.priorityMask();
            int subBits = nvic.prigroup() + 1;
            p = Math.min(p, (bp >> subBits) << subBits);
        }
        if (primask != 0) {
            p = Math.min(p, 0);
        }
        if (faultmask != 0) {
            p = Math.min(p, -1);
        }
        return p;
    }

    /**
     * Enters exception {@code exception}: stacks the context with {@code returnAddress} as the
     * stacked PC and branches to the handler. Returns the handler address.
     */
    long enter(int exception, long returnAddress) throws StackingFault {
        long control = engine.read(Reg.CONTROL);
        boolean thread = current == 0;
        boolean psp = thread && (control & CONTROL_SPSEL) != 0;
        boolean fpFrame = fpuPresent && (control & CONTROL_FPCA) != 0;
        int frameBytes = fpFrame ? 0x68 : 0x20;
        long sp = engine.read(Reg.SP);
        long xpsr = (engine.read(Reg.XPSR) & ~0x1FFL & ~(1L << 9)) | current | XPSR_T;
        long frameSp = (sp - frameBytes) & 0xFFFFFFFFL;
        if ((scs.ccr() & SystemControlSpace.CCR_STKALIGN) != 0 && (frameSp & 4) != 0) {
            frameSp -= 4;
            xpsr |= 1L << 9;
        }
        AddressSpace.Mapping m = memory.find(frameSp, frameBytes);
        if (m == null || m.region().kind() == MemoryRegion.Kind.FLASH) {
            throw new StackingFault(frameSp);
        }
        long[] words = new long[frameBytes / 4];
        words[0] = engine.read(Reg.R0);
        words[1] = engine.read(Reg.R1);
        words[2] = engine.read(Reg.R2);
        words[3] = engine.read(Reg.R3);
        words[4] = engine.read(Reg.R12);
        words[5] = engine.read(Reg.LR);
        words[6] = returnAddress & ~1L;
        words[7] = xpsr;
        if (fpFrame) {
            for (int i = 0; i < 16; i++) {
                words[8 + i] = engine.read(Reg.single(i));
            }
            words[24] = engine.read(Reg.FPSCR);
            words[25] = 0;
        }
        for (int i = 0; i < words.length; i++) {
            memory.write32(frameSp + 4L * i, words[i]);
        }
        engine.write(Reg.SP, frameSp);
        boolean npriv = (control & CONTROL_NPRIV) != 0;
        long newControl = control & ~CONTROL_FPCA & ~CONTROL_NPRIV;
        if (psp) {
            newControl &= ~CONTROL_SPSEL;    // handlers run on MSP; the engine swaps the banked SP
        }
        if (newControl != control) {
            engine.write(Reg.CONTROL, newControl);
        }
        long excReturn = 0xFFFFFFE1L | (fpFrame ? 0 : 0x10) | (thread ? 0x8 : 0) | (psp ? 0x4 : 0);
        engine.write(Reg.LR, excReturn);
        frames.push(new Frame(current, thread && npriv));
        nvic.activate(exception);
        current = exception;
        lastEntryHadFpFrame = fpFrame;
        long vector = memory.read32(scs.vtor() + 4L * exception);
        engine.write(Reg.XPSR, (engine.read(Reg.XPSR) & ~XPSR_IT_MASK & ~0x1FFL) | XPSR_T);
        engine.write(Reg.PC, vector | 1);
        return vector;
    }

    /** The vector-table entry of an exception. */
    long vector(int exception) {
        return memory.read32(scs.vtor() + 4L * exception);
    }

    /** Returns from the current exception with EXC_RETURN {@code excReturn}; returns the address resumed. */
    long exit(long excReturn) throws BadReturn, StackingFault {
        if (current == 0 || frames.isEmpty()) {
            throw new BadReturn(String.format("EXC_RETURN 0x%08x in Thread mode", excReturn));
        }
        if ((excReturn & 0xFFFFFFE0L) != 0xFFFFFFE0L || (excReturn & 3) != 1) {
            throw new BadReturn(String.format("EXC_RETURN 0x%08x is not a valid return value", excReturn));
        }
        boolean toThread = (excReturn & 0x8) != 0;
        boolean psp = (excReturn & 0x4) != 0;
        boolean fpFrame = (excReturn & 0x10) == 0;
        if (!toThread && psp) {
            throw new BadReturn(String.format("EXC_RETURN 0x%08x returns to Handler mode on the process stack", excReturn));
        }
        Frame frame = frames.pop();
        nvic.deactivate(current);
        long control = engine.read(Reg.CONTROL);
        if (toThread && psp && (control & CONTROL_SPSEL) == 0) {
            engine.write(Reg.CONTROL, control | CONTROL_SPSEL);   // the engine switches SP to PSP
            control |= CONTROL_SPSEL;
        }
        long sp = engine.read(Reg.SP);
        int frameBytes = fpFrame ? 0x68 : 0x20;
        AddressSpace.Mapping m = memory.find(sp, frameBytes);
        if (m == null) {
            throw new StackingFault(sp);
        }
        long[] w = new long[frameBytes / 4];
        for (int i = 0; i < w.length; i++) {
            w[i] = memory.read32(sp + 4L * i);
        }
        engine.write(Reg.R0, w[0]);
        engine.write(Reg.R1, w[1]);
        engine.write(Reg.R2, w[2]);
        engine.write(Reg.R3, w[3]);
        engine.write(Reg.R12, w[4]);
        engine.write(Reg.LR, w[5]);
        long pc = w[6];
        long xpsr = w[7];
        if (fpFrame) {
            for (int i = 0; i < 16; i++) {
                engine.write(Reg.single(i), w[8 + i]);
            }
            engine.write(Reg.FPSCR, w[24]);
        }
        sp += frameBytes;
        if ((xpsr & (1L << 9)) != 0) {
            sp += 4;
        }
        engine.write(Reg.SP, sp & 0xFFFFFFFFL);
        long newControl = control;
        if (fpFrame) {
            newControl |= CONTROL_FPCA;
        }
        if (toThread && frame.threadNpriv()) {
            newControl |= CONTROL_NPRIV;
        }
        if (newControl != control) {
            engine.write(Reg.CONTROL, newControl);
        }
        current = (int) (xpsr & 0x1FF);
        if (toThread != (current == 0)) {
            current = toThread ? 0 : frame.exception();
        }
        engine.write(Reg.XPSR, (xpsr & ~0x1FFL & ~(1L << 9)) | XPSR_T);
        engine.write(Reg.PC, pc | 1);
        return pc & ~1L;
    }

    boolean inHardFaultOrNmi() {
        return current == ExceptionNumbers.HARD_FAULT || current == ExceptionNumbers.NMI;
    }

    void reset() {
        frames.clear();
        current = 0;
    }
}
