/* Model loading, validation, arena planning and the interpreter loop. */
#include "ts_runtime.h"
#include <string.h>
#include "tflite_schema.h"

const char *ts_error_name(int code)
{
    switch (code) {
#define TS_ERR_CASE(n, id, name) \
    case n:                      \
        return name;
        TS_ERRORS(TS_ERR_CASE)
#undef TS_ERR_CASE
    default:
        return "unknown";
    }
}

int ts_fail(ts_ctx *ctx, int code, const char *detail, int32_t num)
{
    if (ctx->err_detail == NULL) { /* keep the first, most specific detail */
        ctx->err_detail = detail;
        ctx->err_num = num;
    }
    return code;
}

void *ts_persist(ts_ctx *ctx, uint32_t bytes)
{
    uint32_t need = (bytes + (TS_ALIGN - 1u)) & ~(TS_ALIGN - 1u);
    if (bytes > 0x7FFFFFFFu || need > ctx->persist_top) {
        return NULL;
    }
    ctx->persist_top -= need;
    uint8_t *p = ctx->arena + ctx->persist_top;
    memset(p, 0, need);
    return p;
}

int ts_request_scratch(ts_ctx *ctx, ts_op *op, uint32_t bytes, int *index)
{
    for (int k = 0; k < TS_MAX_SCRATCH; k++) {
        if (op->scratch_bytes[k] == 0) {
            op->scratch_bytes[k] = bytes > 0 ? bytes : 1u;
            if (index != NULL) {
                *index = k;
            }
            return 0;
        }
    }
    return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "too-many-scratch-buffers", -1);
}

uint32_t ts_persistent_bytes(const ts_ctx *ctx)
{
    return ctx->arena_size - ctx->persist_top;
}

static uint32_t type_size(uint8_t type)
{
    switch (type) {
    case TFL_FLOAT32:
    case TFL_INT32:
        return 4;
    case TFL_INT64:
        return 8;
    case TFL_INT16:
    case TFL_FLOAT16:
        return 2;
    case TFL_INT8:
    case TFL_UINT8:
    case TFL_BOOL:
        return 1;
    default:
        return 0; /* strings etc.: no fixed size; an operator using one rejects it */
    }
}

/* ---------------- operator codes ---------------- */

static int resolve_opcode(ts_ctx *ctx, const fb_vec *opcodes, uint32_t index, int32_t *code)
{
    fb_table oc;
    if (index >= opcodes->len) {
        return ts_fail(ctx, TS_ERR_BAD_FLATBUFFER, "opcode-index", (int32_t)index);
    }
    TRY(fb_vec_table(&ctx->fb, opcodes, index, &oc));
    uint8_t dep;
    int32_t builtin;
    TRY(fb_u8(&ctx->fb, &oc, OPCODE_DEPRECATED_BUILTIN_CODE, 0, &dep));
    TRY(fb_i32(&ctx->fb, &oc, OPCODE_BUILTIN_CODE, 0, &builtin));
    int32_t d = (int32_t)(int8_t)dep;
    *code = builtin > d ? builtin : d;
    return 0;
}

/* ---------------- tensors ---------------- */

static int parse_tensor(ts_ctx *ctx, const fb_vec *tensors, const fb_vec *buffers, uint32_t i)
{
    const fb_buf *b = &ctx->fb;
    ts_tensor *t = &ctx->tensors[i];
    fb_table tt;
    TRY(fb_vec_table(b, tensors, i, &tt));
    t->first = -1;
    t->last = -1;

    fb_vec shape;
    TRY(fb_vector(b, &tt, TENSOR_SHAPE, 4, &shape));
    if (shape.len > TS_MAX_RANK) {
        return ts_fail(ctx, TS_ERR_BAD_SHAPE, "rank-tensor", (int32_t)i);
    }
    t->rank = (uint8_t)shape.len;
    uint64_t numel = 1;
    for (uint32_t d = 0; d < shape.len; d++) {
        int32_t v = fb_vec_i32(b, &shape, d);
        if (v < 0 || v > (1 << 24)) { /* 0: an empty tensor, e.g. the LSTM intermediates of a converted model */
            return ts_fail(ctx, TS_ERR_BAD_SHAPE, "dim-tensor", (int32_t)i);
        }
        t->dims[d] = v;
        numel *= (uint64_t)v;
        if (numel > (1u << 28)) {
            return ts_fail(ctx, TS_ERR_BAD_SHAPE, "size-tensor", (int32_t)i);
        }
    }
    TRY(fb_u8(b, &tt, TENSOR_TYPE, TFL_FLOAT32, &t->type));
    t->bytes = (uint32_t)numel * type_size(t->type);
    TRY(fb_u8(b, &tt, TENSOR_IS_VARIABLE, 0, &t->is_variable));

    /* constant data */
    uint32_t buf_index;
    TRY(fb_u32(b, &tt, TENSOR_BUFFER, 0, &buf_index));
    if (buf_index != 0) {
        if (buf_index >= buffers->len) {
            return ts_fail(ctx, TS_ERR_BAD_BUFFER, "buffer-index-tensor", (int32_t)i);
        }
        fb_table bt;
        TRY(fb_vec_table(b, buffers, buf_index, &bt));
        fb_vec data;
        TRY(fb_vector(b, &bt, BUFFER_DATA, 1, &data));
        uint32_t data_pos = data.pos, data_len = data.len;
        if (data_len == 0) {
            uint64_t off, size;
            TRY(fb_u64(b, &bt, BUFFER_OFFSET, 0, &off));
            TRY(fb_u64(b, &bt, BUFFER_SIZE, 0, &size));
            if (off > 1 && size > 0) { /* data outside the flatbuffer, offset from the file start */
                if (off >= b->size || size > b->size - off) {
                    return ts_fail(ctx, TS_ERR_BAD_BUFFER, "external-data-tensor", (int32_t)i);
                }
                data_pos = (uint32_t)off;
                data_len = (uint32_t)size;
            }
        }
        if (data_len > 0) {
            if (type_size(t->type) == 0 || data_len < t->bytes) {
                return ts_fail(ctx, TS_ERR_BAD_BUFFER, "size-tensor", (int32_t)i);
            }
            t->data = (uint8_t *)(uintptr_t)(b->base + data_pos);
            t->is_const = 1;
            uint32_t es = type_size(t->type);
            uint32_t align = es >= 4 ? 4u : es;
            if (((uintptr_t)t->data & (align - 1u)) != 0) {
                return ts_fail(ctx, TS_ERR_MISALIGNED_BUFFER, "tensor", (int32_t)i);
            }
        }
    }

    /* quantization */
    fb_table qt;
    int has_q;
    TRY(fb_subtable(b, &tt, TENSOR_QUANTIZATION, &qt, &has_q));
    if (has_q) {
        fb_vec scales, zps;
        TRY(fb_vector(b, &qt, QUANT_SCALE, 4, &scales));
        TRY(fb_vector(b, &qt, QUANT_ZERO_POINT, 8, &zps));
        TRY(fb_i32(b, &qt, QUANT_QUANTIZED_DIMENSION, 0, &t->qdim));
        if (scales.len > 0) {
            for (uint32_t k = 0; k < scales.len; k++) {
                float s = fb_vec_f32(b, &scales, k);
                if (!(s >= 0.0f && s <= 3.402823466e+38f)) {
                    return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "scale-tensor", (int32_t)i);
                }
            }
            /* As TFLite Micro (micro_allocator.cc): the arrays are taken as they are (zero_point[0] stands for
               every channel unless there is one per scale) and quantized_dimension is not checked here; the
               operators using per-channel parameters check the count against their channel dimension. */
            int64_t zp = zps.len > 0 ? fb_vec_i64(b, &zps, 0) : 0;
            if (zp < -32768 || zp > 65535) {
                return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "zero-point-tensor", (int32_t)i);
            }
            t->quantized = 1;
            t->scale = fb_vec_f32(b, &scales, 0);
            t->zero_point = (int32_t)zp;
            t->scales_pos = scales.pos;
            t->nscales = scales.len;
            if (t->type == TFL_INT8 && (zp < -128 || zp > 127)) {
                return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "zero-point-tensor", (int32_t)i);
            }
            /* per-channel zero points must all be 0 (symmetric weights) */
            if (zps.len > 1 && zps.len == scales.len) {
                for (uint32_t k = 0; k < zps.len; k++) {
                    if (fb_vec_i64(b, &zps, k) != 0) {
                        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "channel-zero-point-tensor", (int32_t)i);
                    }
                }
            }
        }
    }
    return 0;
}

static int read_index_list(ts_ctx *ctx, const fb_vec *v, int32_t **out, uint32_t *n)
{
    *n = v->len;
    *out = ts_persist(ctx, v->len * 4u + 4u);
    if (*out == NULL) {
        return ts_fail(ctx, TS_ERR_ARENA_TOO_SMALL, "graph-io", -1);
    }
    for (uint32_t k = 0; k < v->len; k++) {
        int32_t ti = fb_vec_i32(&ctx->fb, v, k);
        if (ti < 0 || (uint32_t)ti >= ctx->ntensors) {
            return ts_fail(ctx, TS_ERR_BAD_TENSOR_INDEX, "graph-io", ti);
        }
        (*out)[k] = ti;
    }
    return 0;
}

/* ---------------- arena planning ----------------
 * Every non-constant tensor an operator touches, and every operator's scratch buffer, gets
 * a place in the arena, valid from its first to its last use (operator indices). Graph inputs
 * live for the whole inference (so that what the host wrote stays there for later runs), and
 * outputs from their producer to the end. Buffers are placed largest first (ties: earlier
 * first use, then lower id), each at the lowest 16-byte-aligned offset where it overlaps no
 * already placed buffer whose lifetime overlaps its own (greedy by size, first fit). */

typedef struct {
    uint32_t size, offset;
    int32_t first, last;
} plan_buf;

static int plan(ts_ctx *ctx)
{
    uint32_t nbuf = ctx->ntensors + ctx->nops * TS_MAX_SCRATCH;
    /* temporaries at the bottom of the arena, below the persistent part */
    uint64_t tmp_bytes = (uint64_t)nbuf * (sizeof(plan_buf) + 2u * sizeof(uint32_t));
    if (tmp_bytes > ctx->persist_top) {
        return ts_fail(ctx, TS_ERR_ARENA_TOO_SMALL, "planner", -1);
    }
    plan_buf *bufs = (plan_buf *)(void *)ctx->arena;
    uint32_t *order = (uint32_t *)(void *)(bufs + nbuf);
    uint32_t *placed = order + nbuf;
    uint32_t n = 0;
    for (uint32_t i = 0; i < nbuf; i++) {
        plan_buf *pb = &bufs[i];
        pb->size = 0;
        pb->offset = 0;
        if (i < ctx->ntensors) {
            const ts_tensor *t = &ctx->tensors[i];
            if (t->is_const || t->is_variable || t->first < 0) {
                continue;
            }
            pb->size = t->bytes;
            pb->first = t->first;
            pb->last = t->last;
        } else {
            uint32_t opi = (i - ctx->ntensors) / TS_MAX_SCRATCH, k = (i - ctx->ntensors) % TS_MAX_SCRATCH;
            const ts_op *op = &ctx->ops[opi];
            if (op->scratch_bytes[k] == 0) {
                continue;
            }
            pb->size = op->scratch_bytes[k];
            pb->first = pb->last = (int32_t)opi;
        }
        if (pb->size > 0x7FFFFFF0u) {
            return ts_fail(ctx, TS_ERR_ARENA_TOO_SMALL, "buffer", (int32_t)i);
        }
        pb->size = (pb->size + (TS_ALIGN - 1u)) & ~(TS_ALIGN - 1u);
        if (pb->size == 0) {
            pb->size = TS_ALIGN;
        }
        /* insertion into order: size desc, first asc, id asc */
        uint32_t k = n++;
        while (k > 0) {
            const plan_buf *q = &bufs[order[k - 1]];
            if (q->size > pb->size || (q->size == pb->size && q->first <= pb->first)) {
                break;
            }
            order[k] = order[k - 1];
            k--;
        }
        order[k] = i;
    }
    uint64_t high = 0;
    for (uint32_t j = 0; j < n; j++) {
        plan_buf *pb = &bufs[order[j]];
        /* placed buffers alive at the same time, sorted by offset */
        uint32_t m = 0;
        for (uint32_t q = 0; q < j; q++) {
            const plan_buf *o = &bufs[order[q]];
            if (o->first <= pb->last && pb->first <= o->last) {
                uint32_t k = m++;
                while (k > 0 && bufs[placed[k - 1]].offset > o->offset) {
                    placed[k] = placed[k - 1];
                    k--;
                }
                placed[k] = order[q];
            }
        }
        uint64_t off = 0;
        for (uint32_t q = 0; q < m; q++) {
            const plan_buf *o = &bufs[placed[q]];
            if (off + pb->size <= o->offset) {
                break; /* fits in the gap before o */
            }
            uint64_t end = (uint64_t)o->offset + o->size;
            off = end > off ? end : off;
        }
        if (off + pb->size > ctx->persist_top) {
            return ts_fail(ctx, TS_ERR_ARENA_TOO_SMALL, "plan", -1);
        }
        pb->offset = (uint32_t)off;
        if (off + pb->size > high) {
            high = off + pb->size;
        }
    }
    ctx->planned = (uint32_t)high;
    /* addresses (tensors and operators live in the persistent part: the temporaries stay intact) */
    for (uint32_t i = 0; i < nbuf; i++) {
        const plan_buf *pb = &bufs[i];
        if (pb->size == 0) {
            continue;
        }
        if (i < ctx->ntensors) {
            ctx->tensors[i].offset = pb->offset;
            ctx->tensors[i].data = ctx->arena + pb->offset;
        } else {
            uint32_t opi = (i - ctx->ntensors) / TS_MAX_SCRATCH, k = (i - ctx->ntensors) % TS_MAX_SCRATCH;
            ctx->ops[opi].scratch[k] = ctx->arena + pb->offset;
        }
    }
    memset(ctx->arena, 0, ctx->planned);
    return 0;
}

/* ---------------- load ---------------- */

int ts_load(ts_ctx *ctx, const ts_config *cfg)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->err_op = -1;
    ctx->err_num = -1;
    ctx->kernels = cfg->kernels;
    uintptr_t a = ((uintptr_t)cfg->arena + (TS_ALIGN - 1u)) & ~(uintptr_t)(TS_ALIGN - 1u);
    uint32_t lost = (uint32_t)(a - (uintptr_t)cfg->arena);
    ctx->arena = (uint8_t *)a;
    ctx->arena_size = cfg->arena_size > lost ? ((cfg->arena_size - lost) & ~(TS_ALIGN - 1u)) : 0;
    ctx->persist_top = ctx->arena_size;
    ctx->fb.base = cfg->model;
    ctx->fb.size = cfg->model_size;
    if (cfg->model == NULL || cfg->model_size == 0) {
        return ts_fail(ctx, TS_ERR_NO_MODEL, NULL, -1);
    }
    const fb_buf *b = &ctx->fb;

    fb_table model;
    TRY(fb_root(b, &model));
    if (memcmp(b->base + 4, "TFL3", 4) != 0) {
        return ts_fail(ctx, TS_ERR_BAD_IDENTIFIER, NULL, -1);
    }
    uint32_t version;
    TRY(fb_u32(b, &model, MODEL_VERSION, 0, &version));
    if (version != 3) {
        return ts_fail(ctx, TS_ERR_BAD_SCHEMA_VERSION, "version", (int32_t)(version & 0x7FFFFFFF));
    }
    fb_vec opcodes, subgraphs, buffers;
    TRY(fb_vector(b, &model, MODEL_OPERATOR_CODES, 4, &opcodes));
    TRY(fb_vector(b, &model, MODEL_SUBGRAPHS, 4, &subgraphs));
    TRY(fb_vector(b, &model, MODEL_BUFFERS, 4, &buffers));
    if (subgraphs.len == 0) {
        return ts_fail(ctx, TS_ERR_NO_SUBGRAPH, NULL, -1);
    }
    fb_table sg;
    TRY(fb_vec_table(b, &subgraphs, 0, &sg));
    fb_vec tensors, inputs, outputs, operators;
    TRY(fb_vector(b, &sg, SUBGRAPH_TENSORS, 4, &tensors));
    TRY(fb_vector(b, &sg, SUBGRAPH_INPUTS, 4, &inputs));
    TRY(fb_vector(b, &sg, SUBGRAPH_OUTPUTS, 4, &outputs));
    TRY(fb_vector(b, &sg, SUBGRAPH_OPERATORS, 4, &operators));
    if (tensors.len > TS_MAX_TENSORS) {
        return ts_fail(ctx, TS_ERR_TOO_MANY_TENSORS, NULL, (int32_t)tensors.len);
    }
    if (operators.len > TS_MAX_OPERATORS) {
        return ts_fail(ctx, TS_ERR_TOO_MANY_OPERATORS, NULL, (int32_t)operators.len);
    }
    if (operators.len == 0) {
        return ts_fail(ctx, TS_ERR_BAD_GRAPH, "no-operators", -1);
    }
    ctx->ntensors = tensors.len;
    ctx->nops = operators.len;
    ctx->ops = ts_persist(ctx, ctx->nops * (uint32_t)sizeof(ts_op));
    ctx->op_cycles = ts_persist(ctx, ctx->nops * 4u);
    if (ctx->ops == NULL || ctx->op_cycles == NULL) {
        return ts_fail(ctx, TS_ERR_ARENA_TOO_SMALL, "operators", -1);
    }

    /* 1. every operator supported? (before anything else about the operators) */
    for (uint32_t i = 0; i < ctx->nops; i++) {
        ts_op *op = &ctx->ops[i];
        fb_table ot;
        ctx->err_op = (int32_t)i;
        TRY(fb_vec_table(b, &operators, i, &ot));
        uint32_t opcode_index;
        TRY(fb_u32(b, &ot, OP_OPCODE_INDEX, 0, &opcode_index));
        TRY(resolve_opcode(ctx, &opcodes, opcode_index, &op->code));
        ctx->err_opcode = op->code;
        op->impl = ts_find_op(op->code);
        if (op->impl == NULL) {
            return ts_fail(ctx, TS_ERR_UNSUPPORTED_OPERATOR, NULL, -1);
        }
    }
    ctx->err_op = -1;

    /* 2. tensors */
    ctx->tensors = ts_persist(ctx, ctx->ntensors * (uint32_t)sizeof(ts_tensor));
    if (ctx->tensors == NULL && ctx->ntensors > 0) {
        return ts_fail(ctx, TS_ERR_ARENA_TOO_SMALL, "tensors", -1);
    }
    for (uint32_t i = 0; i < ctx->ntensors; i++) {
        TRY(parse_tensor(ctx, &tensors, &buffers, i));
    }
    /* Variable tensors (operator state) live in the persistent part, as in TFLite Micro: written
       by their operators, kept from one inference to the next, and set here as TFLite Micro's
       ResetVariableTensors sets them after AllocateTensors: zero, an INT8 variable filled with its
       zero point's byte. Constant data a variable may carry is ignored, as TFLite Micro ignores it. */
    for (uint32_t i = 0; i < ctx->ntensors; i++) {
        ts_tensor *t = &ctx->tensors[i];
        if (!t->is_variable) {
            continue;
        }
        if (t->bytes == 0) {
            return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "variable-tensor", (int32_t)i);
        }
        uint8_t *state = ts_persist(ctx, t->bytes);
        if (state == NULL) {
            return ts_fail(ctx, TS_ERR_ARENA_TOO_SMALL, "variable-tensor", (int32_t)i);
        }
        memset(state, t->type == TFL_INT8 ? (int)(uint8_t)t->zero_point : 0, t->bytes);
        t->is_const = 0;
        t->data = state;
        t->first = 0;
        t->last = (int32_t)ctx->nops - 1;
    }
    TRY(read_index_list(ctx, &inputs, &ctx->inputs, &ctx->ninputs));
    TRY(read_index_list(ctx, &outputs, &ctx->outputs, &ctx->noutputs));
    if (ctx->ninputs == 0 || ctx->noutputs == 0) {
        return ts_fail(ctx, TS_ERR_NO_SUBGRAPH, "no-inputs-or-outputs", -1);
    }
    for (uint32_t k = 0; k < ctx->ninputs; k++) {
        ts_tensor *t = &ctx->tensors[ctx->inputs[k]];
        if (t->is_const) {
            return ts_fail(ctx, TS_ERR_BAD_GRAPH, "constant-input", ctx->inputs[k]);
        }
        t->first = 0;
        t->last = (int32_t)ctx->nops - 1;
    }

    /* 3. operator inputs/outputs and tensor lifetimes */
    for (uint32_t i = 0; i < ctx->nops; i++) {
        ts_op *op = &ctx->ops[i];
        fb_table ot;
        ctx->err_op = (int32_t)i;
        ctx->err_opcode = op->code;
        TRY(fb_vec_table(b, &operators, i, &ot));
        fb_vec vin, vout;
        TRY(fb_vector(b, &ot, OP_INPUTS, 4, &vin));
        TRY(fb_vector(b, &ot, OP_OUTPUTS, 4, &vout));
        if (vin.len > TS_MAX_OP_INPUTS || vout.len > TS_MAX_OP_INPUTS) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "too-many-inputs", -1);
        }
        op->nin = (uint16_t)vin.len;
        op->nout = (uint16_t)vout.len;
        op->io = ts_persist(ctx, (vin.len + vout.len) * 2u);
        if (op->io == NULL && vin.len + vout.len > 0) {
            return ts_fail(ctx, TS_ERR_ARENA_TOO_SMALL, "operators", -1);
        }
        for (uint32_t k = 0; k < vin.len + vout.len; k++) {
            int is_out = k >= vin.len;
            int32_t ti = is_out ? fb_vec_i32(b, &vout, k - vin.len) : fb_vec_i32(b, &vin, k);
            if (ti == -1 && !is_out) {
                op->io[k] = -1; /* optional input absent */
                continue;
            }
            if (ti < 0 || (uint32_t)ti >= ctx->ntensors) {
                return ts_fail(ctx, TS_ERR_BAD_TENSOR_INDEX, is_out ? "output" : "input", ti);
            }
            op->io[k] = (int16_t)ti;
            ts_tensor *t = &ctx->tensors[ti];
            if (t->is_const) {
                if (is_out) {
                    return ts_fail(ctx, TS_ERR_BAD_GRAPH, "constant-output", ti);
                }
                continue;
            }
            if (t->is_variable) {
                continue; /* state: persistent, written in place by the operator that owns it */
            }
            if (is_out) {
                if (t->first >= 0) {
                    return ts_fail(ctx, TS_ERR_BAD_GRAPH, "tensor-written-twice", ti);
                }
                t->first = (int32_t)i;
                t->last = (int32_t)i;
            } else {
                if (t->first < 0) {
                    return ts_fail(ctx, TS_ERR_BAD_GRAPH, "tensor-read-before-written", ti);
                }
                if (t->last < (int32_t)i) {
                    t->last = (int32_t)i;
                }
            }
        }
        uint8_t opt_type;
        int present;
        TRY(fb_u8(b, &ot, OP_BUILTIN_OPTIONS_TYPE, 0, &opt_type));
        TRY(fb_subtable(b, &ot, OP_BUILTIN_OPTIONS, &op->options, &present));
        op->has_options = (uint8_t)present;
        op->options_type = opt_type;
    }
    for (uint32_t k = 0; k < ctx->noutputs; k++) {
        ts_tensor *t = &ctx->tensors[ctx->outputs[k]];
        if (t->first < 0 || t->is_const) {
            return ts_fail(ctx, TS_ERR_BAD_GRAPH, "output-never-written", ctx->outputs[k]);
        }
        t->last = (int32_t)ctx->nops - 1;
    }

    /* 4. prepare every operator: checks, per-operator state, scratch size */
    for (uint32_t i = 0; i < ctx->nops; i++) {
        ts_op *op = &ctx->ops[i];
        ctx->err_op = (int32_t)i;
        ctx->err_opcode = op->code;
        for (uint32_t k = 0; k < (uint32_t)op->nin + op->nout; k++) {
            if (op->io[k] >= 0 && ctx->tensors[op->io[k]].bytes == 0) {
                return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "tensor", op->io[k]);
            }
        }
        TRY(op->impl->prepare(ctx, op));
    }
    ctx->err_op = -1;

    /* 5. arena */
    TRY(plan(ctx));
    return 0;
}

int ts_invoke(ts_ctx *ctx)
{
    for (uint32_t i = 0; i < ctx->nops; i++) {
        ts_op *op = &ctx->ops[i];
        uint32_t c0 = ts_port_cycles();
        int e = op->impl->eval(ctx, op);
        uint32_t c1 = ts_port_cycles();
        ctx->op_cycles[i] = c1 - c0;
        if (e != 0) {
            ctx->err_op = (int32_t)i;
            ctx->err_opcode = op->code;
            return e;
        }
    }
    return 0;
}
