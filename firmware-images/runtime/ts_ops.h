/* The operators the runtime implements: prepare and eval of each, by file. ts_op_table.c maps
 * BuiltinOperator codes to them. A new operator: its functions here, one line in the table. */
#ifndef TS_OPS_H
#define TS_OPS_H

#include "ts_runtime.h"

/* ts_ops.c: convolutions, fully connected, pooling, ADD/MUL, softmax, logistic, quantize,
   ReLU, PAD, CONCATENATION, RESHAPE */
int prepare_add(ts_ctx *ctx, ts_op *op);
int eval_add(ts_ctx *ctx, ts_op *op);
int prepare_pool(ts_ctx *ctx, ts_op *op);
int eval_avgpool(ts_ctx *ctx, ts_op *op);
int prepare_concat(ts_ctx *ctx, ts_op *op);
int eval_concat(ts_ctx *ctx, ts_op *op);
int prepare_conv(ts_ctx *ctx, ts_op *op);
int eval_conv(ts_ctx *ctx, ts_op *op);
int prepare_dwconv(ts_ctx *ctx, ts_op *op);
int eval_dwconv(ts_ctx *ctx, ts_op *op);
int prepare_dequantize(ts_ctx *ctx, ts_op *op);
int eval_quant(ts_ctx *ctx, ts_op *op);
int prepare_fc(ts_ctx *ctx, ts_op *op);
int eval_fc(ts_ctx *ctx, ts_op *op);
int prepare_logistic(ts_ctx *ctx, ts_op *op);
int eval_logistic(ts_ctx *ctx, ts_op *op);
int eval_maxpool(ts_ctx *ctx, ts_op *op);
int prepare_mul(ts_ctx *ctx, ts_op *op);
int eval_mul(ts_ctx *ctx, ts_op *op);
int prepare_relu(ts_ctx *ctx, ts_op *op);
int eval_relu(ts_ctx *ctx, ts_op *op);
int prepare_relu6(ts_ctx *ctx, ts_op *op);
int eval_relu6(ts_ctx *ctx, ts_op *op);
int prepare_reshape(ts_ctx *ctx, ts_op *op);
int eval_copy(ts_ctx *ctx, ts_op *op);
int prepare_softmax(ts_ctx *ctx, ts_op *op);
int eval_softmax(ts_ctx *ctx, ts_op *op);
int prepare_pad(ts_ctx *ctx, ts_op *op);
int eval_pad(ts_ctx *ctx, ts_op *op);
int prepare_quantize(ts_ctx *ctx, ts_op *op);

/* ts_ops_elementwise.c: elementwise and activation operators */
int prepare_sub(ts_ctx *ctx, ts_op *op);
int eval_sub(ts_ctx *ctx, ts_op *op);
int prepare_maximum_minimum(ts_ctx *ctx, ts_op *op);
int eval_maximum(ts_ctx *ctx, ts_op *op);
int eval_minimum(ts_ctx *ctx, ts_op *op);
int prepare_squared_difference(ts_ctx *ctx, ts_op *op);
int eval_squared_difference(ts_ctx *ctx, ts_op *op);
int prepare_div(ts_ctx *ctx, ts_op *op);
int eval_div(ts_ctx *ctx, ts_op *op);
int prepare_prelu(ts_ctx *ctx, ts_op *op);
int eval_prelu(ts_ctx *ctx, ts_op *op);
int prepare_hard_swish(ts_ctx *ctx, ts_op *op);
int eval_hard_swish(ts_ctx *ctx, ts_op *op);
int prepare_leaky_relu(ts_ctx *ctx, ts_op *op);
int eval_leaky_relu(ts_ctx *ctx, ts_op *op);
int prepare_exp(ts_ctx *ctx, ts_op *op);
int eval_exp(ts_ctx *ctx, ts_op *op);
int prepare_rsqrt(ts_ctx *ctx, ts_op *op);
int eval_rsqrt(ts_ctx *ctx, ts_op *op);
int prepare_log_softmax(ts_ctx *ctx, ts_op *op);
int eval_log_softmax(ts_ctx *ctx, ts_op *op);
int prepare_cast(ts_ctx *ctx, ts_op *op);
int eval_cast(ts_ctx *ctx, ts_op *op);
int prepare_tanh(ts_ctx *ctx, ts_op *op);
int eval_tanh(ts_ctx *ctx, ts_op *op);

/* ts_ops_shape.c: TRANSPOSE, STRIDED_SLICE, SLICE, SQUEEZE, EXPAND_DIMS, SPLIT, SPLIT_V, UNPACK, PACK, GATHER,
   RESIZE_NEAREST_NEIGHBOR, ARG_MAX (SQUEEZE and EXPAND_DIMS evaluate with eval_copy) */
int eval_views(ts_ctx *ctx, ts_op *op);
int prepare_transpose(ts_ctx *ctx, ts_op *op);
int prepare_strided_slice(ts_ctx *ctx, ts_op *op);
int prepare_slice(ts_ctx *ctx, ts_op *op);
int prepare_squeeze(ts_ctx *ctx, ts_op *op);
int prepare_expand_dims(ts_ctx *ctx, ts_op *op);
int prepare_split(ts_ctx *ctx, ts_op *op);
int prepare_split_v(ts_ctx *ctx, ts_op *op);
int prepare_unpack(ts_ctx *ctx, ts_op *op);
int prepare_pack(ts_ctx *ctx, ts_op *op);
int eval_pack(ts_ctx *ctx, ts_op *op);
int prepare_gather(ts_ctx *ctx, ts_op *op);
int eval_gather(ts_ctx *ctx, ts_op *op);
int prepare_resize_nearest(ts_ctx *ctx, ts_op *op);
int eval_resize_nearest(ts_ctx *ctx, ts_op *op);
int prepare_arg_max(ts_ctx *ctx, ts_op *op);
int prepare_depth_space(ts_ctx *ctx, ts_op *op); /* DEPTH_TO_SPACE, SPACE_TO_DEPTH (eval_views) */
int prepare_broadcast_to(ts_ctx *ctx, ts_op *op); /* BROADCAST_TO (eval_views) */
int eval_arg_max(ts_ctx *ctx, ts_op *op);

/* ts_ops_reduce.c: MEAN, SUM, REDUCE_MAX (SUM evaluates with eval_mean) */
int prepare_mean(ts_ctx *ctx, ts_op *op);
int prepare_sum(ts_ctx *ctx, ts_op *op);
int eval_mean(ts_ctx *ctx, ts_op *op);
int prepare_reduce_max(ts_ctx *ctx, ts_op *op);
int eval_reduce_max(ts_ctx *ctx, ts_op *op);

/* ts_ops_sequence.c: SVDF, UNIDIRECTIONAL_SEQUENCE_LSTM (operators with state) */
int prepare_svdf(ts_ctx *ctx, ts_op *op);
int eval_svdf(ts_ctx *ctx, ts_op *op);
int prepare_lstm(ts_ctx *ctx, ts_op *op);
int eval_lstm(ts_ctx *ctx, ts_op *op);

/* ts_ops_int16.c: TRANSPOSE_CONV, BATCH_MATMUL (float32, int8, int16) */
int prepare_transpose_conv(ts_ctx *ctx, ts_op *op);
int eval_transpose_conv(ts_ctx *ctx, ts_op *op);
int prepare_batch_matmul(ts_ctx *ctx, ts_op *op);
int eval_batch_matmul(ts_ctx *ctx, ts_op *op);

/* ts_ops_math.c: ABS (float32, int8, int16); NEG, SQRT, SQUARE, FLOOR, CEIL, ROUND (float32, one prepare
 * and eval switching on the code); ZEROS_LIKE (int32, float32) */
int prepare_abs(ts_ctx *ctx, ts_op *op);
int eval_abs(ts_ctx *ctx, ts_op *op);
int prepare_math_f32(ts_ctx *ctx, ts_op *op);
int eval_math_f32(ts_ctx *ctx, ts_op *op);
int prepare_zeros_like(ts_ctx *ctx, ts_op *op);
int eval_zeros_like(ts_ctx *ctx, ts_op *op);
int prepare_floor_div(ts_ctx *ctx, ts_op *op);
int eval_floor_div(ts_ctx *ctx, ts_op *op);
int prepare_fill(ts_ctx *ctx, ts_op *op);
int eval_fill(ts_ctx *ctx, ts_op *op);

/* ts_ops_compare.c: EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL (float32, int32, int8; bool for
 * EQUAL and NOT_EQUAL), bool output */
int prepare_compare(ts_ctx *ctx, ts_op *op);
int eval_compare(ts_ctx *ctx, ts_op *op);
/* ts_ops_compare.c: SELECT_V2 (bool condition; float32, int8, int16 values; three-way broadcasting) */
int prepare_select_v2(ts_ctx *ctx, ts_op *op);
int eval_select_v2(ts_ctx *ctx, ts_op *op);

#endif
