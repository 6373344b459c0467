/* tinysim benchmark firmware: a compute-heavy int8 workload (matrix multiply with int32
 * accumulation and requantization, the inner loop of every int8 network layer), run a fixed
 * number of times. `tinysim bench` times the emulator on it; the checksum proves the work was done. */
#include <stdint.h>
#include "console.h"
#include "semihost.h"

#define M 32
#define K 64
#define N 32
#define REPEAT 20

static int8_t a[M][K];
static int8_t b[K][N];
static int8_t c[M][N];

static uint32_t lcg = 12345u;
static int8_t next_int8(void)
{
    lcg = lcg * 1664525u + 1013904223u;
    return (int8_t)(lcg >> 24);
}

static void matmul(void)
{
    for (int i = 0; i < M; i++) {
        for (int j = 0; j < N; j++) {
            int32_t acc = 0;
            for (int k = 0; k < K; k++) {
                acc += (int32_t)a[i][k] * (int32_t)b[k][j];
            }
            acc = (acc + (1 << 9)) >> 10;   /* requantize: scale 2^-10, round half up */
            if (acc > 127) acc = 127;
            if (acc < -128) acc = -128;
            c[i][j] = (int8_t)acc;
        }
    }
}

int main(void)
{
    for (int i = 0; i < M; i++)
        for (int k = 0; k < K; k++)
            a[i][k] = next_int8();
    for (int k = 0; k < K; k++)
        for (int j = 0; j < N; j++)
            b[k][j] = next_int8();

    uint32_t checksum = 0;
    for (int r = 0; r < REPEAT; r++) {
        matmul();
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++)
                checksum = checksum * 31u + (uint8_t)c[i][j];
        a[r % M][r % K] ^= 0x55;   /* perturb so that every repetition is real work */
    }

    line_t l;
    line_reset(&l);
    line_str(&l, "bench: int8 matmul 32x64x32 x ");
    line_u32(&l, REPEAT);
    line_str(&l, ", checksum ");
    line_hex32(&l, checksum);
    line_str(&l, "\n");
    semihost_write(l.buf, l.len);
    return 0;
}
