/* Arm semihosting for bare-metal Cortex-M (BKPT 0xAB), as tinysim and QEMU implement it. */
#ifndef TS_SEMIHOST_H
#define TS_SEMIHOST_H

#include <stdint.h>
#include <stddef.h>

enum {
    SH_SYS_OPEN = 0x01,
    SH_SYS_CLOSE = 0x02,
    SH_SYS_WRITEC = 0x03,
    SH_SYS_WRITE0 = 0x04,
    SH_SYS_WRITE = 0x05,
    SH_SYS_READ = 0x06,
    SH_SYS_READC = 0x07,
    SH_SYS_FLEN = 0x0C,
    SH_SYS_CLOCK = 0x10,
    SH_SYS_ERRNO = 0x13,
    SH_SYS_GET_CMDLINE = 0x15,
    SH_SYS_HEAPINFO = 0x16,
    SH_SYS_EXIT = 0x18,
    SH_SYS_EXIT_EXTENDED = 0x20,
    SH_SYS_ELAPSED = 0x30,
    SH_SYS_TICKFREQ = 0x31,
};

#define SH_ADP_STOPPED_APPLICATION_EXIT 0x20026u
#define SH_ADP_STOPPED_RUNTIME_ERROR_UNKNOWN 0x20023u

/* One semihosting call: operation in r0, parameter in r1, result in r0. */
static inline int32_t sh_call(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return (int32_t)r0;
}

/* Writes len bytes to handle; returns the bytes NOT written (semihosting convention). */
int32_t sh_write(int32_t handle, const void *buf, size_t len);
/* Writes a NUL-terminated string to the console. */
void sh_puts(const char *s);
/* Opens ":tt" for writing ("w" mode 4) or appending to stderr (mode 8). */
int32_t sh_open_tt(uint32_t mode);
/* Ends the program with an exit status (SYS_EXIT_EXTENDED). Does not return. */
__attribute__((noreturn)) void sh_exit(int status);

#endif
