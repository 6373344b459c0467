/* The parts of the TensorFlow Lite flatbuffer schema (tensorflow/lite/schema/schema.fbs) the
 * runtime reads: table field numbers (vtable slot = 4 + 2 * field), enum values. */
#ifndef TFLITE_SCHEMA_H
#define TFLITE_SCHEMA_H

#include <stdint.h>

/* table Model */
enum { MODEL_VERSION = 0, MODEL_OPERATOR_CODES = 1, MODEL_SUBGRAPHS = 2, MODEL_DESCRIPTION = 3,
       MODEL_BUFFERS = 4 };
/* table OperatorCode */
enum { OPCODE_DEPRECATED_BUILTIN_CODE = 0, OPCODE_CUSTOM_CODE = 1, OPCODE_VERSION = 2,
       OPCODE_BUILTIN_CODE = 3 };
/* table SubGraph */
enum { SUBGRAPH_TENSORS = 0, SUBGRAPH_INPUTS = 1, SUBGRAPH_OUTPUTS = 2, SUBGRAPH_OPERATORS = 3 };
/* table Tensor */
enum { TENSOR_SHAPE = 0, TENSOR_TYPE = 1, TENSOR_BUFFER = 2, TENSOR_NAME = 3,
       TENSOR_QUANTIZATION = 4, TENSOR_IS_VARIABLE = 5, TENSOR_SPARSITY = 6 };
/* table QuantizationParameters */
enum { QUANT_MIN = 0, QUANT_MAX = 1, QUANT_SCALE = 2, QUANT_ZERO_POINT = 3,
       QUANT_DETAILS_TYPE = 4, QUANT_DETAILS = 5, QUANT_QUANTIZED_DIMENSION = 6 };
/* table Buffer */
enum { BUFFER_DATA = 0, BUFFER_OFFSET = 1, BUFFER_SIZE = 2 };
/* table Operator */
enum { OP_OPCODE_INDEX = 0, OP_INPUTS = 1, OP_OUTPUTS = 2, OP_BUILTIN_OPTIONS_TYPE = 3,
       OP_BUILTIN_OPTIONS = 4, OP_CUSTOM_OPTIONS = 5 };

/* Options tables (fields) */
enum { CONV_PADDING = 0, CONV_STRIDE_W = 1, CONV_STRIDE_H = 2, CONV_ACTIVATION = 3,
       CONV_DILATION_W = 4, CONV_DILATION_H = 5 };
enum { DW_PADDING = 0, DW_STRIDE_W = 1, DW_STRIDE_H = 2, DW_DEPTH_MULTIPLIER = 3,
       DW_ACTIVATION = 4, DW_DILATION_W = 5, DW_DILATION_H = 6 };
enum { FC_ACTIVATION = 0, FC_WEIGHTS_FORMAT = 1, FC_KEEP_NUM_DIMS = 2, FC_ASYMMETRIC_INPUTS = 3 };
enum { POOL_PADDING = 0, POOL_STRIDE_W = 1, POOL_STRIDE_H = 2, POOL_FILTER_W = 3,
       POOL_FILTER_H = 4, POOL_ACTIVATION = 5 };
enum { ADD_ACTIVATION = 0 };
enum { MUL_ACTIVATION = 0 };
enum { SOFTMAX_BETA = 0 };
enum { CONCAT_AXIS = 0, CONCAT_ACTIVATION = 1 };
enum { REDUCER_KEEP_DIMS = 0 };

/* union BuiltinOptions: the option table types we read */
enum { OPT_CONV2D = 1, OPT_DEPTHWISE_CONV2D = 2, OPT_POOL2D = 5, OPT_FULLY_CONNECTED = 8,
       OPT_SOFTMAX = 9, OPT_CONCATENATION = 10, OPT_ADD = 11, OPT_RESHAPE = 17, OPT_MUL = 21,
       OPT_PAD = 22, OPT_REDUCER = 27 };

/* enum TensorType */
enum { TFL_FLOAT32 = 0, TFL_FLOAT16 = 1, TFL_INT32 = 2, TFL_UINT8 = 3, TFL_INT64 = 4,
       TFL_STRING = 5, TFL_BOOL = 6, TFL_INT16 = 7, TFL_INT8 = 9 };

/* enum Padding */
enum { TFL_PAD_SAME = 0, TFL_PAD_VALID = 1 };

/* enum ActivationFunctionType */
enum { TFL_ACT_NONE = 0, TFL_ACT_RELU = 1, TFL_ACT_RELU_N1_TO_1 = 2, TFL_ACT_RELU6 = 3,
       TFL_ACT_TANH = 4, TFL_ACT_SIGN_BIT = 5 };

/* enum BuiltinOperator: the ones the runtime implements (names of all: ts_opcode_name) */
enum {
    TFL_OP_ADD = 0,
    TFL_OP_AVERAGE_POOL_2D = 1,
    TFL_OP_CONCATENATION = 2,
    TFL_OP_CONV_2D = 3,
    TFL_OP_DEPTHWISE_CONV_2D = 4,
    TFL_OP_DEQUANTIZE = 6,
    TFL_OP_FULLY_CONNECTED = 9,
    TFL_OP_LOGISTIC = 14,
    TFL_OP_MAX_POOL_2D = 17,
    TFL_OP_MUL = 18,
    TFL_OP_RELU = 19,
    TFL_OP_RELU6 = 21,
    TFL_OP_RESHAPE = 22,
    TFL_OP_SOFTMAX = 25,
    TFL_OP_CUSTOM = 32,
    TFL_OP_PAD = 34,
    TFL_OP_MEAN = 40,
    TFL_OP_QUANTIZE = 114,
    TFL_OP_MAX = 209, /* highest value in the schema this table knows */
};

/* "CONV_2D", ...; "UNKNOWN" outside 0..TFL_OP_MAX */
const char *ts_opcode_name(int32_t code);

#endif
