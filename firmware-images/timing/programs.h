/* Programs that look like real work, for the cycle model's CPI (timing.c runs them). */
#ifndef TS_TIMING_PROGRAMS_H
#define TS_TIMING_PROGRAMS_H

#include <stddef.h>
#include <stdint.h>

struct program {
    const char *name;
    uint32_t (*run)(void);   /* returns a checksum of its result */
};

extern const struct program programs[];
extern const size_t program_count;

/* Fills every program's input (pseudo-random, fixed seed). */
void programs_prepare(void);

#endif
