# The inference runtime's C sources (without the platform entry main_fw.c), in link order. The
# firmware, host and QEMU Makefiles include this list; a new operator file is added here only.
TS_RUNTIME_SRC := ts_main.c ts_runtime.c ts_ops.c ts_op_util.c ts_op_table.c \
                  ts_kernels_ref.c ts_kernels_simd.c ts_quant.c fb.c tflite_schema.c \
                  ts_ops_elementwise.c ts_ops_shape.c ts_ops_reduce.c \
                  ts_ops_sequence.c ts_kernels_sequence.c \
                  ts_ops_int16.c ts_kernels_s16.c ts_ops_math.c ts_ops_compare.c
