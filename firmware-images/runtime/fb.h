/* A bounds-checked reader for flatbuffers, reading the model in place (in flash).
 *
 * Every position is a byte offset into the model (uint32_t), never a raw pointer, and is
 * checked against the model size before it is read; scalars are read byte by byte
 * (little-endian), so a hostile model cannot make the runtime read out of bounds or fault
 * on an unaligned access. A failed check returns TS_ERR_BAD_FLATBUFFER. */
#ifndef TS_FB_H
#define TS_FB_H

#include <stdint.h>
#include <string.h>

typedef struct {
    const uint8_t *base;
    uint32_t size;
} fb_buf;

/* A table: its position and its vtable */
typedef struct {
    uint32_t pos;       /* table start (where the soffset to the vtable is) */
    uint32_t vt;        /* vtable position */
    uint32_t vt_size;   /* vtable bytes */
    uint32_t tab_size;  /* table inline bytes */
} fb_table;

/* A vector: position of element 0 and element count (len = 0 when absent) */
typedef struct {
    uint32_t pos;
    uint32_t len;
} fb_vec;

static inline uint32_t fb_rd_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline uint16_t fb_rd_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}
static inline float fb_rd_f32(const uint8_t *p)
{
    uint32_t u = fb_rd_u32(p);
    float f;
    memcpy(&f, &u, 4);
    return f;
}

/* The root table (offset at byte 0). */
int fb_root(const fb_buf *b, fb_table *t);
/* Validates the table at pos. */
int fb_table_at(const fb_buf *b, uint32_t pos, fb_table *t);
/* Position of field `field` with `size` inline bytes, 0 if absent; error if it overflows. */
int fb_field(const fb_buf *b, const fb_table *t, int field, uint32_t size, uint32_t *pos);

int fb_u8(const fb_buf *b, const fb_table *t, int field, uint8_t dflt, uint8_t *out);
int fb_i32(const fb_buf *b, const fb_table *t, int field, int32_t dflt, int32_t *out);
int fb_u32(const fb_buf *b, const fb_table *t, int field, uint32_t dflt, uint32_t *out);
int fb_u64(const fb_buf *b, const fb_table *t, int field, uint64_t dflt, uint64_t *out);
int fb_f32(const fb_buf *b, const fb_table *t, int field, float dflt, float *out);
/* A sub-table; *present = 0 when absent. */
int fb_subtable(const fb_buf *b, const fb_table *t, int field, fb_table *out, int *present);
/* A vector of elements of elem_size bytes; len 0 when absent. */
int fb_vector(const fb_buf *b, const fb_table *t, int field, uint32_t elem_size, fb_vec *out);
/* Element i of a vector of tables. i must be < v->len. */
int fb_vec_table(const fb_buf *b, const fb_vec *v, uint32_t i, fb_table *out);

static inline int32_t fb_vec_i32(const fb_buf *b, const fb_vec *v, uint32_t i)
{
    return (int32_t)fb_rd_u32(b->base + v->pos + 4u * i);
}
static inline int64_t fb_vec_i64(const fb_buf *b, const fb_vec *v, uint32_t i)
{
    const uint8_t *p = b->base + v->pos + 8u * i;
    return (int64_t)((uint64_t)fb_rd_u32(p) | ((uint64_t)fb_rd_u32(p + 4) << 32));
}
static inline float fb_vec_f32(const fb_buf *b, const fb_vec *v, uint32_t i)
{
    return fb_rd_f32(b->base + v->pos + 4u * i);
}

#endif
