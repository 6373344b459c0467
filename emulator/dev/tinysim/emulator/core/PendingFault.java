package dev.tinysim.emulator.core;

import dev.tinysim.emulator.engine.Access;

/**
 * A fault seen by a hook, handled once the engine has stopped (a hook cannot deliver it: the engine is
 * mid-block). {@code blockIndex} is the faulting instruction's index in the current block, or -1.
 */
record PendingFault(FaultKind kind, long pc, long address, Access access, String instruction, int blockIndex) {
}
