package dev.tinysim.emulator.scs;

import dev.tinysim.emulator.board.CpuSpec;
import dev.tinysim.emulator.bus.UnmodelledAccessLog;
import dev.tinysim.emulator.sim.EventScheduler;
import dev.tinysim.emulator.sim.SimClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SCB, NVIC, SysTick and DWT registers, poked directly (no firmware). */
class SystemControlSpaceTest {
    private long now;
    private final SimClock clock = new SimClock() {
        @Override
        public long now() {
            return now;
        }

        @Override
        public long hz() {
            return 64_000_000L;
        }
    };
    private final EventScheduler scheduler = new EventScheduler();
    private final UnmodelledAccessLog unmodelled = new UnmodelledAccessLog(m -> { });
    private final Nvic nvic = new Nvic(48, 3);
    private final List<String> resets = new ArrayList<>();
    private SystemControlSpace scs;
    private final Dwt dwt = new Dwt(clock, () -> scs != null && scs.traceEnabled(), unmodelled);
    private final SysTick sysTick = new SysTick(clock, scheduler, nvic);

    private SystemControlSpace scs(boolean fpu) {
        scs = new SystemControlSpace(new CpuSpec("cortex-m4", fpu, 64_000_000L, 0x410FC241L, 48, 3), nvic, sysTick, dwt,
                new CoreStatus() {
                    @Override
                    public int currentException() {
                        return 0;
                    }

                    @Override
                    public void requestSystemReset() {
                        resets.add("reset");
                    }

                    @Override
                    public long currentPc() {
                        return 0;
                    }
                }, unmodelled);
        return scs;
    }

    private void advance(long cycles) {
        now += cycles;
        scheduler.runDue(now);
    }

    @Test
    void identificationAndResetValues() {
        SystemControlSpace s = scs(true);
        assertEquals(0x410FC241L, s.read(0xD00, 4), "CPUID: Cortex-M4 r0p1");
        assertEquals(0x200, s.read(0xD14, 4), "CCR resets to STKALIGN");
        assertEquals(0xC0000000L, s.read(0xF34, 4), "FPCCR: ASPEN | LSPEN");
        assertEquals(1, s.read(0x004, 4), "ICTR: 48 interrupts = 2 words");
        assertEquals(0x10110021L, s.read(0xF40, 4), "MVFR0 of FPv4-SP");
        assertEquals(0, scs(false).read(0xF40, 4), "no FPU: MVFR0 = 0");
    }

    @Test
    void cpacrGatesTheFpuOnlyWhereThereIsOne() {
        SystemControlSpace s = scs(true);
        assertFalse(s.fpuAccessEnabled(), "disabled at reset");
        s.write(0xD88, 4, 0xF << 20);
        assertTrue(s.fpuAccessEnabled());
        SystemControlSpace noFpu = scs(false);
        noFpu.write(0xD88, 4, 0xF << 20);
        assertEquals(0, noFpu.read(0xD88, 4), "CP10/CP11 bits read as zero without an FPU");
        assertFalse(noFpu.fpuAccessEnabled());
    }

    @Test
    void vtorAircrAndFaultStatusWriteOneToClear() {
        SystemControlSpace s = scs(true);
        s.write(0xD08, 4, 0x00001080);
        assertEquals(0x1080, s.vtor(), "VTOR keeps bits 31:7");
        s.write(0xD0C, 4, 0x00000500);                 // no VECTKEY: ignored
        assertEquals(0xFA050000L, s.read(0xD0C, 4));
        s.write(0xD0C, 4, 0x05FA0500);
        assertEquals(0xFA050500L, s.read(0xD0C, 4), "PRIGROUP 5");
        s.write(0xD0C, 4, 0x05FA0004);
        assertEquals(List.of("reset"), resets, "SYSRESETREQ");
        s.recordFault(SystemControlSpace.CFSR_PRECISERR | SystemControlSpace.CFSR_BFARVALID, SystemControlSpace.HFSR_FORCED,
                0x30000000L, null);
        assertEquals(0x8200, s.read(0xD28, 4));
        assertEquals(0x30000000L, s.read(0xD38, 4));
        s.write(0xD28, 4, 0x0200);
        assertEquals(0x8000, s.read(0xD28, 4), "write 1 clears");
    }

    @Test
    void nvicEnablePendPriority() {
        SystemControlSpace s = scs(true);
        s.write(0x100, 4, 1 << 8);                     // ISER0: IRQ 8
        assertTrue(nvic.enabled(16 + 8));
        s.write(0x200, 4, 1 << 8);                     // ISPR0
        assertTrue(nvic.pending(16 + 8));
        assertEquals(1 << 8, s.read(0x280, 4));
        s.write(0x402, 1, 0xE5);                       // IPR byte for IRQ 2: 3 bits implemented
        assertEquals(0xE0, nvic.priority(16 + 2));
        assertEquals(0x00E00000L, s.read(0x400, 4));
        s.write(0x180, 4, 1 << 8);                     // ICER0
        assertFalse(nvic.enabled(16 + 8));
        s.write(0xF00, 4, 40);                         // STIR: pend IRQ 40
        assertTrue(nvic.pending(16 + 40));
        s.write(0xD04, 4, 1 << 28);                    // ICSR PENDSVSET
        assertTrue(nvic.pending(ExceptionNumbers.PENDSV));
        assertEquals(1, s.read(0xD04, 4) >>> 28 & 1);
    }

    @Test
    void sysTickCountsDownInCoreCyclesWithCountflagAndException() {
        SystemControlSpace s = scs(true);
        s.write(0x014, 4, 999);                        // RVR: period 1000 cycles
        s.write(0x018, 4, 0);                          // CVR cleared: reloads next cycle
        s.write(0x010, 4, 0x7);                        // ENABLE | TICKINT | CLKSOURCE
        advance(1);
        assertEquals(998, s.read(0x018, 4));
        advance(500);
        assertEquals(498, s.read(0x018, 4));
        assertEquals(0, s.read(0x010, 4) >>> 16 & 1, "COUNTFLAG not yet");
        assertFalse(nvic.pending(ExceptionNumbers.SYSTICK));
        advance(498);                                  // reaches 0
        assertEquals(0, s.read(0x018, 4));
        assertTrue(nvic.pending(ExceptionNumbers.SYSTICK), "TICKINT pends SysTick at zero");
        assertEquals(1, s.read(0x010, 4) >>> 16 & 1, "COUNTFLAG set");
        assertEquals(0, s.read(0x010, 4) >>> 16 & 1, "reading CSR cleared COUNTFLAG");
        advance(1);
        assertEquals(999, s.read(0x018, 4), "reloaded");
        nvic.setPending(ExceptionNumbers.SYSTICK, false);
        advance(999);
        assertTrue(nvic.pending(ExceptionNumbers.SYSTICK), "and again one period later");
    }

    @Test
    void dwtCycleCounterRunsOnlyWithTrcenaAndCyccntena() {
        SystemControlSpace s = scs(true);
        dwt.write(0x000, 4, 1);                        // CYCCNTENA without TRCENA
        advance(100);
        assertEquals(0, dwt.read(0x004, 4));
        s.write(0xDFC, 4, 1 << 24);                    // DEMCR.TRCENA
        advance(250);
        assertEquals(250, dwt.read(0x004, 4));
        dwt.write(0x004, 4, 0xFFFFFFF0L);
        advance(0x20);
        assertEquals(0x10, dwt.read(0x004, 4), "wraps at 32 bits");
        dwt.write(0x000, 4, 0);
        advance(1000);
        assertEquals(0x10, dwt.read(0x004, 4), "frozen when disabled");
        assertEquals(0x40000000L, dwt.read(0x000, 4), "NUMCOMP = 4");
    }
}
