package dev.tinysim.emulator.core;

import dev.tinysim.emulator.engine.Access;

/**
 * A fault the firmware caused, as tinysim saw it.
 *
 * @param kind        what happened
 * @param pc          address of the faulting instruction
 * @param address     the memory address involved (data address, fetch target), or -1
 * @param access      the kind of access, or null
 * @param instruction the faulting instruction disassembled ("ldr r3, [r2]"), or "" when unknown
 * @param exception   the exception it raised on the core ("BusFault", "HardFault (forced)")
 * @param handler     the firmware's handler it was delivered to (its address), or -1 when not delivered
 * @param handlerSpins the handler was recognised as spinning forever
 * @param detail      extra words (board name for NO_FPU, the nested fault for LOCKUP)
 */
public record FaultReport(FaultKind kind, long pc, long address, Access access, String instruction,
                          String exception, long handler, boolean handlerSpins, String detail) {
    public FaultReport withHandlerSpinning(long handlerAddress) {
        return new FaultReport(kind, pc, address, access, instruction, exception, handlerAddress, true, detail);
    }
}
