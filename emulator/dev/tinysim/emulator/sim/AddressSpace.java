package dev.tinysim.emulator.sim;

import dev.tinysim.emulator.board.MemoryRegion;
import dev.tinysim.emulator.engine.HostMemory;

import java.util.ArrayList;
import java.util.List;

/**
 * The machine's RAM-backed memory (flash, RAM and aliases) as the project sees it: direct access
 * to host memory for semihosting, exception stacking, DMA and stack painting, without going
 * through the engine.
 */
public final class AddressSpace {
    /** A mapped region and the host bytes behind it. */
    public record Mapping(MemoryRegion region, HostMemory memory) {
    }

    private final List<Mapping> mappings = new ArrayList<>();
    private Mapping last;

    public void add(MemoryRegion region, HostMemory memory) {
        mappings.add(new Mapping(region, memory));
    }

    public List<Mapping> mappings() {
        return List.copyOf(mappings);
    }

    /** The kind of memory behind a mapping: an alias has the kind of the region it shows (RAM if that is unmapped). */
    public MemoryRegion.Kind backingKind(Mapping m) {
        if (m.region().kind() != MemoryRegion.Kind.ALIAS) {
            return m.region().kind();
        }
        for (Mapping other : mappings) {
            if (other.region().name().equals(m.region().aliasOf())) {
                return other.region().kind();
            }
        }
        return MemoryRegion.Kind.RAM;
    }

    /** The mapping holding [address, address + length), or null. */
    public Mapping find(long address, long length) {
        Mapping l = last;
        if (l != null && l.memory.contains(address, length)) {
            return l;
        }
        for (Mapping m : mappings) {
            if (m.memory.contains(address, length)) {
                last = m;
                return m;
            }
        }
        return null;
    }

    public boolean mapped(long address, long length) {
        return find(address, length) != null;
    }

    private HostMemory at(long address, long length) {
        Mapping m = find(address, length);
        if (m == null) {
            throw new MemoryAccessException(address, String.format("no memory at 0x%08x (%d bytes)", address, length));
        }
        return m.memory;
    }

    public int read8(long address) {
        return at(address, 1).read8(address);
    }

    public int read16(long address) {
        return at(address, 2).read16(address);
    }

    public long read32(long address) {
        return at(address, 4).read32(address) & 0xFFFFFFFFL;
    }

    public void write32(long address, long value) {
        at(address, 4).write32(address, (int) value);
    }

    public void write8(long address, int value) {
        at(address, 1).write8(address, value);
    }

    public byte[] read(long address, int length) {
        byte[] out = new byte[length];
        if (length > 0) {
            at(address, length).read(address, out, 0, length);
        }
        return out;
    }

    public void write(long address, byte[] data) {
        if (data.length > 0) {
            at(address, data.length).write(address, data, 0, data.length);
        }
    }

    /** Reads a NUL-terminated string of at most {@code max} bytes. */
    public String readCString(long address, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < max; i++) {
            int b = read8(address + i);
            if (b == 0) {
                break;
            }
            sb.append((char) b);
        }
        return sb.toString();
    }
}
