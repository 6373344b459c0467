/* Programs that look like real work: what a CPI measured on them says about the cycle model.
 * Inputs are pseudo-random with fixed seeds; every program returns a checksum of its result so
 * that the compiler cannot drop the work and a run can be compared with another. Sizes are
 * chosen so that each program executes 100k to 1M instructions. */
#include <stdint.h>
#include <string.h>
#include "programs.h"

static uint32_t lcg_state;

static uint32_t lcg(void)
{
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lcg_state;
}

/* ------------------------------------------------------------------ CRC-32 (table-driven, table in RAM) */

#define CRC_BYTES 8192
static uint8_t crc_input[CRC_BYTES];
static uint32_t crc_table[256];

static uint32_t crc32_run(void)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < CRC_BYTES; i++) {
        crc = crc_table[(crc ^ crc_input[i]) & 0xFFu] ^ (crc >> 8);
    }
    return ~crc;
}

/* Bitwise CRC-32 over a shorter buffer: shifts, XORs and a data-dependent branch per bit. */
static uint32_t crc32_bitwise_run(void)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < 2048; i++) {
        crc ^= crc_input[i];
        for (int b = 0; b < 8; b++) {
            crc = (crc & 1u) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
    }
    return ~crc;
}

/* ------------------------------------------------------------------ sorting */

#define ISORT_N 300
#define QSORT_N 3000
static int32_t isort_data[ISORT_N];
static int32_t qsort_data[QSORT_N];
static int32_t sort_work[QSORT_N];

static uint32_t checksum_words(const int32_t *a, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ (uint32_t)a[i]) * 16777619u;
    }
    return h;
}

static uint32_t isort_run(void)
{
    memcpy(sort_work, isort_data, sizeof isort_data);
    for (size_t i = 1; i < ISORT_N; i++) {
        int32_t v = sort_work[i];
        size_t j = i;
        while (j > 0 && sort_work[j - 1] > v) {
            sort_work[j] = sort_work[j - 1];
            j--;
        }
        sort_work[j] = v;
    }
    return checksum_words(sort_work, ISORT_N);
}

static void quicksort(int32_t *a, int lo, int hi)
{
    while (lo < hi) {
        int32_t pivot = a[lo + (hi - lo) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) {
                int32_t t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                j--;
            }
        }
        /* recurse into the smaller half, loop on the larger */
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
}

static uint32_t qsort_run(void)
{
    memcpy(sort_work, qsort_data, sizeof qsort_data);
    quicksort(sort_work, 0, QSORT_N - 1);
    return checksum_words(sort_work, QSORT_N);
}

/* ------------------------------------------------------------------ matrix multiply */

#define MAT_N 24
static int32_t mi_a[MAT_N][MAT_N], mi_b[MAT_N][MAT_N], mi_c[MAT_N][MAT_N];
static float mf_a[MAT_N][MAT_N], mf_b[MAT_N][MAT_N], mf_c[MAT_N][MAT_N];

static uint32_t matmul_int_run(void)
{
    for (int i = 0; i < MAT_N; i++) {
        for (int j = 0; j < MAT_N; j++) {
            int32_t acc = 0;
            for (int k = 0; k < MAT_N; k++) {
                acc += mi_a[i][k] * mi_b[k][j];
            }
            mi_c[i][j] = acc;
        }
    }
    return checksum_words(&mi_c[0][0], MAT_N * MAT_N);
}

static uint32_t matmul_float_run(void)
{
    for (int i = 0; i < MAT_N; i++) {
        for (int j = 0; j < MAT_N; j++) {
            float acc = 0.0f;
            for (int k = 0; k < MAT_N; k++) {
                acc += mf_a[i][k] * mf_b[k][j];
            }
            mf_c[i][j] = acc;
        }
    }
    uint32_t h = 0;
    for (int i = 0; i < MAT_N; i++) {
        for (int j = 0; j < MAT_N; j++) {
            uint32_t bits;
            memcpy(&bits, &mf_c[i][j], sizeof bits);
            h = h * 31u + bits;
        }
    }
    return h;
}

/* ------------------------------------------------------------------ a state machine: a tokenizer */

#define TEXT_BYTES 6144
static char text[TEXT_BYTES];

enum state { S_SPACE, S_WORD, S_NUMBER, S_STRING, S_COMMENT, S_OPERATOR };

static uint32_t fsm_run(void)
{
    enum state s = S_SPACE;
    uint32_t words = 0, numbers = 0, strings = 0, comments = 0, operators = 0, value = 0, hash = 0;
    for (size_t i = 0; i < TEXT_BYTES; i++) {
        char c = text[i];
        switch (s) {
        case S_SPACE:
        case S_OPERATOR:
            if (c >= 'a' && c <= 'z') { s = S_WORD; words++; hash = hash * 33u + (uint32_t)c; }
            else if (c >= '0' && c <= '9') { s = S_NUMBER; numbers++; value = (uint32_t)(c - '0'); }
            else if (c == '"') { s = S_STRING; strings++; }
            else if (c == '#') { s = S_COMMENT; comments++; }
            else if (c == ' ' || c == '\n') { s = S_SPACE; }
            else { s = S_OPERATOR; operators++; }
            break;
        case S_WORD:
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) { hash = hash * 33u + (uint32_t)c; }
            else if (c == ' ' || c == '\n') { s = S_SPACE; }
            else { s = S_OPERATOR; operators++; }
            break;
        case S_NUMBER:
            if (c >= '0' && c <= '9') { value = value * 10u + (uint32_t)(c - '0'); }
            else { hash ^= value; s = (c == ' ' || c == '\n') ? S_SPACE : S_OPERATOR; operators += s == S_OPERATOR; }
            break;
        case S_STRING:
            if (c == '"') { s = S_SPACE; }
            break;
        case S_COMMENT:
            if (c == '\n') { s = S_SPACE; }
            break;
        }
    }
    return hash ^ (words << 20) ^ (numbers << 14) ^ (strings << 10) ^ (comments << 6) ^ operators;
}

/* ------------------------------------------------------------------ inputs */

void programs_prepare(void)
{
    lcg_state = 20240607u;
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) {
            c = (c & 1u) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
        }
        crc_table[n] = c;
    }
    for (size_t i = 0; i < CRC_BYTES; i++) {
        crc_input[i] = (uint8_t)(lcg() >> 24);
    }
    for (size_t i = 0; i < ISORT_N; i++) {
        isort_data[i] = (int32_t)(lcg() >> 8) - (1 << 23);
    }
    for (size_t i = 0; i < QSORT_N; i++) {
        qsort_data[i] = (int32_t)(lcg() >> 8) - (1 << 23);
    }
    for (int i = 0; i < MAT_N; i++) {
        for (int j = 0; j < MAT_N; j++) {
            mi_a[i][j] = (int32_t)(lcg() >> 22) - 512;
            mi_b[i][j] = (int32_t)(lcg() >> 22) - 512;
            mf_a[i][j] = (float)((int32_t)(lcg() >> 20) - 2048) / 256.0f;
            mf_b[i][j] = (float)((int32_t)(lcg() >> 20) - 2048) / 256.0f;
        }
    }
    static const char *const pieces[] = { "alpha ", "beta42 ", "1234 ", "+ ", "\"quoted text\" ", "# note\n",
                                          "x1 ", "= ", "77 ", "(", ") ", "gamma\n", "; " };
    size_t pos = 0;
    while (pos < TEXT_BYTES) {
        const char *p = pieces[lcg() % (sizeof pieces / sizeof pieces[0])];
        while (*p && pos < TEXT_BYTES) {
            text[pos++] = *p++;
        }
    }
}

const struct program programs[] = {
    { "crc32", crc32_run },
    { "crc32_bitwise", crc32_bitwise_run },
    { "isort", isort_run },
    { "qsort", qsort_run },
    { "matmul_int", matmul_int_run },
    { "matmul_float", matmul_float_run },
    { "fsm", fsm_run },
};
const size_t program_count = sizeof programs / sizeof programs[0];
