package dev.tinysim.emulator.core;

import dev.tinysim.emulator.engine.CpuEngine;
import dev.tinysim.emulator.engine.EngineStop;
import dev.tinysim.emulator.engine.Reg;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs the engine until the run has an outcome: the engine stops many times in a run (a hook asked it to,
 * WFI, a block to re-translate, a shortened FPU-gated block), and each stop is decided by {@link EngineStops}
 * before the engine resumes. A watchdog thread enforces the wall-clock limit.
 */
final class RunLoop {
    /** Never reached: Thumb code is at even addresses. */
    private static final long NO_END = 0xFFFFFFFFL;

    private final CpuEngine engine;
    private final AccountingState st;
    private final StopState stops;
    private final FpuGating fpu;
    private final EngineStops engineStops;
    /** Wall-clock limit of {@link #run()} in milliseconds (0: none). */
    private long wallTimeoutMillis;
    /** Set by the watchdog thread when the wall-clock limit passed. */
    private volatile boolean wallTimedOut;

    RunLoop(CpuEngine engine, AccountingState st, StopState stops, FpuGating fpu, EngineStops engineStops) {
        this.engine = engine;
        this.st = st;
        this.stops = stops;
        this.fpu = fpu;
        this.engineStops = engineStops;
    }

    /** Ends {@link #run()} after this many milliseconds of host time (0: no limit). */
    void setWallTimeout(long millis) {
        this.wallTimeoutMillis = Math.max(0, millis);
    }

    /** Runs until the firmware exits, faults, hangs, hits a breakpoint, the instruction limit or the wall-clock limit. */
    RunOutcome run() {
        if (wallTimeoutMillis <= 0) {
            return runLoop();
        }
        wallTimedOut = false;
        CountDownLatch done = new CountDownLatch(1);
        Thread watchdog = Thread.ofPlatform().daemon().name("tinysim-timeout").start(() -> {
            try {
                if (done.await(wallTimeoutMillis, TimeUnit.MILLISECONDS)) {
                    return;
                }
                // the engine may be between two runs when asked: ask again until the run loop has seen it
                do {
                    wallTimedOut = true;
                    engine.stop();
                } while (!done.await(20, TimeUnit.MILLISECONDS));
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
        while (stops.outcome == null) {
            if (wallTimedOut) {
                stops.outcome = new RunOutcome.TimedOut(wallTimeoutMillis, engine.read(Reg.PC));
                break;
            }
            long pc = engine.read(Reg.PC);
            stops.stopRequested = false;
            if (fpu.partialRunPending()) {
                fpu.runPartialBlock();
                if (stops.outcome != null) {
                    break;
                }
                continue;
            }
            EngineStop stop = engine.run(pc, NO_END);
            if (wallTimedOut && stops.outcome == null) {
                stops.outcome = new RunOutcome.TimedOut(wallTimeoutMillis, engine.read(Reg.PC));
                break;
            }
            engineStops.afterStop(stop);
        }
        st.set(AccountingState.CURRENT, -1);
        return stops.outcome;
    }
}
