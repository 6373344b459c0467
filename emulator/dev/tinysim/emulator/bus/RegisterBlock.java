package dev.tinysim.emulator.bus;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;

/**
 * Base class for a peripheral described by a register map: each 32-bit register has a name, a
 * read function and a write function. Offsets with no register, and registers declared as
 * known-but-unmodelled, go to the {@link UnmodelledAccessLog}. Byte and halfword accesses
 * read or update the containing 32-bit register.
 */
public abstract class RegisterBlock implements Peripheral {
    private record Register(String name, IntSupplier read, IntConsumer write) {
    }

    private final String name;
    private final long base;
    private final UnmodelledAccessLog unmodelled;
    private final Map<Integer, Register> registers = new HashMap<>();
    private final Map<Integer, String> knownNames = new HashMap<>();

    protected RegisterBlock(String name, long base, UnmodelledAccessLog unmodelled) {
        this.name = name;
        this.base = base;
        this.unmodelled = unmodelled;
    }

    @Override
    public String name() {
        return name;
    }

    public long base() {
        return base;
    }

    /** A read/write register. */
    protected final void register(int offset, String regName, IntSupplier read, IntConsumer write) {
        registers.put(offset, new Register(regName, read, write));
    }

    /** A read-only register: writes are ignored (as on silicon). */
    protected final void readOnly(int offset, String regName, IntSupplier read) {
        registers.put(offset, new Register(regName, read, v -> { }));
    }

    /** A task register: writing 1 triggers the action; reads return 0. */
    protected final void task(int offset, String regName, Runnable action) {
        registers.put(offset, new Register(regName, () -> 0, v -> {
            if ((v & 1) != 0) {
                action.run();
            }
        }));
    }

    /** A plain storage register with no side effects. Returns the backing cell. */
    protected final int[] storage(int offset, String regName, int resetValue) {
        int[] cell = {resetValue};
        registers.put(offset, new Register(regName, () -> cell[0], v -> cell[0] = v));
        return cell;
    }

    /** Names a register that exists on the chip but is not modelled, so logs can name it. */
    protected final void unmodelledRegister(int offset, String regName) {
        knownNames.put(offset, regName);
    }

    @Override
    public long read(int offset, int size) {
        int aligned = offset & ~3;
        Register r = registers.get(aligned);
        if (r == null) {
            unmodelled.record(name, knownNames.get(aligned), base + offset, false, 0);
            return 0;
        }
        int word = r.read.getAsInt();
        int shift = (offset & 3) * 8;
        long value = (word & 0xFFFFFFFFL) >>> shift;
        return size == 4 ? value : value & ((1L << (size * 8)) - 1);
    }

    @Override
    public void write(int offset, int size, long value) {
        int aligned = offset & ~3;
        Register r = registers.get(aligned);
        if (r == null) {
            unmodelled.record(name, knownNames.get(aligned), base + offset, true, value);
            return;
        }
        if (size == 4) {
            r.write.accept((int) value);
            return;
        }
        int shift = (offset & 3) * 8;
        int mask = (int) (((1L << (size * 8)) - 1) << shift);
        int old = r.read.getAsInt();
        r.write.accept((old & ~mask) | (((int) value << shift) & mask));
    }
}
