/* The Cortex-M4 DSP-extension operations the SIMD kernels use, behind one small header:
 * ACLE intrinsics (arm_acle.h) when compiling for a core with the DSP extension, portable C
 * with exactly the same results elsewhere (the x86 host build that unit-tests the kernels).
 *
 * Values are packed like the instructions see them: an "int16x2" is a uint32_t with lane 0
 * in bits 0..15 and lane 1 in bits 16..31; an "int8x4" has byte 0 in bits 0..7. */
#ifndef TS_DSP_H
#define TS_DSP_H

#include <stdint.h>
#include <string.h>

#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#include <arm_acle.h>
#define TS_HAVE_DSP 1

/* acc + a.lo*b.lo + a.hi*b.hi */
static inline int32_t ts_smlad(uint32_t a, uint32_t b, int32_t acc) { return __smlad((int32_t)a, (int32_t)b, acc); }
/* acc + a.lo*b.lo */
static inline int32_t ts_smlabb(uint32_t a, uint32_t b, int32_t acc) { return __smlabb((int32_t)a, (int32_t)b, acc); }
/* acc + a.hi*b.hi */
static inline int32_t ts_smlatt(uint32_t a, uint32_t b, int32_t acc) { return __smlatt((int32_t)a, (int32_t)b, acc); }
/* acc + a.lo*b.hi */
static inline int32_t ts_smlabt(uint32_t a, uint32_t b, int32_t acc) { return __smlabt((int32_t)a, (int32_t)b, acc); }
/* acc + a.hi*b.lo */
static inline int32_t ts_smlatb(uint32_t a, uint32_t b, int32_t acc) { return __smlatb((int32_t)a, (int32_t)b, acc); }
/* sign-extend bytes 0 and 2 to two int16 lanes */
static inline uint32_t ts_sxtb16(uint32_t x) { return (uint32_t)__sxtb16((int32_t)x); }
/* sign-extend bytes 1 and 3 (SXTB16 with ROR #8) */
static inline uint32_t ts_sxtb16_ror8(uint32_t x)
{
    uint32_t r;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
    return r;
}
/* a + sign-extended bytes 0 and 2, lane-wise mod 2^16 */
static inline uint32_t ts_sxtab16(uint32_t a, uint32_t x) { return (uint32_t)__sxtab16((int32_t)a, (int32_t)x); }
/* a + sign-extended bytes 1 and 3 (SXTAB16 with ROR #8) */
static inline uint32_t ts_sxtab16_ror8(uint32_t a, uint32_t x)
{
    uint32_t r;
    __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(a), "r"(x));
    return r;
}

/* (a * b + 2^31) >> 32, the rounded high word of the product */
static inline int32_t ts_smmulr(int32_t a, int32_t b)
{
    int32_t r;
    __asm__("smmulr %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
    return r;
}
/* x saturated to [-128, 127] */
static inline int32_t ts_ssat8(int32_t x) { return __ssat(x, 8); }

#else
#define TS_HAVE_DSP 0

static inline int32_t ts_smmulr(int32_t a, int32_t b)
{
    return (int32_t)(((int64_t)a * (int64_t)b + 0x80000000ll) >> 32);
}
static inline int32_t ts_ssat8(int32_t x) { return x < -128 ? -128 : (x > 127 ? 127 : x); }

static inline int32_t ts_lo16(uint32_t x) { return (int32_t)(int16_t)(uint16_t)(x & 0xFFFFu); }
static inline int32_t ts_hi16(uint32_t x) { return (int32_t)(int16_t)(uint16_t)(x >> 16); }
static inline int32_t ts_smlad(uint32_t a, uint32_t b, int32_t acc)
{
    return (int32_t)((uint32_t)acc + (uint32_t)(ts_lo16(a) * ts_lo16(b)) + (uint32_t)(ts_hi16(a) * ts_hi16(b)));
}
static inline int32_t ts_smlabb(uint32_t a, uint32_t b, int32_t acc)
{
    return (int32_t)((uint32_t)acc + (uint32_t)(ts_lo16(a) * ts_lo16(b)));
}
static inline int32_t ts_smlatt(uint32_t a, uint32_t b, int32_t acc)
{
    return (int32_t)((uint32_t)acc + (uint32_t)(ts_hi16(a) * ts_hi16(b)));
}
static inline int32_t ts_smlabt(uint32_t a, uint32_t b, int32_t acc)
{
    return (int32_t)((uint32_t)acc + (uint32_t)(ts_lo16(a) * ts_hi16(b)));
}
static inline int32_t ts_smlatb(uint32_t a, uint32_t b, int32_t acc)
{
    return (int32_t)((uint32_t)acc + (uint32_t)(ts_hi16(a) * ts_lo16(b)));
}
static inline uint32_t ts_sxtb16(uint32_t x)
{
    uint32_t lo = (uint16_t)(int16_t)(int8_t)(uint8_t)(x & 0xFFu);
    uint32_t hi = (uint16_t)(int16_t)(int8_t)(uint8_t)((x >> 16) & 0xFFu);
    return lo | (hi << 16);
}
static inline uint32_t ts_sxtb16_ror8(uint32_t x) { return ts_sxtb16((x >> 8) | (x << 24)); }
static inline uint32_t ts_sxtab16(uint32_t a, uint32_t x)
{
    uint32_t e = ts_sxtb16(x);
    uint32_t lo = (a + e) & 0xFFFFu;
    uint32_t hi = ((a >> 16) + (e >> 16)) & 0xFFFFu;
    return lo | (hi << 16);
}
static inline uint32_t ts_sxtab16_ror8(uint32_t a, uint32_t x) { return ts_sxtab16(a, (x >> 8) | (x << 24)); }
#endif

/* Unaligned little-endian 32-bit loads/stores (a single LDR/STR on the Cortex-M4, which allows
 * unaligned word access; memcpy keeps the C well-defined). */
static inline uint32_t ts_ld32(const void *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}
static inline void ts_st32(void *p, uint32_t v) { memcpy(p, &v, 4); }

/* Packs two int16 values into an int16x2 */
static inline uint32_t ts_pack16(int32_t lo, int32_t hi)
{
    return ((uint32_t)lo & 0xFFFFu) | ((uint32_t)hi << 16);
}

#endif
