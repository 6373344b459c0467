package dev.tinysim.emulator.peripherals.flash;

import dev.tinysim.emulator.board.MemorySystemSpec.Side;
import dev.tinysim.emulator.board.PeripheralSpec;
import dev.tinysim.emulator.bus.PeripheralContext;
import dev.tinysim.emulator.bus.RegisterBlock;
import dev.tinysim.emulator.memory.MemorySystemControls;

/**
 * The STM32 embedded flash interface's FLASH_ACR (STM32F4: RM0383 §3.8.1; STM32L4+: RM0432
 * §6.7.1): LATENCY[3:0] sets the read wait states, PRFTEN the instruction prefetch, ICEN/DCEN
 * the ART accelerator's instruction and data caches, ICRST/DCRST (writable only while that cache
 * is off) empty them. The reset value is the part's (option "acrReset": 0 on the F4, 0x600 on the
 * L4+, whose caches are on at reset). The other registers (keys, status, control, options) are
 * named and logged: tinysim does not program flash through them. Option "layout": "f4" or "l4".
 */
public final class Stm32FlashInterface extends RegisterBlock {
    static final int ACR = 0x00;
    static final int LATENCY = 0xF, PRFTEN = 1 << 8, ICEN = 1 << 9, DCEN = 1 << 10, ICRST = 1 << 11, DCRST = 1 << 12;

    private final MemorySystemControls memory;
    private final String name;
    private final PeripheralContext ctx;
    private int acr;
    private boolean latencyWarned;

    public Stm32FlashInterface(PeripheralSpec spec, PeripheralContext ctx) {
        super(spec.name(), spec.base(), ctx.unmodelled());
        this.memory = ctx.memorySystem();
        this.name = spec.name();
        this.ctx = ctx;
        register(ACR, "ACR", () -> acr, this::writeAcr);
        if (Options.text(spec, "layout", "f4").equals("l4")) {
            String[] names = {"ACR", "PDKEYR", "KEYR", "OPTKEYR", "SR", "CR", "ECCR", "", "OPTR", "PCROP1SR", "PCROP1ER",
                    "WRP1AR", "WRP1BR", "", "", "", "", "PCROP2SR", "PCROP2ER", "WRP2AR", "WRP2BR"};
            for (int i = 1; i < names.length; i++) {
                if (!names[i].isEmpty()) {
                    unmodelledRegister(4 * i, names[i]);
                }
            }
        } else {
            String[] names = {"ACR", "KEYR", "OPTKEYR", "SR", "CR", "OPTCR"};
            for (int i = 1; i < names.length; i++) {
                unmodelledRegister(4 * i, names[i]);
            }
        }
        writeAcr((int) Options.number(spec, "acrReset", 0));
    }

    private void writeAcr(int v) {
        int before = acr;
        if ((v & ICRST) != 0 && (v & ICEN) == 0) {
            memory.invalidate(Side.INSTRUCTION);
        } else if ((v & ICRST) != 0 && (before & ICRST) == 0) {
            ctx.log().log(name + ": ACR.ICRST written while ICEN is set: ignored, as on silicon");
            v &= ~ICRST;
        }
        if ((v & DCRST) != 0 && (v & DCEN) == 0) {
            memory.invalidate(Side.DATA);
        } else if ((v & DCRST) != 0 && (before & DCRST) == 0) {
            ctx.log().log(name + ": ACR.DCRST written while DCEN is set: ignored, as on silicon");
            v &= ~DCRST;
        }
        acr = v;
        int latency = v & LATENCY;
        if (latency < memory.requiredWaitStates() && !latencyWarned && (before & LATENCY) != latency) {
            latencyWarned = true;
            ctx.log().log(String.format("%s: ACR.LATENCY = %d is below the %d wait states the part needs at the board's clock"
                    + " (silicon would read wrong data); tinysim keeps %d", name, latency, memory.requiredWaitStates(),
                    memory.requiredWaitStates()));
        }
        memory.requestWaitStates(latency);
        memory.setPrefetch(Side.INSTRUCTION, (v & PRFTEN) != 0);
        memory.setCache(Side.INSTRUCTION, (v & ICEN) != 0);
        memory.setCache(Side.DATA, (v & DCEN) != 0);
    }
}
