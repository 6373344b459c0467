/* What an image needs of a board beyond a Cortex-M4 core and memory, declared next to the code that
 * needs it. Each TINYSIM_REQUIRES line lands in the non-loaded ELF section .tinysim.requires; before
 * a run tinysim checks the lines that apply to the run against the board and refuses the run, with
 * the line's reason, when the board lacks something (docs/firmware-placement.md, exit code 74).
 *
 * A line is   WHEN NEED WHY...
 *   WHEN  always             every run
 *         no-args            a run without firmware arguments
 *         arg:A[,B...]       a run whose first firmware argument (after --) is A or B
 *   NEED  peripheral MODEL@ADDRESS   a peripheral of that model (as board files name it) at that base
 *         alias ALIAS=TARGET         memory at ALIAS that shows the memory at TARGET (both addresses)
 *         flash ADDRESS              the board's flash at that address
 *         unmapped ADDRESS           nothing at that address (the image faults there on purpose)
 *         interrupts N               at least N external interrupts (IRQ 0..N-1)
 *   WHY   what the image does with it, for the refusal message
 * Addresses are the hardware's: placement never moves them. */
#ifndef TS_TINYSIM_REQUIRES_H
#define TS_TINYSIM_REQUIRES_H

#define TINYSIM_REQUIRES(line) \
    __asm__(".pushsection .tinysim.requires,\"\",%progbits\n\t.ascii \"" line "\\n\"\n\t.popsection")

#endif
