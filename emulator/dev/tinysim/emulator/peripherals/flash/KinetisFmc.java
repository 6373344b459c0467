package dev.tinysim.emulator.peripherals.flash;

import dev.tinysim.emulator.board.MemorySystemSpec.Side;
import dev.tinysim.emulator.board.PeripheralSpec;
import dev.tinysim.emulator.bus.PeripheralContext;
import dev.tinysim.emulator.bus.RegisterBlock;
import dev.tinysim.emulator.memory.MemorySystemControls;

/**
 * The Kinetis flash memory controller (FMC): the program-flash bank control register (PFB0CR on
 * the K20, PFB01CR on the K66; NXP K20P64M72SF1RM ch. 27, K66P144M180SF5RM "FMC"; bit fields as
 * in MK66F18.h) switches instruction and data prefetch (IPE/DPE, the speculation buffer) and
 * caching (ICE/DCE) of the one cache both share; CINV_WAY empties ways, S_B_INV the speculation
 * buffer; RWSC reads the wait states. All enables are set at reset (option "reset"). The second
 * bank register (FlexNVM) is stored: tinysim models the program flash only. Cache way locking
 * (CLCK_WAY) and the split replacement modes of CRC are not modelled: setting them is logged.
 * Option "layout": "k20" (PFB0CR/PFB1CR) or "k66" (PFB01CR/PFB23CR); "rwsc": the RWSC value.
 */
public final class KinetisFmc extends RegisterBlock {
    static final int PFAPR = 0x000, PFB0 = 0x004, PFB1 = 0x008;
    static final int SEBE = 1, IPE = 1 << 1, DPE = 1 << 2, ICE = 1 << 3, DCE = 1 << 4, CRC = 7 << 5, MW = 3 << 17,
            S_B_INV = 1 << 19, CINV_WAY = 0xF << 20, CLCK_WAY = 0xF << 24, RWSC = 0xF << 28;

    private final MemorySystemControls memory;
    private final PeripheralContext ctx;
    private final String name;
    private final int fixed;   // MW and RWSC: read-only
    private int pfb0;
    private int pfb1;

    public KinetisFmc(PeripheralSpec spec, PeripheralContext ctx) {
        super(spec.name(), spec.base(), ctx.unmodelled());
        this.memory = ctx.memorySystem();
        this.ctx = ctx;
        this.name = spec.name();
        boolean k66 = Options.text(spec, "layout", "k20").equals("k66");
        int reset = (int) Options.number(spec, "reset", 0x1F);
        this.fixed = (reset & MW) | (((int) Options.number(spec, "rwsc", 0) & 0xF) << 28);
        storage(PFAPR, "PFAPR", (int) Options.number(spec, "pfaprReset", 0x00F8003F));
        register(PFB0, k66 ? "PFB01CR" : "PFB0CR", () -> pfb0 | fixed, this::writeBank0);
        register(PFB1, k66 ? "PFB23CR" : "PFB1CR", () -> pfb1 | fixed, v -> pfb1 = v & 0x1F);
        for (int off = 0x100; off < 0x400; off += 4) {
            unmodelledRegister(off, off < 0x200 ? "TAGVD" : "DATA");
        }
        pfb1 = reset & 0x1F;
        writeBank0(reset & ~(MW | RWSC));
    }

    private void writeBank0(int v) {
        int ways = (v & CINV_WAY) >>> 20;
        if (ways != 0) {
            memory.invalidateWays(Side.INSTRUCTION, ways);
            memory.invalidateWays(Side.DATA, ways);
        }
        if ((v & S_B_INV) != 0) {
            memory.clearBuffers();
        }
        int kept = v & (SEBE | IPE | DPE | ICE | DCE | CRC | CLCK_WAY);
        if ((kept & CRC) != 0 && (pfb0 & CRC) != (kept & CRC)) {
            ctx.log().log(name + ": CRC (cache replacement control) set to " + ((kept & CRC) >>> 5)
                    + ": tinysim keeps one LRU over all four ways");
        }
        if ((kept & CLCK_WAY) != 0 && (pfb0 & CLCK_WAY) != (kept & CLCK_WAY)) {
            ctx.log().log(name + ": CLCK_WAY locks cache ways: not modelled (locked ways are still replaced)");
        }
        pfb0 = kept;
        memory.setPrefetch(Side.INSTRUCTION, (kept & IPE) != 0);
        memory.setPrefetch(Side.DATA, (kept & DPE) != 0);
        memory.setCache(Side.INSTRUCTION, (kept & ICE) != 0);
        memory.setCache(Side.DATA, (kept & DCE) != 0);
    }
}
