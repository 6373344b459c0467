/* Output for the bare-metal build of host/test_kernels.c under QEMU. */
#include <stdint.h>
#include "semihost.h"

void t_print(const char *s) { sh_puts(s); }

void t_print_u(uint32_t v)
{
    char b[11];
    int i = 10;
    b[i] = 0;
    do {
        b[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    sh_puts(b + i);
}
