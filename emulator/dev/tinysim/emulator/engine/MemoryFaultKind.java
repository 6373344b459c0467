package dev.tinysim.emulator.engine;

/** Why a memory access failed. */
public enum MemoryFaultKind {
    READ_UNMAPPED(Access.READ), WRITE_UNMAPPED(Access.WRITE), FETCH_UNMAPPED(Access.FETCH),
    READ_PROTECTED(Access.READ), WRITE_PROTECTED(Access.WRITE), FETCH_PROTECTED(Access.FETCH);

    private final Access access;

    MemoryFaultKind(Access access) {
        this.access = access;
    }

    public Access access() {
        return access;
    }

    public boolean unmapped() {
        return this == READ_UNMAPPED || this == WRITE_UNMAPPED || this == FETCH_UNMAPPED;
    }
}
