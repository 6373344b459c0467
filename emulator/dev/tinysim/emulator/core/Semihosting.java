package dev.tinysim.emulator.core;

import dev.tinysim.emulator.sim.AddressSpace;
import dev.tinysim.emulator.sim.ConsoleSink;
import dev.tinysim.emulator.sim.SimClock;
import dev.tinysim.emulator.sim.MemoryAccessException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Arm semihosting (BKPT 0xAB; operation in R0, parameter in R1, result in R0), as a debug probe
 * provides it: console output and input, exit, simulated time, heap information and the command
 * line. Application operations 0x100–0x1FF are passed to an {@link ApplicationCalls} handler. Each operation is
 * the method named for it; the spec is Arm, "Semihosting for AArch32 and AArch64" (ARM-software/abi-aa, 2020Q4),
 * whose "Semihosting operations" chapter has one section per SYS_ call, titled as the methods' comments are.
 */
public final class Semihosting {
    public static final int SYS_OPEN = 0x01, SYS_CLOSE = 0x02, SYS_WRITEC = 0x03, SYS_WRITE0 = 0x04, SYS_WRITE = 0x05,
            SYS_READ = 0x06, SYS_READC = 0x07, SYS_ISERROR = 0x08, SYS_ISTTY = 0x09, SYS_SEEK = 0x0A, SYS_FLEN = 0x0C,
            SYS_TMPNAM = 0x0D, SYS_REMOVE = 0x0E, SYS_RENAME = 0x0F, SYS_CLOCK = 0x10, SYS_TIME = 0x11,
            SYS_SYSTEM = 0x12, SYS_ERRNO = 0x13, SYS_GET_CMDLINE = 0x15, SYS_HEAPINFO = 0x16, SYS_EXIT = 0x18,
            SYS_EXIT_EXTENDED = 0x20, SYS_ELAPSED = 0x30, SYS_TICKFREQ = 0x31;
    public static final long ADP_STOPPED_APPLICATION_EXIT = 0x20026;

    /** How the firmware ended through semihosting. */
    public record Exit(long reason, long status) {
        public boolean normal() {
            return reason == ADP_STOPPED_APPLICATION_EXIT;
        }

        public String reasonName() {
            return switch ((int) reason) {
                case 0x20000 -> "BranchThroughZero";
                case 0x20001 -> "UndefinedInstr";
                case 0x20002 -> "SoftwareInterrupt";
                case 0x20003 -> "PrefetchAbort";
                case 0x20004 -> "DataAbort";
                case 0x20005 -> "AddressException";
                case 0x20006 -> "IRQ";
                case 0x20007 -> "FIQ";
                case 0x20020 -> "BreakPoint";
                case 0x20021 -> "WatchPoint";
                case 0x20022 -> "StepComplete";
                case 0x20023 -> "RunTimeErrorUnknown";
                case 0x20024 -> "InternalError";
                case 0x20025 -> "UserInterruption";
                case 0x20026 -> "ApplicationExit";
                case 0x20027 -> "StackOverflow";
                case 0x20028 -> "DivisionByZero";
                case 0x20029 -> "OSSpecific";
                default -> String.format("0x%x", reason);
            };
        }
    }

    /** Operations in the application range 0x100–0x1FF (the inference runtime's input/output calls). */
    public interface ApplicationCalls {
        /** Returns the value for R0, or null if the operation is unknown (then -1 is returned). */
        Long call(int operation, long parameter, AddressSpace memory);
    }

    /** Heap and stack limits reported by SYS_HEAPINFO. */
    public record HeapInfo(long heapBase, long heapLimit, long stackBase, long stackLimit) {
    }

    private static final int HANDLE_STDIN = 1, HANDLE_STDOUT = 2, HANDLE_STDERR = 3, HANDLE_FEATURES = 4;
    private static final byte[] FEATURES = {'S', 'H', 'F', 'B', 0x03};  // EXIT_EXTENDED, stdout+stderr separate

    private final AddressSpace memory;
    private final ConsoleSink console;
    private final InputStream stdin;
    private final SimClock clock;
    private final String commandLine;
    private final HeapInfo heapInfo;
    private ApplicationCalls applicationCalls;
    private Exit exit;
    private int errno;
    private long featuresPosition;
    private final List<Integer> openTt = new ArrayList<>();
    private long calls;

    public Semihosting(AddressSpace memory, ConsoleSink console, InputStream stdin, SimClock clock,
                       String commandLine, HeapInfo heapInfo) {
        this.memory = memory;
        this.console = console;
        this.stdin = stdin;
        this.clock = clock;
        this.commandLine = commandLine;
        this.heapInfo = heapInfo;
    }

    public void setApplicationCalls(ApplicationCalls calls) {
        this.applicationCalls = calls;
    }

    /** Set once the firmware called SYS_EXIT or SYS_EXIT_EXTENDED. */
    public Exit exit() {
        return exit;
    }

    public long calls() {
        return calls;
    }

    private long word(long address) {
        return memory.read32(address);
    }

    /** Performs one call and returns the value for R0. */
    public long handle(long op, long r1) {
        calls++;
        try {
            return dispatch((int) op, r1 & 0xFFFFFFFFL);
        } catch (MemoryAccessException e) {
            errno = 14;   // EFAULT
            return -1;
        }
    }

    /** One call: each SYS_ operation is the method named for it (Arm semihosting spec, "Semihosting operations"). */
    private long dispatch(int op, long r1) {
        return switch (op) {
            case SYS_OPEN -> sysOpen(r1);
            case SYS_CLOSE -> 0;      // SYS_CLOSE (0x02): nothing to close on the host
            case SYS_ISERROR -> 0;    // SYS_ISERROR (0x08): no status is reported as an error
            case SYS_WRITEC -> sysWriteC(r1);
            case SYS_WRITE0 -> sysWrite0(r1);
            case SYS_WRITE -> sysWrite(r1);
            case SYS_READ -> sysRead(r1);
            case SYS_READC -> sysReadC();
            case SYS_ISTTY -> sysIsTty(r1);
            case SYS_SEEK -> sysSeek(r1);
            case SYS_FLEN -> sysFlen(r1);
            case SYS_CLOCK -> sysClock();
            case SYS_TIME -> sysTime();
            case SYS_ERRNO -> errno;  // SYS_ERRNO (0x13): the errno of the last call that set it
            case SYS_GET_CMDLINE -> sysGetCmdline(r1);
            case SYS_HEAPINFO -> sysHeapInfo(r1);
            case SYS_EXIT -> sysExit(r1);
            case SYS_EXIT_EXTENDED -> sysExitExtended(r1);
            case SYS_ELAPSED -> sysElapsed(r1);
            case SYS_TICKFREQ -> clock.hz();   // SYS_TICKFREQ (0x31): ticks (simulated cycles) per second
            default -> applicationCall(op, r1);
        };
    }

    /** SYS_OPEN (0x01): block {name, mode, name length}. Only ":tt" (the console) and ":semihosting-features" exist. */
    private long sysOpen(long r1) {
        String name = memory.readCString(word(r1), (int) Math.min(word(r1 + 8) + 1, 1024));
        long mode = word(r1 + 4);
        if (name.equals(":tt")) {
            // Modes 0-3 read, 4-7 write, 8-11 append: by convention stdin, stdout, stderr.
            return mode < 4 ? HANDLE_STDIN : mode < 8 ? HANDLE_STDOUT : HANDLE_STDERR;
        }
        if (name.equals(":semihosting-features")) {
            featuresPosition = 0;
            return HANDLE_FEATURES;
        }
        errno = 2;    // ENOENT: no host file system is exposed
        return -1;
    }

    /** SYS_WRITEC (0x03): R1 points to the character to print. */
    private long sysWriteC(long r1) {
        console.write(ConsoleSink.Stream.STDOUT, new byte[]{(byte) memory.read8(r1)});
        return 0;
    }

    /** SYS_WRITE0 (0x04): R1 points to a null-terminated string to print. */
    private long sysWrite0(long r1) {
        byte[] s = memory.readCString(r1, 1 << 20).getBytes(StandardCharsets.ISO_8859_1);
        console.write(ConsoleSink.Stream.STDOUT, s);
        return 0;
    }

    /** SYS_WRITE (0x05): block {handle, buffer, length}; returns the bytes not written. */
    private long sysWrite(long r1) {
        long handle = word(r1);
        long buf = word(r1 + 4);
        int len = (int) Math.min(word(r1 + 8), 1 << 24);
        byte[] data = memory.read(buf, len);
        if (handle == HANDLE_STDERR) {
            console.write(ConsoleSink.Stream.STDERR, data);
        } else if (handle == HANDLE_STDOUT || handle == HANDLE_STDIN || handle == 0 || handle == 1) {
            console.write(ConsoleSink.Stream.STDOUT, data);
        } else {
            errno = 9;   // EBADF
            return len;
        }
        return 0;   // bytes not written
    }

    /** SYS_READ (0x06): block {handle, buffer, length}; returns the bytes not filled (length: end of file). */
    private long sysRead(long r1) {
        long handle = word(r1);
        long buf = word(r1 + 4);
        int len = (int) Math.min(word(r1 + 8), 1 << 24);
        if (handle == HANDLE_FEATURES) {
            int n = (int) Math.max(0, Math.min(len, FEATURES.length - featuresPosition));
            byte[] out = new byte[n];
            System.arraycopy(FEATURES, (int) featuresPosition, out, 0, n);
            memory.write(buf, out);
            featuresPosition += n;
            return len - n;
        }
        byte[] data = readStdin(len);
        memory.write(buf, data);
        return len - data.length;
    }

    /** SYS_READC (0x07): a byte from the console (-1 when stdin has none). */
    private long sysReadC() {
        byte[] b = readStdin(1);
        return b.length == 0 ? -1 : b[0] & 0xFF;
    }

    /** SYS_ISTTY (0x09): block {handle}; 1 for the console streams, 0 otherwise. */
    private long sysIsTty(long r1) {
        long handle = word(r1);
        return handle == HANDLE_STDIN || handle == HANDLE_STDOUT || handle == HANDLE_STDERR ? 1 : 0;
    }

    /** SYS_SEEK (0x0A): block {handle, position}; only the features file seeks. */
    private long sysSeek(long r1) {
        long handle = word(r1);
        if (handle == HANDLE_FEATURES) {
            featuresPosition = word(r1 + 4);
            return 0;
        }
        return -1;
    }

    /** SYS_FLEN (0x0C): block {handle}; only the features file has a length. */
    private long sysFlen(long r1) {
        long handle = word(r1);
        return handle == HANDLE_FEATURES ? FEATURES.length : -1;
    }

    /** SYS_CLOCK (0x10): centiseconds of simulated time. */
    private long sysClock() {
        return clock.now() * 100 / clock.hz();
    }

    /** SYS_TIME (0x11): seconds since the simulated epoch (reset), not the host's real-world time. */
    private long sysTime() {
        return clock.now() / clock.hz();
    }

    /** SYS_GET_CMDLINE (0x15): block {buffer, capacity}: the command line, null-terminated, and its length. */
    private long sysGetCmdline(long r1) {
        long buf = word(r1);
        long cap = word(r1 + 4);
        byte[] s = commandLine.getBytes(StandardCharsets.UTF_8);
        if (s.length + 1 > cap) {
            return -1;
        }
        byte[] withNul = new byte[s.length + 1];
        System.arraycopy(s, 0, withNul, 0, s.length);
        memory.write(buf, withNul);
        memory.write32(r1 + 4, s.length);
        return 0;
    }

    /** SYS_HEAPINFO (0x16): R1 points to the address of a block {heap base, heap limit, stack base, stack limit}. */
    private long sysHeapInfo(long r1) {
        long block = word(r1);
        memory.write32(block, heapInfo.heapBase());
        memory.write32(block + 4, heapInfo.heapLimit());
        memory.write32(block + 8, heapInfo.stackBase());
        memory.write32(block + 12, heapInfo.stackLimit());
        return 0;
    }

    /** SYS_EXIT (0x18): on 32-bit targets R1 is the reason itself; ApplicationExit means status 0. */
    private long sysExit(long r1) {
        exit = new Exit(r1, r1 == ADP_STOPPED_APPLICATION_EXIT ? 0 : 1);
        return 0;
    }

    /** SYS_EXIT_EXTENDED (0x20): block {reason, status}. */
    private long sysExitExtended(long r1) {
        exit = new Exit(word(r1), word(r1 + 4));
        return 0;
    }

    /** SYS_ELAPSED (0x30): R1 points to the two words (low first) the 64-bit count of simulated cycles goes to. */
    private long sysElapsed(long r1) {
        long t = clock.now();
        memory.write32(r1, t & 0xFFFFFFFFL);
        memory.write32(r1 + 4, t >>> 32);
        return 0;
    }

    /** Operations 0x100-0x1FF (reserved for applications) go to the handler; anything else is ENOSYS. */
    private long applicationCall(int op, long r1) {
        if (op >= 0x100 && op <= 0x1FF && applicationCalls != null) {
            Long r = applicationCalls.call(op, r1, memory);
            if (r != null) {
                return r;
            }
        }
        errno = 38;   // ENOSYS
        return -1;
    }

    private byte[] readStdin(int len) {
        if (stdin == null || len <= 0) {
            return new byte[0];
        }
        try {
            byte[] buf = new byte[len];
            int n = stdin.read(buf);
            if (n <= 0) {
                return new byte[0];
            }
            byte[] out = new byte[n];
            System.arraycopy(buf, 0, out, 0, n);
            return out;
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
