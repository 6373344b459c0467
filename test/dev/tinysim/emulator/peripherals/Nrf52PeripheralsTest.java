package dev.tinysim.emulator.peripherals;

import dev.tinysim.emulator.peripherals.nrf52.Nrf52Clock;
import dev.tinysim.emulator.peripherals.nrf52.Nrf52Ficr;
import dev.tinysim.emulator.peripherals.nrf52.Nrf52Gpio;
import dev.tinysim.emulator.peripherals.nrf52.Nrf52Nvmc;
import dev.tinysim.emulator.peripherals.nrf52.Nrf52Rtc;
import dev.tinysim.emulator.peripherals.nrf52.Nrf52Timer;
import dev.tinysim.emulator.peripherals.nrf52.Nrf52Uarte;
import dev.tinysim.emulator.peripherals.nrf52.Nrf52Uicr;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** nRF52 peripheral models, register by register, with no firmware and no CPU. */
class Nrf52PeripheralsTest {
    private final TestContext t = new TestContext(64_000_000L);

    @Test
    void clockStartSetsTheStartedEventAndStatus() {
        Nrf52Clock clock = new Nrf52Clock(TestContext.spec("CLOCK", 0x40000000L, 0, Map.of()), t.context);
        assertEquals(0, clock.read(0x100, 4));
        assertEquals(0, clock.read(0x40C, 4));
        clock.write(0x000, 4, 1);                       // TASKS_HFCLKSTART
        assertEquals(1, clock.read(0x100, 4));          // EVENTS_HFCLKSTARTED
        assertEquals(0x00010001, clock.read(0x40C, 4)); // HFCLKSTAT: crystal, running
        clock.write(0x100, 4, 0);
        assertEquals(0, clock.read(0x100, 4));
        clock.write(0x518, 4, 1);                       // LFCLKSRC = Xtal
        clock.write(0x008, 4, 1);                       // TASKS_LFCLKSTART
        assertEquals(1, clock.read(0x104, 4));
        assertEquals(0x00010001, clock.read(0x418, 4));
    }

    @Test
    void legacyUartSendsOneBytePerTxdWriteAndSetsTxdrdy() {
        Nrf52Uarte uart = new Nrf52Uarte(TestContext.spec("UART0", 0x40002000L, 2, Map.of()), t.context);
        uart.write(0x500, 4, 4);             // ENABLE = UART
        uart.write(0x008, 4, 1);             // STARTTX
        for (char c : "hi\n".toCharArray()) {
            uart.write(0x11C, 4, 0);
            uart.write(0x51C, 4, c);
            assertEquals(1, uart.read(0x11C, 4), "TXDRDY after each byte");
        }
        assertEquals("hi\n", t.console.toString(StandardCharsets.ISO_8859_1));
        uart.write(0x304, 4, 1 << 7);        // INTENSET TXDRDY
        assertEquals(Boolean.TRUE, t.irq.get(2));
        uart.write(0x11C, 4, 0);
        assertEquals(Boolean.FALSE, t.irq.get(2));
    }

    @Test
    void uarteSendsMaxcntBytesFromRamByEasyDma() {
        Nrf52Uarte uarte = new Nrf52Uarte(TestContext.spec("UARTE0", 0x40002000L, 2, Map.of()), t.context);
        byte[] text = "EasyDMA!".getBytes(StandardCharsets.ISO_8859_1);
        t.ram.write(0x20000100L, text, 0, text.length);
        uarte.write(0x500, 4, 8);            // ENABLE = UARTE
        uarte.write(0x544, 4, 0x20000100);   // TXD.PTR
        uarte.write(0x548, 4, 4);            // TXD.MAXCNT
        uarte.write(0x008, 4, 1);            // STARTTX
        assertEquals("Easy", t.console.toString(StandardCharsets.ISO_8859_1));
        assertEquals(1, uarte.read(0x120, 4), "ENDTX");
        assertEquals(4, uarte.read(0x54C, 4), "TXD.AMOUNT");
        assertEquals(1, uarte.read(0x150, 4), "TXSTARTED");
    }

    @Test
    void nvmcGatesFlashWritesAndErases() {
        Nrf52Nvmc nvmc = new Nrf52Nvmc(TestContext.spec("NVMC", 0x4001E000L, -1, Map.of()), t.context);
        assertEquals(1, nvmc.read(0x400, 4), "READY");
        nvmc.write(0x504, 4, 1);
        assertTrue(t.flashWritable);
        nvmc.write(0x508, 4, 0x1000);        // ERASEPAGE without EEN: ignored
        assertEquals(List.of(), t.erased);
        nvmc.write(0x504, 4, 2);
        assertFalse(t.flashWritable);
        nvmc.write(0x508, 4, 0x1000);
        assertEquals(List.of(0x1000L), t.erased);
        nvmc.write(0x540, 4, 1);             // ICACHECNF.CACHEEN
        assertTrue(nvmc.cacheEnabled());
        assertEquals(1, nvmc.read(0x540, 4));
    }

    @Test
    void ficrAndUicrReadLikeAFreshNrf52840() {
        Nrf52Ficr ficr = new Nrf52Ficr(TestContext.spec("FICR", 0x10000000L, -1, Map.of()), t.context);
        assertEquals(4096, ficr.read(0x010, 4), "CODEPAGESIZE");
        assertEquals(256, ficr.read(0x014, 4), "CODESIZE pages");
        assertEquals(0x52840, ficr.read(0x100, 4), "INFO.PART");
        assertEquals(256, ficr.read(0x10C, 4), "INFO.RAM (KB)");
        assertEquals(1024, ficr.read(0x110, 4), "INFO.FLASH (KB)");
        Nrf52Uicr uicr = new Nrf52Uicr(TestContext.spec("UICR", 0x10001000L, -1, Map.of()), t.context);
        assertEquals(0xFFFFFFFFL, uicr.read(0x080, 4), "CUSTOMER[0] erased");
        uicr.write(0x080, 4, 0x0000FFFF);
        uicr.write(0x080, 4, 0xFFFF00FF);    // programming can only clear bits
        assertEquals(0x000000FFL, uicr.read(0x080, 4));
    }

    @Test
    void gpioPortsInterleaveInOnePage() {
        Nrf52Gpio gpio = new Nrf52Gpio(TestContext.spec("GPIO", 0x50000000L, -1, Map.of("ports", 2L)), t.context);
        gpio.write(0x518, 4, 0x3);           // P0.DIRSET
        gpio.write(0x508, 4, 0x5);           // P0.OUTSET
        assertEquals(0x5, gpio.read(0x504, 4));
        assertEquals(0x1, gpio.read(0x510, 4), "IN shows outputs only");
        gpio.write(0x50C, 4, 0x1);           // P0.OUTCLR
        assertEquals(0x4, gpio.out(0));
        gpio.write(0x300 + 0x700 + 4 * 7, 4, 1);   // P1.PIN_CNF[7] = output
        assertEquals(1 << 7, gpio.dir(1));
        assertEquals(0, gpio.dir(0) & (1 << 7));
    }

    @Test
    void timerCountsAt16MHzOverPrescalerAndRaisesCompare() {
        Nrf52Timer timer = new Nrf52Timer(TestContext.spec("TIMER0", 0x40008000L, 8, Map.of("channels", 4L)), t.context);
        timer.write(0x508, 4, 3);            // BITMODE 32
        timer.write(0x510, 4, 0);            // PRESCALER 0: 16 MHz = 4 core cycles per tick at 64 MHz
        timer.write(0x540, 4, 1000);         // CC[0]
        timer.write(0x304, 4, 1 << 16);      // INTENSET COMPARE0
        timer.write(0x000, 4, 1);            // START
        t.advance(400);
        timer.write(0x044, 4, 1);            // CAPTURE[1]
        assertEquals(100, timer.read(0x544, 4), "400 cycles = 100 ticks");
        assertEquals(0, timer.read(0x140, 4));
        t.advance(3600);                     // 4000 cycles = 1000 ticks
        assertEquals(1, timer.read(0x140, 4), "COMPARE[0]");
        assertEquals(Boolean.TRUE, t.irq.get(8));
        timer.write(0x140, 4, 0);
        assertEquals(Boolean.FALSE, t.irq.get(8));
        timer.write(0x004, 4, 1);            // STOP
        t.advance(4000);
        timer.write(0x044, 4, 1);
        assertEquals(1000, timer.read(0x544, 4), "stopped: no more counting");
    }

    @Test
    void timerCompareClearShortRestartsTheCount() {
        Nrf52Timer timer = new Nrf52Timer(TestContext.spec("TIMER1", 0x40009000L, 9, Map.of()), t.context);
        timer.write(0x508, 4, 0);            // 16-bit
        timer.write(0x510, 4, 4);            // 1 MHz: 64 cycles per tick
        timer.write(0x540, 4, 10);
        timer.write(0x200, 4, 1);            // SHORTS COMPARE0_CLEAR
        timer.write(0x000, 4, 1);
        t.advance(64 * 10);
        assertEquals(1, timer.read(0x140, 4));
        t.advance(64 * 3);
        timer.write(0x040, 4, 1);            // CAPTURE[0]
        assertEquals(3, timer.read(0x540, 4), "cleared at the compare, then 3 ticks");
    }

    @Test
    void timerShortsAndIntenKeepOnlyTheirDocumentedBits() {
        // nRF52840 PS, TIMER registers: SHORTS bits 0-5 COMPARE[n]_CLEAR, 8-13 COMPARE[n]_STOP;
        // INTENSET/INTENCLR bits 16-21 COMPARE[n]; every other bit is reserved and reads 0
        Nrf52Timer timer = new Nrf52Timer(TestContext.spec("TIMER3", 0x4001A000L, 26, Map.of("channels", 6L)), t.context);
        timer.write(0x200, 4, 0xFFFFFFFF);   // SHORTS
        assertEquals(0x3F3F, timer.read(0x200, 4));
        timer.write(0x304, 4, 0xFFFFFFFF);   // INTENSET
        assertEquals(0x3F0000, timer.read(0x304, 4));
        assertEquals(0x3F0000, timer.read(0x308, 4), "INTENCLR reads the same enable bits");
        timer.write(0x308, 4, 0x0001FFFF);   // INTENCLR: COMPARE0 and reserved bits
        assertEquals(0x3E0000, timer.read(0x304, 4));
    }

    @Test
    void timerCountTaskCountsOnlyWhileStartedInCounterMode() {
        // nRF52840 PS, TIMER: "In both modes, the TIMER is started by triggering the START task, and stopped by
        // triggering the STOP task"; COUNT is "Increment Timer (Counter mode only)"
        Nrf52Timer timer = new Nrf52Timer(TestContext.spec("TIMER2", 0x4000A000L, 10, Map.of()), t.context);
        timer.write(0x504, 4, 1);            // MODE Counter
        timer.write(0x540, 4, 2);            // CC[0] = 2
        timer.write(0x008, 4, 1);            // COUNT before START: not counted
        timer.write(0x040, 4, 1);            // CAPTURE[0]
        assertEquals(0, timer.read(0x540, 4), "COUNT before START");
        timer.write(0x540, 4, 2);
        timer.write(0x000, 4, 1);            // START
        timer.write(0x008, 4, 1);
        timer.write(0x008, 4, 1);
        assertEquals(1, timer.read(0x140, 4), "COMPARE[0] at the second COUNT");
        timer.write(0x004, 4, 1);            // STOP
        timer.write(0x008, 4, 1);            // not counted
        timer.write(0x044, 4, 1);            // CAPTURE[1]
        assertEquals(2, timer.read(0x544, 4), "COUNT after STOP");
        timer.write(0x000, 4, 1);            // START again: resumes from 2
        timer.write(0x008, 4, 1);
        timer.write(0x044, 4, 1);
        assertEquals(3, timer.read(0x544, 4), "resumed from the value it had");
        timer.write(0x504, 4, 0);            // MODE Timer: COUNT has no effect
        timer.write(0x004, 4, 1);
        timer.write(0x008, 4, 1);
        timer.write(0x044, 4, 1);
        assertEquals(3, timer.read(0x544, 4), "COUNT in Timer mode");
    }

    @Test
    void rtcCountsTheLowFrequencyClockExactly() {
        Nrf52Rtc rtc = new Nrf52Rtc(TestContext.spec("RTC0", 0x4000B000L, 11, Map.of("channels", 3L)), t.context);
        rtc.write(0x508, 4, 0);              // PRESCALER 0: 32768 Hz
        rtc.write(0x540, 4, 3);              // CC[0] = 3
        rtc.write(0x304, 4, 1 << 16);        // INTENSET COMPARE0
        rtc.write(0x000, 4, 1);              // START
        t.advance(1953);                     // 64e6 / 32768 = 1953.125 cycles per tick
        assertEquals(0, rtc.read(0x504, 4));
        t.advance(1);
        assertEquals(1, rtc.read(0x504, 4));
        t.advance(5859 - 1954);              // 3 ticks end at ceil(3 x 1953.125) = 5860
        assertEquals(2, rtc.read(0x504, 4));
        assertEquals(0, rtc.read(0x140, 4));
        t.advance(1);
        assertEquals(3, rtc.read(0x504, 4));
        assertEquals(1, rtc.read(0x140, 4), "COMPARE[0]");
        assertEquals(Boolean.TRUE, t.irq.get(11));
        rtc.write(0x508, 4, 7);              // PRESCALER while running: ignored
        assertEquals(0, rtc.read(0x508, 4));
        assertEquals(1, t.log.size());
    }

    @Test
    void unknownRegistersAreLoggedOnceAndCounted() {
        Nrf52Clock clock = new Nrf52Clock(TestContext.spec("CLOCK", 0x40000000L, 0, Map.of()), t.context);
        assertEquals(0, clock.read(0x7F0, 4));
        assertEquals(0, clock.read(0x7F0, 4));
        clock.write(0x7F0, 4, 5);
        clock.write(0x034, 4, 1);            // POWER.TASKS_CONSTLAT: named but not modelled
        assertEquals(List.of(
                "unmodelled register CLOCK.+0x7f0 (0x400007f0) read, returning 0",
                "unmodelled register CLOCK.POWER.TASKS_CONSTLAT (0x40000034) written (value 0x1)"), t.firstUnmodelled);
        assertEquals(4, t.unmodelled.totalAccesses());
        assertEquals(2, t.unmodelled.registerCount());
    }

    @Test
    void byteAccessesReadAndMergeIntoTheWord() {
        Nrf52Gpio gpio = new Nrf52Gpio(TestContext.spec("GPIO", 0x50000000L, -1, Map.of()), t.context);
        gpio.write(0x504, 4, 0x11223344);
        assertEquals(0x22, gpio.read(0x506, 1));
        gpio.write(0x505, 1, 0xAB);
        assertEquals(0x1122AB44, gpio.read(0x504, 4));
        assertEquals(0x1122, gpio.read(0x506, 2));
    }
}
