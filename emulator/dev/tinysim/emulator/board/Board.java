package dev.tinysim.emulator.board;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A board profile, read from a JSON file in boards/: memory map, core, peripherals and the
 * timing model's parameters. A new board is a new file, not new code.
 *
 * @param name        identifier used on the command line ("nrf52840", "nrf52840-nofpu")
 * @param description one line for `tinysim boards`
 * @param source      where the profile came from (a bundled name or a file path)
 * @param references  the documents the numbers come from
 * @param cpu         the core
 * @param memory      memory regions
 * @param peripherals peripheral instances
 * @param timing      timing-model parameters (name -> value), interpreted by the timing model
 * @param reserved    memory set aside for other software (a BLE stack): "flash" and "ram" bytes
 * @param memorySystem the flash path and caches, or null when the board file gives none (memory is then
 *                    modelled with zero wait states, and every report says so)
 * @param provenance  which file set each field, and the document each number comes from
 */
public record Board(String name, String description, String source, List<String> references, CpuSpec cpu,
                    List<MemoryRegion> memory, List<PeripheralSpec> peripherals, Map<String, Object> timing,
                    Map<String, Long> reserved, MemorySystemSpec memorySystem, Provenance provenance) {

    /**
     * Where a board's fields come from.
     *
     * @param setBy   field path ("memorySystem.flash.waitStates") to the file or bundled board that set it
     * @param sources field path to the document the value comes from, as the board file cites it
     */
    public record Provenance(Map<String, String> setBy, Map<String, String> sources) {
        public static Provenance none() {
            return new Provenance(Map.of(), Map.of());
        }
    }

    /** Whether the board file describes its memory system (else memory is modelled with zero wait states). */
    public boolean memorySystemModelled() {
        return memorySystem != null;
    }

    /** The memory system the machine models: the board's, or zero wait states when it has none. */
    public MemorySystemSpec effectiveMemorySystem() {
        return memorySystem != null ? memorySystem : MemorySystemSpec.zeroWait();
    }

    public Optional<MemoryRegion> region(String regionName) {
        return memory.stream().filter(r -> r.name().equals(regionName)).findFirst();
    }

    /** The first region of a kind: the flash, the RAM. */
    public Optional<MemoryRegion> first(MemoryRegion.Kind kind) {
        return memory.stream().filter(r -> r.kind() == kind).findFirst();
    }

    public MemoryRegion flash() {
        return first(MemoryRegion.Kind.FLASH).orElseThrow();
    }

    public MemoryRegion ram() {
        return first(MemoryRegion.Kind.RAM).orElseThrow();
    }

    public long reservedFlash() {
        return reserved.getOrDefault("flash", 0L);
    }

    public long reservedRam() {
        return reserved.getOrDefault("ram", 0L);
    }

    /** The same board with a different FPU setting (the --no-fpu spelling). */
    public Board withFpu(boolean fpu, String newName) {
        CpuSpec c = new CpuSpec(cpu.core(), fpu, cpu.clockHz(), cpu.cpuid(), cpu.interrupts(), cpu.nvicPriorityBits());
        return new Board(newName, description + (fpu ? "" : " — FPU-less configuration"), source, references, c,
                memory, peripherals, timing, reserved, memorySystem, provenance);
    }

    /** The same board with a region resized: used to measure a program that does not fit. */
    public Board withRegionSize(String regionName, long newSize) {
        List<MemoryRegion> regions = memory.stream()
                .map(r -> r.name().equals(regionName) || regionName.equals(r.aliasOf())
                        ? new MemoryRegion(r.name(), r.kind(), r.base(), newSize, r.aliasOf()) : r)
                .toList();
        return withMemory(regions);
    }

    /** The same board with another memory map (an alias added for an image linked elsewhere). */
    public Board withMemory(List<MemoryRegion> regions) {
        return new Board(name, description, source, references, cpu, List.copyOf(regions), peripherals, timing, reserved,
                memorySystem, provenance);
    }

    /** The same board with another memory system (null: not modelled, zero wait states). */
    public Board withMemorySystem(MemorySystemSpec spec) {
        return new Board(name, description, source, references, cpu, memory, peripherals, timing, reserved, spec, provenance);
    }

    /** The same board with memory reserved for other software (a BLE stack) at the start of flash and RAM. */
    public Board withReserved(long flashBytes, long ramBytes) {
        return new Board(name, description, source, references, cpu, memory, peripherals, timing,
                Map.of("flash", flashBytes, "ram", ramBytes), memorySystem, provenance);
    }
}
