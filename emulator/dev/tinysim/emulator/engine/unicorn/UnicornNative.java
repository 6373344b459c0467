package dev.tinysim.emulator.engine.unicorn;

import dev.tinysim.emulator.engine.EngineException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The C functions of libunicorn.so.2 (Unicorn 2), bound once per JVM with java.lang.foreign.
 * The library is found through the system property {@code tinysim.unicorn.library}, the
 * environment variable {@code TINYSIM_UNICORN_LIBRARY}, or the dynamic linker's search for
 * {@code libunicorn.so.2}.
 */
final class UnicornNative {
    static final String DEFAULT_LIBRARY = "libunicorn.so.2";

    final MethodHandle open;        // uc_err uc_open(uc_arch, uc_mode, uc_engine**)
    final MethodHandle close;       // uc_err uc_close(uc_engine*)
    final MethodHandle strerror;    // const char* uc_strerror(uc_err)
    final MethodHandle version;     // unsigned uc_version(unsigned*, unsigned*)
    final MethodHandle ctlCpuModel; // uc_err uc_ctl(uc, control, int model)
    final MethodHandle ctlRemoveCache; // uc_err uc_ctl(uc, control, uint64 begin, uint64 end)
    final MethodHandle regRead;     // uc_err uc_reg_read(uc, int regid, void*)
    final MethodHandle regWrite;    // uc_err uc_reg_write(uc, int regid, const void*)
    final MethodHandle memMapPtr;   // uc_err uc_mem_map_ptr(uc, uint64 addr, size_t size, uint32 perms, void* ptr)
    final MethodHandle mmioMap;     // uc_err uc_mmio_map(uc, addr, size, read_cb, read_ud, write_cb, write_ud)
    final MethodHandle memRead;     // uc_err uc_mem_read(uc, addr, void*, size_t)
    final MethodHandle memWrite;    // uc_err uc_mem_write(uc, addr, const void*, size_t)
    final MethodHandle hookAdd;     // uc_err uc_hook_add(uc, uc_hook*, int type, void* cb, void* ud, uint64 begin, uint64 end, ...)
    final MethodHandle hookDel;     // uc_err uc_hook_del(uc, uc_hook)
    final MethodHandle emuStart;    // uc_err uc_emu_start(uc, uint64 begin, uint64 until, uint64 timeout, size_t count)
    final MethodHandle emuStop;     // uc_err uc_emu_stop(uc)

    final String libraryName;

    private static volatile UnicornNative instance;

    static UnicornNative get() {
        UnicornNative n = instance;
        if (n == null) {
            synchronized (UnicornNative.class) {
                n = instance;
                if (n == null) {
                    n = new UnicornNative(libraryPath());
                    instance = n;
                }
            }
        }
        return n;
    }

    static String libraryPath() {
        String p = System.getProperty("tinysim.unicorn.library");
        if (p == null || p.isBlank()) {
            p = System.getenv("TINYSIM_UNICORN_LIBRARY");
        }
        return p == null || p.isBlank() ? DEFAULT_LIBRARY : p;
    }

    private UnicornNative(String library) {
        this.libraryName = library;
        SymbolLookup lookup;
        try {
            boolean isPath = library.contains("/");
            if (isPath && !Files.isReadable(Path.of(library))) {
                throw new EngineException("Unicorn library " + library + " does not exist or is not readable");
            }
            lookup = isPath ? SymbolLookup.libraryLookup(Path.of(library), Arena.global())
                    : SymbolLookup.libraryLookup(library, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new EngineException("cannot load the Unicorn 2 library '" + library
                    + "': install it with 'apt-get install libunicorn2' or set TINYSIM_UNICORN_LIBRARY to its path", e);
        }
        Linker linker = Linker.nativeLinker();
        open = bind(linker, lookup, "uc_open", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        close = bind(linker, lookup, "uc_close", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        strerror = bind(linker, lookup, "uc_strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        version = bind(linker, lookup, "uc_version", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        ctlCpuModel = linker.downcallHandle(find(lookup, "uc_ctl"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
        ctlRemoveCache = linker.downcallHandle(find(lookup, "uc_ctl"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(2));
        regRead = bind(linker, lookup, "uc_reg_read", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS),
                Linker.Option.critical(true));
        regWrite = bind(linker, lookup, "uc_reg_write", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS),
                Linker.Option.critical(true));
        memMapPtr = bind(linker, lookup, "uc_mem_map_ptr",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS));
        mmioMap = bind(linker, lookup, "uc_mmio_map",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        memRead = bind(linker, lookup, "uc_mem_read", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
        memWrite = bind(linker, lookup, "uc_mem_write", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
        hookAdd = linker.downcallHandle(find(lookup, "uc_hook_add"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(7));
        hookDel = bind(linker, lookup, "uc_hook_del", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        emuStart = bind(linker, lookup, "uc_emu_start",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
        emuStop = bind(linker, lookup, "uc_emu_stop", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    private static MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(
                () -> new EngineException("the Unicorn library has no symbol " + name + ": is it Unicorn 2?"));
    }

    private static MethodHandle bind(Linker linker, SymbolLookup lookup, String name, FunctionDescriptor fd,
                                     Linker.Option... options) {
        return linker.downcallHandle(find(lookup, name), fd, options);
    }

    /** uc_strerror's text for an error code. */
    String errorText(int code) {
        try {
            MemorySegment s = (MemorySegment) strerror.invokeExact(code);
            return s.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return "Unicorn error " + code;
        }
    }

    String versionText() {
        try {
            int v = (int) version.invokeExact(MemorySegment.NULL, MemorySegment.NULL);
            // Unicorn 2 packs major.minor.patch as bytes 3, 2 and 1 of the result.
            return "Unicorn " + ((v >>> 24) & 0xFF) + "." + ((v >>> 16) & 0xFF) + "." + ((v >>> 8) & 0xFF);
        } catch (Throwable t) {
            return "Unicorn";
        }
    }

    static final ValueLayout.OfLong UC_HOOK = JAVA_LONG;
}
