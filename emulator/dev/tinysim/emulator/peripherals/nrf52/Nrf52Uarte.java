package dev.tinysim.emulator.peripherals.nrf52;

import dev.tinysim.emulator.board.PeripheralSpec;
import dev.tinysim.emulator.bus.PeripheralContext;
import dev.tinysim.emulator.bus.RegisterBlock;
import dev.tinysim.emulator.sim.ConsoleSink;
import dev.tinysim.emulator.sim.MemoryAccessException;

/**
 * nRF52 UART0/UARTE0 at one address: ENABLE = 4 selects the legacy UART (one byte per TXD
 * write, TXDRDY set after each), ENABLE = 8 the UARTE with EasyDMA (STARTTX sends TXD.MAXCNT
 * bytes from RAM at TXD.PTR, then TXD.AMOUNT, ENDTX and TXSTOPPED). Transmitted bytes go to the
 * console at once; transmission time is not modelled. Reception: RXD reads return 0 and RX
 * events never fire (there is no input line).
 */
public final class Nrf52Uarte extends RegisterBlock {
    static final int TASKS_STARTRX = 0x000, TASKS_STOPRX = 0x004, TASKS_STARTTX = 0x008, TASKS_STOPTX = 0x00C,
            TASKS_FLUSHRX = 0x02C;
    static final int EVENTS_CTS = 0x100, EVENTS_NCTS = 0x104, EVENTS_RXDRDY = 0x108, EVENTS_ENDRX = 0x110,
            EVENTS_TXDRDY = 0x11C, EVENTS_ENDTX = 0x120, EVENTS_ERROR = 0x124, EVENTS_RXTO = 0x144,
            EVENTS_RXSTARTED = 0x14C, EVENTS_TXSTARTED = 0x150, EVENTS_TXSTOPPED = 0x158;
    static final int SHORTS = 0x200, INTEN = 0x300, INTENSET = 0x304, INTENCLR = 0x308, ERRORSRC = 0x480;
    static final int ENABLE = 0x500, PSEL_RTS = 0x508, PSEL_TXD = 0x50C, PSEL_CTS = 0x510, PSEL_RXD = 0x514;
    static final int RXD = 0x518, TXD = 0x51C, BAUDRATE = 0x524;
    static final int RXD_PTR = 0x534, RXD_MAXCNT = 0x538, RXD_AMOUNT = 0x53C;
    static final int TXD_PTR = 0x544, TXD_MAXCNT = 0x548, TXD_AMOUNT = 0x54C, CONFIG = 0x56C;
    static final int ENABLE_UART = 4, ENABLE_UARTE = 8;

    private final PeripheralContext ctx;
    private final int irq;
    private int enable;
    private int inten;
    private int txdrdy, endtx, txstarted, txstopped;
    private int txdPtr, txdMaxcnt, txdAmount;

    public Nrf52Uarte(PeripheralSpec spec, PeripheralContext ctx) {
        super(spec.name(), spec.base(), ctx.unmodelled());
        this.ctx = ctx;
        this.irq = spec.irq();
        task(TASKS_STARTTX, "TASKS_STARTTX", this::startTx);
        task(TASKS_STOPTX, "TASKS_STOPTX", () -> {
            txstopped = 1;
            updateIrq();
        });
        task(TASKS_STARTRX, "TASKS_STARTRX", () -> { });
        task(TASKS_STOPRX, "TASKS_STOPRX", () -> { });
        task(TASKS_FLUSHRX, "TASKS_FLUSHRX", () -> { });
        register(EVENTS_TXDRDY, "EVENTS_TXDRDY", () -> txdrdy, v -> { txdrdy = v & 1; updateIrq(); });
        register(EVENTS_ENDTX, "EVENTS_ENDTX", () -> endtx, v -> { endtx = v & 1; updateIrq(); });
        register(EVENTS_TXSTARTED, "EVENTS_TXSTARTED", () -> txstarted, v -> { txstarted = v & 1; updateIrq(); });
        register(EVENTS_TXSTOPPED, "EVENTS_TXSTOPPED", () -> txstopped, v -> { txstopped = v & 1; updateIrq(); });
        for (int off : new int[]{EVENTS_CTS, EVENTS_NCTS, EVENTS_RXDRDY, EVENTS_ENDRX, EVENTS_ERROR, EVENTS_RXTO, EVENTS_RXSTARTED}) {
            storage(off, "EVENTS_" + Integer.toHexString(off), 0);
        }
        storage(SHORTS, "SHORTS", 0);
        register(INTEN, "INTEN", () -> inten, v -> { inten = v; updateIrq(); });
        register(INTENSET, "INTENSET", () -> inten, v -> { inten |= v; updateIrq(); });
        register(INTENCLR, "INTENCLR", () -> inten, v -> { inten &= ~v; updateIrq(); });
        register(ERRORSRC, "ERRORSRC", () -> 0, v -> { });
        register(ENABLE, "ENABLE", () -> enable, v -> enable = v & 0xF);
        storage(PSEL_RTS, "PSEL.RTS", -1);
        storage(PSEL_TXD, "PSEL.TXD", -1);
        storage(PSEL_CTS, "PSEL.CTS", -1);
        storage(PSEL_RXD, "PSEL.RXD", -1);
        readOnly(RXD, "RXD", () -> 0);
        register(TXD, "TXD", () -> 0, this::writeTxd);
        storage(BAUDRATE, "BAUDRATE", 0x04000000);
        storage(RXD_PTR, "RXD.PTR", 0);
        storage(RXD_MAXCNT, "RXD.MAXCNT", 0);
        readOnly(RXD_AMOUNT, "RXD.AMOUNT", () -> 0);
        register(TXD_PTR, "TXD.PTR", () -> txdPtr, v -> txdPtr = v);
        register(TXD_MAXCNT, "TXD.MAXCNT", () -> txdMaxcnt, v -> txdMaxcnt = v & 0xFFFF);
        readOnly(TXD_AMOUNT, "TXD.AMOUNT", () -> txdAmount);
        storage(CONFIG, "CONFIG", 0);
    }

    private void writeTxd(int value) {
        if (enable != ENABLE_UART) {
            ctx.log().log(name() + ": byte written to TXD while the legacy UART is not enabled (ENABLE=" + enable + "); sent anyway");
        }
        ctx.console().write(ConsoleSink.Stream.STDOUT, new byte[]{(byte) value});
        txdrdy = 1;
        updateIrq();
    }

    private void startTx() {
        if (enable != ENABLE_UARTE) {
            txstarted = 1;   // legacy UART: STARTTX only arms the transmitter
            return;
        }
        txstarted = 1;
        int count = txdMaxcnt;
        long ptr = txdPtr & 0xFFFFFFFFL;
        byte[] bytes;
        try {
            bytes = ctx.memory().read(ptr, count);
        } catch (MemoryAccessException e) {
            // EasyDMA can only read RAM: on the chip the transfer fails with an error event.
            ctx.log().log(String.format("%s: EasyDMA TXD.PTR 0x%08x (%d bytes) is not in RAM; nothing sent", name(), ptr, count));
            bytes = new byte[0];
            count = 0;
        }
        ctx.console().write(ConsoleSink.Stream.STDOUT, bytes);
        txdAmount = count;
        endtx = 1;
        updateIrq();
    }

    private void updateIrq() {
        if (irq < 0) {
            return;
        }
        boolean asserted = ((inten & (1 << 7)) != 0 && txdrdy != 0)
                || ((inten & (1 << 8)) != 0 && endtx != 0)
                || ((inten & (1 << 20)) != 0 && txstarted != 0)
                || ((inten & (1 << 22)) != 0 && txstopped != 0);
        ctx.interrupts().setLevel(irq, asserted);
    }
}
