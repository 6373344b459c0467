package dev.tinysim.emulator.core;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * The native block hook: machine code compiled from emulator/native/block_hook.c (x86-64 SysV,
 * position-independent, no relocations) placed once per JVM in an executable page. Unicorn calls
 * it for every block; it accounts the block from the table the Java side published, and jumps to
 * the Java slow path for anything else. Unavailable (null) on other architectures, or when
 * TINYSIM_NATIVE_HOOK=0 / -Dtinysim.nativeHook=false asks for the pure Java path.
 */
final class NativeBlockHook {
    /** gen-block-hook.sh output for block_hook.c (gcc 12.2, -O2). NativeBlockHookTest keeps it in sync. */
    static final byte[] CODE = {
        (byte) 0x48, (byte) 0x89, (byte) 0xf0, (byte) 0x49, (byte) 0x89, (byte) 0xf8, (byte) 0x41, (byte) 0x89, (byte) 0xd1, (byte) 0x48, (byte) 0x2b, (byte) 0x41,
        (byte) 0x60, (byte) 0x48, (byte) 0x3b, (byte) 0x41, (byte) 0x68, (byte) 0x0f, (byte) 0x83, (byte) 0xc9, (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0x48,
        (byte) 0x8b, (byte) 0x51, (byte) 0x70, (byte) 0x48, (byte) 0xd1, (byte) 0xe8, (byte) 0x48, (byte) 0x8b, (byte) 0x3c, (byte) 0xc2, (byte) 0x48, (byte) 0xb8,
        (byte) 0xff, (byte) 0xff, (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0xc0, (byte) 0x48, (byte) 0x21, (byte) 0xf8, (byte) 0x45,
        (byte) 0x89, (byte) 0xca, (byte) 0x4c, (byte) 0x89, (byte) 0xd2, (byte) 0x48, (byte) 0x0f, (byte) 0xba, (byte) 0xea, (byte) 0x3f, (byte) 0x48, (byte) 0x39,
        (byte) 0xc2, (byte) 0x0f, (byte) 0x85, (byte) 0x8d, (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0x48, (byte) 0x8b, (byte) 0x41, (byte) 0x28, (byte) 0x48,
        (byte) 0x8b, (byte) 0x11, (byte) 0x48, (byte) 0x0f, (byte) 0xba, (byte) 0xe0, (byte) 0x3c, (byte) 0x72, (byte) 0x5f, (byte) 0x48, (byte) 0x0f, (byte) 0xba,
        (byte) 0xe0, (byte) 0x3d, (byte) 0x73, (byte) 0x0d, (byte) 0x48, (byte) 0x89, (byte) 0xf8, (byte) 0x48, (byte) 0xc1, (byte) 0xe8, (byte) 0x36, (byte) 0x83,
        (byte) 0xe0, (byte) 0x3f, (byte) 0x48, (byte) 0x01, (byte) 0xc2, (byte) 0x48, (byte) 0x3b, (byte) 0x51, (byte) 0x38, (byte) 0x73, (byte) 0x65, (byte) 0x48,
        (byte) 0x89, (byte) 0xf8, (byte) 0x48, (byte) 0xc1, (byte) 0xe8, (byte) 0x10, (byte) 0x0f, (byte) 0xb6, (byte) 0xc0, (byte) 0x48, (byte) 0x03, (byte) 0x41,
        (byte) 0x08, (byte) 0x48, (byte) 0x39, (byte) 0x41, (byte) 0x40, (byte) 0x72, (byte) 0x51, (byte) 0x49, (byte) 0x89, (byte) 0xf8, (byte) 0x48, (byte) 0x89,
        (byte) 0x51, (byte) 0x10, (byte) 0x49, (byte) 0x01, (byte) 0xf2, (byte) 0x49, (byte) 0xc1, (byte) 0xe8, (byte) 0x20, (byte) 0x48, (byte) 0x89, (byte) 0x41,
        (byte) 0x08, (byte) 0x45, (byte) 0x0f, (byte) 0xb7, (byte) 0xc0, (byte) 0x48, (byte) 0x89, (byte) 0x71, (byte) 0x20, (byte) 0x4c, (byte) 0x01, (byte) 0xc2,
        (byte) 0x48, (byte) 0x89, (byte) 0x79, (byte) 0x28, (byte) 0x48, (byte) 0x89, (byte) 0x11, (byte) 0x4c, (byte) 0x89, (byte) 0x51, (byte) 0x30, (byte) 0xc3,
        (byte) 0x0f, (byte) 0x1f, (byte) 0x84, (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0x48, (byte) 0x39, (byte) 0x71, (byte) 0x30,
        (byte) 0x74, (byte) 0xaf, (byte) 0x48, (byte) 0xc1, (byte) 0xe8, (byte) 0x30, (byte) 0x83, (byte) 0xe0, (byte) 0x3f, (byte) 0x48, (byte) 0x01, (byte) 0xd0,
        (byte) 0x48, (byte) 0x89, (byte) 0xfa, (byte) 0x48, (byte) 0xc1, (byte) 0xea, (byte) 0x36, (byte) 0x83, (byte) 0xe2, (byte) 0x3f, (byte) 0x48, (byte) 0x01,
        (byte) 0xc2, (byte) 0xeb, (byte) 0x96, (byte) 0x90, (byte) 0x48, (byte) 0x8b, (byte) 0x41, (byte) 0x50, (byte) 0x44, (byte) 0x89, (byte) 0xca, (byte) 0x4c,
        (byte) 0x89, (byte) 0xc7, (byte) 0xff, (byte) 0xe0, (byte) 0x0f, (byte) 0x1f, (byte) 0x40, (byte) 0x00, (byte) 0x4c, (byte) 0x8b, (byte) 0x51, (byte) 0x58,
        (byte) 0x48, (byte) 0x8d, (byte) 0x41, (byte) 0x78, (byte) 0xba, (byte) 0x01, (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0x49, (byte) 0x83, (byte) 0xfa,
        (byte) 0x01, (byte) 0x77, (byte) 0x12, (byte) 0xeb, (byte) 0xdb, (byte) 0x0f, (byte) 0x1f, (byte) 0x00, (byte) 0x48, (byte) 0x83, (byte) 0xc2, (byte) 0x01,
        (byte) 0x48, (byte) 0x83, (byte) 0xc0, (byte) 0x18, (byte) 0x49, (byte) 0x39, (byte) 0xd2, (byte) 0x74, (byte) 0xcb, (byte) 0x48, (byte) 0x89, (byte) 0xf7,
        (byte) 0x48, (byte) 0x2b, (byte) 0x38, (byte) 0x48, (byte) 0x3b, (byte) 0x78, (byte) 0x08, (byte) 0x73, (byte) 0xe7, (byte) 0x48, (byte) 0x8d, (byte) 0x04,
        (byte) 0x52, (byte) 0x48, (byte) 0xd1, (byte) 0xef, (byte) 0x48, (byte) 0x8b, (byte) 0x44, (byte) 0xc1, (byte) 0x70, (byte) 0x48, (byte) 0x8b, (byte) 0x3c,
        (byte) 0xf8, (byte) 0x48, (byte) 0xb8, (byte) 0xff, (byte) 0xff, (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0x00, (byte) 0xc0, (byte) 0x48,
        (byte) 0x21, (byte) 0xf8, (byte) 0xe9, (byte) 0xfc, (byte) 0xfe, (byte) 0xff, (byte) 0xff
    };

    private static volatile MemorySegment function;
    private static volatile boolean initialised;

    private NativeBlockHook() {
    }

    /** Whether the pure-Java path was requested. */
    static boolean disabledByUser() {
        String p = System.getProperty("tinysim.nativeHook");
        String e = System.getenv("TINYSIM_NATIVE_HOOK");
        return "false".equalsIgnoreCase(p) || "0".equals(e) || "false".equalsIgnoreCase(e);
    }

    /** The executable hook, or null when it cannot be used here or the Java path was requested. */
    static MemorySegment function() {
        if (disabledByUser()) {
            return null;
        }
        if (initialised) {
            return function;
        }
        synchronized (NativeBlockHook.class) {
            if (!initialised) {
                function = load();
                initialised = true;
            }
            return function;
        }
    }

    private static MemorySegment load() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!(arch.equals("amd64") || arch.equals("x86_64")) || !os.contains("linux")) {
            return null;
        }
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle mmap = linker.downcallHandle(linker.defaultLookup().find("mmap").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
            MethodHandle mprotect = linker.downcallHandle(linker.defaultLookup().find("mprotect").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
            final int protRead = 1, protWrite = 2, protExec = 4, mapPrivate = 2, mapAnonymous = 0x20;
            long pageSize = 4096;
            MemorySegment page = (MemorySegment) mmap.invokeExact(MemorySegment.NULL, pageSize, protRead | protWrite,
                    mapPrivate | mapAnonymous, -1, 0L);
            if (page.address() == -1L || page.address() == 0) {
                return null;
            }
            MemorySegment code = page.reinterpret(pageSize, Arena.global(), null);
            MemorySegment.copy(CODE, 0, code, ValueLayout.JAVA_BYTE, 0, CODE.length);
            int rc = (int) mprotect.invokeExact(page, pageSize, protRead | protExec);
            return rc == 0 ? code : null;
        } catch (Throwable t) {
            return null;   // the Java path works everywhere
        }
    }
}
