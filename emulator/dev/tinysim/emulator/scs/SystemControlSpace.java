package dev.tinysim.emulator.scs;

import dev.tinysim.emulator.board.CpuSpec;
import dev.tinysim.emulator.bus.RegisterBlock;
import dev.tinysim.emulator.bus.UnmodelledAccessLog;

/**
 * The System Control Space at 0xE000E000: interrupt controller type, ACTLR, SysTick, NVIC,
 * SCB (CPUID, ICSR, VTOR, AIRCR, SCR, CCR, SHPR, SHCSR, fault status), CPACR, MPU registers
 * (stored, not enforced), CoreDebug (DHCSR, DEMCR), STIR and the FPU control registers.
 * Fault status registers are filled by the core's own fault handling.
 */
public final class SystemControlSpace extends RegisterBlock {
    public static final long BASE = 0xE000E000L;

    public static final int CFSR_IACCVIOL = 1, CFSR_DACCVIOL = 1 << 1, CFSR_MMARVALID = 1 << 7;
    public static final int CFSR_IBUSERR = 1 << 8, CFSR_PRECISERR = 1 << 9, CFSR_STKERR = 1 << 12, CFSR_BFARVALID = 1 << 15;
    public static final int CFSR_UNDEFINSTR = 1 << 16, CFSR_INVSTATE = 1 << 17, CFSR_INVPC = 1 << 18, CFSR_NOCP = 1 << 19,
            CFSR_UNALIGNED = 1 << 24, CFSR_DIVBYZERO = 1 << 25;
    public static final int HFSR_VECTTBL = 1 << 1, HFSR_FORCED = 1 << 30;
    public static final int CCR_UNALIGN_TRP = 1 << 3, CCR_DIV_0_TRP = 1 << 4, CCR_STKALIGN = 1 << 9;
    private static final int SHCSR_MEMFAULTENA = 1 << 16, SHCSR_BUSFAULTENA = 1 << 17, SHCSR_USGFAULTENA = 1 << 18;

    private final CpuSpec cpu;
    private final Nvic nvic;
    private final SysTick sysTick;
    private CoreStatus core = CoreStatus.DETACHED;
    private final Dwt dwt;

    private int vtor;
    private int aircrLow;        // PRIGROUP lives in nvic; ENDIANNESS 0
    private int scr;
    private int ccr = CCR_STKALIGN;
    private int shcsrEnables;
    private int cfsr;
    private int hfsr;
    private int dfsr;
    private int mmfar;
    private int bfar;
    private int cpacr;
    private int fpccr = 0xC0000000;   // ASPEN | LSPEN
    private int fpcar;
    private int fpdscr;
    private int demcr;
    private int actlr;

    public SystemControlSpace(CpuSpec cpu, Nvic nvic, SysTick sysTick, Dwt dwt, CoreStatus core, UnmodelledAccessLog unmodelled) {
        this(cpu, nvic, sysTick, dwt, unmodelled);
        connectCore(core);
    }

    /** The core's status is connected later ({@link #connectCore}), once the core that needs this SCS exists. */
    public SystemControlSpace(CpuSpec cpu, Nvic nvic, SysTick sysTick, Dwt dwt, UnmodelledAccessLog unmodelled) {
        super("SCS", BASE, unmodelled);
        this.cpu = cpu;
        this.nvic = nvic;
        this.sysTick = sysTick;
        this.dwt = dwt;

        // The register map in address order, as the ARMv7-M ARM (DDI 0403E) lays out the SCS (B3.2, "System Control
        // Space"): each group is the method named for it.
        systemControlAndId();
        sysTickRegisters();
        nvicRegisters();
        scbControl();
        faultStatus();
        processorFeatures();
        coprocessorAccess();
        mpuRegisters();
        debugRegisters();
        softwareTriggerAndFpu();
    }

    /** 0xE000E004-0x008: the interrupt controller type and auxiliary control registers (B3.2). */
    private void systemControlAndId() {
        readOnly(0x004, "ICTR", () -> (nvic.interrupts() + 31) / 32 - 1);
        register(0x008, "ACTLR", () -> actlr, v -> actlr = v & 0x307);
    }

    /** 0xE000E010-0x01C: SysTick (B3.3). */
    private void sysTickRegisters() {
        register(0x010, "SYST_CSR", sysTick::readCsr, sysTick::writeCsr);
        register(0x014, "SYST_RVR", sysTick::readReload, sysTick::writeReload);
        register(0x018, "SYST_CVR", sysTick::readValue, v -> sysTick.writeValue());
        readOnly(0x01C, "SYST_CALIB", sysTick::readCalib);
    }

    /** 0xE000E100-0x4EF: the NVIC's enable, pending, active and priority registers, as many as the board has IRQs (B3.4). */
    private void nvicRegisters() {
        int words = (nvic.interrupts() + 31) / 32;
        for (int w = 0; w < words; w++) {
            final int base = w * 32;
            register(0x100 + 4 * w, "NVIC_ISER" + w, () -> bits(base, nvic::enabled), v -> setBits(base, v, e -> nvic.setEnabled(e, true)));
            register(0x180 + 4 * w, "NVIC_ICER" + w, () -> bits(base, nvic::enabled), v -> setBits(base, v, e -> nvic.setEnabled(e, false)));
            register(0x200 + 4 * w, "NVIC_ISPR" + w, () -> bits(base, nvic::pending), v -> setBits(base, v, e -> nvic.setPending(e, true)));
            register(0x280 + 4 * w, "NVIC_ICPR" + w, () -> bits(base, nvic::pending), v -> setBits(base, v, e -> nvic.setPending(e, false)));
            readOnly(0x300 + 4 * w, "NVIC_IABR" + w, () -> bits(base, nvic::active));
        }
        for (int w = 0; w < (nvic.interrupts() + 3) / 4; w++) {
            final int first = ExceptionNumbers.FIRST_IRQ + 4 * w;
            register(0x400 + 4 * w, "NVIC_IPR" + w, () -> priorities(first), v -> setPriorities(first, v));
        }
    }

    /** 0xE000ED00-0xD24: the SCB's identification, control, system handler priority and handler state (B3.2). */
    private void scbControl() {
        readOnly(0xD00, "CPUID", () -> (int) cpu.cpuid());
        register(0xD04, "ICSR", this::readIcsr, this::writeIcsr);
        register(0xD08, "VTOR", () -> vtor, v -> vtor = v & 0xFFFFFF80);
        register(0xD0C, "AIRCR", () -> 0xFA050000 | (nvic.prigroup() << 8) | aircrLow, this::writeAircr);
        register(0xD10, "SCR", () -> scr, v -> scr = v & 0x16);
        register(0xD14, "CCR", () -> ccr, v -> ccr = (v & 0x31B) | CCR_STKALIGN);
        register(0xD18, "SHPR1", () -> priorities(4), v -> setPriorities(4, v));
        register(0xD1C, "SHPR2", () -> priorities(8), v -> setPriorities(8, v));
        register(0xD20, "SHPR3", () -> priorities(12), v -> setPriorities(12, v));
        register(0xD24, "SHCSR", this::readShcsr, v -> shcsrEnables = v & (SHCSR_MEMFAULTENA | SHCSR_BUSFAULTENA | SHCSR_USGFAULTENA));
    }

    /** 0xE000ED28-0xD3C: fault status and address registers, filled by the core's fault handling (B3.2). */
    private void faultStatus() {
        register(0xD28, "CFSR", () -> cfsr, v -> cfsr &= ~v);          // write 1 to clear
        register(0xD2C, "HFSR", () -> hfsr, v -> hfsr &= ~v);
        register(0xD30, "DFSR", () -> dfsr, v -> dfsr &= ~v);
        register(0xD34, "MMFAR", () -> mmfar, v -> mmfar = v);
        register(0xD38, "BFAR", () -> bfar, v -> bfar = v);
        storage(0xD3C, "AFSR", 0);
    }

    /** 0xE000ED40-0xD70: the CPUID scheme's processor feature registers of a Cortex-M4 (chapter B4, "The CPUID Scheme"). */
    private void processorFeatures() {
        readOnly(0xD40, "ID_PFR0", () -> 0x00000030);
        readOnly(0xD44, "ID_PFR1", () -> 0x00000200);
        readOnly(0xD48, "ID_DFR0", () -> 0x00100000);
        readOnly(0xD4C, "ID_AFR0", () -> 0);
        readOnly(0xD50, "ID_MMFR0", () -> 0x00100030);
        readOnly(0xD54, "ID_MMFR1", () -> 0);
        readOnly(0xD58, "ID_MMFR2", () -> 0x01000000);
        readOnly(0xD5C, "ID_MMFR3", () -> 0);
        readOnly(0xD60, "ID_ISAR0", () -> 0x01101110);
        readOnly(0xD64, "ID_ISAR1", () -> 0x02111000);
        readOnly(0xD68, "ID_ISAR2", () -> 0x21112231);
        readOnly(0xD6C, "ID_ISAR3", () -> 0x01111110);
        readOnly(0xD70, "ID_ISAR4", () -> 0x01310132);
    }

    /** 0xE000ED88: CPACR, CP10/CP11 access: the core re-checks FPU gating when it changes (B3.2). */
    private void coprocessorAccess() {
        register(0xD88, "CPACR", () -> cpacr, v -> {
            boolean before = fpuAccessEnabled();
            cpacr = cpu.fpu() ? v & 0x00F00000 : 0;
            if (before != fpuAccessEnabled()) {
                core.fpuAccessChanged();
            }
        });
    }

    /** 0xE000ED90-0xDA0: the MPU (B3.5): 8 regions, unified; stored but not enforced. */
    private void mpuRegisters() {
        readOnly(0xD90, "MPU_TYPE", () -> 0x00000800);   // 8 regions, unified; stored but not enforced
        storage(0xD94, "MPU_CTRL", 0);
        storage(0xD98, "MPU_RNR", 0);
        storage(0xD9C, "MPU_RBAR", 0);
        storage(0xDA0, "MPU_RASR", 0);
    }

    /** 0xE000EDF0-0xDFC: debug halting control and exception/monitor control (chapter C1, debug). */
    private void debugRegisters() {
        // A debugger is attached in the sense that matters to firmware: semihosting is served.
        readOnly(0xDF0, "DHCSR", () -> 0x00000001);
        register(0xDFC, "DEMCR", () -> demcr, v -> {
            dwt.beforeTraceChange();
            demcr = v & 0x010F07F1;
            dwt.update();
        });
    }

    /** 0xE000EF00: STIR; 0xE000EF34-0xF44: the floating-point extension's registers (B3.2). */
    private void softwareTriggerAndFpu() {
        register(0xF00, "STIR", () -> 0, v -> nvic.setPending(ExceptionNumbers.FIRST_IRQ + (v & 0x1FF), true));
        if (cpu.fpu()) {
            register(0xF34, "FPCCR", () -> fpccr, v -> fpccr = v & 0xC00001FB);
            register(0xF38, "FPCAR", () -> fpcar, v -> fpcar = v & ~7);
            register(0xF3C, "FPDSCR", () -> fpdscr, v -> fpdscr = v & 0x07C00000);
            readOnly(0xF40, "MVFR0", () -> 0x10110021);
            readOnly(0xF44, "MVFR1", () -> 0x11000011);
        } else {
            readOnly(0xF40, "MVFR0", () -> 0);
            readOnly(0xF44, "MVFR1", () -> 0);
        }
    }

    private int bits(int firstIrq, java.util.function.IntPredicate test) {
        int v = 0;
        for (int b = 0; b < 32; b++) {
            int e = ExceptionNumbers.FIRST_IRQ + firstIrq + b;
            if (e < nvic.exceptionCount() && test.test(e)) {
                v |= 1 << b;
            }
        }
        return v;
    }

    private void setBits(int firstIrq, int value, java.util.function.IntConsumer action) {
        for (int b = 0; b < 32; b++) {
            int e = ExceptionNumbers.FIRST_IRQ + firstIrq + b;
            if ((value & (1 << b)) != 0 && e < nvic.exceptionCount()) {
                action.accept(e);
            }
        }
    }

    private int priorities(int firstException) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int e = firstException + i;
            if (e < nvic.exceptionCount() && e > ExceptionNumbers.HARD_FAULT) {
                v |= (nvic.priority(e) & 0xFF) << (8 * i);
            }
        }
        return v;
    }

    private void setPriorities(int firstException, int value) {
        for (int i = 0; i < 4; i++) {
            int e = firstException + i;
            if (e < nvic.exceptionCount()) {
                nvic.setPriority(e, (value >>> (8 * i)) & 0xFF);
            }
        }
    }

    private int readIcsr() {
        int active = core.currentException();
        int pendingException = nvic.highestPending(this::faultEnabled);
        int v = active & 0x1FF;
        v |= (pendingException & 0x1FF) << 12;
        boolean isrPending = false;
        for (int e = ExceptionNumbers.FIRST_IRQ; e < nvic.exceptionCount(); e++) {
            if (nvic.pending(e)) {
                isrPending = true;
                break;
            }
        }
        if (isrPending) {
            v |= 1 << 22;
        }
        if (nvic.activeCount() <= 1) {
            v |= 1 << 11;   // RETTOBASE
        }
        if (nvic.pending(ExceptionNumbers.SYSTICK)) {
            v |= 1 << 26;
        }
        if (nvic.pending(ExceptionNumbers.PENDSV)) {
            v |= 1 << 28;
        }
        if (nvic.pending(ExceptionNumbers.NMI)) {
            v |= 1 << 31;
        }
        return v;
    }

    private void writeIcsr(int v) {
        if ((v & (1 << 31)) != 0) {
            nvic.setPending(ExceptionNumbers.NMI, true);
        }
        if ((v & (1 << 28)) != 0) {
            nvic.setPending(ExceptionNumbers.PENDSV, true);
        }
        if ((v & (1 << 27)) != 0) {
            nvic.setPending(ExceptionNumbers.PENDSV, false);
        }
        if ((v & (1 << 26)) != 0) {
            nvic.setPending(ExceptionNumbers.SYSTICK, true);
        }
        if ((v & (1 << 25)) != 0) {
            nvic.setPending(ExceptionNumbers.SYSTICK, false);
        }
    }

    private void writeAircr(int v) {
        if ((v >>> 16) != 0x05FA) {
            return;   // writes without VECTKEY are ignored
        }
        nvic.setPrigroup((v >> 8) & 7);
        if ((v & (1 << 2)) != 0) {
            core.requestSystemReset();
        }
    }

    private int readShcsr() {
        int v = shcsrEnables;
        if (nvic.active(ExceptionNumbers.MEM_MANAGE)) v |= 1;
        if (nvic.active(ExceptionNumbers.BUS_FAULT)) v |= 1 << 1;
        if (nvic.active(ExceptionNumbers.USAGE_FAULT)) v |= 1 << 3;
        if (nvic.active(ExceptionNumbers.SVCALL)) v |= 1 << 7;
        if (nvic.active(ExceptionNumbers.DEBUG_MONITOR)) v |= 1 << 8;
        if (nvic.active(ExceptionNumbers.PENDSV)) v |= 1 << 10;
        if (nvic.active(ExceptionNumbers.SYSTICK)) v |= 1 << 11;
        if (nvic.pending(ExceptionNumbers.USAGE_FAULT)) v |= 1 << 12;
        if (nvic.pending(ExceptionNumbers.MEM_MANAGE)) v |= 1 << 13;
        if (nvic.pending(ExceptionNumbers.BUS_FAULT)) v |= 1 << 14;
        if (nvic.pending(ExceptionNumbers.SVCALL)) v |= 1 << 15;
        return v;
    }

    /** SHCSR enables for the configurable faults; otherwise they escalate to HardFault. */
    public boolean faultEnabled(int exception) {
        return switch (exception) {
            case ExceptionNumbers.MEM_MANAGE -> (shcsrEnables & SHCSR_MEMFAULTENA) != 0;
            case ExceptionNumbers.BUS_FAULT -> (shcsrEnables & SHCSR_BUSFAULTENA) != 0;
            case ExceptionNumbers.USAGE_FAULT -> (shcsrEnables & SHCSR_USGFAULTENA) != 0;
            default -> true;
        };
    }

    /** VTOR at reset: 0, or where the vector table is on a board with nothing mapped at 0. */
    public void resetVectorTable(long address) {
        vtor = (int) address & 0xFFFFFF80;
    }

    public long vtor() {
        return vtor & 0xFFFFFFFFL;
    }

    public int ccr() {
        return ccr;
    }

    /** CP10 and CP11 both granted (privileged or full access): FPU instructions may execute. */
    public boolean fpuAccessEnabled() {
        return cpu.fpu() && ((cpacr >> 20) & 3) != 0 && ((cpacr >> 22) & 3) != 0;
    }

    public boolean traceEnabled() {
        return (demcr & (1 << 24)) != 0;
    }

    public boolean lazyStackingEnabled() {
        return (fpccr & (1 << 30)) != 0;
    }

    public boolean sleepOnExit() {
        return (scr & 2) != 0;
    }

    public void recordFault(int cfsrBits, int hfsrBits, Long faultAddressBus, Long faultAddressMem) {
        cfsr |= cfsrBits;
        hfsr |= hfsrBits;
        if (faultAddressBus != null) {
            bfar = (int) (long) faultAddressBus;
        }
        if (faultAddressMem != null) {
            mmfar = (int) (long) faultAddressMem;
        }
    }

    public int cfsr() {
        return cfsr;
    }

    public int hfsr() {
        return hfsr;
    }

    public int bfar() {
        return bfar;
    }

    /** Connects the core this SCS reports on (IPSR, PC, reset requests, CPACR changes). */
    public void connectCore(CoreStatus core) {
        this.core = core;
    }
}
