package dev.tinysim.emulator.core;

import dev.tinysim.emulator.engine.Access;
import dev.tinysim.emulator.engine.CpuEngine;
import dev.tinysim.emulator.engine.EngineStop;
import dev.tinysim.emulator.engine.HookHandle;
import dev.tinysim.emulator.engine.HostMemory;
import dev.tinysim.emulator.engine.Hooks;
import dev.tinysim.emulator.engine.MmioHandler;
import dev.tinysim.emulator.engine.Reg;

import java.lang.foreign.MemorySegment;
import java.util.Set;

/**
 * A CPU engine that passes everything to a real one: tests override a method to make the engine
 * behave as another engine (or another version of it) may, where the real one cannot be made to.
 */
class ForwardingEngine implements CpuEngine {
    protected final CpuEngine real;

    ForwardingEngine(CpuEngine real) {
        this.real = real;
    }

    @Override
    public long read(Reg reg) {
        return real.read(reg);
    }

    @Override
    public void write(Reg reg, long value) {
        real.write(reg, value);
    }

    @Override
    public HostMemory mapMemory(long base, long size, Set<Access> permissions) {
        return real.mapMemory(base, size, permissions);
    }

    @Override
    public HostMemory mapAlias(long base, HostMemory target, Set<Access> permissions) {
        return real.mapAlias(base, target, permissions);
    }

    @Override
    public void mapMmio(long base, long size, MmioHandler handler) {
        real.mapMmio(base, size, handler);
    }

    @Override
    public void readMemory(long address, byte[] dst) {
        real.readMemory(address, dst);
    }

    @Override
    public void writeMemory(long address, byte[] src) {
        real.writeMemory(address, src);
    }

    @Override
    public HookHandle onBlock(Hooks.BlockHook hook) {
        return real.onBlock(hook);
    }

    @Override
    public HookHandle onBlockNative(MemorySegment function, MemorySegment userData) {
        return real.onBlockNative(function, userData);
    }

    @Override
    public MemorySegment blockUpcall(Hooks.BlockHook hook) {
        return real.blockUpcall(hook);
    }

    @Override
    public MemorySegment nativeBlockHook() {
        return real.nativeBlockHook();
    }

    @Override
    public HookHandle onInstruction(long begin, long end, Hooks.CodeHook hook) {
        return real.onInstruction(begin, end, hook);
    }

    @Override
    public HookHandle onInterrupt(Hooks.InterruptHook hook) {
        return real.onInterrupt(hook);
    }

    @Override
    public HookHandle onInvalidMemory(Hooks.InvalidMemoryHook hook) {
        return real.onInvalidMemory(hook);
    }

    @Override
    public EngineStop run(long startAddress, long untilAddress) {
        return real.run(startAddress, untilAddress);
    }

    @Override
    public EngineStop runCount(long startAddress, long count) {
        return real.runCount(startAddress, count);
    }

    @Override
    public void stop() {
        real.stop();
    }

    @Override
    public void invalidateCode(long begin, long end) {
        real.invalidateCode(begin, end);
    }

    @Override
    public String description() {
        return real.description();
    }

    @Override
    public void close() {
        real.close();
    }
}
