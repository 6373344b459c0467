#include "semihost.h"

int32_t sh_write(int32_t handle, const void *buf, size_t len)
{
    uint32_t block[3] = { (uint32_t)handle, (uint32_t)buf, (uint32_t)len };
    return sh_call(SH_SYS_WRITE, block);
}

void sh_puts(const char *s)
{
    sh_call(SH_SYS_WRITE0, s);
}

int32_t sh_open_tt(uint32_t mode)
{
    static const char tt[] = ":tt";
    uint32_t block[3] = { (uint32_t)tt, mode, 3 };
    return sh_call(SH_SYS_OPEN, block);
}

void sh_exit(int status)
{
    uint32_t block[2] = { SH_ADP_STOPPED_APPLICATION_EXIT, (uint32_t)status };
    sh_call(SH_SYS_EXIT_EXTENDED, block);
    /* A host without SYS_EXIT_EXTENDED: fall back to SYS_EXIT with the plain reason. */
    sh_call(SH_SYS_EXIT, (const void *)(status == 0 ? SH_ADP_STOPPED_APPLICATION_EXIT
                                                     : SH_ADP_STOPPED_RUNTIME_ERROR_UNKNOWN));
    for (;;) {
    }
}
