/* The tinysim inference runtime: loads a TensorFlow Lite flatbuffer in place, checks it,
 * prepares every operator, plans the tensor arena and runs inferences.
 *
 *   ts_load()    parse + validate + prepare + plan (no output, no allocation outside the arena)
 *   ts_invoke()  one inference (input tensor must be filled; per-operator cycles recorded)
 *   ts_main()    the whole protocol of docs/inference-protocol.md: load, runs, report lines
 */
#ifndef TS_RUNTIME_H
#define TS_RUNTIME_H

#include <stddef.h>
#include <stdint.h>
#include "fb.h"
#include "ts_errors.h"

#define TS_MAX_RANK 6
#define TS_MAX_TENSORS 8192
#define TS_MAX_OPERATORS 4096
#define TS_MAX_OP_INPUTS 64
#define TS_ALIGN 16u
#define TS_MAX_SCRATCH 4 /* scratch buffers one operator may request */

enum { TS_KERNELS_SIMD = 0, TS_KERNELS_REFERENCE = 1 };

typedef struct {
    uint8_t *data;            /* constant: in the model; otherwise in the arena after planning */
    uint32_t bytes;
    int32_t dims[TS_MAX_RANK];
    uint8_t rank;
    uint8_t type;             /* TFL_FLOAT32, TFL_INT8, ... */
    uint8_t is_const;
    uint8_t is_variable;      /* state (SVDF, LSTM): persistent arena, zeroed at load, kept across runs */
    uint8_t quantized;        /* has at least one scale */
    float scale;              /* scale[0] */
    int32_t zero_point;       /* zero_point[0] */
    uint32_t scales_pos;      /* model offset of the float scale vector */
    uint32_t nscales;
    int32_t qdim;             /* quantized_dimension */
    int32_t first, last;      /* lifetime in TFLite Micro's allocation times: 0 = the start of the
                                 inference (graph inputs), i + 1 = operator i; -1: never used */
    uint32_t offset;          /* arena offset */
} ts_tensor;

struct ts_ctx;
typedef struct ts_op ts_op;
typedef struct {
    int32_t code;
    int (*prepare)(struct ts_ctx *ctx, ts_op *op);
    int (*eval)(struct ts_ctx *ctx, ts_op *op);
} ts_op_impl;

struct ts_op {
    int32_t code;             /* BuiltinOperator */
    const ts_op_impl *impl;
    uint16_t nin, nout;
    int16_t *io;              /* nin input indices then nout output indices; -1 = absent */
    fb_table options;
    uint8_t has_options, options_type;
    void *data;               /* per-operator state (persistent arena) */
    /* Scratch buffers needed while it runs, in the order prepare requested them (TFLite Micro's
       RequestScratchBufferInArena); bytes 0 = not requested. Each is planned as its own buffer. */
    uint32_t scratch_bytes[TS_MAX_SCRATCH];
    uint8_t *scratch[TS_MAX_SCRATCH];
    uint8_t nscratch;         /* requests made through ts_request_scratch (a request may be 0 bytes) */
    uint64_t macs;
};

typedef struct {
    const uint8_t *model;
    uint32_t model_size;
    uint8_t *arena;
    uint32_t arena_size;
    int32_t kernels;          /* TS_KERNELS_* */
    int32_t config_error;     /* an error found in the host configuration (reported by ts_main) */
    const char *config_detail;
} ts_config;

typedef struct ts_ctx {
    fb_buf fb;
    ts_tensor *tensors;
    uint32_t ntensors;
    ts_op *ops;
    uint32_t nops;
    int32_t *inputs, *outputs; /* graph inputs / outputs (tensor indices) */
    uint32_t ninputs, noutputs;
    uint8_t *arena;            /* 16-byte aligned start */
    uint32_t arena_size;
    uint32_t persist_top;      /* persistent allocations: [persist_top, arena_size) */
    uint32_t planned;          /* planned tensor + scratch bytes: [0, planned) */
    const uint8_t *offline;    /* OfflineMemoryAllocation metadata: int32 offsets, one per tensor (-1 = plan
                                  online), little-endian in the model; NULL when the model has none */
    uint32_t noffline;         /* tensors placed at an offline offset */
    int32_t kernels;
    uint32_t *op_cycles;       /* cycles of each operator in the last ts_invoke */
    /* error details */
    int32_t err_op;            /* operator index or -1 */
    int32_t err_opcode;
    const char *err_detail;
    int32_t err_num;           /* appended to the detail when >= 0 */
} ts_ctx;

int ts_load(ts_ctx *ctx, const ts_config *cfg);
int ts_invoke(ts_ctx *ctx);
uint32_t ts_persistent_bytes(const ts_ctx *ctx);

/* Records an error (detail: short text without spaces; num >= 0 appended as ":num"). */
int ts_fail(ts_ctx *ctx, int code, const char *detail, int32_t num);
/* Allocates persistent memory (16-byte aligned, zeroed) from the top of the arena. */
void *ts_persist(ts_ctx *ctx, uint32_t bytes);
/* Requests a scratch buffer for the operator being prepared; *index (may be NULL) receives its slot
   in op->scratch[], valid during eval. */
int ts_request_scratch(ts_ctx *ctx, ts_op *op, uint32_t bytes, int *index);
/* Whether scratch slot k of op was requested (through ts_request_scratch, or set directly). */
static inline int ts_scratch_requested(const ts_op *op, int k)
{
    return k < op->nscratch || op->scratch_bytes[k] != 0;
}

/* Platform layer, provided by the firmware (main_fw.c) or the host harness. */
uint32_t ts_port_cycles(void);
void ts_port_write(const char *s, size_t len);
/* Graph input `index` of inference `run` into ptr (len bytes); 0 = written, -1 = no input from the
   host (the runtime then zeroes the tensor: the same default input every run). */
int32_t ts_port_input(uint32_t run, uint32_t index, void *ptr, uint32_t len);
/* Graph output `index` of inference `run`. */
void ts_port_output(uint32_t run, uint32_t index, const void *ptr, uint32_t len);

/* Runs the whole protocol (report lines included); returns the exit status. */
#define TS_FLAG_PRINT_OUTPUT 1u
#define TS_FLAG_PLAN_ONLY 4u /* load, plan and report the plan; run no inference */
int ts_main(const ts_config *cfg, uint32_t runs, uint32_t flags, const char *abi);

/* Operator table (ts_ops.c); NULL when the runtime does not implement the operator */
const ts_op_impl *ts_find_op(int32_t code);

#endif
