package dev.tinysim.emulator.core;

import dev.tinysim.emulator.board.MemoryRegion;
import dev.tinysim.emulator.engine.Access;
import dev.tinysim.emulator.engine.CpuEngine;
import dev.tinysim.emulator.engine.MemoryFaultKind;
import dev.tinysim.emulator.engine.Reg;
import dev.tinysim.emulator.sim.AddressSpace;

/**
 * Accesses the engine could not carry out: a CPU store to flash while the flash controller enables
 * writes (NVMC CONFIG.WEN) programs it; anything else becomes the pending fault the core raises once
 * the engine has stopped, with the instruction behind it and a stack overflow told apart from a plain write.
 */
final class InvalidAccesses {
    private final StopState stops;
    private final CurrentBlock position;
    private final CpuEngine engine;
    private final AddressSpace memory;
    /** NVMC CONFIG.WEN: CPU stores to flash program it (bits go 1 to 0) instead of faulting. */
    boolean flashWriteEnabled;

    InvalidAccesses(StopState stops, CurrentBlock position, CpuEngine engine, AddressSpace memory) {
        this.stops = stops;
        this.position = position;
        this.engine = engine;
        this.memory = memory;
    }

    /** The engine's invalid-memory callback: true when the access was carried out here (flash programming). */
    boolean onInvalidMemory(MemoryFaultKind kind, long address, int size, long value) {
        if (kind == MemoryFaultKind.WRITE_PROTECTED && flashWriteEnabled) {
            AddressSpace.Mapping m = memory.find(address, size);
            if (m != null && m.region().kind() == MemoryRegion.Kind.FLASH) {
                programFlash(m, address, size, value);
                return true;
            }
        }
        if (kind == MemoryFaultKind.FETCH_UNMAPPED || kind == MemoryFaultKind.FETCH_PROTECTED) {
            stops.pendingFault = new PendingFault(FaultKind.FETCH_UNMAPPED, address, address, Access.FETCH, "", -1);
            return false;
        }
        int index = position.locateAccess(address);
        long pc = index >= 0 ? position.current().instructions[index].address() : (position.current() == null ? engine.read(Reg.PC) : position.current().address);
        String text = index >= 0 ? position.current().instructions[index].text() : "";
        FaultKind fk = switch (kind) {
            case WRITE_UNMAPPED -> isStackOverflow(address) ? FaultKind.STACK_OVERFLOW : FaultKind.WRITE_UNMAPPED;
            case WRITE_PROTECTED -> FaultKind.WRITE_PROTECTED;
            default -> FaultKind.READ_UNMAPPED;
        };
        stops.pendingFault = new PendingFault(fk, pc, address, kind.access(), text, index);
        return false;
    }

    /** A write just below the start of RAM while SP is there: the stack grew out of RAM. */
    private boolean isStackOverflow(long address) {
        for (AddressSpace.Mapping m : memory.mappings()) {
            if (m.region().kind() == MemoryRegion.Kind.RAM) {
                long base = m.region().base();
                long sp = engine.read(Reg.SP);
                return address < base && address >= base - 0x10000 && sp < base + 0x100;
            }
        }
        return false;
    }

    private void programFlash(AddressSpace.Mapping m, long address, int size, long value) {
        for (int i = 0; i < size; i++) {
            long a = address + i;
            int old = m.memory().read8(a);
            m.memory().write8(a, old & (int) (value >>> (8 * i)) & 0xFF);   // flash bits only go from 1 to 0
        }
        engine.invalidateCode(address & ~3L, (address & ~3L) + 4);
    }
}
