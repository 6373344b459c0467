package dev.tinysim.run;

import dev.tinysim.failure.Failure;
import dev.tinysim.emulator.core.FaultKind;
import dev.tinysim.emulator.core.FaultReport;
import dev.tinysim.emulator.core.RunOutcome;
import dev.tinysim.firmware.Symbolizer;

import java.util.List;
import java.util.Map;

/** Turns how a run ended into one line of text, a result kind and an exit code. */
public final class OutcomeDescriber {
    private OutcomeDescriber() {
    }

    public static String at(long pc, Symbolizer symbols) {
        String sym = symbols.describe(pc);
        return String.format("0x%08x", pc) + (sym.isEmpty() ? "" : " (" + sym + ")");
    }

    public static RunReport.Result describe(RunOutcome outcome, Symbolizer symbols, String boardName,
                                            Map<String, String> registers, List<String> backtrace) {
        return switch (outcome) {
            case RunOutcome.Exited(var exit) -> exit.normal()
                    ? new RunReport.Result("exit", exit.status(), (int) (exit.status() & 0xFF),
                        "exited with status " + exit.status(), null)
                    : new RunReport.Result("abnormal-exit", exit.status(), Failure.ABNORMAL_EXIT.status(),
                        "exited through semihosting with reason " + exit.reasonName()
                            + String.format(" (0x%x)", exit.reason()) + ", status " + exit.status(), null);
            case RunOutcome.Faulted(FaultReport f) -> new RunReport.Result("fault", null, exitCodeFor(f.kind()).status(),
                    faultLine(f, symbols, boardName), faultDetails(f, symbols, registers, backtrace));
            case RunOutcome.Breakpoint(long pc, int imm) -> new RunReport.Result("breakpoint", null, Failure.BREAKPOINT.status(),
                    String.format("breakpoint: BKPT 0x%02x at %s (not the semihosting BKPT 0xab)", imm, at(pc, symbols)), null);
            case RunOutcome.InstructionLimit(long limit, long pc) -> new RunReport.Result("instruction-limit", null,
                    Failure.INSTRUCTION_LIMIT.status(),
                    String.format("instruction limit reached: the firmware ran %,d instructions without exiting; stopped at %s (raise --max-instructions if this is expected)",
                            limit, at(pc, symbols)), null);
            case RunOutcome.Hang(long pc, String reason) -> new RunReport.Result("hang", null, Failure.HANG.status(),
                    "hang: " + reason + " at " + at(pc, symbols), null);
            case RunOutcome.ResetRequested(long pc) -> new RunReport.Result("reset", null, Failure.RESET_REQUESTED.status(),
                    "firmware requested a system reset (AIRCR.SYSRESETREQ) at " + at(pc, symbols), null);
            case RunOutcome.UnmodelledAccess(String d, long pc) -> new RunReport.Result("strict-unmodelled", null,
                    Failure.STRICT_UNMODELLED.status(), "--strict: " + d + " at " + at(pc, symbols), null);
            case RunOutcome.TimedOut(long millis, long pc) -> new RunReport.Result("timeout", null, Failure.TIMEOUT.status(),
                    String.format("timeout: the run took more than %s s of wall-clock time; stopped at %s (raise --timeout if this is expected)",
                            millis % 1000 == 0 ? Long.toString(millis / 1000) : String.format(java.util.Locale.ROOT, "%.3f", millis / 1000.0),
                            at(pc, symbols)), null);
            case RunOutcome.StoppedByHost(String reason) -> new RunReport.Result("stopped", null, Failure.SUCCESS,
                    "stopped: " + reason, null);
        };
    }

    public static Failure exitCodeFor(FaultKind kind) {
        return switch (kind) {
            case READ_UNMAPPED -> Failure.FAULT_READ;
            case WRITE_UNMAPPED, WRITE_PROTECTED -> Failure.FAULT_WRITE;
            case FETCH_UNMAPPED -> Failure.FAULT_FETCH;
            case INVALID_INSTRUCTION -> Failure.FAULT_INVALID_INSTRUCTION;
            case NO_FPU, FPU_DISABLED -> Failure.NO_FPU;
            case STACK_OVERFLOW -> Failure.STACK_OVERFLOW;
            case INVALID_STATE, INVALID_EXCEPTION_RETURN, DIVIDE_BY_ZERO, HARD_FAULT, LOCKUP -> Failure.FAULT_HARD;
        };
    }

    /** The one line a fault is reported with. */
    public static String faultLine(FaultReport f, Symbolizer symbols, String boardName) {
        String where = at(f.pc(), symbols);
        String insn = f.instruction() == null || f.instruction().isEmpty() ? "" : ": " + f.instruction();
        boolean dataAccess = f.kind() == FaultKind.READ_UNMAPPED || f.kind() == FaultKind.WRITE_UNMAPPED
                || f.kind() == FaultKind.WRITE_PROTECTED;
        String line = dataAccess && f.address() < 0
                // the CPU engine stopped on a data access without saying which address (FaultReport.address -1)
                ? (f.kind() == FaultKind.READ_UNMAPPED ? "read from" : "write to")
                        + " an address the CPU engine did not report, near " + where + insn
                : switch (f.kind()) {
            case NO_FPU -> "firmware executed " + mnemonic(f.instruction()) + " at " + where + " but board " + boardName + " has no FPU";
            case FPU_DISABLED -> "firmware executed " + mnemonic(f.instruction()) + " at " + where
                    + " before enabling the FPU (CPACR grants no CP10/CP11 access): NOCP UsageFault";
            case READ_UNMAPPED -> String.format("read from unmapped address 0x%08x at %s%s", f.address(), where, insn);
            case WRITE_UNMAPPED -> String.format("write to unmapped address 0x%08x at %s%s", f.address(), where, insn);
            case WRITE_PROTECTED -> String.format("write to flash at 0x%08x at %s%s without NVMC CONFIG.WEN enabling writes", f.address(), where, insn);
            case FETCH_UNMAPPED -> String.format("instruction fetch from 0x%08x, which is unmapped or not executable%s",
                    f.address(), f.instruction() == null || f.instruction().isEmpty() ? "" : " (" + f.instruction() + ")");
            case INVALID_INSTRUCTION -> "undefined instruction at " + where + insn;
            case STACK_OVERFLOW -> String.format("stack overflow: write to 0x%08x below the bottom of RAM at %s%s", f.address(), where,
                    f.detail().isEmpty() ? insn : " (" + f.detail() + ")");
            case INVALID_STATE -> String.format("invalid state: branch to 0x%08x, an address with bit 0 clear (ARM state), from near %s",
                    f.address(), where);
            case INVALID_EXCEPTION_RETURN -> "invalid exception return at " + where + ": " + f.instruction();
            case DIVIDE_BY_ZERO -> "divide by zero (CCR.DIV_0_TRP set) at " + where + insn;
            case LOCKUP -> "lockup at " + where + insn + (f.detail().isEmpty() ? "" : ": " + f.detail());
            case HARD_FAULT -> "HardFault at " + where + insn;
        };
        if (f.handler() >= 0) {
            line += "; delivered as " + f.exception() + " to " + at(f.handler(), symbols)
                    + (f.handlerSpins() ? ", which spins" : "");
        }
        return line;
    }

    private static String mnemonic(String instructionText) {
        if (instructionText == null || instructionText.isEmpty()) {
            return "a floating-point instruction";
        }
        int sp = instructionText.indexOf(' ');
        return sp < 0 ? instructionText : instructionText.substring(0, sp);
    }

    private static RunReport.Fault faultDetails(FaultReport f, Symbolizer symbols, Map<String, String> registers,
                                                List<String> backtrace) {
        return new RunReport.Fault(f.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                String.format("0x%08x", f.pc()), symbols.describe(f.pc()),
                f.address() < 0 ? null : String.format("0x%08x", f.address()),
                f.access() == null ? null : f.access().name().toLowerCase(java.util.Locale.ROOT),
                f.instruction(), f.exception(), f.handler() < 0 ? null : String.format("0x%08x", f.handler()),
                f.handlerSpins(), registers, backtrace);
    }
}
