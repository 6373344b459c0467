/* Operators that move data: TRANSPOSE, STRIDED_SLICE, SLICE, SQUEEZE, EXPAND_DIMS, SPLIT, SPLIT_V, PACK,
 * UNPACK, GATHER, RESIZE_NEAREST_NEIGHBOR, and ARG_MAX. Rules and arithmetic: TFLite Micro's kernels, as
 * docs/inference-semantics.md ("Data movement, indexing and reductions") states them; the Java reference
 * (dev.tinysim.reference) checks the same things. Every check is done at prepare; eval only copies (GATHER
 * with computed positions also checks them). None of these operators asks for scratch memory (TFLite Micro's
 * don't). */
#include <string.h>
#include "tflite_schema.h"
#include "ts_op_util.h"
#include "ts_ops.h"
#include "ts_quant.h"
#include "ts_runtime.h"

#define TYPE_BIT(t) (1u << (t))
#define TYPES_ALL                                                                                        \
    (TYPE_BIT(TFL_FLOAT32) | TYPE_BIT(TFL_INT32) | TYPE_BIT(TFL_UINT8) | TYPE_BIT(TFL_INT64) |          \
     TYPE_BIT(TFL_BOOL) | TYPE_BIT(TFL_INT16) | TYPE_BIT(TFL_INT8))
#define TYPES_F_I8 (TYPE_BIT(TFL_FLOAT32) | TYPE_BIT(TFL_INT8))
#define TYPES_F_I8_I16 (TYPES_F_I8 | TYPE_BIT(TFL_INT16))
#define TYPES_F_I8_I16_I32 (TYPES_F_I8_I16 | TYPE_BIT(TFL_INT32))

static uint32_t esize(const ts_tensor *t)
{
    return t->bytes / numel(t);
}

/* in has one of the types, out the same type and (quantized types) the same quantization */
static int check_copy(ts_ctx *ctx, const ts_tensor *in, const ts_tensor *out, uint32_t types)
{
    if (in->type > 31 || (TYPE_BIT(in->type) & types) == 0 || out->type != in->type) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    return check_same_quant(ctx, in, out);
}

/* The values of a constant integer tensor (int32, or int64 that fits 32 bits when int64_ok), at most max
 * of them; *n receives the count. */
static int const_ints(ts_ctx *ctx, const ts_tensor *t, int int64_ok, int32_t *dst, uint32_t max, uint32_t *n)
{
    const int32_t index = (int32_t)(t - ctx->tensors);
    if (!t->is_const || !(t->type == TFL_INT32 || (int64_ok && t->type == TFL_INT64))) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "constant-int-input", index);
    }
    *n = numel(t);
    if (*n > max) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "too-many-values", index);
    }
    for (uint32_t k = 0; k < *n; k++) {
        if (t->type == TFL_INT32) {
            dst[k] = (int32_t)fb_rd_u32(t->data + 4u * k);
        } else {
            const uint64_t lo = fb_rd_u32(t->data + 8u * k), hi = fb_rd_u32(t->data + 8u * k + 4u);
            const int64_t v = (int64_t)((hi << 32) | lo);
            if (v != (int32_t)v) {
                return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "value-beyond-32-bits", index);
            }
            dst[k] = (int32_t)v;
        }
    }
    return 0;
}

/* The first value of a constant int32 tensor (an axis); TFLite Micro reads only that one */
static int const_first(ts_ctx *ctx, const ts_tensor *t, int32_t *v)
{
    if (!t->is_const || t->type != TFL_INT32) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "constant-int-input", (int32_t)(t - ctx->tensors));
    }
    *v = (int32_t)fb_rd_u32(t->data); /* tensors have at least one element */
    return 0;
}

/* Row-major element strides */
static void strides_of(const ts_tensor *t, int32_t *s)
{
    int32_t stride = 1;
    for (int d = t->rank - 1; d >= 0; d--) {
        s[d] = stride;
        stride *= t->dims[d];
    }
}

static uint32_t product(const int32_t *dims, int from, int to)
{
    uint32_t p = 1;
    for (int d = from; d < to; d++) {
        p *= (uint32_t)dims[d];
    }
    return p;
}

/* ---------------- strided views: TRANSPOSE, SLICE, STRIDED_SLICE, SPLIT, SPLIT_V, UNPACK ----------------
 * The output, in row-major order, reads input element start + sum(index[d] * step[d]) (steps may be
 * negative). Dimensions of extent 1 are dropped and a dimension that continues the next one is merged
 * into it at prepare, so contiguous runs become one memcpy. */

typedef struct {
    int32_t count[TS_MAX_RANK];
    int32_t step[TS_MAX_RANK]; /* in elements */
    int32_t start;             /* input element of the first output element */
    uint32_t esize;
    uint32_t n;                /* dimensions left after dropping and merging */
} ts_view;

static void view_init(ts_view *v, uint32_t es, int32_t start)
{
    memset(v, 0, sizeof *v);
    v->esize = es;
    v->start = start;
}

/* Appends the next (inner) output dimension. A step only matters for count > 1, and then |step * count| stays
   within twice the input's element count (< 2^29): int32 from there on. */
static void view_dim(ts_view *v, int32_t count, int64_t step64)
{
    if (count == 1) {
        return;
    }
    const int32_t step = (int32_t)step64;
    if (v->n > 0 && v->step[v->n - 1] == step * count) { /* the outer dimension jumps exactly over this one */
        v->count[v->n - 1] *= count;
        v->step[v->n - 1] = step;
        return;
    }
    v->count[v->n] = count;
    v->step[v->n] = step;
    v->n++;
}

static void view_copy(const ts_view *v, uint8_t *dst, const uint8_t *src)
{
    const uint32_t es = v->esize;
    if (v->n == 0) {
        memcpy(dst, src + (uint32_t)v->start * es, es);
        return;
    }
    const uint32_t last = v->n - 1;
    const int32_t run = v->count[last], step = v->step[last];
    int32_t idx[TS_MAX_RANK] = { 0 };
    int32_t base = v->start;
    for (;;) {
        const uint8_t *s = src + (int32_t)((uint32_t)base * es);
        if (step == 1) {
            memcpy(dst, s, (uint32_t)run * es);
            dst += (uint32_t)run * es;
        } else {
            const int32_t jump = step * (int32_t)es;
            switch (es) {
            case 1:
                for (int32_t i = 0; i < run; i++, s += jump) {
                    *dst++ = *s;
                }
                break;
            case 2:
                for (int32_t i = 0; i < run; i++, s += jump, dst += 2) {
                    memcpy(dst, s, 2);
                }
                break;
            case 4:
                for (int32_t i = 0; i < run; i++, s += jump, dst += 4) {
                    memcpy(dst, s, 4);
                }
                break;
            default:
                for (int32_t i = 0; i < run; i++, s += jump, dst += 8) {
                    memcpy(dst, s, 8);
                }
                break;
            }
        }
        int32_t k = (int32_t)last - 1;
        for (; k >= 0; k--) {
            base += v->step[k];
            if (++idx[k] < v->count[k]) {
                break;
            }
            base -= v->step[k] * v->count[k];
            idx[k] = 0;
        }
        if (k < 0) {
            return;
        }
    }
}

/* One view per output, all reading input `input` */
typedef struct {
    int32_t input;
    ts_view views[];
} views_data;

static int alloc_views(ts_ctx *ctx, ts_op *op, int32_t input, uint32_t count)
{
    TRY(alloc_data(ctx, op, (uint32_t)sizeof(views_data) + count * (uint32_t)sizeof(ts_view)));
    ((views_data *)op->data)->input = input;
    return 0;
}

int eval_views(ts_ctx *ctx, ts_op *op)
{
    const views_data *d = op->data;
    const uint8_t *src = in_t(ctx, op, d->input)->data;
    for (int k = 0; k < op->nout; k++) {
        view_copy(&d->views[k], out_t(ctx, op, k)->data, src);
    }
    return 0;
}

/* ======================= TRANSPOSE ======================= */

int prepare_transpose(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 2, 2, 1));
    ts_tensor *in = in_t(ctx, op, 0), *perm_t = in_t(ctx, op, 1), *out = out_t(ctx, op, 0);
    TRY(check_copy(ctx, in, out, TYPES_F_I8_I16));
    if (in->rank < 1 || in->rank > 5) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "rank", in->rank);
    }
    if (perm_t->rank != 1 || perm_t->dims[0] != in->rank) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "perm-shape", -1);
    }
    int32_t perm[TS_MAX_RANK], stride[TS_MAX_RANK];
    uint32_t n, seen = 0;
    TRY(const_ints(ctx, perm_t, 0, perm, TS_MAX_RANK, &n));
    if (out->rank != in->rank) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
    }
    for (int d = 0; d < in->rank; d++) {
        if (perm[d] < 0 || perm[d] >= in->rank || (seen & (1u << perm[d])) != 0) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "perm", perm[d] < 0 ? 0 : perm[d]);
        }
        seen |= 1u << perm[d];
        if (out->dims[d] != in->dims[perm[d]]) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
        }
    }
    strides_of(in, stride);
    TRY(alloc_views(ctx, op, 0, 1));
    ts_view *v = ((views_data *)op->data)->views;
    view_init(v, esize(in), 0);
    for (int d = 0; d < in->rank; d++) {
        view_dim(v, out->dims[d], stride[perm[d]]);
    }
    return 0;
}

/* ======================= STRIDED_SLICE ======================= */

static int32_t clamp_axis(int32_t v, int32_t stride, int32_t size)
{
    const int32_t lo = stride > 0 ? 0 : -1, hi = stride > 0 ? size : size - 1;
    return v < lo ? lo : (v > hi ? hi : v);
}

/* strided_slice_logic.h StartForAxis / StopForAxis (TFLite Micro's Prepare: the output shape) */
static int32_t prepare_start(int32_t begin, int32_t stride, int32_t size, int masked)
{
    int32_t start = masked ? (stride > 0 ? INT32_MIN : INT32_MAX) : begin;
    if (start < 0) {
        start += size;
    }
    return clamp_axis(start, stride, size);
}

static int32_t prepare_stop(int32_t end, int32_t stride, int32_t size, int masked)
{
    int32_t stop = masked ? (stride > 0 ? INT32_MAX : INT32_MIN) : end;
    if (stop < 0) {
        stop += size;
    }
    return clamp_axis(stop, stride, size);
}

/* StridedSliceStartForAxis / StridedSliceEndForAxis (Eval: the elements) */
static int32_t eval_start(int32_t begin, int32_t stride, int32_t size, int masked)
{
    int32_t start = begin < 0 ? begin + size : begin;
    start = clamp_axis(start, stride, size);
    return masked ? (stride > 0 ? 0 : size - 1) : start;
}

static int32_t eval_stop(int32_t end, int32_t stride, int32_t size, int masked)
{
    int32_t stop = end < 0 ? end + size : end;
    stop = clamp_axis(stop, stride, size);
    return masked ? (stride > 0 ? size : -1) : stop;
}

/* ceil(num / (float)den) as TFLite computes a strided-slice dimension */
static int32_t ceil_div_float(int32_t num, int32_t den)
{
    const float q = (float)num / (float)den;
    int32_t t = (int32_t)q;
    return (float)t < q ? t + 1 : t;
}

int prepare_strided_slice(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 4, 4, 1));
    TRY(check_options(ctx, op, OPT_STRIDED_SLICE));
    ts_tensor *in = in_t(ctx, op, 0), *out = out_t(ctx, op, 0);
    TRY(check_copy(ctx, in, out, TYPES_F_I8_I16_I32 | TYPE_BIT(TFL_BOOL)));
    int32_t begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_mask;
    uint8_t offset;
    TRY(opt_i32(ctx, op, STRIDED_SLICE_BEGIN_MASK, 0, &begin_mask));
    TRY(opt_i32(ctx, op, STRIDED_SLICE_END_MASK, 0, &end_mask));
    TRY(opt_i32(ctx, op, STRIDED_SLICE_ELLIPSIS_MASK, 0, &ellipsis_mask));
    TRY(opt_i32(ctx, op, STRIDED_SLICE_NEW_AXIS_MASK, 0, &new_axis_mask));
    TRY(opt_i32(ctx, op, STRIDED_SLICE_SHRINK_AXIS_MASK, 0, &shrink_mask));
    TRY(opt_u8(ctx, op, STRIDED_SLICE_OFFSET, 0, &offset));
    /* TFLite Micro zeroes these and never passes offset to its kernel: it would compute another slice */
    if (ellipsis_mask != 0) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_OPTIONS, "ellipsis-mask", -1);
    }
    if (new_axis_mask != 0) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_OPTIONS, "new-axis-mask", -1);
    }
    if (offset != 0) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_OPTIONS, "offset", -1);
    }
    const int rank = in->rank;
    if (rank < 1 || rank > 4) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "rank", rank);
    }
    int32_t begin[TS_MAX_RANK], end[TS_MAX_RANK], strides[TS_MAX_RANK], in_stride[TS_MAX_RANK];
    uint32_t nb, ne, ns;
    TRY(const_ints(ctx, in_t(ctx, op, 1), 0, begin, TS_MAX_RANK, &nb));
    TRY(const_ints(ctx, in_t(ctx, op, 2), 0, end, TS_MAX_RANK, &ne));
    TRY(const_ints(ctx, in_t(ctx, op, 3), 0, strides, TS_MAX_RANK, &ns));
    if (nb != (uint32_t)rank || ne != (uint32_t)rank || ns != (uint32_t)rank) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "begin-end-strides-length", -1);
    }
    /* the output shape, as Prepare computes it */
    int out_rank = 0;
    for (int a = 0; a < rank; a++) {
        if (strides[a] == 0) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "zero-stride", a);
        }
        const int shrink = (shrink_mask >> a) & 1;
        const int32_t start = prepare_start(begin[a], strides[a], in->dims[a], (begin_mask >> a) & 1);
        const int32_t stop = shrink ? start + 1 : prepare_stop(end[a], strides[a], in->dims[a], (end_mask >> a) & 1);
        int32_t dim = ceil_div_float(stop - start, strides[a]);
        dim = dim < 0 ? 0 : dim;
        if (!shrink) {
            if (out_rank >= out->rank || out->dims[out_rank] != dim) {
                return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
            }
            out_rank++;
        }
    }
    if (out_rank != out->rank) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
    }
    /* the elements, as Eval's loops visit them */
    strides_of(in, in_stride);
    TRY(alloc_views(ctx, op, 0, 1));
    ts_view *v = ((views_data *)op->data)->views;
    view_init(v, esize(in), 0);
    int32_t first = 0;
    uint32_t total = 1;
    for (int a = 0; a < rank; a++) {
        const int32_t size = in->dims[a], stride = strides[a];
        const int shrink = (shrink_mask >> a) & 1;
        const int32_t start = eval_start(begin[a], stride, size, (begin_mask >> a) & 1);
        const int32_t stop = shrink ? (start >= size ? start : start + 1)
                                    : eval_stop(end[a], stride, size, (end_mask >> a) & 1);
        int32_t count = 0; /* in 64 bits: a stride may be anything but 0 */
        if (stride > 0 && stop > start) {
            count = (int32_t)(((int64_t)stop - start + stride - 1) / stride);
        } else if (stride < 0 && start > stop) {
            count = (int32_t)(((int64_t)start - stop - stride - 1) / -(int64_t)stride);
        }
        if (shrink && count != 1) { /* TFLite Micro would leave the output unwritten */
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "shrink-axis-selects-nothing", a);
        }
        total *= (uint32_t)count;
        first += start * in_stride[a];
        view_dim(v, count, (int64_t)stride * in_stride[a]);
    }
    if (total != numel(out)) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
    }
    v->start = first;
    return 0;
}

/* ======================= SLICE ======================= */

int prepare_slice(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 3, 3, 1));
    ts_tensor *in = in_t(ctx, op, 0), *bt = in_t(ctx, op, 1), *st = in_t(ctx, op, 2), *out = out_t(ctx, op, 0);
    TRY(check_copy(ctx, in, out, TYPES_F_I8_I16_I32 | TYPE_BIT(TFL_BOOL)));
    const int rank = in->rank;
    if (bt->type != st->type || rank > 5 || bt->rank != 1 || st->rank != 1 || bt->dims[0] != rank ||
        st->dims[0] != rank) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "begin-size", -1);
    }
    int32_t begin[TS_MAX_RANK], size[TS_MAX_RANK], stride[TS_MAX_RANK];
    uint32_t nb, ns;
    TRY(const_ints(ctx, bt, 1, begin, TS_MAX_RANK, &nb));
    TRY(const_ints(ctx, st, 1, size, TS_MAX_RANK, &ns));
    strides_of(in, stride);
    TRY(alloc_views(ctx, op, 0, 1));
    ts_view *v = ((views_data *)op->data)->views;
    view_init(v, esize(in), 0);
    int32_t first = 0;
    uint64_t count = 1;
    for (int d = 0; d < rank; d++) {
        if (begin[d] < 0 || begin[d] > in->dims[d]) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "begin", d);
        }
        const int32_t resolved = size[d] == -1 ? in->dims[d] - begin[d] : size[d];
        if (resolved < 0 || resolved > in->dims[d] - begin[d]) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "size", d);
        }
        count *= (uint32_t)resolved;
        first += begin[d] * stride[d];
        view_dim(v, resolved, stride[d]);
    }
    if (count != numel(out)) { /* TFLite Micro checks only the element count */
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-size", -1);
    }
    v->start = first;
    return 0;
}

/* ======================= SQUEEZE, EXPAND_DIMS (eval: eval_copy) ======================= */

int prepare_squeeze(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 1, 1, 1));
    TRY(check_options(ctx, op, OPT_SQUEEZE));
    ts_tensor *in = in_t(ctx, op, 0), *out = out_t(ctx, op, 0);
    TRY(check_copy(ctx, in, out, TYPES_ALL));
    uint8_t squeeze[TS_MAX_RANK] = { 0 };
    fb_vec dims = { 0, 0 };
    if (op->has_options) {
        TRY(fb_vector(&ctx->fb, &op->options, SQUEEZE_DIMS, 4, &dims));
    }
    for (int d = 0; d < in->rank; d++) {
        squeeze[d] = dims.len == 0 && in->dims[d] == 1;
    }
    for (uint32_t k = 0; k < dims.len; k++) {
        int32_t d = fb_vec_i32(&ctx->fb, &dims, k);
        d = d < 0 ? d + in->rank : d;
        if (d < 0 || d >= in->rank || in->dims[d] != 1) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "squeeze-dims", (int32_t)k);
        }
        squeeze[d] = 1;
    }
    /* TFLite Micro's checks: every kept dimension fits the output's, and the byte sizes are equal */
    int k = 0;
    for (int d = 0; d < in->rank; d++) {
        if (!squeeze[d]) {
            if (k >= out->rank || out->dims[k] < in->dims[d]) {
                return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
            }
            k++;
        }
    }
    if (in->bytes != out->bytes) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
    }
    return 0;
}

int prepare_expand_dims(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 2, 2, 1));
    ts_tensor *in = in_t(ctx, op, 0), *at = in_t(ctx, op, 1), *out = out_t(ctx, op, 0);
    TRY(check_copy(ctx, in, out, TYPES_F_I8_I16));
    int32_t axis = 0;
    if (at->rank > 1) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "axis", -1);
    }
    TRY(const_first(ctx, at, &axis));
    const int32_t a = axis < 0 ? axis + in->rank + 1 : axis;
    if (a < 0 || a > in->rank || out->rank != in->rank + 1) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "axis", -1);
    }
    for (int d = 0; d < out->rank; d++) {
        const int32_t want = d < a ? in->dims[d] : (d == a ? 1 : in->dims[d - 1]);
        if (out->dims[d] != want) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
        }
    }
    return 0;
}

/* ======================= SPLIT, SPLIT_V, UNPACK (eval: eval_views) ======================= */

static int split_axis(ts_ctx *ctx, const ts_tensor *at, const ts_tensor *in, int32_t *axis)
{
    int32_t v = 0;
    TRY(const_first(ctx, at, &v));
    *axis = v < 0 ? v + in->rank : v;
    if (*axis < 0 || *axis >= in->rank) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "axis", -1);
    }
    return 0;
}

/* Output k takes sizes[k] consecutive positions along axis, in order */
static int split_blocks(ts_ctx *ctx, ts_op *op, int32_t input, int32_t axis, const int32_t *sizes)
{
    const ts_tensor *in = in_t(ctx, op, input);
    const uint32_t outer = product(in->dims, 0, axis), inner = product(in->dims, axis + 1, in->rank);
    TRY(alloc_views(ctx, op, input, op->nout));
    ts_view *views = ((views_data *)op->data)->views;
    int32_t first = 0;
    for (int k = 0; k < op->nout; k++) {
        const ts_tensor *out = out_t(ctx, op, k);
        TRY(check_copy(ctx, in, out, TYPES_F_I8_I16_I32));
        if (out->rank != in->rank) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", k);
        }
        for (int d = 0; d < in->rank; d++) {
            if (out->dims[d] != (d == axis ? sizes[k] : in->dims[d])) {
                return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", k);
            }
        }
        view_init(&views[k], esize(in), first * (int32_t)inner);
        view_dim(&views[k], (int32_t)outer, in->dims[axis] * (int32_t)inner);
        view_dim(&views[k], sizes[k] * (int32_t)inner, 1);
        first += sizes[k];
    }
    return 0;
}

int prepare_split(ts_ctx *ctx, ts_op *op)
{
    if (op->nout < 1) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "input-output-count", -1);
    }
    TRY(check_io(ctx, op, 2, 2, op->nout));
    ts_tensor *in = in_t(ctx, op, 1);
    int32_t axis, sizes[TS_MAX_OP_INPUTS];
    TRY(split_axis(ctx, in_t(ctx, op, 0), in, &axis));
    if (in->dims[axis] % op->nout != 0) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "split-size", -1);
    }
    for (int k = 0; k < op->nout; k++) {
        sizes[k] = in->dims[axis] / op->nout;
    }
    return split_blocks(ctx, op, 1, axis, sizes);
}

int prepare_split_v(ts_ctx *ctx, ts_op *op)
{
    if (op->nout < 1) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "input-output-count", -1);
    }
    TRY(check_io(ctx, op, 3, 3, op->nout));
    ts_tensor *in = in_t(ctx, op, 0);
    int32_t axis, sizes[TS_MAX_OP_INPUTS], total = 0;
    TRY(split_axis(ctx, in_t(ctx, op, 2), in, &axis));
    /* size_splits (input 1) is not read: TFLite Micro takes the sizes from the output shapes */
    for (int k = 0; k < op->nout; k++) {
        const ts_tensor *out = out_t(ctx, op, k);
        if (out->rank != in->rank) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", k);
        }
        sizes[k] = out->dims[axis];
        total += sizes[k];
    }
    if (total != in->dims[axis]) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "split-sizes", -1);
    }
    return split_blocks(ctx, op, 0, axis, sizes);
}

int prepare_unpack(ts_ctx *ctx, ts_op *op)
{
    if (op->nout < 1) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "input-output-count", -1);
    }
    TRY(check_io(ctx, op, 1, 1, op->nout));
    TRY(check_options(ctx, op, OPT_UNPACK));
    ts_tensor *in = in_t(ctx, op, 0);
    int32_t num, axis;
    TRY(opt_i32(ctx, op, UNPACK_NUM, 0, &num));
    TRY(opt_i32(ctx, op, UNPACK_AXIS, 0, &axis));
    axis = axis < 0 ? axis + in->rank : axis;
    if (axis < 0 || axis >= in->rank) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "axis", -1);
    }
    if (num != op->nout || in->dims[axis] != num) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "num", num < 0 ? 0 : num);
    }
    const uint32_t outer = product(in->dims, 0, axis), inner = product(in->dims, axis + 1, in->rank);
    TRY(alloc_views(ctx, op, 0, op->nout));
    ts_view *views = ((views_data *)op->data)->views;
    for (int k = 0; k < op->nout; k++) {
        const ts_tensor *out = out_t(ctx, op, k);
        TRY(check_copy(ctx, in, out, TYPES_F_I8_I16_I32));
        if (out->rank != in->rank - 1) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", k);
        }
        for (int d = 0; d < out->rank; d++) {
            if (out->dims[d] != in->dims[d < axis ? d : d + 1]) {
                return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", k);
            }
        }
        view_init(&views[k], esize(in), k * (int32_t)inner);
        view_dim(&views[k], (int32_t)outer, num * (int32_t)inner);
        view_dim(&views[k], (int32_t)inner, 1);
    }
    return 0;
}

/* ======================= PACK ======================= */

typedef struct {
    uint32_t outer, block; /* block: bytes of one input per outer position */
} pack_data;

int prepare_pack(ts_ctx *ctx, ts_op *op)
{
    TRY(check_options(ctx, op, OPT_PACK));
    int32_t count, axis;
    TRY(opt_i32(ctx, op, PACK_VALUES_COUNT, 0, &count));
    TRY(opt_i32(ctx, op, PACK_AXIS, 0, &axis));
    if (count < 1 || count != op->nin) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "values-count", -1);
    }
    TRY(check_io(ctx, op, count, count, 1));
    ts_tensor *out = out_t(ctx, op, 0);
    axis = axis < 0 ? axis + out->rank : axis;
    if (axis < 0 || axis >= out->rank || out->dims[axis] != count) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "axis", -1);
    }
    for (int k = 0; k < count; k++) {
        const ts_tensor *in = in_t(ctx, op, k);
        TRY(check_copy(ctx, in, out, TYPES_F_I8_I16_I32 | TYPE_BIT(TFL_INT64)));
        if (in->rank != out->rank - 1) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "input-shape", k);
        }
        for (int d = 0; d < in->rank; d++) {
            if (in->dims[d] != out->dims[d < axis ? d : d + 1]) {
                return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "input-shape", k);
            }
        }
    }
    TRY(alloc_data(ctx, op, sizeof(pack_data)));
    pack_data *d = op->data;
    d->outer = product(out->dims, 0, axis);
    d->block = product(out->dims, axis + 1, out->rank) * esize(out);
    return 0;
}

int eval_pack(ts_ctx *ctx, ts_op *op)
{
    const pack_data *d = op->data;
    uint8_t *dst = out_t(ctx, op, 0)->data;
    for (uint32_t a = 0; a < d->outer; a++) {
        for (int k = 0; k < op->nin; k++) {
            memcpy(dst, in_t(ctx, op, k)->data + a * d->block, d->block);
            dst += d->block;
        }
    }
    return 0;
}

/* ======================= GATHER ======================= */

typedef struct {
    uint32_t batches, outer, axis_size, inner_bytes, coords; /* coords: positions per batch */
} gather_data;

static int gather_check(ts_ctx *ctx, const gather_data *d, const int32_t *pos, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++) {
        if (pos[k] < 0 || (uint32_t)pos[k] >= d->axis_size) {
            return ts_fail(ctx, TS_ERR_KERNEL_FAILURE, "gather-position", (int32_t)k);
        }
    }
    return 0;
}

int prepare_gather(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 2, 2, 1));
    TRY(check_options(ctx, op, OPT_GATHER));
    ts_tensor *in = in_t(ctx, op, 0), *coords = in_t(ctx, op, 1), *out = out_t(ctx, op, 0);
    if (coords->type != TFL_INT32) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "positions", -1);
    }
    TRY(check_copy(ctx, in, out, TYPES_F_I8));
    int32_t axis, batch_dims;
    TRY(opt_i32(ctx, op, GATHER_AXIS, 0, &axis));
    TRY(opt_i32(ctx, op, GATHER_BATCH_DIMS, 0, &batch_dims));
    axis = axis < 0 ? axis + in->rank : axis;
    if (axis < 0 || axis >= in->rank) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "axis", -1);
    }
    batch_dims = batch_dims < 0 ? batch_dims + coords->rank : batch_dims;
    if (batch_dims < 0 || batch_dims > axis || batch_dims >= in->rank || batch_dims > coords->rank) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "batch-dims", -1);
    }
    for (int d = 0; d < batch_dims; d++) {
        if (in->dims[d] != coords->dims[d]) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "batch-dims", -1);
        }
    }
    /* output shape: params[:axis] + positions[batch_dims:] + params[axis+1:] */
    if (out->rank != in->rank + coords->rank - 1 - batch_dims) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
    }
    int e = 0;
    for (int d = 0; d < axis; d++) {
        if (out->dims[e++] != in->dims[d]) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
        }
    }
    for (int d = batch_dims; d < coords->rank; d++) {
        if (out->dims[e++] != coords->dims[d]) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
        }
    }
    for (int d = axis + 1; d < in->rank; d++) {
        if (out->dims[e++] != in->dims[d]) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
        }
    }
    TRY(alloc_data(ctx, op, sizeof(gather_data)));
    gather_data *d = op->data;
    d->batches = product(in->dims, 0, batch_dims);
    d->outer = product(in->dims, batch_dims, axis);
    d->axis_size = (uint32_t)in->dims[axis];
    d->inner_bytes = product(in->dims, axis + 1, in->rank) * esize(in);
    d->coords = product(coords->dims, batch_dims, coords->rank);
    if (coords->is_const) { /* checked once here; computed positions are checked at every run */
        for (uint32_t k = 0; k < numel(coords); k++) {
            const int32_t p = (int32_t)fb_rd_u32(coords->data + 4u * k);
            if (p < 0 || (uint32_t)p >= d->axis_size) {
                return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "gather-position", (int32_t)k);
            }
        }
    }
    return 0;
}

int eval_gather(ts_ctx *ctx, ts_op *op)
{
    const gather_data *d = op->data;
    const ts_tensor *coords = in_t(ctx, op, 1);
    const int32_t *pos = (const int32_t *)(const void *)coords->data;
    if (!coords->is_const) {
        TRY(gather_check(ctx, d, pos, d->batches * d->coords));
    }
    const uint8_t *src = in_t(ctx, op, 0)->data;
    uint8_t *dst = out_t(ctx, op, 0)->data;
    for (uint32_t b = 0; b < d->batches; b++) {
        for (uint32_t a = 0; a < d->outer; a++) {
            const uint8_t *block = src + (b * d->outer + a) * d->axis_size * d->inner_bytes;
            for (uint32_t q = 0; q < d->coords; q++) {
                memcpy(dst, block + (uint32_t)pos[b * d->coords + q] * d->inner_bytes, d->inner_bytes);
                dst += d->inner_bytes;
            }
        }
    }
    return 0;
}

/* ======================= RESIZE_NEAREST_NEIGHBOR ======================= */

typedef struct {
    uint32_t batches, out_h, out_w, in_h, in_w, pixel; /* pixel: bytes of one input pixel (depth) */
    int32_t *ys, *xs;                                 /* input row / column of each output row / column */
} resize_data;

/* TFLite's GetNearestNeighbor, in the same float operations (value, offset and scale are >= 0, so the
   conversion to int32 is the floor) */
static int32_t nearest(int32_t value, int32_t in_size, int32_t out_size, uint8_t align, uint8_t half)
{
    const float scale = (align && out_size > 1) ? (float)(in_size - 1) / (float)(out_size - 1)
                                                : (float)in_size / (float)out_size;
    const float offset = half ? 0.5f : 0.0f;
    const float v = ((float)value + offset) * scale;
    int32_t r = align ? (int32_t)ts_roundf(v) : (int32_t)v;
    r = r < in_size - 1 ? r : in_size - 1;
    if (half && r < 0) {
        r = 0;
    }
    return r;
}

int prepare_resize_nearest(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 2, 2, 1));
    TRY(check_options(ctx, op, OPT_RESIZE_NEAREST_NEIGHBOR));
    ts_tensor *in = in_t(ctx, op, 0), *st = in_t(ctx, op, 1), *out = out_t(ctx, op, 0);
    TRY(check_copy(ctx, in, out, TYPES_F_I8_I16));
    uint8_t align, half;
    TRY(opt_u8(ctx, op, RESIZE_ALIGN_CORNERS, 0, &align));
    TRY(opt_u8(ctx, op, RESIZE_HALF_PIXEL_CENTERS, 0, &half));
    if (in->rank != 4 || st->rank != 1 || st->dims[0] != 2) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "input-size-shape", -1);
    }
    int32_t size[TS_MAX_RANK];
    uint32_t n;
    TRY(const_ints(ctx, st, 0, size, 2, &n));
    if (out->rank != 4 || out->dims[0] != in->dims[0] || out->dims[1] != size[0] || out->dims[2] != size[1] ||
        out->dims[3] != in->dims[3]) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
    }
    TRY(alloc_data(ctx, op, sizeof(resize_data)));
    resize_data *d = op->data;
    d->ys = ts_persist(ctx, 4u * (uint32_t)(size[0] + size[1]));
    if (d->ys == NULL) {
        return ts_fail(ctx, TS_ERR_ARENA_TOO_SMALL, "operator-state", -1);
    }
    d->xs = d->ys + size[0];
    d->batches = (uint32_t)in->dims[0];
    d->in_h = (uint32_t)in->dims[1];
    d->in_w = (uint32_t)in->dims[2];
    d->out_h = (uint32_t)size[0];
    d->out_w = (uint32_t)size[1];
    d->pixel = (uint32_t)in->dims[3] * esize(in);
    for (int32_t y = 0; y < size[0]; y++) {
        d->ys[y] = nearest(y, in->dims[1], size[0], align, half);
    }
    for (int32_t x = 0; x < size[1]; x++) {
        d->xs[x] = nearest(x, in->dims[2], size[1], align, half);
    }
    return 0;
}

int eval_resize_nearest(ts_ctx *ctx, ts_op *op)
{
    const resize_data *d = op->data;
    const uint8_t *src = in_t(ctx, op, 0)->data;
    uint8_t *dst = out_t(ctx, op, 0)->data;
    const uint32_t row = d->in_w * d->pixel;
    for (uint32_t b = 0; b < d->batches; b++) {
        for (uint32_t y = 0; y < d->out_h; y++) {
            const uint8_t *line = src + (uint32_t)d->ys[y] * row;
            for (uint32_t x = 0; x < d->out_w; x++) {
                memcpy(dst, line + (uint32_t)d->xs[x] * d->pixel, d->pixel);
                dst += d->pixel;
            }
        }
        src += d->in_h * row;
    }
    return 0;
}

/* ======================= ARG_MAX ======================= */

typedef struct {
    uint32_t outer, size, inner;
    int32_t is_float, is_min;
} argmax_data;

int prepare_arg_max(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 2, 2, 1));
    ts_tensor *in = in_t(ctx, op, 0), *at = in_t(ctx, op, 1), *out = out_t(ctx, op, 0);
    if ((in->type != TFL_FLOAT32 && in->type != TFL_INT8) || out->type != TFL_INT32) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    if (in->rank < 1) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "rank", 0);
    }
    int32_t v = 0;
    TRY(const_first(ctx, at, &v));
    const int32_t axis = v < 0 ? v + in->rank : v;
    if (axis < 0 || axis >= in->rank || out->rank != in->rank - 1) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "axis", -1);
    }
    for (int d = 0; d < out->rank; d++) {
        if (out->dims[d] != in->dims[d < axis ? d : d + 1]) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
        }
    }
    TRY(alloc_data(ctx, op, sizeof(argmax_data)));
    argmax_data *d = op->data;
    d->outer = product(in->dims, 0, axis);
    d->size = (uint32_t)in->dims[axis];
    d->inner = product(in->dims, axis + 1, in->rank);
    d->is_float = in->type == TFL_FLOAT32;
    d->is_min = op->code == TFL_OP_ARG_MIN; /* std::less instead of std::greater */
    return 0;
}

int eval_arg_max(ts_ctx *ctx, ts_op *op)
{
    const argmax_data *d = op->data;
    const uint8_t *src = in_t(ctx, op, 0)->data;
    int32_t *dst = (int32_t *)(void *)out_t(ctx, op, 0)->data;
    for (uint32_t a = 0; a < d->outer; a++) {
        for (uint32_t b = 0; b < d->inner; b++) {
            const uint32_t first = a * d->size * d->inner + b;
            int32_t index = 0;
            if (d->is_float) {
                const float *x = (const float *)(const void *)src + first;
                float best = x[0];
                for (uint32_t k = 1; k < d->size; k++) {
                    /* strictly greater (less): ties keep the first index */
                    if (d->is_min ? x[k * d->inner] < best : x[k * d->inner] > best) {
                        best = x[k * d->inner];
                        index = (int32_t)k;
                    }
                }
            } else {
                const int8_t *x = (const int8_t *)src + first;
                int8_t best = x[0];
                for (uint32_t k = 1; k < d->size; k++) {
                    if (d->is_min ? x[k * d->inner] < best : x[k * d->inner] > best) {
                        best = x[k * d->inner];
                        index = (int32_t)k;
                    }
                }
            }
            dst[a * d->inner + b] = index;
        }
    }
    return 0;
}

/* ======================= DEPTH_TO_SPACE, SPACE_TO_DEPTH ======================= */

/* TFLM depth_to_space.cc / space_to_depth.cc (reference DepthToSpace / SpaceToDepth), float32 and int8, rank 4
 * NHWC, block_size > 0 from the options. Both are one 6-dimensional view: DEPTH_TO_SPACE reads the input
 * [N, H, W, bs, bs, C'] in the order [N, H, bs, W, bs, C']; SPACE_TO_DEPTH reads [N, H', bs, W', bs, C] in the
 * order [N, H', W', bs, bs, C]. */
int prepare_depth_space(ts_ctx *ctx, ts_op *op)
{
    const int to_space = op->code == TFL_OP_DEPTH_TO_SPACE;
    TRY(check_io(ctx, op, 1, 1, 1));
    TRY(check_options(ctx, op, to_space ? OPT_DEPTH_TO_SPACE : OPT_SPACE_TO_DEPTH));
    ts_tensor *in = in_t(ctx, op, 0), *out = out_t(ctx, op, 0);
    TRY(check_copy(ctx, in, out, TYPES_F_I8));
    int32_t bs;
    TRY(opt_i32(ctx, op, BLOCK_SIZE, 0, &bs));
    if (bs < 1 || bs > 65535) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_OPTIONS, "block-size", bs);
    }
    if (in->rank != 4 || out->rank != 4) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "rank", in->rank);
    }
    const int32_t n = in->dims[0], h = in->dims[1], w = in->dims[2], c = in->dims[3];
    const int64_t b2 = (int64_t)bs * bs;
    int ok;
    if (to_space) {
        ok = c % b2 == 0 && out->dims[0] == n && (int64_t)out->dims[1] == (int64_t)h * bs &&
             (int64_t)out->dims[2] == (int64_t)w * bs && (int64_t)out->dims[3] == c / b2;
    } else {
        ok = h % bs == 0 && w % bs == 0 && out->dims[0] == n && out->dims[1] == h / bs && out->dims[2] == w / bs &&
             (int64_t)out->dims[3] == (int64_t)c * b2;
    }
    if (!ok) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
    }
    TRY(alloc_views(ctx, op, 0, 1));
    ts_view *v = ((views_data *)op->data)->views;
    view_init(v, esize(in), 0);
    if (to_space) {
        const int32_t co = (int32_t)(c / b2);
        view_dim(v, n, (int64_t)h * w * c);
        view_dim(v, h, (int64_t)w * c);
        view_dim(v, bs, (int64_t)bs * co);
        view_dim(v, w, c);
        view_dim(v, bs, co);
        view_dim(v, co, 1);
    } else {
        view_dim(v, n, (int64_t)h * w * c);
        view_dim(v, h / bs, (int64_t)bs * w * c);
        view_dim(v, w / bs, (int64_t)bs * c);
        view_dim(v, bs, (int64_t)w * c);
        view_dim(v, bs, c);
        view_dim(v, c, 1);
    }
    return 0;
}

/* ======================= BROADCAST_TO ======================= */

/* TFLM broadcast_to.cc (reference BroadcastTo, kMaxDims 5): the input (any stored type; quantized types: the
 * output's quantization) copied to the shape of the constant int32/int64 shape input, numpy rules (the input
 * right-aligned, each of its dimensions 1 or the target's). One view whose broadcast dimensions step 0. */
int prepare_broadcast_to(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 2, 2, 1));
    ts_tensor *in = in_t(ctx, op, 0), *shape = in_t(ctx, op, 1), *out = out_t(ctx, op, 0);
    TRY(check_copy(ctx, in, out, TYPES_ALL));
    if (shape->rank != 1) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "shape", -1);
    }
    int32_t dims[TS_MAX_RANK], stride[TS_MAX_RANK];
    uint32_t n;
    TRY(const_ints(ctx, shape, 1, dims, TS_MAX_RANK, &n));
    if (n > 5 || in->rank > (int)n || out->rank != (int)n) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "rank", (int32_t)n);
    }
    for (uint32_t d = 0; d < n; d++) {
        if (out->dims[d] != dims[d]) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
        }
    }
    strides_of(in, stride);
    TRY(alloc_views(ctx, op, 0, 1));
    ts_view *v = ((views_data *)op->data)->views;
    view_init(v, esize(in), 0);
    const int off = (int)n - in->rank;
    for (int d = 0; d < (int)n; d++) {
        const int32_t id = d >= off ? in->dims[d - off] : 1;
        if (id != 1 && id != dims[d]) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "broadcast-shape", -1);
        }
        view_dim(v, dims[d], id == 1 ? 0 : stride[d - off]);
    }
    return 0;
}
