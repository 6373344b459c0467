/* BuiltinOperator code -> the operator's prepare and eval (ts_ops.h). The runtime rejects any
 * operator not listed here, by name, before it looks at anything else in the model. */
#include <stddef.h>
#include "tflite_schema.h"
#include "ts_ops.h"

static const ts_op_impl ops[] = {
    { TFL_OP_ADD, prepare_add, eval_add },
    { TFL_OP_AVERAGE_POOL_2D, prepare_pool, eval_avgpool },
    { TFL_OP_CONCATENATION, prepare_concat, eval_concat },
    { TFL_OP_CONV_2D, prepare_conv, eval_conv },
    { TFL_OP_DEPTHWISE_CONV_2D, prepare_dwconv, eval_dwconv },
    { TFL_OP_DEQUANTIZE, prepare_dequantize, eval_quant },
    { TFL_OP_FULLY_CONNECTED, prepare_fc, eval_fc },
    { TFL_OP_LOGISTIC, prepare_logistic, eval_logistic },
    { TFL_OP_MAX_POOL_2D, prepare_pool, eval_maxpool },
    { TFL_OP_MUL, prepare_mul, eval_mul },
    { TFL_OP_RELU, prepare_relu, eval_relu },
    { TFL_OP_RELU6, prepare_relu6, eval_relu6 },
    { TFL_OP_RESHAPE, prepare_reshape, eval_copy },
    { TFL_OP_SOFTMAX, prepare_softmax, eval_softmax },
    { TFL_OP_PAD, prepare_pad, eval_pad },
    { TFL_OP_MEAN, prepare_mean, eval_mean },
    { TFL_OP_QUANTIZE, prepare_quantize, eval_quant },
    { TFL_OP_SUB, prepare_sub, eval_sub },
    { TFL_OP_MAXIMUM, prepare_maximum_minimum, eval_maximum },
    { TFL_OP_MINIMUM, prepare_maximum_minimum, eval_minimum },
    { TFL_OP_SQUARED_DIFFERENCE, prepare_squared_difference, eval_squared_difference },
    { TFL_OP_DIV, prepare_div, eval_div },
    { TFL_OP_PRELU, prepare_prelu, eval_prelu },
    { TFL_OP_HARD_SWISH, prepare_hard_swish, eval_hard_swish },
    { TFL_OP_LEAKY_RELU, prepare_leaky_relu, eval_leaky_relu },
    { TFL_OP_EXP, prepare_exp, eval_exp },
    { TFL_OP_RSQRT, prepare_rsqrt, eval_rsqrt },
    { TFL_OP_LOG_SOFTMAX, prepare_log_softmax, eval_log_softmax },
    { TFL_OP_CAST, prepare_cast, eval_cast },
    { TFL_OP_TRANSPOSE, prepare_transpose, eval_views },
    { TFL_OP_STRIDED_SLICE, prepare_strided_slice, eval_views },
    { TFL_OP_SLICE, prepare_slice, eval_views },
    { TFL_OP_SQUEEZE, prepare_squeeze, eval_copy },
    { TFL_OP_EXPAND_DIMS, prepare_expand_dims, eval_copy },
    { TFL_OP_SPLIT, prepare_split, eval_views },
    { TFL_OP_SPLIT_V, prepare_split_v, eval_views },
    { TFL_OP_UNPACK, prepare_unpack, eval_views },
    { TFL_OP_PACK, prepare_pack, eval_pack },
    { TFL_OP_GATHER, prepare_gather, eval_gather },
    { TFL_OP_RESIZE_NEAREST_NEIGHBOR, prepare_resize_nearest, eval_resize_nearest },
    { TFL_OP_ARG_MAX, prepare_arg_max, eval_arg_max },
    { TFL_OP_ARG_MIN, prepare_arg_max, eval_arg_max },
    { TFL_OP_DEPTH_TO_SPACE, prepare_depth_space, eval_views },
    { TFL_OP_SPACE_TO_DEPTH, prepare_depth_space, eval_views },
    { TFL_OP_PADV2, prepare_pad, eval_pad },
    { TFL_OP_BROADCAST_TO, prepare_broadcast_to, eval_views },
    { TFL_OP_SUM, prepare_sum, eval_mean },
    { TFL_OP_REDUCE_MAX, prepare_reduce_max, eval_reduce_max },
    { TFL_OP_SVDF, prepare_svdf, eval_svdf },
    { TFL_OP_UNIDIRECTIONAL_SEQUENCE_LSTM, prepare_lstm, eval_lstm },
    { TFL_OP_TRANSPOSE_CONV, prepare_transpose_conv, eval_transpose_conv },
    { TFL_OP_BATCH_MATMUL, prepare_batch_matmul, eval_batch_matmul },
    { TFL_OP_TANH, prepare_tanh, eval_tanh },
    { TFL_OP_ABS, prepare_abs, eval_abs },
    { TFL_OP_NEG, prepare_math_f32, eval_math_f32 },
    { TFL_OP_SQRT, prepare_math_f32, eval_math_f32 },
    { TFL_OP_SQUARE, prepare_math_f32, eval_math_f32 },
    { TFL_OP_FLOOR, prepare_math_f32, eval_math_f32 },
    { TFL_OP_CEIL, prepare_math_f32, eval_math_f32 },
    { TFL_OP_ROUND, prepare_math_f32, eval_math_f32 },
    { TFL_OP_ZEROS_LIKE, prepare_zeros_like, eval_zeros_like },
    { TFL_OP_FLOOR_DIV, prepare_floor_div, eval_floor_div },
    { TFL_OP_FILL, prepare_fill, eval_fill },
    { TFL_OP_EQUAL, prepare_compare, eval_compare },
    { TFL_OP_NOT_EQUAL, prepare_compare, eval_compare },
    { TFL_OP_LESS, prepare_compare, eval_compare },
    { TFL_OP_LESS_EQUAL, prepare_compare, eval_compare },
    { TFL_OP_GREATER, prepare_compare, eval_compare },
    { TFL_OP_GREATER_EQUAL, prepare_compare, eval_compare },
    { TFL_OP_SELECT_V2, prepare_select_v2, eval_select_v2 },
};

const ts_op_impl *ts_find_op(int32_t code)
{
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        if (ops[i].code == code) {
            return &ops[i];
        }
    }
    return NULL;
}

