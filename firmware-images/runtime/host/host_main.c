/* Host (x86) harness of the inference runtime: runs a .tflite file on given input bytes and
 * prints the same "@ts" report lines as the firmware (cycle counts are 0 on the host), plus
 * the output tensor.
 *
 *   runtime-host MODEL.tflite [--input FILE | --seed N] [--runs N] [--reference]
 *                [--arena BYTES] [--out FILE] [--save-input FILE] [--hex] [--quiet]
 *
 * Several graph inputs: FILE holds them back to back in graph order, and --out writes every
 * output of a run back to back. --seed N fills the inputs (in order) with bytes from one
 * xorshift32 generator seeded with N (for float inputs: each float = (int8 byte) / 32.0f, see
 * README). Without --input/--seed the inputs are 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../ts_runtime.h"

#define MAX_IO 64
static const uint8_t *g_input;   /* every input back to back */
static uint32_t g_input_len;
static const char *g_out_path;
static int g_print_values = 1;
static uint32_t g_nin, g_in_total, g_in_bytes[MAX_IO], g_in_pos[MAX_IO];
static uint8_t g_in_type[MAX_IO], g_out_type[MAX_IO];

uint32_t ts_port_cycles(void) { return 0; }
void ts_port_write(const char *s, size_t len) { fwrite(s, 1, len, stdout); }
int32_t ts_port_input(uint32_t run, uint32_t index, void *ptr, uint32_t len)
{
    (void)run;
    if (g_input == NULL) {
        return -1;
    }
    if (index >= g_nin || g_in_bytes[index] != len || g_input_len != g_in_total) {
        fprintf(stderr, "input has %u bytes, the input tensors %u\n", g_input_len, g_in_total);
        exit(2);
    }
    memcpy(ptr, g_input + g_in_pos[index], len);
    return 0;
}
void ts_port_output(uint32_t run, uint32_t index, const void *ptr, uint32_t len)
{
    if (g_out_path != NULL) {
        FILE *f = fopen(g_out_path, run == 0 && index == 0 ? "wb" : "ab");
        if (f == NULL || fwrite(ptr, 1, len, f) != len) {
            perror(g_out_path);
            exit(2);
        }
        fclose(f);
    }
    if (g_print_values) {
        uint8_t type = index < MAX_IO ? g_out_type[index] : 9;
        printf("output run=%u index=%u values=", run, index);
        for (uint32_t i = 0; i < len; i += (type == 0 ? 4 : 1)) {
            if (type == 0) {
                float f;
                memcpy(&f, (const uint8_t *)ptr + i, 4);
                printf("%s%.9g", i ? "," : "", f);
            } else {
                printf("%s%d", i ? "," : "", ((const int8_t *)ptr)[i]);
            }
        }
        printf("\n");
    }
}

static uint8_t *read_file(const char *path, uint32_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *p = aligned_alloc(16, ((size_t)n + 16) & ~(size_t)15);
    if (p == NULL || fread(p, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    *len = (uint32_t)n;
    return p;
}

/* Peeks at the model through the runtime itself to size seeded inputs. */
static int io_info(const uint8_t *model, uint32_t size)
{
    static ts_ctx ctx;
    static uint8_t arena[4u << 20] __attribute__((aligned(16)));
    ts_config cfg = { model, size, arena, sizeof arena, TS_KERNELS_REFERENCE, 0, NULL };
    if (ts_load(&ctx, &cfg) != 0 || ctx.ninputs > MAX_IO || ctx.noutputs > MAX_IO) {
        return -1;
    }
    g_nin = ctx.ninputs;
    uint32_t pos = 0;
    for (uint32_t k = 0; k < ctx.ninputs; k++) {
        g_in_bytes[k] = ctx.tensors[ctx.inputs[k]].bytes;
        g_in_type[k] = ctx.tensors[ctx.inputs[k]].type;
        g_in_pos[k] = pos;
        pos += g_in_bytes[k];
    }
    g_in_total = pos;
    for (uint32_t k = 0; k < ctx.noutputs; k++) {
        g_out_type[k] = ctx.tensors[ctx.outputs[k]].type;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *model_path = NULL, *input_path = NULL, *save_input = NULL;
    long seed = -1;
    uint32_t runs = 1, flags = 0, arena_size = 0;
    int32_t kernels = TS_KERNELS_SIMD;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--input") && i + 1 < argc) {
            input_path = argv[++i];
        } else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            seed = strtol(argv[++i], NULL, 0);
        } else if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
            runs = (uint32_t)strtoul(argv[++i], NULL, 0);
        } else if (!strcmp(argv[i], "--arena") && i + 1 < argc) {
            arena_size = (uint32_t)strtoul(argv[++i], NULL, 0);
        } else if (!strcmp(argv[i], "--save-input") && i + 1 < argc) {
            save_input = argv[++i];
        } else if (!strcmp(argv[i], "--out") && i + 1 < argc) {
            g_out_path = argv[++i];
        } else if (!strcmp(argv[i], "--reference")) {
            kernels = TS_KERNELS_REFERENCE;
        } else if (!strcmp(argv[i], "--hex")) {
            flags |= TS_FLAG_PRINT_OUTPUT;
        } else if (!strcmp(argv[i], "--quiet")) {
            g_print_values = 0;
        } else if (argv[i][0] != '-' && model_path == NULL) {
            model_path = argv[i];
        } else {
            fprintf(stderr, "usage: %s MODEL.tflite [--input FILE|--seed N] [--runs N] [--reference] "
                            "[--arena BYTES] [--out FILE] [--hex] [--quiet]\n", argv[0]);
            return 2;
        }
    }
    uint32_t model_size = 0;
    uint8_t *model = model_path ? read_file(model_path, &model_size) : NULL;
    uint32_t in_bytes = 0;
    if (model != NULL && io_info(model, model_size) == 0) {
        in_bytes = g_in_total;
    }
    if (input_path != NULL) {
        g_input = read_file(input_path, &g_input_len);
    } else if (seed >= 0 && in_bytes > 0) {
        uint8_t *buf = malloc(in_bytes);
        uint32_t x = (uint32_t)seed * 2654435761u + 1u;
        for (uint32_t i = 0; i < in_bytes; i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            buf[i] = (uint8_t)(x >> 24);
        }
        for (uint32_t k = 0; k < g_nin; k++) {
            if (g_in_type[k] == 0) { /* float32 input: bytes -> int8 / 32 */
                uint8_t *p = buf + g_in_pos[k];
                for (uint32_t i = 0; i < g_in_bytes[k] / 4; i++) {
                    float f = (float)(int8_t)p[i] / 32.0f;
                    memcpy(p + 4 * i, &f, 4);
                }
            }
        }
        g_input = buf;
        g_input_len = in_bytes;
    }
    if (save_input != NULL && g_input != NULL) {
        FILE *f = fopen(save_input, "wb");
        if (f == NULL || fwrite(g_input, 1, g_input_len, f) != g_input_len) {
            perror(save_input);
            return 2;
        }
        fclose(f);
    }
    /* the firmware's arena: RAM minus the runtime's static data and stack (see README) */
    if (arena_size == 0) {
        arena_size = 0x40000u - 0x2000u - 0x400u;
    }
    uint8_t *arena = aligned_alloc(16, (arena_size + 15u) & ~15u);
    ts_config cfg = { model, model_size, arena, arena_size, kernels, 0, NULL };
    return ts_main(&cfg, runs, flags, "host");
}
