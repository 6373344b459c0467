#include "fb.h"
#include "ts_errors.h"

/* A flatbuffer table is at most this far away from its vtable in either direction;
 * positions are kept below the model size, so every sum below fits in 64 bits. */

int fb_table_at(const fb_buf *b, uint32_t pos, fb_table *t)
{
    if (pos > b->size || b->size - pos < 4u) {
        return TS_ERR_BAD_FLATBUFFER;
    }
    int32_t soff = (int32_t)fb_rd_u32(b->base + pos);
    int64_t vt = (int64_t)pos - (int64_t)soff;
    if (vt < 0 || vt > (int64_t)b->size - 4) {
        return TS_ERR_BAD_FLATBUFFER;
    }
    uint32_t vt_size = fb_rd_u16(b->base + (uint32_t)vt);
    uint32_t tab_size = fb_rd_u16(b->base + (uint32_t)vt + 2u);
    if (vt_size < 4u || (vt_size & 1u) != 0 || (uint64_t)vt + vt_size > b->size ||
        tab_size < 4u || (uint64_t)pos + tab_size > b->size) {
        return TS_ERR_BAD_FLATBUFFER;
    }
    t->pos = pos;
    t->vt = (uint32_t)vt;
    t->vt_size = vt_size;
    t->tab_size = tab_size;
    return TS_ERR_OK;
}

int fb_root(const fb_buf *b, fb_table *t)
{
    if (b->size < 8u) {
        return TS_ERR_BAD_FLATBUFFER;
    }
    return fb_table_at(b, fb_rd_u32(b->base), t);
}

int fb_field(const fb_buf *b, const fb_table *t, int field, uint32_t size, uint32_t *pos)
{
    uint32_t slot = 4u + 2u * (uint32_t)field;
    *pos = 0;
    if (slot + 2u > t->vt_size) {
        return TS_ERR_OK; /* older schema: field absent */
    }
    uint32_t off = fb_rd_u16(b->base + t->vt + slot);
    if (off == 0) {
        return TS_ERR_OK;
    }
    if (off < 4u || off + size > t->tab_size) {
        return TS_ERR_BAD_FLATBUFFER;
    }
    *pos = t->pos + off;
    return TS_ERR_OK;
}

int fb_u8(const fb_buf *b, const fb_table *t, int field, uint8_t dflt, uint8_t *out)
{
    uint32_t p;
    int e = fb_field(b, t, field, 1, &p);
    *out = (e == 0 && p != 0) ? b->base[p] : dflt;
    return e;
}

int fb_u32(const fb_buf *b, const fb_table *t, int field, uint32_t dflt, uint32_t *out)
{
    uint32_t p;
    int e = fb_field(b, t, field, 4, &p);
    *out = (e == 0 && p != 0) ? fb_rd_u32(b->base + p) : dflt;
    return e;
}

int fb_i32(const fb_buf *b, const fb_table *t, int field, int32_t dflt, int32_t *out)
{
    uint32_t u;
    int e = fb_u32(b, t, field, (uint32_t)dflt, &u);
    *out = (int32_t)u;
    return e;
}

int fb_u64(const fb_buf *b, const fb_table *t, int field, uint64_t dflt, uint64_t *out)
{
    uint32_t p;
    int e = fb_field(b, t, field, 8, &p);
    *out = (e == 0 && p != 0)
               ? ((uint64_t)fb_rd_u32(b->base + p) | ((uint64_t)fb_rd_u32(b->base + p + 4) << 32))
               : dflt;
    return e;
}

int fb_f32(const fb_buf *b, const fb_table *t, int field, float dflt, float *out)
{
    uint32_t p;
    int e = fb_field(b, t, field, 4, &p);
    *out = (e == 0 && p != 0) ? fb_rd_f32(b->base + p) : dflt;
    return e;
}

/* Follows the uoffset stored at field position p. */
static int follow(const fb_buf *b, uint32_t p, uint32_t *target)
{
    uint64_t t = (uint64_t)p + fb_rd_u32(b->base + p);
    if (t >= b->size) {
        return TS_ERR_BAD_FLATBUFFER;
    }
    *target = (uint32_t)t;
    return TS_ERR_OK;
}

int fb_subtable(const fb_buf *b, const fb_table *t, int field, fb_table *out, int *present)
{
    uint32_t p, target;
    *present = 0;
    int e = fb_field(b, t, field, 4, &p);
    if (e != 0 || p == 0) {
        return e;
    }
    if ((e = follow(b, p, &target)) != 0) {
        return e;
    }
    *present = 1;
    return fb_table_at(b, target, out);
}

int fb_vector(const fb_buf *b, const fb_table *t, int field, uint32_t elem_size, fb_vec *out)
{
    uint32_t p, target;
    out->pos = 0;
    out->len = 0;
    int e = fb_field(b, t, field, 4, &p);
    if (e != 0 || p == 0) {
        return e;
    }
    if ((e = follow(b, p, &target)) != 0) {
        return e;
    }
    if (b->size - target < 4u) {
        return TS_ERR_BAD_FLATBUFFER;
    }
    uint32_t len = fb_rd_u32(b->base + target);
    uint32_t room = b->size - target - 4u;
    if (len > room / elem_size) {
        return TS_ERR_BAD_FLATBUFFER;
    }
    out->pos = target + 4u;
    out->len = len;
    return TS_ERR_OK;
}

int fb_vec_table(const fb_buf *b, const fb_vec *v, uint32_t i, fb_table *out)
{
    uint32_t target;
    if (i >= v->len) {
        return TS_ERR_BAD_FLATBUFFER;
    }
    int e = follow(b, v->pos + 4u * i, &target);
    if (e != 0) {
        return e;
    }
    return fb_table_at(b, target, out);
}
