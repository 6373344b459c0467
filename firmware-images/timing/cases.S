/* tinysim timing microbenchmarks: one function per instruction class or pipelining rule.
 *
 * Every case is   uint32_t case_NAME(volatile uint32_t *cyccnt)   and returns the DWT CYCCNT
 * difference around its BODY:
 *
 *     <setup>                      not timed
 *     nop                          so that the t0 read never pipelines with a setup load
 *     ldr   r1, [r0]               t0 = CYCCNT       2 cycles (a single LDR)
 *     sub.w r0, r0, #4             1 cycle; 32-bit, so an IT at the start of BODY cannot fold onto it
 *     BODY
 *     nop                          1 cycle; the t1 read never pipelines with a load at the end of BODY
 *     ldr   r2, [r0, #4]           t1 = CYCCNT
 *
 * Both reads are unpipelined loads, so on silicon both sample CYCCNT at the same point of their
 * LDR and t1 - t0 = 2 + 1 + BODY + 1 = BODY + 4. The `empty` case measures that overhead (4 by the
 * TRM); the firmware prints BODY = raw - raw(empty). r0 (CYCCNT address, then CYCCNT - 4) and r1
 * (t0) are never touched by a BODY; r12 points at timing_scratch, a RAM buffer. (The two reads
 * use different base values on purpose: tinysim finds the instruction behind an MMIO read from
 * the registers at the time of the read, and two reads through the same unchanged register in
 * one translated block were both attributed to the first.)
 *
 * Expected BODY cycles, derived from ARM DDI 0439D (Cortex-M4 TRM r0p1) §3.3 Tables 3-1/3-2,
 * §3.3.2 load/store timings and Table 7-1 (FPU), are written next to each case as "= N" with the
 * derivation; TimingMicrobenchmarkTest asserts exactly these numbers. P is the pipeline refill:
 * 1 after a branch with an immediate target, 2 after a register target, 3 after a loaded target
 * (docs/timing-model.md, "Branches").
 *
 * The cases run from RAM through the code-bus alias (0x00800000: zero wait states, the TRM's
 * assumption). Each case is 128-byte aligned and at most 128 bytes long (the test checks the
 * symbol sizes), so no case crosses a 1 KB boundary (the engine ends translated blocks there). The flash_* cases at the end run from
 * flash with the default wait states; their numbers come from tinysim's fetch model, not the TRM.
 */
    .file   "cases.S"               @ else the symbol table names a random temporary file: not reproducible
    .syntax unified
    .thumb
    .section .text.timing_cases, "ax", %progbits
    .balign 1024
    .global timing_cases_start
timing_cases_start:

    .macro CASE name
    .balign 128
    .global case_\name
    .type case_\name, %function
    .thumb_func
case_\name:
    push    {r4-r11, lr}
    ldr     r12, =timing_scratch
    .endm

    .macro T0
    nop
    ldr     r1, [r0]
    sub.w   r0, r0, #4
    .endm

    .macro T1
    nop
    ldr     r2, [r0, #4]
    subs    r0, r2, r1
    pop     {r4-r11, pc}
    .endm

    .macro END name
    .ltorg
    .size case_\name, . - case_\name      @ TimingMicrobenchmarkTest checks every size is at most 128
    .endm

/* ------------------------------------------------------------------ overhead */

CASE empty                      @ raw = 4: LDR 2 + SUB.W 1 + NOP 1 (see the header)
    T0
    T1
END empty

/* ------------------------------------------------------------------ data processing (Table 3-1) */

CASE alu                        @ = 10: ten data-processing instructions, 1 cycle each
    movs    r3, #5
    movs    r4, #3
    T0
    adds    r3, r3, #1
    add.w   r5, r3, r4
    lsls    r5, r5, #2
    eor.w   r6, r5, r4
    clz     r7, r6
    ubfx    r8, r6, #2, #5
    sxth    r9, r6
    rev     r10, r6
    ssat    r11, #8, r6
    bfi     r3, r4, #4, #4
    T1
END alu

CASE mul                        @ = 3: MUL, MLA, MLS are 1 cycle each on the M4
    movs    r3, #5
    movs    r4, #3
    movs    r5, #7
    T0
    mul     r6, r3, r4
    mla     r7, r3, r4, r5
    mls     r8, r3, r4, r5
    T1
END mul

CASE long_mul                   @ = 4: UMULL, SMULL, UMLAL, SMLAL are 1 cycle each
    movs    r3, #5
    movs    r4, #3
    T0
    umull   r5, r6, r3, r4
    smull   r7, r8, r3, r4
    umlal   r5, r6, r3, r4
    smlal   r7, r8, r3, r4
    T1
END long_mul

CASE dsp                        @ = 10: Table 3-2, every DSP/SIMD instruction is 1 cycle
    ldr     r3, =0x00030005
    ldr     r4, =0x00020004
    movs    r5, #100
    T0
    smlad   r6, r3, r4, r5
    smuad   r7, r3, r4
    qadd16  r8, r3, r4
    sadd8   r9, r3, r4
    sel     r10, r3, r4
    usada8  r11, r3, r4, r5
    smmla   r6, r3, r4, r5
    pkhbt   r7, r3, r4, lsl #16
    sxtb16  r8, r3
    ssat16  r9, #8, r3
    T1
END dsp

/* SDIV/UDIV: 2..12 cycles (Table 3-1), early termination. The TRM gives only the bounds; the
   interior values follow tinysim's documented formula 2 + floor(q/3), q = clz(divisor) -
   clz(dividend) + 1 quotient bits (docs/timing-model.md, "Divide"). Each divide is followed by a
   B to the next instruction (1 + P = 2), which ends the translated block: tinysim adds a divide's
   data-dependent cycles when it executes, and a CYCCNT read later in the same block does not see
   them yet (reported to the core's owner); across a block boundary it does. */
CASE udiv_zero_quotient         @ = 4: UDIV 2 (divisor > dividend, the TRM's minimum) + B 2
    movs    r3, #7
    movs    r4, #9
    T0
    udiv    r5, r3, r4
    b       1f
1:  T1
END udiv_zero_quotient

CASE udiv_max                   @ = 14: UDIV 12 (0xFFFFFFFF / 1, 32 quotient bits, the TRM's maximum) + B 2
    mov     r3, #0xFFFFFFFF
    movs    r4, #1
    T0
    udiv    r5, r3, r4
    b       1f
1:  T1
END udiv_max

CASE udiv_mid                   @ = 10: UDIV 1000000 / 7: q = clz(7) - clz(1000000) + 1 = 29 - 12 + 1 = 18, 2 + 18/3 = 8 (model formula) + B 2
    ldr     r3, =1000000
    movs    r4, #7
    T0
    udiv    r5, r3, r4
    b       1f
1:  T1
END udiv_mid

CASE sdiv_negative              @ = 9: SDIV -100000 / 3: magnitudes, q = 30 - 15 + 1 = 16, 2 + 16/3 = 7 (model formula) + B 2
    ldr     r3, =-100000
    movs    r4, #3
    T0
    sdiv    r5, r3, r4
    b       1f
1:  T1
END sdiv_negative

/* ------------------------------------------------------------------ loads and stores (§3.3.2) */

CASE ldr                        @ = 2: LDR is 2 cycles
    T0
    ldr     r3, [r12]
    T1
END ldr

CASE ldr_ldr                    @ = 3: LDR;LDR pipeline: the second takes 1 ("LDR R0,[R1]; LDR R1,[R2]: normally three cycles")
    T0
    ldr     r3, [r12]
    ldr     r4, [r12, #4]
    T1
END ldr_ldr

CASE ldr_ldr_ldr                @ = 4: 2 + 1 + 1
    T0
    ldr     r3, [r12]
    ldr     r4, [r12, #4]
    ldrh    r5, [r12, #8]
    T1
END ldr_ldr_ldr

CASE ldr_dependent              @ = 4: the second address is the first result: no pipelining, 2 + 2
    T0
    ldr     r3, [r12, #16]      @ timing_scratch[4] holds &timing_scratch
    ldr     r4, [r3]
    T1
END ldr_dependent

CASE ldr_writeback              @ = 4: a load with base update does not pipeline, 2 + 2
    T0
    ldr     r3, [r12], #4
    ldr     r4, [r12]
    T1
END ldr_writeback

CASE ldr_register_offset        @ = 2: LDR Rt,[Rn,Rm] is 2 like any single load
    movs    r4, #4
    T0
    ldr     r3, [r12, r4]
    T1
END ldr_register_offset

CASE ldr_literal                @ = 2: LDR Rt,[PC,#imm] from zero-wait memory; the fetch unit's buffer is full here, so no contention cycle
    T0
    ldr     r3, =0x12345678
    T1
END ldr_literal

CASE ldr_literal_contention     @ = 6: B 2, then at the branch target LDR literal 2 + ADD.W 1, + 1: the literal read holds the port when the fetch unit must fetch the ADD.W's second halfword
    T0
    b       1f
    .balign 4
1:  ldr     r3, 2f
    add.w   r4, r4, #1
    T1
    .balign 4
2:  .word   0x12345678
END ldr_literal_contention

CASE ldr_unaligned_halfword     @ = 3: LDR 2 + 1, a word at a halfword address (TRM 3.3.2, unaligned accesses)
    T0
    ldr.w   r3, [r12, #2]
    T1
END ldr_unaligned_halfword

CASE ldr_unaligned_byte         @ = 4: LDR 2 + 2, a word at a byte address
    T0
    ldr.w   r3, [r12, #1]
    T1
END ldr_unaligned_byte

CASE ldrh_unaligned             @ = 3: LDRH 2 + 1, a halfword at a byte address
    T0
    ldrh.w  r3, [r12, #1]
    T1
END ldrh_unaligned

CASE ldr_str                    @ = 3: LDR;STR pipelines ("LDR R0,[R1,R2]; STR R0,[R3,#20]: normally three cycles")
    T0
    ldr     r3, [r12]
    str     r3, [r12, #8]
    T1
END ldr_str

CASE ldr_str_register           @ = 3: LDR 2 + STR Rt,[Rn,Rm] 2 - 1 pipelined ("LDR R0,[R1,R2]; STR R1,[R3,R2]: normally three")
    movs    r4, #8
    T0
    ldr     r3, [r12]
    str     r3, [r12, r4]
    T1
END ldr_str_register

CASE str                        @ = 1: "STR Rx,[Ry,#imm] is always one cycle" (the write buffer takes the data)
    movs    r3, #1
    T0
    str     r3, [r12, #8]
    T1
END str

CASE str_str                    @ = 2: 1 + 1
    movs    r3, #1
    T0
    str     r3, [r12, #8]
    strh    r3, [r12, #12]
    T1
END str_str

CASE str_register               @ = 2: STR with a register offset: the table's 2 cycles
    movs    r3, #1
    movs    r4, #8
    T0
    str     r3, [r12, r4]
    T1
END str_register

CASE str_ldr                    @ = 3: nothing pipelines after a store: 1 + 2
    movs    r3, #1
    T0
    str     r3, [r12, #8]
    ldr     r4, [r12, #4]
    T1
END str_ldr

CASE address_dependency         @ = 4: MOV 1 + stall 1 (address from the preceding data-processing result, no forwarding path) + LDR 2
    T0
    mov     r4, r12
    ldr     r3, [r4]
    T1
END address_dependency

CASE address_independent        @ = 3: MOV 1 + LDR 2 (the LDR does not use r4)
    T0
    mov     r4, r12
    ldr     r3, [r12]
    T1
END address_independent

CASE address_dependency_store   @ = 3: MOV 1 + stall 1 + STR 1
    movs    r3, #1
    T0
    mov     r4, r12
    str     r3, [r4, #8]
    T1
END address_dependency_store

CASE ldrd                       @ = 3: LDRD is 1 + N = 3
    T0
    ldrd    r4, r5, [r12]
    T1
END ldrd

CASE strd                       @ = 3: STRD is 1 + N = 3
    movs    r4, #1
    movs    r5, #2
    T0
    strd    r4, r5, [r12, #8]
    T1
END strd

CASE ldrd_ldr                   @ = 5: LDRD does not pipeline with neighbours: 3 + 2
    T0
    ldrd    r4, r5, [r12]
    ldr     r3, [r12, #8]
    T1
END ldrd_ldr

CASE ldm4                       @ = 5: LDM 1 + N, N = 4
    T0
    ldm     r12, {r3, r4, r5, r6}
    T1
END ldm4

CASE stm8                       @ = 9: STM 1 + N, N = 8 ("an eight-register STM takes 9 cycles")
    T0
    stm     r12, {r2, r3, r4, r5, r6, r7, r8, r9}
    T1
END stm8

CASE push_pop                   @ = 10: PUSH 1 + 4, POP 1 + 4
    T0
    push    {r3, r4, r5, r6}
    pop     {r3, r4, r5, r6}
    T1
END push_pop

/* ------------------------------------------------------------------ branches */

CASE b                          @ = 2: B is 1 + P, P = 1 (immediate target, fetched from the decode stage)
    T0
    b       1f
1:  T1
END b

CASE b_cond_taken               @ = 2: B<cond> taken: 1 + P
    cmp     r3, r3
    T0
    beq     1f
    nop
1:  T1
END b_cond_taken

CASE b_cond_not_taken           @ = 1: B<cond> not taken: 1
    cmp     r3, r3
    T0
    bne     1f
1:  T1
END b_cond_not_taken

CASE cbz_taken                  @ = 2: CBZ taken: 1 + P
    movs    r3, #0
    T0
    cbz     r3, 1f
    nop
1:  T1
END cbz_taken

CASE b_to_wide_aligned          @ = 3: B 2 + ADD.W 1: a 32-bit target at a word address costs nothing more
    T0
    b       1f
    .balign 4
1:  add.w   r3, r3, #1
    T1
END b_to_wide_aligned

CASE b_to_wide_unaligned        @ = 4: B 2 + 1 (a 32-bit target at a halfword address needs a second fetch) + ADD.W 1
    T0
    b       1f
    .balign 4
    nop
1:  add.w   r3, r3, #1
    T1
END b_to_wide_unaligned

CASE bl_bx                      @ = 5: BL 1 + P(1) = 2, BX LR 1 + P(2) = 3
    T0
    bl      2f
    T1
2:  bx      lr
END bl_bx

CASE bx                         @ = 3: BX Rm is 1 + P, P = 2 (register target, known in execute)
    adr     r3, 1f
    adds    r3, #1
    T0
    bx      r3
    .balign 4
1:  T1
END bx

CASE blx                        @ = 6: BLX Rm 1 + 2, then BX LR 1 + 2
    adr     r3, 2f
    adds    r3, #1
    T0
    blx     r3
    T1
    .balign 4
2:  bx      lr
END blx

CASE mov_pc                     @ = 3: data processing into the PC: 1 + P(2)
    adr     r3, 1f
    T0
    mov     pc, r3
    .balign 4
1:  T1
END mov_pc

CASE ldr_pc                     @ = 5: LDR PC: 2 (load) + P(3): "at least five cycles"
    adr     r3, 1f
    adds    r3, #1
    str     r3, [r12, #8]
    T0
    ldr     pc, [r12, #8]
    .balign 4
1:  T1
END ldr_pc

CASE pop_pc                     @ = 5: POP with PC: 1 + N(1) + P(3)
    adr     r3, 1f
    adds    r3, #1
    push    {r3}
    T0
    pop     {pc}
    .balign 4
1:  T1
END pop_pc

CASE tbb                        @ = 6: TBB: 2 (load) + 1 (add) + P(3): "at least six cycles"
    movs    r3, #0
    T0
    tbb     [pc, r3]
1:  .byte   (2f - 1b) / 2
    .byte   0
    .balign 2
2:  T1
END tbb

CASE tbh                        @ = 6: TBH: as TBB
    movs    r3, #0
    T0
    tbh     [pc, r3, lsl #1]
1:  .short  (2f - 1b) / 2
    .balign 2
2:  T1
END tbh

/* ------------------------------------------------------------------ IT */

CASE it_folded                  @ = 3: MOV 1 + IT 0 (folded onto the preceding 16-bit instruction) + 1 + 1
    cmp     r3, r3
    T0
    mov     r4, r4
    ite     eq
    moveq   r3, #1
    movne   r3, #2
    T1
END it_folded

CASE it_not_folded              @ = 4: MOV.W 1 + IT 1 (the preceding instruction is 32-bit) + 1 + 1
    cmp     r3, r3
    T0
    mov.w   r4, r4
    ite     eq
    moveq   r3, #1
    movne   r3, #2
    T1
END it_not_folded

CASE it_skipped                 @ = 3: IT 1 + two skipped ADDs, 1 each (a failed instruction keeps its issue slot)
    cmp     r3, r3
    T0
    itt     ne
    addne   r3, #1
    addne   r3, #1
    T1
END it_skipped

CASE it_skipped_ldr             @ = 2: IT 1 + a skipped LDR 1 (a failed instruction keeps its issue slot only, not its 2 cycles)
    cmp     r3, r3
    T0
    it      ne
    ldrne   r3, [r12]
    T1
END it_skipped_ldr

CASE it_executed_ldr            @ = 3: IT 1 + the LDR it lets run, 2
    cmp     r3, r3
    T0
    it      eq
    ldreq   r3, [r12]
    T1
END it_executed_ldr

/* ------------------------------------------------------------------ system */

CASE mrs                        @ = 1: MRS (1..2 in the TRM; tinysim: 1)
    T0
    mrs     r3, primask
    T1
END mrs

CASE msr                        @ = 2: MSR (1..2 in the TRM; tinysim: 2)
    movs    r3, #0
    T0
    msr     basepri, r3
    T1
END msr

CASE cpsid_cpsie                @ = 4: CPSID 2 + CPSIE 2 (1..2 in the TRM; tinysim: 2)
    T0
    cpsid   i
    cpsie   i
    T1
END cpsid_cpsie

CASE dmb_dsb                    @ = 2: DMB 1 + DSB 1 (B = 0: nothing outstanding)
    T0
    dmb
    dsb
    T1
END dmb_dsb

CASE isb                        @ = 3: ISB 1 + refill P(2): the pipeline is flushed
    T0
    isb
    T1
END isb

#if defined(__ARM_FP)
/* ------------------------------------------------------------------ FPU (Table 7-1) */

    .macro FPSETUP
    vmov.f32 s1, #1.5
    vmov.f32 s2, #2.0
    vmov.f32 s3, #0.5
    vmov.f32 s4, #3.0
    .endm

CASE vadd                       @ = 1
    FPSETUP
    T0
    vadd.f32 s0, s1, s2
    T1
END vadd

CASE vadd_independent           @ = 2: 1 + 1
    FPSETUP
    T0
    vadd.f32 s0, s1, s2
    vadd.f32 s5, s3, s4
    T1
END vadd_independent

CASE vadd_dependent             @ = 3: 1 + 1 (result used by the very next instruction) + 1
    FPSETUP
    T0
    vadd.f32 s0, s1, s2
    vadd.f32 s5, s0, s3
    T1
END vadd_dependent

CASE vmul_vsub_vneg_vabs        @ = 4: 1 each
    FPSETUP
    T0
    vmul.f32 s0, s1, s2
    vsub.f32 s5, s3, s4
    vneg.f32 s6, s1
    vabs.f32 s7, s2
    T1
END vmul_vsub_vneg_vabs

CASE vmla                       @ = 3: VMLA 3
    FPSETUP
    T0
    vmla.f32 s0, s1, s2
    T1
END vmla

CASE vfma                       @ = 3: VFMA 3
    FPSETUP
    T0
    vfma.f32 s0, s1, s2
    T1
END vfma

CASE vmla_chain                 @ = 6: 3 + 3: the next MAC reads its addend late, no stall
    FPSETUP
    T0
    vmla.f32 s0, s1, s2
    vmla.f32 s0, s3, s4
    T1
END vmla_chain

CASE vmla_multiplicand          @ = 7: 3 + 1 (the result is a multiplicand of the next MAC) + 3
    FPSETUP
    T0
    vmla.f32 s0, s1, s2
    vmla.f32 s5, s0, s4
    T1
END vmla_multiplicand

CASE vmla_vmul                  @ = 5: 3 + 1 + 1
    FPSETUP
    T0
    vmla.f32 s0, s1, s2
    vmul.f32 s5, s0, s4
    T1
END vmla_vmul

CASE vdiv_dependent             @ = 17: VDIV 14 + 1 (result used next) + VMOV to a core register 2
    FPSETUP
    T0
    vdiv.f32 s0, s1, s2
    vmov    r3, s0
    T1
END vdiv_dependent

CASE vsqrt_dependent            @ = 17: VSQRT 14 + 1 + VMOV 2
    FPSETUP
    T0
    vsqrt.f32 s0, s1
    vmov    r3, s0
    T1
END vsqrt_dependent

CASE vdiv_overlap               @ = 9: VDIV issues in 1; integer instructions after it run while it completes: 1 + 8
    FPSETUP
    T0
    vdiv.f32 s0, s1, s2
    adds    r3, #1
    adds    r3, #1
    adds    r3, #1
    adds    r3, #1
    adds    r3, #1
    adds    r3, #1
    adds    r3, #1
    adds    r3, #1
    T1
END vdiv_overlap

CASE vdiv_vadd                  @ = 15: the FPU takes the independent VADD only after 14, then VADD 1
    FPSETUP
    T0
    vdiv.f32 s0, s1, s2
    vadd.f32 s5, s3, s4
    T1
END vdiv_vadd

CASE vldr                       @ = 2: VLDR.32 2
    T0
    vldr    s0, [r12]
    T1
END vldr

CASE vldr_double                @ = 3: VLDR.64 3
    T0
    vldr    d0, [r12]
    T1
END vldr_double

CASE vstr                       @ = 2: VSTR.32 2
    FPSETUP
    T0
    vstr    s1, [r12, #8]
    T1
END vstr

CASE vldm4                      @ = 5: VLDM 1 + N, N = 4 single registers
    T0
    vldmia  r12, {s0, s1, s2, s3}
    T1
END vldm4

CASE vpush_vpop_double          @ = 10: VPUSH {d8-d9} 1 + 2N = 5, VPOP 5
    T0
    vpush   {d8, d9}
    vpop    {d8, d9}
    T1
END vpush_vpop_double

CASE vmov_core                  @ = 4: VMOV core<->S 2 each
    movs    r3, #1
    FPSETUP
    T0
    vmov    s0, r3
    vmov    r4, s1
    T1
END vmov_core

CASE vmov_immediate_register    @ = 2: VMOV immediate 1, VMOV S->S 1
    FPSETUP
    T0
    vmov.f32 s0, #1.0
    vmov.f32 s5, s1
    T1
END vmov_immediate_register

CASE vcvt_vmov                  @ = 4: VCVT 1 + 1 (result used next) + VMOV 2
    FPSETUP
    T0
    vcvt.s32.f32 s0, s1
    vmov    r3, s0
    T1
END vcvt_vmov

CASE vcmp_vmrs                  @ = 2: VCMP 1 + VMRS 1
    FPSETUP
    T0
    vcmp.f32 s1, s2
    vmrs    APSR_nzcv, fpscr
    T1
END vcmp_vmrs
#endif

/* ------------------------------------------------------------------ across a translated-block boundary
   The engine ends a translated block at every 1 KB boundary: each of these cases puts one at the label
   split_NAME, between two instructions that interact in the pipeline, and must cost what the same pair
   costs inside one block (TimingMicrobenchmarkTest checks that the label is 1 KB aligned). `before` is the
   number of bytes from the case's start to the boundary. */

    .macro SPLIT_CASE name, before
    .balign 1024
    .skip   1024 - \before
    .global case_\name
    .type case_\name, %function
    .thumb_func
case_\name:
    push    {r4-r11, lr}
    ldr     r12, =timing_scratch
    .endm

    .macro SPLIT name
    .global split_\name
split_\name:
    .endm

SPLIT_CASE ldr_ldr_split, 20    @ = 3: LDR;LDR pipelines across the block boundary, as ldr_ldr
    T0
    ldr     r3, [r12]
SPLIT ldr_ldr_split
    ldr     r4, [r12, #4]
    T1
END ldr_ldr_split

#if defined(__ARM_FP)
SPLIT_CASE vadd_dependent_split, 36   @ = 3: the next block's first VADD reads the last one's result: 1 + 1 stall + 1
    FPSETUP
    T0
    vadd.f32 s0, s1, s2
SPLIT vadd_dependent_split
    vadd.f32 s5, s0, s3
    T1
END vadd_dependent_split
#endif

    .balign 128
    .global timing_cases_end
timing_cases_end:

/* ------------------------------------------------------------------ from flash
   Run where they are linked (flash, instruction cache off: NVMC ICACHECNF resets to 0). The
   expected numbers come from tinysim's fetch model (docs/timing-model.md, "Flash"), with the
   nRF52840 defaults W = 2 wait states per 32-bit fetch, P = 1: they are the model's, not the TRM's. */
    .balign 128

CASE flash_empty                @ raw = 6 (fetch-model derivation in TimingMicrobenchmarkTest)
    T0
    T1
END flash_empty

CASE flash_alu16                @ = 24: 16 x 16-bit ADDS = 8 words, fetch-bound at one word per 1 + W = 3 cycles
    T0
    .rept 16
    adds    r3, #1
    .endr
    T1
END flash_alu16

CASE flash_alu32                @ = 24: 8 x 32-bit ADD.W = 8 words, one per 3 cycles
    T0
    .rept 8
    add.w   r3, r3, #1
    .endr
    T1
END flash_alu32

CASE flash_loop                 @ = 67: 10 x (SUBS; BNE) from flash (derivation in TimingMicrobenchmarkTest)
    movs    r3, #10
    T0
1:  subs    r3, #1
    bne     1b
    T1
END flash_loop

CASE flash_literal              @ = 6: LDR from a flash literal pool 2 + W, and the read holds the flash port: the next fetch ends 2 cycles later
    T0
    ldr     r3, 2f
    T1
    .balign 4
2:  .word   0x12345678
END flash_literal

    .balign 128
