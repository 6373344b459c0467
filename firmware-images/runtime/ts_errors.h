/* Error codes of the tinysim inference runtime.
 *
 * The runtime reports an error as one line
 *     @ts error code=<n> name=<name> [operator=<i> opcode=<NAME>] [detail=<text>]
 * and exits with SYS_EXIT_EXTENDED (ApplicationExit, status = <n>). The numbers and names
 * below are part of the contract with tinysim (docs/inference-protocol.md) and are mirrored
 * on the Java side; never renumber, only append. */
#ifndef TS_ERRORS_H
#define TS_ERRORS_H

#define TS_ERRORS(X)                                                                       \
    X(0, OK, "ok")                                                                         \
    /* configuration and model container */                                               \
    X(1, NO_MODEL, "no-model")                 /* ts_host.model_size is 0 / no config */   \
    X(2, MODEL_TOO_LARGE, "model-too-large")   /* model_size > model capacity */           \
    X(3, BAD_FLATBUFFER, "bad-flatbuffer")     /* offset/vtable/vector out of bounds */    \
    X(4, BAD_IDENTIFIER, "bad-identifier")     /* file identifier is not "TFL3" */         \
    X(5, BAD_SCHEMA_VERSION, "bad-schema-version") /* Model.version is not 3 */            \
    X(6, NO_SUBGRAPH, "no-subgraph")           /* no subgraph, or no input/output */       \
    X(7, BAD_TENSOR_INDEX, "bad-tensor-index") /* tensor index out of range */             \
    X(8, BAD_SHAPE, "bad-shape")               /* rank > 6, dim < 1, size overflow */      \
    X(9, BAD_BUFFER, "bad-buffer")             /* buffer index/size inconsistent */        \
    X(10, MISALIGNED_BUFFER, "misaligned-buffer") /* constant data not aligned */          \
    X(11, UNSUPPORTED_TYPE, "unsupported-type")   /* tensor type the op cannot handle */   \
    X(12, BAD_QUANTIZATION, "bad-quantization")   /* missing/invalid scale, zero point */  \
    X(13, TOO_MANY_TENSORS, "too-many-tensors")                                            \
    X(14, TOO_MANY_OPERATORS, "too-many-operators")                                        \
    X(15, BAD_GRAPH, "bad-graph")              /* tensor read before written, etc. */      \
    X(16, BAD_CONFIG, "bad-config")            /* ts_host block inconsistent */            \
    /* operators */                                                                        \
    X(20, UNSUPPORTED_OPERATOR, "unsupported-operator") /* opcode not implemented */       \
    X(21, UNSUPPORTED_OPTIONS, "unsupported-options")   /* e.g. shuffled FC weights */     \
    X(22, BAD_OPERATOR, "bad-operator")        /* wrong inputs/outputs/shapes/options */   \
    /* memory and execution */                                                             \
    X(30, ARENA_TOO_SMALL, "arena-too-small")  /* planned + persistent > arena */          \
    X(31, KERNEL_FAILURE, "kernel-failure")    /* a kernel could not compute its output */

enum ts_error {
#define TS_ERR_ENUM(n, id, name) TS_ERR_##id = n,
    TS_ERRORS(TS_ERR_ENUM)
#undef TS_ERR_ENUM
};

/* Name of an error code ("unknown" for a number not in the table). */
const char *ts_error_name(int code);

/* Returns from the calling function with the error code of a failed call (0 = success). */
#define TRY(expr)                  \
    do {                           \
        int e_ = (expr);           \
        if (e_ != 0) {             \
            return e_;             \
        }                          \
    } while (0)

#endif
