/* Two loops for the nRF52 NVMC instruction cache (icache.c, docs/timing-model.md "The flash path").
 *
 *     void icache_fits(uint32_t n, uint32_t out[3])     a 1 KB body (with SUBS;BNE.W, 65 lines): fits the 2 KB cache
 *     void icache_thrash(uint32_t n, uint32_t out[3])   a 3 KB body (193 lines): more than the cache holds
 *
 * Each runs its loop n times and stores IHIT, IMISS and the DWT CYCCNT difference in out[0..2].
 * Both counters are zeroed by the store in the first translated block, so what they count is the
 * loop (the NOPs and the SUBS;BNE) and the block after it, up to the POP (fetched, 32 bits at a
 * time, before its loads read the counters). NOPs are 16-bit: one 32-bit fetch holds two. The
 * loop top is 16-byte aligned, so every line is whole and every translated block (at most 1 KB,
 * ending at a 1 KB boundary) starts and ends on a fetch word.
 */
    .file   "loops.S"
    .syntax unified
    .thumb
    .section .text.icache_loops, "ax", %progbits

    .macro MEASURED name, nops
    .balign 16
    .global \name
    .type   \name, %function
    .thumb_func
\name:
    push    {r4-r6, lr}
    ldr     r4, =0x4001E548         @ NVMC IHIT (IMISS at +4)
    ldr     r5, =0xE0001004         @ DWT CYCCNT
    movs    r2, #0
    str     r2, [r4]                @ IHIT = 0
    str     r2, [r4, #4]            @ IMISS = 0
    ldr     r6, [r5]                @ t0
    b       1f
    .balign 16
1:
    .rept   \nops
    nop
    .endr
    subs    r0, #1
    bne     1b
    ldr     r2, [r5]                @ t1
    ldr     r3, [r4]                @ IHIT
    str     r3, [r1]
    ldr     r3, [r4, #4]            @ IMISS
    str     r3, [r1, #4]
    subs    r2, r2, r6
    str     r2, [r1, #8]
    pop     {r4-r6, pc}
    .ltorg
    .size   \name, . - \name
    .endm

    MEASURED icache_fits, 512
    MEASURED icache_thrash, 1536
