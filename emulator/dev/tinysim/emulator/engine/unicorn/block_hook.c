/*
 * tinysim's per-block accounting, run by Unicorn as a native UC_HOOK_BLOCK callback so that the
 * common case costs a few nanoseconds instead of a Java upcall (~35 ns). Built into position-
 * independent machine code by gen-block-hook.sh and embedded in NativeBlockHook.java; it
 * must not call anything or use relocations. Anything unusual goes to the Java slow path, which
 * redoes the same accounting itself (BlockAccounting.onBlock, FlashPath): both paths must agree exactly.
 *
 * A block table entry (one per halfword of a code region, 0 = not decoded yet) packs a block's size, instructions,
 * cycles, penalties and flags in 64 bits: block_hook_layout.h lists them, generated from engine.NativeConstants.
 *
 * The memory system (docs/timing-model.md, "The flash path"): flash is read in rows of 2^row_shift
 * bytes, each read taking 1 + wait cycles. An instruction fetch or data read of a row is served,
 * in this order, by the row last read on that side (the line buffer, where the part has one), by
 * the row after it (when prefetch is on), by a cache (when one is on for that side), else by flash.
 * Penalties are the cycles beyond a zero-wait read; hits and misses are counted.
 *
 * A data program lists, for one block, the reads that may hit flash and how to compute their
 * addresses from the registers at the block's entry (read from the CPU state Unicorn keeps at the
 * address in rbp when it calls this hook inline: TCG's env register on x86-64). Its ops are OP_BYTES each, their
 * fields at the AT_ offsets of block_hook_layout.h (op, dst, a, b, shift, size, count, flags, imm (int32), aux
 * (16 bits)), with a register file v[0..15] = r0..r14 at entry (v[15] unused), updated by the ops in order.
 */
#include <stdint.h>

/*
 * The entry Unicorn calls, at offset 0 of the code. Unicorn calls the only block hook inline from
 * the translated code, where rbp holds TCG's env (the CPU state, r0..r15 first): pass it on.
 */
__asm__(".text\n"
        ".globl tinysim_block\n"
        "tinysim_block:\n"
        "    mov %rbp, %r8\n"
        "    jmp tinysim_block_entry\n");

struct state;
static void tinysim_block_entry(void *uc, uint64_t address, uint32_t size, struct state *s, uint32_t *env)
    __attribute__((used));

/* The entry bits, memsys flags, program ops and limits (engine.NativeConstants) and struct cache, region_map, memsys,
   region, state (engine.NativeCounters): generated from their one, Java, description */
#include "block_hook_layout.h"

/* A field of a block-table entry (X_SHIFT, X_BITS above); SFIELD: a signed one, sign-extended. */
#define FIELD(e, f) (((e) >> f##_SHIFT) & ((1ull << f##_BITS) - 1))
#define SFIELD(e, f) ((uint64_t) ((int64_t) ((e) << (64 - f##_SHIFT - f##_BITS)) >> (64 - f##_BITS)))
/* The little-endian 32-bit value at p (an op's imm: ops are byte arrays, unaligned). */
#define LE32(p) ((uint32_t) (p)[0] | (uint32_t) (p)[1] << 8 | (uint32_t) (p)[2] << 16 | (uint32_t) (p)[3] << 24)

static int cache_access(struct cache *c, uint64_t line)
{
    uint64_t key = line + 1;
    if (key == c->last_line) {
        return 1;
    }
    uint64_t set = line & c->sets_mask;
    uint64_t n = c->ways;
    uint32_t *t = c->tags + set * n;
    uint32_t k = (uint32_t) key;
    c->last_line = key;
    if (c->policy == 0) {
        for (uint64_t i = 0; i < n; i++) {
            if (t[i] == k) {
                for (uint64_t j = i; j > 0; j--) {
                    t[j] = t[j - 1];
                }
                t[0] = k;
                return 1;
            }
        }
        for (uint64_t j = n - 1; j > 0; j--) {
            t[j] = t[j - 1];
        }
        t[0] = k;
        return 0;
    }
    for (uint64_t i = 0; i < n; i++) {
        if (t[i] == k) {
            return 1;
        }
    }
    uint8_t v = c->next[set];
    t[v] = k;
    c->next[set] = (uint8_t) (v + 1 == n ? 0 : v + 1);
    return 0;
}

/* Instruction fetch of [address, address + size) from flash: the stall beyond zero-wait fetches. */
static uint64_t fetch(struct memsys *m, uint64_t address, uint64_t size)
{
    uint64_t stall = 0;
    uint64_t shift = m->row_shift;
    uint64_t first = address >> shift, last = (address + size - 1) >> shift;
    uint64_t flags = m->flags;
    if ((flags & (I_LINEBUF | I_PREFETCH | I_CACHE)) == I_CACHE) {
        /* Only the cache decides: one lookup per line; the line's other rows hit (the same result as row by row). */
        struct cache *c = m->icache;
        uint64_t d = c->line_shift - shift;
        uint64_t misses = 0;
        for (uint64_t l = first >> d; l <= last >> d; l++) {
            if (!cache_access(c, l)) {
                misses++;
            }
        }
        stall = misses * c->miss_penalty;
        m->i_misses += misses;
        m->i_hits += last - first + 1 - misses;
        m->last_irow = last + 1;
        m->i_stall += stall;
        return stall;
    }
    for (uint64_t r = first; r <= last; r++) {
        uint64_t key = r + 1;
        uint64_t prev = m->last_irow;
        m->last_irow = key;
        if ((flags & I_LINEBUF) && key == prev) {
            m->i_buffer++;
            continue;
        }
        if ((flags & I_PREFETCH) && key == prev + 1) {
            m->i_buffer++;
            continue;
        }
        if (flags & I_CACHE) {
            struct cache *c = m->icache;
            if (cache_access(c, (r << shift) >> c->line_shift)) {
                m->i_hits++;
            } else {
                m->i_misses++;
                stall += c->miss_penalty;
            }
            continue;
        }
        m->i_rows++;
        stall += m->wait;
    }
    m->i_stall += stall;
    return stall;
}

/* One data transfer at a flash address (already normalised): the stall beyond a zero-wait read. */
static uint64_t data_read(struct memsys *m, uint64_t address)
{
    uint64_t flags = m->flags;
    uint64_t r = address >> m->row_shift;
    uint64_t key = r + 1;
    uint64_t prev = m->last_drow;
    m->last_drow = key;
    m->d_reads++;
    if (flags & D_CACHE) {
        struct cache *c = m->dcache;
        if (cache_access(c, address >> c->line_shift)) {
            m->d_hits++;
            return 0;
        }
        m->d_misses++;
        m->d_stall += c->miss_penalty;
        return c->miss_penalty;
    }
    if ((flags & D_LINEBUF) && key == prev) {
        m->d_buffer++;
        return 0;
    }
    if ((flags & D_PREFETCH) && key == prev + 1) {
        m->d_buffer++;
        return 0;
    }
    m->d_rows++;
    m->d_stall += m->wait;
    return m->wait;
}

/* The flash address behind `a`, or ~0 when `a` is not in the flash or one of its aliases. */
static uint64_t flash_address(struct memsys *m, uint64_t a)
{
    if (a - m->flash_base[0] < m->flash_size[0]) {
        return a - m->flash_norm[0];
    }
    if (a - m->flash_base[1] < m->flash_size[1]) {
        return a - m->flash_norm[1];
    }
    return ~0ull;
}

static int load_value(struct memsys *m, uint64_t a, uint32_t size, uint32_t sign, uint32_t *out)
{
    for (uint64_t i = 0; i < m->region_count; i++) {
        uint64_t off = a - m->regions[i].base;
        if (off < m->regions[i].size && off + size <= m->regions[i].size) {
            const uint8_t *p = m->regions[i].host + off;
            uint32_t v = p[0];
            if (size >= 2) {
                v |= (uint32_t) p[1] << 8;
            }
            if (size == 4) {
                v |= (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
            }
            if (sign && size == 1) {
                v = (uint32_t) (int32_t) (int8_t) v;
            } else if (sign && size == 2) {
                v = (uint32_t) (int32_t) (int16_t) v;
            }
            *out = v;
            return 1;
        }
    }
    return 0;
}

/* Records the cumulative data stall after op k of the block starting at block_start (for reads of CYCCNT in it). */
static void note_stall(struct memsys *m, uint32_t k, uint64_t cumulative, uint64_t block_start)
{
    if (m->data_block != block_start) {
        m->data_block = block_start;
        for (uint32_t i = 0; i < k && i < MAX_STALL_OPS; i++) {
            m->op_stall[i] = 0;
        }
    }
    if (k < MAX_STALL_OPS) {
        m->op_stall[k] = (uint32_t) cumulative;
    }
}

/* `count` transfers of `size` bytes from `address`: the stall of those that read flash, and of an unaligned
   single access (TRM 3.3.2: a halfword at a byte address or a word at a halfword address +1, a word at a
   byte address +2; LDRD, LDM and VLDR must be aligned). */
static uint64_t transfers(struct memsys *m, uint32_t address, uint32_t size, uint32_t count)
{
    uint64_t stall = 0;
    if (count == 1 && (address & (size - 1))) {
        stall = (size == 4 && (address & 1)) ? 2 : 1;
    }
    for (uint32_t t = 0; t < count; t++) {
        uint64_t f = flash_address(m, (uint64_t) (uint32_t) (address + t * size));
        if (f != ~0ull) {
            stall += data_read(m, f);
        }
    }
    return stall;
}

/*
 * Runs a block's data program from the registers at its entry; returns the data stall cycles.
 * Values it cannot compute (a load from a device or through an aliasing store) poison what
 * depends on them; a read whose address is poisoned is counted as unresolved, not charged.
 */
static uint64_t run_program(struct memsys *m, const uint8_t *op, const uint32_t *env, uint64_t block_start)
{
    uint64_t stall = 0;
    uint32_t k = 0;
    /* Reads whose addresses are made of entry registers (the common case): no register file to build. */
    for (; op[AT_CODE] == OP_ACCE; op += OP_BYTES, k++) {
        uint32_t a = op[AT_A], b = op[AT_B];
        int32_t imm = (int32_t) LE32(op + AT_IMM);
        uint32_t address = (a == NONE ? 0 : env[a & 15]) + ((b == NONE ? 0 : env[b & 15]) << op[AT_SHIFT]) + (uint32_t) imm;
        if (op[AT_COUNT] != 1 || flash_address(m, address) != ~0ull || (address & (op[AT_SIZE] - 1u))) {
            stall += transfers(m, address, op[AT_SIZE], op[AT_COUNT]);
        }
        if (stall) {
            note_stall(m, k, stall, block_start);
        }
    }
    if (op[AT_CODE] == OP_END) {
        return stall;
    }
    uint32_t v[16];
    for (int i = 0; i < 15; i++) {
        v[i] = env[i];
    }
    v[15] = 0;
    uint32_t poison = 0;
    uint32_t st_lo[MAX_STORES], st_hi[MAX_STORES];
    uint32_t stores = 0;
    for (;; op += OP_BYTES) {
        uint32_t code = op[AT_CODE], d = op[AT_DST] & 15, a = op[AT_A], b = op[AT_B], sh = op[AT_SHIFT];
        int32_t imm = (int32_t) LE32(op + AT_IMM);
        uint32_t va = a == NONE ? 0 : v[a & 15];
        uint32_t vb = b == NONE ? 0 : v[b & 15];
        uint32_t pa = a == NONE ? 0 : (poison >> (a & 15)) & 1;
        uint32_t pb = b == NONE ? 0 : (poison >> (b & 15)) & 1;
        uint32_t r;
        switch (code) {
        case OP_END:
            return stall;
        case OP_ACC: {
            uint32_t address = va + (vb << sh) + (uint32_t) imm;
            if (pa | pb) {
                m->unresolved += op[AT_COUNT];
            } else {
                stall += transfers(m, address, op[AT_SIZE], op[AT_COUNT]);
            }
            if (stall) {
                note_stall(m, k, stall, block_start);
            }
            k++;
            continue;
        }
        case OP_STREC: {
            uint32_t address = va + (vb << sh) + (uint32_t) imm;
            if (stores < MAX_STORES) {
                st_lo[stores] = (pa | pb) ? 0 : address;
                st_hi[stores] = (pa | pb) ? 0xFFFFFFFFu : address + op[AT_SIZE];
                stores++;
            } else {
                st_lo[MAX_STORES - 1] = 0;
                st_hi[MAX_STORES - 1] = 0xFFFFFFFFu;
            }
            continue;
        }
        case OP_LDV: {
            uint32_t address = va + (vb << sh) + (uint32_t) imm;
            uint32_t size = op[AT_SIZE], bad = pa | pb;
            for (uint32_t i = 0; i < stores && !bad; i++) {
                if (address < st_hi[i] && st_lo[i] < address + size) {
                    bad = 1;
                }
            }
            uint32_t value = 0;
            if (!bad && !load_value(m, address, size, op[AT_FLAGS] & 1, &value)) {
                bad = 1;
            }
            v[d] = value;
            poison = (poison & ~(1u << d)) | (bad << d);
            continue;
        }
        case OP_MOVI: r = (uint32_t) imm; pa = 0; pb = 0; break;
        case OP_ADDI: r = va + (uint32_t) imm; break;
        case OP_ADDSH: r = va + (vb << sh) + (uint32_t) imm; break;
        case OP_SUBSH: r = va - (vb << sh); break;
        case OP_RSBI: r = (uint32_t) imm - va; break;
        case OP_LSLI: r = (uint32_t) imm >= 32 ? 0 : va << imm; break;
        case OP_LSRI: r = (uint32_t) imm >= 32 ? 0 : va >> imm; break;
        case OP_ASRI: r = (uint32_t) (((int32_t) va) >> ((uint32_t) imm >= 32 ? 31 : imm)); break;
        case OP_MUL: {
            uint32_t aux = (uint32_t) ((int32_t) ((uint32_t) op[AT_AUX] | (uint32_t) op[AT_AUX + 1] << 8));
            r = va * vb;
            if (aux < 16) {
                r += v[aux];
                pb |= (poison >> aux) & 1;
            }
            break;
        }
        case OP_ANDI: r = va & (uint32_t) imm; break;
        case OP_ORRI: r = va | (uint32_t) imm; break;
        case OP_EORI: r = va ^ (uint32_t) imm; break;
        case OP_AND: r = va & (vb << sh); break;
        case OP_ORR: r = va | (vb << sh); break;
        case OP_EOR: r = va ^ (vb << sh); break;
        case OP_BIC: r = va & ~(vb << sh); break;
        case OP_MVN: r = ~(vb << sh); pa = 0; break;
        case OP_MOVT: r = (v[d] & 0xFFFFu) | ((uint32_t) imm << 16); pa = (poison >> d) & 1; pb = 0; break;
        case OP_EXT:
            if (sh == 8) {
                r = (op[AT_FLAGS] & 1) ? (uint32_t) (int32_t) (int8_t) va : (va & 0xFFu);
            } else {
                r = (op[AT_FLAGS] & 1) ? (uint32_t) (int32_t) (int16_t) va : (va & 0xFFFFu);
            }
            break;
        case OP_LSL: r = (vb & 255) >= 32 ? 0 : va << (vb & 255); break;
        case OP_LSR: r = (vb & 255) >= 32 ? 0 : va >> (vb & 255); break;
        case OP_UBFX: {
            if (imm == 0) {
                r = 0;
                break;
            }
            uint32_t field = (uint32_t) imm >= 32 ? va >> sh : (va >> sh) & ((1u << imm) - 1);
            if ((op[AT_FLAGS] & 1) && (uint32_t) imm < 32 && (field >> (imm - 1)) & 1) {
                field |= ~((1u << imm) - 1);
            }
            r = field;
            break;
        }
        default:
            r = 0;
            pa = 1;
            break;
        }
        v[d] = r;
        poison = (poison & ~(1u << d)) | ((pa | pb) << d);
    }
}

static void tinysim_block_entry(void *uc, uint64_t address, uint32_t size, struct state *s, uint32_t *env)
{
    /* Most blocks are in the first region (flash): look there first. */
    uint64_t entry = 0;
    struct region *reg = &s->regions[0];
    uint64_t off = address - reg->base;
    if (__builtin_expect(off < reg->bytes, 1)) {
        entry = reg->table[off >> 1];
    } else {
        for (uint64_t i = 1; i < s->region_count; i++) {
            reg = &s->regions[i];
            off = address - reg->base;
            if (off < reg->bytes) {
                entry = reg->table[off >> 1];
                break;
            }
        }
    }
    /* valid, not always-slow, and the size Unicorn reports, in one comparison */
    if (__builtin_expect((entry & (VALID | SLOW | ((1ull << SIZE_BITS) - 1) << SIZE_SHIFT))
                         != (VALID | (uint64_t) size << SIZE_SHIFT), 0)) {
        goto slow;
    }
    if (entry & HAS_PROGRAM) {
        if (s->env != env) {
            if (s->env != 0) {
                goto slow;
            }
            s->env = env;
        }
        if (!s->env_ok) {
            goto slow;
        }
    }
    uint64_t c = s->cycles;
    uint64_t p = s->prev_entry;
    if (p & COND_END) {
        if (address != s->prev_fallthrough) {
            c += FIELD(p, TAKEN_PENALTY) + FIELD(entry, ENTRY_PENALTY);
        } else {
            c += SFIELD(p, CARRY);
        }
    } else if (p & BRANCH_END) {
        c += FIELD(entry, ENTRY_PENALTY);
    } else if (address == s->prev_fallthrough) {
        c += SFIELD(p, CARRY);
    }
    if (__builtin_expect(c >= s->cycle_limit, 0)) {
        goto slow;
    }
    uint64_t n = s->instructions + FIELD(entry, INSNS);
    if (__builtin_expect(n > s->insn_limit, 0)) {
        goto slow;
    }
    uint64_t stall = 0;
    if (entry & (DYN_FETCH | HAS_PROGRAM)) {
        struct memsys *m = s->ms;
        if (entry & DYN_FETCH) {
            if ((m->flags & (I_LINEBUF | I_PREFETCH | I_CACHE)) == I_CACHE) {
                /* Inline fast path: every line the block touches is the last one looked up or the most
                   recent of its set. Such a hit changes no replacement state (LRU or round robin), so
                   when one is not, fetch() redoes the block from its start with the same result. */
                struct cache *ic = m->icache;
                uint64_t ls = ic->line_shift;
                for (uint64_t l = address >> ls; l <= (address + size - 1) >> ls; l++) {
                    uint64_t k = l + 1;
                    if (k != ic->last_line) {
                        if (ic->tags[(l & ic->sets_mask) * ic->ways] != (uint32_t) k) {
                            goto full_fetch;
                        }
                        ic->last_line = k;
                    }
                }
                uint64_t rs = m->row_shift;
                uint64_t last_row = (address + size - 1) >> rs;
                m->i_hits += last_row - (address >> rs) + 1;
                m->last_irow = last_row + 1;
                goto fetched;
            }
full_fetch:
            stall = fetch(m, address, size);
            if (stall) {
                m->fetch_block = c;
                m->fetch_stall = stall;
            }
        }
fetched:
        if (entry & HAS_PROGRAM) {
            const uint8_t *op = s->pool + reg->programs[off >> 1];
            int run = 1;
            if (entry & QUICK_DATA) {
                /* Most reads are of RAM: test the addresses first, run the program only if one is flash. */
                const uint8_t *q = op;
                run = 0;
                do {
                    uint32_t b = q[AT_B];
                    uint32_t a = env[q[AT_A] & 15] + ((b == NONE ? 0 : env[b & 15]) << q[AT_SHIFT])
                            + LE32(q + AT_IMM);
                    if ((uint64_t) a - m->flash_base[0] < m->flash_size[0] || (uint64_t) a - m->flash_base[1] < m->flash_size[1]
                            || (a & (q[AT_SIZE] - 1u))) {
                        run = 1;
                        break;
                    }
                    q += OP_BYTES;
                } while (q[AT_CODE] == OP_ACCE);
            }
            if (run) {
                stall += run_program(m, op, env, c);
            }
        }
    }
    s->block_start_cycles = c;
    s->cycles = c + FIELD(entry, CYCLES) + stall;
    s->instructions = n;
    s->current = address;
    s->prev_entry = entry;
    s->prev_fallthrough = address + size;
    return;
slow:
    if (s->env == 0 && (entry & HAS_PROGRAM)) {
        s->env = env;   /* the Java path checks it against the engine before anything uses it */
    }
    s->slow(uc, address, size, s);
}

