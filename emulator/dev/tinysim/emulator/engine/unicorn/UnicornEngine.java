package dev.tinysim.emulator.engine.unicorn;

import dev.tinysim.emulator.engine.Access;
import dev.tinysim.emulator.engine.CpuEngine;
import dev.tinysim.emulator.engine.CpuTrap;
import dev.tinysim.emulator.engine.EngineException;
import dev.tinysim.emulator.engine.EngineStop;
import dev.tinysim.emulator.engine.HookHandle;
import dev.tinysim.emulator.engine.Hooks;
import dev.tinysim.emulator.engine.HostMemory;
import dev.tinysim.emulator.engine.MemoryFaultKind;
import dev.tinysim.emulator.engine.MmioHandler;
import dev.tinysim.emulator.engine.Reg;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@link CpuEngine} on Unicorn 2 (libunicorn.so.2) through java.lang.foreign, configured as an
 * Arm Cortex-M4 (Thumb, M-class, CPU model set explicitly: Unicorn's M-class default is the
 * Cortex-M33). All native memory — emulated RAM, upcall stubs, scratch buffers — belongs to one
 * arena that {@link #close()} frees together with the Unicorn instance.
 */
public final class UnicornEngine implements CpuEngine {
    // Unicorn 2.0.1 constants (unicorn/unicorn.h, unicorn/arm.h). They stay in this class.
    private static final int UC_ARCH_ARM = 1;
    private static final int UC_MODE_THUMB = 1 << 4;
    private static final int UC_MODE_MCLASS = 1 << 5;
    private static final int UC_CPU_ARM_CORTEX_M4 = 9;
    private static final int UC_CTL_CPU_MODEL = 7;
    private static final int UC_CTL_TB_REMOVE_CACHE = 9;
    private static final int UC_CTL_IO_WRITE = 1;
    private static final int UC_PROT_READ = 1;
    private static final int UC_PROT_WRITE = 2;
    private static final int UC_PROT_EXEC = 4;
    private static final int UC_HOOK_INTR = 1;
    private static final int UC_HOOK_CODE = 1 << 2;
    private static final int UC_HOOK_BLOCK = 1 << 3;
    private static final int UC_HOOK_MEM_INVALID = (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 8) | (1 << 9);
    private static final int UC_MEM_READ_UNMAPPED = 19;
    private static final int UC_ERR_READ_UNMAPPED = 6;
    private static final int UC_ERR_WRITE_UNMAPPED = 7;
    private static final int UC_ERR_FETCH_UNMAPPED = 8;
    private static final int UC_ERR_INSN_INVALID = 10;
    private static final int UC_ERR_WRITE_PROT = 12;
    private static final int UC_ERR_READ_PROT = 13;
    private static final int UC_ERR_FETCH_PROT = 14;
    private static final int UC_ERR_EXCEPTION = 21;
    // QEMU's ARM exception numbers as Unicorn passes them to UC_HOOK_INTR (target/arm/cpu.h).
    private static final int EXCP_UDEF = 1, EXCP_SWI = 2, EXCP_PREFETCH_ABORT = 3, EXCP_DATA_ABORT = 4,
            EXCP_BKPT = 7, EXCP_EXCEPTION_EXIT = 8, EXCP_NOCP = 17, EXCP_INVSTATE = 18, EXCP_UNALIGNED = 22;

    private static final Map<Reg, Integer> REG_IDS = registerIds();
    private static final MemoryFaultKind[] FAULT_KINDS = {
        MemoryFaultKind.READ_UNMAPPED, MemoryFaultKind.WRITE_UNMAPPED, MemoryFaultKind.FETCH_UNMAPPED,
        MemoryFaultKind.WRITE_PROTECTED, MemoryFaultKind.READ_PROTECTED, MemoryFaultKind.FETCH_PROTECTED};

    private static final MethodHandle BLOCK_TARGET;
    private static final MethodHandle INTR_TARGET;
    private static final MethodHandle MEM_INVALID_TARGET;
    private static final MethodHandle MMIO_READ_TARGET;
    private static final MethodHandle MMIO_WRITE_TARGET;
    private static final FunctionDescriptor CODE_HOOK_FD = FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS);
    private static final FunctionDescriptor INTR_HOOK_FD = FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, ADDRESS);
    private static final FunctionDescriptor MEM_EVENT_FD =
            FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS);
    private static final FunctionDescriptor MMIO_READ_FD = FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS);
    private static final FunctionDescriptor MMIO_WRITE_FD = FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS);

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            BLOCK_TARGET = l.findVirtual(BlockAdapter.class, "call",
                    MethodType.methodType(void.class, MemorySegment.class, long.class, int.class, MemorySegment.class));
            INTR_TARGET = l.findVirtual(UnicornEngine.class, "interruptUpcall",
                    MethodType.methodType(void.class, MemorySegment.class, int.class, MemorySegment.class));
            MEM_INVALID_TARGET = l.findVirtual(UnicornEngine.class, "invalidMemoryUpcall",
                    MethodType.methodType(boolean.class, MemorySegment.class, int.class, long.class, int.class, long.class, MemorySegment.class));
            MMIO_READ_TARGET = l.findVirtual(MmioAdapter.class, "read",
                    MethodType.methodType(long.class, MemorySegment.class, long.class, int.class, MemorySegment.class));
            MMIO_WRITE_TARGET = l.findVirtual(MmioAdapter.class, "write",
                    MethodType.methodType(void.class, MemorySegment.class, long.class, int.class, long.class, MemorySegment.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final UnicornNative lib;
    private final Arena arena;
    private final MemorySegment uc;
    private final MemorySegment scratch;
    private final List<HostMemory> memories = new ArrayList<>();
    private final List<Hooks.InterruptHook> interruptHooks = new ArrayList<>();
    private final List<Hooks.InvalidMemoryHook> invalidMemoryHooks = new ArrayList<>();
    private boolean interruptHookInstalled;
    private boolean invalidMemoryHookInstalled;
    /** First exception thrown inside an upcall during the current run; rethrown by run(). */
    private Throwable upcallFailure;
    private boolean closed;

    private UnicornEngine(UnicornNative lib, Arena arena, MemorySegment uc) {
        this.lib = lib;
        this.arena = arena;
        this.uc = uc;
        this.scratch = arena.allocate(16, 8);
    }

    /** Opens a new Unicorn instance configured as a Cortex-M4. */
    public static UnicornEngine openCortexM4() {
        UnicornNative lib = UnicornNative.get();
        Arena arena = Arena.ofShared();
        try {
            MemorySegment handle = arena.allocate(ADDRESS);
            check(lib, (int) lib.open.invokeExact(UC_ARCH_ARM, UC_MODE_THUMB | UC_MODE_MCLASS, handle), "uc_open");
            MemorySegment uc = handle.get(ADDRESS, 0);
            UnicornEngine engine = new UnicornEngine(lib, arena, uc);
            try {
                int ctl = UC_CTL_CPU_MODEL | (1 << 26) | (UC_CTL_IO_WRITE << 30);
                check(lib, (int) lib.ctlCpuModel.invokeExact(uc, ctl, UC_CPU_ARM_CORTEX_M4), "uc_ctl(CPU_MODEL=Cortex-M4)");
            } catch (Throwable t) {
                engine.close();
                throw t;
            }
            return engine;
        } catch (EngineException e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            arena.close();
            throw new EngineException("cannot open Unicorn: " + t.getMessage(), t);
        }
    }

    private static Map<Reg, Integer> registerIds() {
        Map<Reg, Integer> m = new EnumMap<>(Reg.class);
        for (int i = 0; i <= 12; i++) {
            m.put(Reg.core(i), 66 + i);             // UC_ARM_REG_R0 = 66
        }
        m.put(Reg.SP, 12);
        m.put(Reg.LR, 10);
        m.put(Reg.PC, 11);
        m.put(Reg.APSR, 1);
        m.put(Reg.FPSCR, 6);
        m.put(Reg.IPSR, 114);
        m.put(Reg.MSP, 115);
        m.put(Reg.PSP, 116);
        m.put(Reg.CONTROL, 117);
        m.put(Reg.XPSR, 120);
        m.put(Reg.PRIMASK, 123);
        m.put(Reg.BASEPRI, 124);
        m.put(Reg.FAULTMASK, 126);
        for (int i = 0; i < 32; i++) {
            m.put(Reg.single(i), 79 + i);           // UC_ARM_REG_S0 = 79
        }
        return m;
    }

    private static void check(UnicornNative lib, int err, String what) {
        if (err != 0) {
            throw new EngineException(what + " failed: " + lib.errorText(err));
        }
    }

    private void check(int err, String what) {
        check(lib, err, what);
    }

    private void ensureOpen() {
        if (closed) {
            throw new EngineException("the engine is closed");
        }
    }

    @Override
    public long read(Reg reg) {
        try {
            check((int) lib.regRead.invokeExact(uc, (int) REG_IDS.get(reg), scratch), "uc_reg_read(" + reg + ")");
        } catch (EngineException e) {
            throw e;
        } catch (Throwable t) {
            throw new EngineException("uc_reg_read failed", t);
        }
        return scratch.get(JAVA_INT, 0) & 0xFFFFFFFFL;
    }

    @Override
    public void write(Reg reg, long value) {
        scratch.set(JAVA_INT, 0, (int) value);
        try {
            check((int) lib.regWrite.invokeExact(uc, (int) REG_IDS.get(reg), scratch), "uc_reg_write(" + reg + ")");
        } catch (EngineException e) {
            throw e;
        } catch (Throwable t) {
            throw new EngineException("uc_reg_write failed", t);
        }
    }

    @Override
    public HostMemory mapMemory(long base, long size, Set<Access> permissions) {
        ensureOpen();
        return mapSegment(base, arena.allocate(size, 4096), permissions);
    }

    @Override
    public HostMemory mapAlias(long base, HostMemory target, Set<Access> permissions) {
        ensureOpen();
        return mapSegment(base, target.segment(), permissions);
    }

    private HostMemory mapSegment(long base, MemorySegment bytes, Set<Access> permissions) {
        long size = bytes.byteSize();
        int perms = (permissions.contains(Access.READ) ? UC_PROT_READ : 0)
                | (permissions.contains(Access.WRITE) ? UC_PROT_WRITE : 0)
                | (permissions.contains(Access.FETCH) ? UC_PROT_EXEC : 0);
        try {
            check((int) lib.memMapPtr.invokeExact(uc, base, size, perms, bytes),
                    String.format("uc_mem_map_ptr(0x%08x, %d bytes)", base, size));
        } catch (EngineException e) {
            throw e;
        } catch (Throwable t) {
            throw new EngineException("uc_mem_map_ptr failed", t);
        }
        HostMemory m = new HostMemory(base, bytes);
        memories.add(m);
        return m;
    }

    @Override
    public void mapMmio(long base, long size, MmioHandler handler) {
        ensureOpen();
        MmioAdapter adapter = new MmioAdapter(this, handler);
        Linker linker = Linker.nativeLinker();
        MemorySegment readStub = linker.upcallStub(MMIO_READ_TARGET.bindTo(adapter), MMIO_READ_FD, arena);
        MemorySegment writeStub = linker.upcallStub(MMIO_WRITE_TARGET.bindTo(adapter), MMIO_WRITE_FD, arena);
        try {
            check((int) lib.mmioMap.invokeExact(uc, base, size, readStub, MemorySegment.NULL, writeStub, MemorySegment.NULL),
                    String.format("uc_mmio_map(0x%08x, %d bytes)", base, size));
        } catch (EngineException e) {
            throw e;
        } catch (Throwable t) {
            throw new EngineException("uc_mmio_map failed", t);
        }
    }

    @Override
    public void readMemory(long address, byte[] dst) {
        for (HostMemory m : memories) {
            if (m.contains(address, dst.length)) {
                m.read(address, dst, 0, dst.length);
                return;
            }
        }
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment buf = tmp.allocate(Math.max(1, dst.length));
            check((int) lib.memRead.invokeExact(uc, address, buf, (long) dst.length),
                    String.format("uc_mem_read(0x%08x, %d bytes)", address, dst.length));
            MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, dst, 0, dst.length);
        } catch (EngineException e) {
            throw e;
        } catch (Throwable t) {
            throw new EngineException("uc_mem_read failed", t);
        }
    }

    @Override
    public void writeMemory(long address, byte[] src) {
        for (HostMemory m : memories) {
            if (m.contains(address, src.length)) {
                m.write(address, src, 0, src.length);
                return;
            }
        }
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment buf = tmp.allocate(Math.max(1, src.length));
            MemorySegment.copy(src, 0, buf, ValueLayout.JAVA_BYTE, 0, src.length);
            check((int) lib.memWrite.invokeExact(uc, address, buf, (long) src.length),
                    String.format("uc_mem_write(0x%08x, %d bytes)", address, src.length));
        } catch (EngineException e) {
            throw e;
        } catch (Throwable t) {
            throw new EngineException("uc_mem_write failed", t);
        }
    }

    @Override
    public HookHandle onBlock(Hooks.BlockHook hook) {
        BlockAdapter adapter = new BlockAdapter(this, hook::onBlock);
        MemorySegment stub = Linker.nativeLinker().upcallStub(BLOCK_TARGET.bindTo(adapter), CODE_HOOK_FD, arena);
        return addHook(UC_HOOK_BLOCK, stub, 1, 0);
    }

    @Override
    public HookHandle onBlockNative(MemorySegment function, MemorySegment userData) {
        return addHook(UC_HOOK_BLOCK, function, userData, 1, 0);
    }

    @Override
    public MemorySegment blockUpcall(Hooks.BlockHook hook) {
        BlockAdapter adapter = new BlockAdapter(this, hook);
        return Linker.nativeLinker().upcallStub(BLOCK_TARGET.bindTo(adapter), CODE_HOOK_FD, arena);
    }

    /** {@link NativeBlockHook}: block_hook.c compiled for Unicorn's uc_cb_hookcode_t, loaded once per JVM. */
    @Override
    public MemorySegment nativeBlockHook() {
        return NativeBlockHook.function();
    }

    @Override
    public HookHandle onInstruction(long begin, long end, Hooks.CodeHook hook) {
        BlockAdapter adapter = new BlockAdapter(this, hook::onInstruction);
        MemorySegment stub = Linker.nativeLinker().upcallStub(BLOCK_TARGET.bindTo(adapter), CODE_HOOK_FD, arena);
        return addHook(UC_HOOK_CODE, stub, begin, end);
    }

    @Override
    public HookHandle onInterrupt(Hooks.InterruptHook hook) {
        interruptHooks.add(hook);
        if (!interruptHookInstalled) {
            MemorySegment stub = Linker.nativeLinker().upcallStub(INTR_TARGET.bindTo(this), INTR_HOOK_FD, arena);
            addHook(UC_HOOK_INTR, stub, 1, 0);
            interruptHookInstalled = true;
        }
        return () -> interruptHooks.remove(hook);
    }

    @Override
    public HookHandle onInvalidMemory(Hooks.InvalidMemoryHook hook) {
        invalidMemoryHooks.add(hook);
        if (!invalidMemoryHookInstalled) {
            MemorySegment stub = Linker.nativeLinker().upcallStub(MEM_INVALID_TARGET.bindTo(this), MEM_EVENT_FD, arena);
            addHook(UC_HOOK_MEM_INVALID, stub, 1, 0);
            invalidMemoryHookInstalled = true;
        }
        return () -> invalidMemoryHooks.remove(hook);
    }

    private HookHandle addHook(int type, MemorySegment stub, long begin, long end) {
        return addHook(type, stub, MemorySegment.NULL, begin, end);
    }

    private HookHandle addHook(int type, MemorySegment stub, MemorySegment userData, long begin, long end) {
        ensureOpen();
        MemorySegment handle = arena.allocate(JAVA_LONG);
        try {
            check((int) lib.hookAdd.invokeExact(uc, handle, type, stub, userData, begin, end), "uc_hook_add");
        } catch (EngineException e) {
            throw e;
        } catch (Throwable t) {
            throw new EngineException("uc_hook_add failed", t);
        }
        long id = handle.get(JAVA_LONG, 0);
        return new HookHandle() {
            private boolean removed;

            @Override
            public void close() {
                if (removed || closed) {
                    return;
                }
                removed = true;
                try {
                    check((int) lib.hookDel.invokeExact(uc, id), "uc_hook_del");
                } catch (EngineException e) {
                    throw e;
                } catch (Throwable t) {
                    throw new EngineException("uc_hook_del failed", t);
                }
            }
        };
    }

    @Override
    public EngineStop run(long startAddress, long untilAddress) {
        return start(startAddress, untilAddress, 0);
    }

    @Override
    public EngineStop runCount(long startAddress, long count) {
        return start(startAddress, 0xFFFFFFFFL, count);
    }

    private EngineStop start(long startAddress, long untilAddress, long count) {
        ensureOpen();
        upcallFailure = null;
        int err;
        try {
            err = (int) lib.emuStart.invokeExact(uc, startAddress | 1, untilAddress, 0L, count);
        } catch (Throwable t) {
            throw new EngineException("uc_emu_start failed", t);
        }
        if (upcallFailure != null) {
            Throwable f = upcallFailure;
            upcallFailure = null;
            if (f instanceof RuntimeException re) {
                throw re;
            }
            if (f instanceof Error e) {
                throw e;
            }
            throw new EngineException("hook failed: " + f, f);
        }
        EngineStop.Kind kind = switch (err) {
            case 0 -> EngineStop.Kind.STOPPED;
            case UC_ERR_READ_UNMAPPED -> EngineStop.Kind.READ_UNMAPPED;
            case UC_ERR_WRITE_UNMAPPED -> EngineStop.Kind.WRITE_UNMAPPED;
            case UC_ERR_FETCH_UNMAPPED -> EngineStop.Kind.FETCH_UNMAPPED;
            case UC_ERR_READ_PROT -> EngineStop.Kind.READ_PROTECTED;
            case UC_ERR_WRITE_PROT -> EngineStop.Kind.WRITE_PROTECTED;
            case UC_ERR_FETCH_PROT -> EngineStop.Kind.FETCH_PROTECTED;
            case UC_ERR_INSN_INVALID -> EngineStop.Kind.INVALID_INSTRUCTION;
            case UC_ERR_EXCEPTION -> EngineStop.Kind.UNHANDLED_EXCEPTION;
            default -> EngineStop.Kind.OTHER_ERROR;
        };
        return new EngineStop(kind, lib.errorText(err));
    }

    @Override
    public void stop() {
        try {
            int err = (int) lib.emuStop.invokeExact(uc);
            check(err, "uc_emu_stop");
        } catch (EngineException e) {
            throw e;
        } catch (Throwable t) {
            throw new EngineException("uc_emu_stop failed", t);
        }
    }

    @Override
    public void invalidateCode(long begin, long end) {
        int ctl = UC_CTL_TB_REMOVE_CACHE | (2 << 26) | (UC_CTL_IO_WRITE << 30);
        try {
            check((int) lib.ctlRemoveCache.invokeExact(uc, ctl, begin, end), "uc_ctl(TB_REMOVE_CACHE)");
        } catch (EngineException e) {
            throw e;
        } catch (Throwable t) {
            throw new EngineException("uc_ctl failed", t);
        }
    }

    @Override
    public String description() {
        return lib.versionText() + " (" + lib.libraryName + "), Cortex-M4";
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            int err = (int) lib.close.invokeExact(uc);
            check(err, "uc_close");
        } catch (EngineException e) {
            throw e;
        } catch (Throwable t) {
            throw new EngineException("uc_close failed", t);
        } finally {
            arena.close();
        }
    }

    /** Records a hook's failure and stops the engine: an exception must never unwind into native code. */
    void failFromUpcall(Throwable t) {
        if (upcallFailure == null) {
            upcallFailure = t;
        }
        try {
            lib.emuStop.invokeExact(uc);
        } catch (Throwable ignored) {
            // already stopping
        }
    }

    @SuppressWarnings("unused") // called from native code
    private void interruptUpcall(MemorySegment ucArg, int intno, MemorySegment user) {
        try {
            CpuTrap trap = switch (intno) {
                case EXCP_BKPT -> CpuTrap.BREAKPOINT;
                case EXCP_SWI -> CpuTrap.SUPERVISOR_CALL;
                case EXCP_EXCEPTION_EXIT -> CpuTrap.EXCEPTION_RETURN;
                case EXCP_PREFETCH_ABORT -> CpuTrap.PREFETCH_ABORT;
                case EXCP_DATA_ABORT -> CpuTrap.DATA_ABORT;
                case EXCP_UDEF -> CpuTrap.UNDEFINED_INSTRUCTION;
                case EXCP_NOCP -> CpuTrap.NO_COPROCESSOR;
                case EXCP_INVSTATE -> CpuTrap.INVALID_STATE;
                case EXCP_UNALIGNED -> CpuTrap.UNALIGNED;
                default -> CpuTrap.OTHER;
            };
            if (interruptHooks.isEmpty()) {
                stop();
                return;
            }
            for (Hooks.InterruptHook h : List.copyOf(interruptHooks)) {
                h.onInterrupt(trap);
            }
        } catch (Throwable t) {
            failFromUpcall(t);
        }
    }

    @SuppressWarnings("unused") // called from native code
    private boolean invalidMemoryUpcall(MemorySegment ucArg, int type, long address, int size, long value, MemorySegment user) {
        try {
            int index = type - UC_MEM_READ_UNMAPPED;
            MemoryFaultKind kind = index >= 0 && index < FAULT_KINDS.length ? FAULT_KINDS[index] : MemoryFaultKind.READ_UNMAPPED;
            for (Hooks.InvalidMemoryHook h : invalidMemoryHooks) {
                if (h.onInvalidAccess(kind, address, size, value)) {
                    return true;
                }
            }
            return false;
        } catch (Throwable t) {
            failFromUpcall(t);
            return false;
        }
    }

    /** Adapts a Java block/code hook to Unicorn's uc_cb_hookcode_t. */
    private static final class BlockAdapter {
        private final UnicornEngine engine;
        private final Hooks.BlockHook target;

        BlockAdapter(UnicornEngine engine, Hooks.BlockHook target) {
            this.engine = engine;
            this.target = target;
        }

        @SuppressWarnings("unused") // called from native code
        void call(MemorySegment uc, long address, int size, MemorySegment user) {
            try {
                target.onBlock(address, size);
            } catch (Throwable t) {
                engine.failFromUpcall(t);
            }
        }
    }

    /** Adapts an {@link MmioHandler} to Unicorn's MMIO callbacks. */
    private static final class MmioAdapter {
        private final UnicornEngine engine;
        private final MmioHandler handler;

        MmioAdapter(UnicornEngine engine, MmioHandler handler) {
            this.engine = engine;
            this.handler = handler;
        }

        @SuppressWarnings("unused") // called from native code
        long read(MemorySegment uc, long offset, int size, MemorySegment user) {
            try {
                return handler.read(offset, size);
            } catch (Throwable t) {
                engine.failFromUpcall(t);
                return 0;
            }
        }

        @SuppressWarnings("unused") // called from native code
        void write(MemorySegment uc, long offset, int size, long value, MemorySegment user) {
            try {
                handler.write(offset, size, value);
            } catch (Throwable t) {
                engine.failFromUpcall(t);
            }
        }
    }
}
