/*
 * tinysim's per-block accounting, run by Unicorn as a native UC_HOOK_BLOCK callback so that the
 * common case costs a few nanoseconds instead of a Java upcall (~35 ns). Built into position-
 * independent machine code by gen-block-hook.sh and embedded in NativeBlockHook.java; it
 * must not call anything or use relocations. Anything unusual goes to the Java slow path, which
 * redoes the same accounting itself (CortexM4.onBlock): both paths must agree exactly.
 *
 * A block table entry (one per halfword of a code region, 0 = not decoded yet):
 *   bits  0..15  block size in bytes (must equal Unicorn's)
 *   bits 16..23  instructions in the block
 *   bits 24..31  IT-block instructions (counted by the Java path only: diagnostics)
 *   bits 32..47  cycles of the block (final conditional branch not taken)
 *   bits 48..53  extra cycles when the final conditional branch is taken
 *   bits 54..59  extra cycles when a taken branch lands on this block
 *   bit  60      ends in a conditional branch (B<cond>, CBZ, CBNZ)
 *   bit  61      ends in any other branch (the next block is a branch target)
 *   bit  62      always take the slow path for this block
 *   bit  63      valid
 */
#include <stdint.h>

#define COND_END   (1ull << 60)
#define BRANCH_END (1ull << 61)
#define SLOW       (1ull << 62)
#define VALID      (1ull << 63)

struct region {
    uint64_t base;
    uint64_t bytes;
    uint64_t *table;
};

struct state {
    uint64_t cycles;                 /*  0 */
    uint64_t instructions;           /*  8 */
    uint64_t block_start_cycles;     /* 16 */
    uint64_t block_start_insns;      /* 24: written by the Java path only (instructions - block count here) */
    uint64_t current;                /* 32 */
    uint64_t prev_entry;             /* 40 */
    uint64_t prev_fallthrough;       /* 48 */
    uint64_t cycle_limit;            /* 56: take the slow path once cycles reach this */
    uint64_t insn_limit;             /* 64 */
    uint64_t it_instructions;        /* 72: written by the Java path only */
    void (*slow)(void *uc, uint64_t address, uint32_t size, struct state *s);   /* 80 */
    uint64_t region_count;           /* 88 */
    struct region regions[4];        /* 96 */
};

void tinysim_block(void *uc, uint64_t address, uint32_t size, struct state *s)
{
    /* Most blocks are in the first region (flash): look there first. */
    uint64_t entry = 0;
    uint64_t off = address - s->regions[0].base;
    if (__builtin_expect(off < s->regions[0].bytes, 1)) {
        entry = s->regions[0].table[off >> 1];
    } else {
        for (uint64_t i = 1; i < s->region_count; i++) {
            off = address - s->regions[i].base;
            if (off < s->regions[i].bytes) {
                entry = s->regions[i].table[off >> 1];
                break;
            }
        }
    }
    /* valid, not always-slow, and the size Unicorn reports, in one comparison */
    if (__builtin_expect((entry & (VALID | SLOW | 0xFFFF)) != (VALID | size), 0)) {
        goto slow;
    }
    uint64_t c = s->cycles;
    uint64_t p = s->prev_entry;
    if (p & COND_END) {
        if (address != s->prev_fallthrough) {
            c += ((p >> 48) & 63) + ((entry >> 54) & 63);
        }
    } else if (p & BRANCH_END) {
        c += (entry >> 54) & 63;
    }
    if (__builtin_expect(c >= s->cycle_limit, 0)) {
        goto slow;
    }
    uint64_t n = s->instructions + ((entry >> 16) & 0xFF);
    if (__builtin_expect(n > s->insn_limit, 0)) {
        goto slow;
    }
    s->block_start_cycles = c;
    s->cycles = c + ((entry >> 32) & 0xFFFF);
    s->instructions = n;
    s->current = address;
    s->prev_entry = entry;
    s->prev_fallthrough = address + size;
    return;
slow:
    s->slow(uc, address, size, s);
}
