/* The protocol of docs/inference-protocol.md: load the model, run the inferences, print the
 * report lines. Shared by the firmware (main_fw.c) and the host harness (host/). */
#include <string.h>
#include "tflite_schema.h"
#include "ts_runtime.h"

/* A minimal line formatter (no printf: it would dominate the image and the cycle counts). */
typedef struct {
    char buf[192];
    uint32_t len;
} ts_line;

static void ln_flush(ts_line *l)
{
    if (l->len > 0) {
        ts_port_write(l->buf, l->len);
    }
    l->len = 0;
}
static void ln_str(ts_line *l, const char *s)
{
    while (*s) {
        if (l->len == sizeof l->buf) {
            ln_flush(l);
        }
        l->buf[l->len++] = *s++;
    }
}
static void ln_u64(ts_line *l, uint64_t v)
{
    char d[20];
    int n = 0;
    do {
        d[n++] = (char)('0' + (int)(v % 10u));
        v /= 10u;
    } while (v != 0);
    char s[21];
    for (int i = 0; i < n; i++) {
        s[i] = d[n - 1 - i];
    }
    s[n] = 0;
    ln_str(l, s);
}
static void ln_kv(ts_line *l, const char *key, uint64_t v)
{
    ln_str(l, " ");
    ln_str(l, key);
    ln_str(l, "=");
    ln_u64(l, v);
}
static void ln_hex(ts_line *l, const uint8_t *p, uint32_t n)
{
    static const char hx[] = "0123456789abcdef";
    for (uint32_t i = 0; i < n; i++) {
        if (l->len + 2 > sizeof l->buf) {
            ln_flush(l);
        }
        l->buf[l->len++] = hx[p[i] >> 4];
        l->buf[l->len++] = hx[p[i] & 15u];
    }
}

static int report_error(const ts_ctx *ctx, int code)
{
    ts_line l = { .len = 0 };
    ln_str(&l, "@ts error");
    ln_kv(&l, "code", (uint32_t)code);
    ln_str(&l, " name=");
    ln_str(&l, ts_error_name(code));
    if (ctx->err_op >= 0) {
        ln_kv(&l, "operator", (uint32_t)ctx->err_op);
        ln_str(&l, " opcode=");
        ln_str(&l, ts_opcode_name(ctx->err_opcode));
        if (ctx->err_opcode < 0 || ctx->err_opcode > TFL_OP_MAX) {
            ln_str(&l, "_");
            ln_u64(&l, (uint32_t)ctx->err_opcode);
        }
    }
    if (ctx->err_detail != NULL || ctx->err_num >= 0) {
        ln_str(&l, " detail=");
        if (ctx->err_detail != NULL) {
            ln_str(&l, ctx->err_detail);
        }
        if (ctx->err_num >= 0) {
            if (ctx->err_detail != NULL) {
                ln_str(&l, ":");
            }
            ln_u64(&l, (uint32_t)ctx->err_num);
        }
    }
    ln_str(&l, "\n");
    ln_flush(&l);
    return code;
}

/* One line per planned buffer (docs/inference-protocol.md): what the planner placed where, so the
   host can check the plan against TFLite Micro's rules and see every scratch request. */
static void report_buffers(const ts_ctx *ctx, ts_line *lp)
{
    ts_line *l = lp;
    for (uint32_t i = 0; i < ctx->ntensors; i++) {
        const ts_tensor *t = &ctx->tensors[i];
        if (t->is_const || t->is_variable || t->bytes == 0) {
            continue;
        }
        ln_str(l, "@ts buffer kind=tensor");
        ln_kv(l, "id", i);
        ln_str(l, t->first < 0 ? " first=-1 last=-1" : "");
        if (t->first >= 0) {
            ln_kv(l, "first", (uint32_t)t->first);
            ln_kv(l, "last", (uint32_t)t->last);
        }
        ln_kv(l, "bytes", t->bytes);
        ln_kv(l, "offset", t->offset);
        ln_str(l, "\n");
        ln_flush(l);
    }
    uint32_t id = 0;
    for (uint32_t o = 0; o < ctx->nops; o++) {
        const ts_op *op = &ctx->ops[o];
        for (int k = 0; k < TS_MAX_SCRATCH; k++) {
            if (!ts_scratch_requested(op, k)) {
                continue;
            }
            ln_str(l, "@ts buffer kind=scratch");
            ln_kv(l, "id", id++);
            ln_kv(l, "first", o + 1u);
            ln_kv(l, "last", o + 1u);
            ln_kv(l, "bytes", op->scratch_bytes[k]);
            ln_kv(l, "offset", (uint32_t)(op->scratch[k] - ctx->arena));
            ln_str(l, "\n");
            ln_flush(l);
        }
    }
}

static ts_ctx g_ctx; /* in .bss: the interpreter's own state, a few dozen bytes */

int ts_main(const ts_config *cfg, uint32_t runs, uint32_t flags, const char *abi)
{
    ts_ctx *ctx = &g_ctx;
    ts_line l = { .len = 0 };
    ln_str(&l, "@ts runtime version=1 abi=");
    ln_str(&l, abi);
    ln_str(&l, cfg->kernels == TS_KERNELS_REFERENCE ? " kernels=reference\n" : " kernels=simd\n");
    ln_flush(&l);

    int e;
    if (cfg->config_error != 0) {
        memset(ctx, 0, sizeof *ctx);
        ctx->err_op = -1;
        ctx->err_num = -1;
        ctx->err_detail = cfg->config_detail;
        return report_error(ctx, cfg->config_error);
    }
    e = ts_load(ctx, cfg);
    if (e != 0) {
        return report_error(ctx, e);
    }
    ln_str(&l, "@ts model");
    ln_kv(&l, "bytes", cfg->model_size);
    ln_kv(&l, "tensors", ctx->ntensors);
    ln_kv(&l, "operators", ctx->nops);
    ln_kv(&l, "inputs", ctx->ninputs);
    ln_kv(&l, "outputs", ctx->noutputs);
    ln_str(&l, "\n@ts plan");
    ln_kv(&l, "arena", ctx->planned);
    ln_kv(&l, "capacity", ctx->arena_size);
    ln_kv(&l, "persistent", ts_persistent_bytes(ctx));
    ln_kv(&l, "offline", ctx->noffline);
    ln_str(&l, "\n");
    ln_flush(&l);
    report_buffers(ctx, &l);
    if (flags & TS_FLAG_PLAN_ONLY) {
        runs = 0;
    }

    for (uint32_t run = 0; run < runs; run++) {
        /* Every input before every run: the planner reuses an input's bytes once its last reader ran. */
        for (uint32_t k = 0; k < ctx->ninputs; k++) {
            ts_tensor *in = &ctx->tensors[ctx->inputs[k]];
            if (ts_port_input(run, k, in->data, in->bytes) != 0) {
                memset(in->data, 0, in->bytes); /* no input from the host: zeros, every run */
            }
        }
        uint32_t c0 = ts_port_cycles();
        e = ts_invoke(ctx);
        uint32_t c1 = ts_port_cycles();
        if (e != 0) {
            return report_error(ctx, e);
        }
        for (uint32_t i = 0; i < ctx->nops; i++) {
            ln_str(&l, "@ts op");
            ln_kv(&l, "index", i);
            ln_str(&l, " code=");
            ln_str(&l, ts_opcode_name(ctx->ops[i].code));
            ln_kv(&l, "cycles", ctx->op_cycles[i]);
            ln_kv(&l, "macs", ctx->ops[i].macs);
            ln_str(&l, "\n");
            ln_flush(&l);
        }
        ln_str(&l, "@ts run");
        ln_kv(&l, "index", run);
        ln_kv(&l, "cycles", c1 - c0);
        ln_str(&l, "\n");
        ln_flush(&l);
        for (uint32_t k = 0; k < ctx->noutputs; k++) {
            ts_tensor *out = &ctx->tensors[ctx->outputs[k]];
            if (flags & TS_FLAG_PRINT_OUTPUT) {
                ln_str(&l, "@ts output");
                ln_kv(&l, "index", run);
                ln_kv(&l, "output", k);
                ln_str(&l, " hex=");
                ln_hex(&l, out->data, out->bytes);
                ln_str(&l, "\n");
                ln_flush(&l);
            }
            ts_port_output(run, k, out->data, out->bytes);
        }
    }
    ln_str(&l, "@ts done");
    ln_kv(&l, "runs", runs);
    ln_str(&l, "\n");
    ln_flush(&l);
    return 0;
}
