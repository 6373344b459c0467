package dev.tinysim.emulator.disasm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@link Disassembler} on Capstone 4 (Debian's libcapstone4) through java.lang.foreign, in Thumb +
 * M-class mode with instruction details on. Chosen over the Maven artifact
 * com.github.zhkl0228:capstone because it is bound the same way as Unicorn (no JNA, no bundled
 * native of unknown build), and Debian ships and patches it.
 * The library is found through the system property {@code tinysim.capstone.library}, the
 * environment variable {@code TINYSIM_CAPSTONE_LIBRARY}, or {@code libcapstone.so.4}.
 */
public final class CapstoneDisassembler implements Disassembler {
    // capstone.h / arm.h (Capstone 4.0.2); the struct offsets were read with offsetof() from the headers.
    private static final int CS_ARCH_ARM = 0;
    private static final int CS_MODE_THUMB = 16;
    private static final int CS_MODE_MCLASS = 32;
    private static final int CS_OPT_DETAIL = 2;
    private static final int CS_OPT_ON = 3;
    private static final long INSN_SIZE = 240, INSN_ID = 0, INSN_ADDRESS = 8, INSN_SIZE_FIELD = 16,
            INSN_MNEMONIC = 34, INSN_OPSTR = 66, INSN_DETAIL = 232;
    private static final long DETAIL_REGS_READ = 0, DETAIL_REGS_READ_COUNT = 24, DETAIL_REGS_WRITE = 26,
            DETAIL_REGS_WRITE_COUNT = 66, DETAIL_ARM = 80;
    private static final long ARM_CC = 20, ARM_WRITEBACK = 25, ARM_OP_COUNT = 32, ARM_OPERANDS = 40, OP_SIZE = 48;
    private static final long OP_SHIFT_TYPE = 4, OP_SHIFT_VALUE = 8, OP_TYPE = 12, OP_VALUE = 16, OP_SUBTRACTED = 40, OP_ACCESS = 41;
    private static final int CS_AC_READ = 1, CS_AC_WRITE = 2;
    private static final int ARM_OP_REG = 1, ARM_OP_IMM = 2, ARM_OP_MEM = 3;
    private static final int CS_REG_APSR = 1, CS_REG_APSR_NZCV = 2, CS_REG_CPSR = 3, CS_REG_FPSCR = 6,
            CS_REG_FPSCR_NZCV = 7, CS_REG_LR = 10, CS_REG_PC = 11, CS_REG_SP = 12, CS_REG_D0 = 14,
            CS_REG_R0 = 66, CS_REG_S0 = 79;

    private static volatile Native nativeLib;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment handleCell;
    private final long handle;
    private final MemorySegment insnCell;
    private boolean closed;

    private record Native(MethodHandle open, MethodHandle option, MethodHandle disasm, MethodHandle free,
                          MethodHandle close, MethodHandle strerror) {
    }

    public CapstoneDisassembler() {
        Native n = lib();
        handleCell = arena.allocate(JAVA_LONG);
        insnCell = arena.allocate(ADDRESS);
        try {
            int err = (int) n.open.invokeExact(CS_ARCH_ARM, CS_MODE_THUMB | CS_MODE_MCLASS, handleCell);
            if (err != 0) {
                throw new IllegalStateException("cs_open failed: " + errorText(n, err));
            }
            handle = handleCell.get(JAVA_LONG, 0);
            err = (int) n.option.invokeExact(handle, CS_OPT_DETAIL, (long) CS_OPT_ON);
            if (err != 0) {
                throw new IllegalStateException("cs_option(DETAIL) failed: " + errorText(n, err));
            }
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            arena.close();
            throw new IllegalStateException("cannot open Capstone: " + t, t);
        }
    }

    private static String errorText(Native n, int err) {
        try {
            return ((MemorySegment) n.strerror.invokeExact(err)).reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "error " + err;
        }
    }

    static String libraryPath() {
        String p = System.getProperty("tinysim.capstone.library");
        if (p == null || p.isBlank()) {
            p = System.getenv("TINYSIM_CAPSTONE_LIBRARY");
        }
        return p == null || p.isBlank() ? "libcapstone.so.4" : p;
    }

    private static Native lib() {
        Native n = nativeLib;
        if (n != null) {
            return n;
        }
        synchronized (CapstoneDisassembler.class) {
            if (nativeLib != null) {
                return nativeLib;
            }
            String name = libraryPath();
            SymbolLookup lookup;
            try {
                lookup = name.contains("/") ? SymbolLookup.libraryLookup(Path.of(name), Arena.global())
                        : SymbolLookup.libraryLookup(name, Arena.global());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("cannot load the Capstone library '" + name
                        + "': install it with 'apt-get install libcapstone4' or set TINYSIM_CAPSTONE_LIBRARY to its path", e);
            }
            Linker linker = Linker.nativeLinker();
            nativeLib = new Native(
                    linker.downcallHandle(lookup.find("cs_open").orElseThrow(),
                            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS)),
                    linker.downcallHandle(lookup.find("cs_option").orElseThrow(),
                            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG)),
                    linker.downcallHandle(lookup.find("cs_disasm").orElseThrow(),
                            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS)),
                    linker.downcallHandle(lookup.find("cs_free").orElseThrow(),
                            FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG)),
                    linker.downcallHandle(lookup.find("cs_close").orElseThrow(),
                            FunctionDescriptor.of(JAVA_INT, ADDRESS)),
                    linker.downcallHandle(lookup.find("cs_strerror").orElseThrow(),
                            FunctionDescriptor.of(ADDRESS, JAVA_INT)));
            return nativeLib;
        }
    }

    @Override
    public synchronized List<Instruction> decode(byte[] code, long address, int maxCount) {
        if (closed) {
            throw new IllegalStateException("disassembler is closed");
        }
        List<Instruction> out = new ArrayList<>();
        if (code.length == 0 || maxCount <= 0) {
            return out;
        }
        Native n = lib();
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment buf = tmp.allocate(code.length);
            MemorySegment.copy(code, 0, buf, JAVA_BYTE, 0, code.length);
            long count = (long) n.disasm.invokeExact(handle, buf, (long) code.length, address, (long) maxCount, insnCell);
            if (count <= 0) {
                return out;
            }
            MemorySegment insns = insnCell.get(ADDRESS, 0).reinterpret(count * INSN_SIZE);
            try {
                int itRemaining = 0;
                for (long i = 0; i < count; i++) {
                    MemorySegment insn = insns.asSlice(i * INSN_SIZE, INSN_SIZE);
                    Instruction decoded = convert(insn, itRemaining > 0);
                    if (itRemaining > 0) {
                        itRemaining--;
                    }
                    if (decoded.name().equals("it")) {
                        // "itte" -> 3 instructions follow; the mnemonic is "it" + one letter per extra instruction.
                        itRemaining = decoded.mnemonic().length() - 1;
                    }
                    out.add(decoded);
                }
            } finally {
                n.free.invokeExact(insns, count);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cs_disasm failed: " + t, t);
        }
        return out;
    }

    private static Instruction convert(MemorySegment insn, boolean inIt) {
        long address = insn.get(JAVA_LONG, INSN_ADDRESS);
        int size = insn.get(JAVA_SHORT, INSN_SIZE_FIELD) & 0xFFFF;
        String mnemonic = insn.asSlice(INSN_MNEMONIC, 32).getString(0);
        String operands = insn.asSlice(INSN_OPSTR, 160).getString(0);
        MemorySegment detail = insn.get(ADDRESS, INSN_DETAIL).reinterpret(2048);
        long reads = 0, writes = 0;
        int nRead = detail.get(JAVA_BYTE, DETAIL_REGS_READ_COUNT) & 0xFF;
        for (int k = 0; k < nRead && k < 12; k++) {
            reads |= regBits(detail.get(JAVA_SHORT, DETAIL_REGS_READ + 2L * k) & 0xFFFF);
        }
        int nWrite = detail.get(JAVA_BYTE, DETAIL_REGS_WRITE_COUNT) & 0xFF;
        for (int k = 0; k < nWrite && k < 20; k++) {
            writes |= regBits(detail.get(JAVA_SHORT, DETAIL_REGS_WRITE + 2L * k) & 0xFFFF);
        }
        MemorySegment arm = detail.asSlice(DETAIL_ARM);
        int cc = arm.get(JAVA_INT, ARM_CC);
        int condition = cc <= 0 || cc > 15 ? Instruction.COND_AL : cc - 1;
        boolean writeback = arm.get(JAVA_BYTE, ARM_WRITEBACK) != 0;
        int opCount = arm.get(JAVA_BYTE, ARM_OP_COUNT) & 0xFF;
        Instruction.MemoryOperand mem = null;
        long immediate = Long.MIN_VALUE;
        int regOperands = 0;
        int firstRegister = -1;
        for (int k = 0; k < opCount && k < 36; k++) {
            MemorySegment op = arm.asSlice(ARM_OPERANDS + k * OP_SIZE, OP_SIZE);
            int type = op.get(JAVA_INT, OP_TYPE);
            switch (type) {
                case ARM_OP_REG -> {
                    regOperands++;
                    if (firstRegister < 0) {
                        firstRegister = regNumber(op.get(JAVA_INT, OP_VALUE));
                    }
                    long bits = regBits(op.get(JAVA_INT, OP_VALUE));
                    int access = op.get(JAVA_BYTE, OP_ACCESS) & 0xFF;
                    if ((access & CS_AC_READ) != 0) {
                        reads |= bits;
                    }
                    if ((access & CS_AC_WRITE) != 0) {
                        writes |= bits;
                    }
                }
                case ARM_OP_IMM -> {
                    if (immediate == Long.MIN_VALUE) {
                        immediate = op.get(JAVA_INT, OP_VALUE) & 0xFFFFFFFFL;
                    }
                }
                case ARM_OP_MEM -> {
                    int base = regNumber(op.get(JAVA_INT, OP_VALUE));
                    int index = regNumber(op.get(JAVA_INT, OP_VALUE + 4));
                    int disp = op.get(JAVA_INT, OP_VALUE + 12);
                    int shiftType = op.get(JAVA_INT, OP_SHIFT_TYPE);
                    int shift = shiftType == 0 ? 0 : op.get(JAVA_INT, OP_SHIFT_VALUE);
                    boolean subtracted = op.get(JAVA_BYTE, OP_SUBTRACTED) != 0;
                    mem = new Instruction.MemoryOperand(base, index, shift, disp, subtracted);
                    if (base >= 0) {
                        reads |= 1L << base;
                        if (writeback) {
                            writes |= 1L << base;
                        }
                    }
                    if (index >= 0) {
                        reads |= 1L << index;
                    }
                }
                default -> {
                }
            }
        }
        String lowerMnemonic = mnemonic.toLowerCase(Locale.ROOT);
        String name = baseName(lowerMnemonic, condition);
        int listCount = isListInstruction(name) ? Math.max(0, listRegisterCount(name, regOperands, writeback, operands)) : 0;
        return new Instruction(address, size, name, lowerMnemonic, operands, condition, reads, writes, mem,
                listCount, writeback, immediate, inIt, firstRegister);
    }

    private static boolean isListInstruction(String name) {
        return switch (name) {
            case "push", "pop", "ldm", "ldmia", "ldmdb", "stm", "stmia", "stmdb", "vpush", "vpop", "vldmia", "vldmdb",
                 "vstmia", "vstmdb", "vldm", "vstm" -> true;
            default -> false;
        };
    }

    /** Registers in the list: the register operands, minus the base register for LDM/STM forms. */
    private static int listRegisterCount(String name, int regOperands, boolean writeback, String operands) {
        if (name.equals("push") || name.equals("pop") || name.equals("vpush") || name.equals("vpop")) {
            return regOperands;
        }
        return regOperands - 1;
    }

    /** "ldr.w" -> "ldr", "addeq" -> "add" (inside IT blocks), "vmla.f32" -> "vmla". */
    private static String baseName(String mnemonic, int condition) {
        if (mnemonic.matches("it[te]{0,3}")) {
            return "it";    // IT, ITT, ITE, ITTE…: one instruction class; the mnemonic keeps the pattern
        }
        String m = mnemonic;
        int dot = m.indexOf('.');
        if (dot > 0) {
            m = m.substring(0, dot);
        }
        if (condition != Instruction.COND_AL && m.length() > 2 && !m.startsWith("it")) {
            String suffix = m.substring(m.length() - 2);
            if (CONDITION_SUFFIXES.contains(suffix) && !KEEP_AS_IS.contains(m)) {
                m = m.substring(0, m.length() - 2);
            }
        }
        return m;
    }

    private static final java.util.Set<String> CONDITION_SUFFIXES = java.util.Set.of(
            "eq", "ne", "hs", "cs", "lo", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al");
    /**
     * Names that end in a condition-like suffix but are not conditional forms. ("bls" and "bhs"
     * are not among them: they are B&lt;cond&gt; with LS and HS, and must be named "b" like every
     * other conditional branch, or the core does not see them as conditional branches.)
     */
    private static final java.util.Set<String> KEEP_AS_IS = java.util.Set.of("teq", "vcmpe", "vcge");

    private static long regBits(int csReg) {
        int n = regNumber(csReg);
        if (n >= 0) {
            return 1L << n;
        }
        if (csReg >= CS_REG_D0 && csReg < CS_REG_D0 + 16) {
            int s = 2 * (csReg - CS_REG_D0);
            return (3L << (Instruction.REG_S0 + s));
        }
        if (csReg == CS_REG_APSR || csReg == CS_REG_APSR_NZCV || csReg == CS_REG_CPSR) {
            return 1L << Instruction.REG_APSR;
        }
        if (csReg == CS_REG_FPSCR || csReg == CS_REG_FPSCR_NZCV) {
            return 1L << Instruction.REG_FPSCR;
        }
        return 0;
    }

    /** Capstone register id -> r0..r15 as 0..15, s0..s31 as 16..47; -1 for others. */
    private static int regNumber(int csReg) {
        if (csReg >= CS_REG_R0 && csReg <= CS_REG_R0 + 12) {
            return csReg - CS_REG_R0;
        }
        if (csReg == CS_REG_SP) {
            return 13;
        }
        if (csReg == CS_REG_LR) {
            return 14;
        }
        if (csReg == CS_REG_PC) {
            return 15;
        }
        if (csReg >= CS_REG_S0 && csReg < CS_REG_S0 + 32) {
            return Instruction.REG_S0 + (csReg - CS_REG_S0);
        }
        return -1;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            int ignored = (int) lib().close.invokeExact(handleCell);
        } catch (Throwable t) {
            // nothing left to free on failure
        } finally {
            arena.close();
        }
    }
}
