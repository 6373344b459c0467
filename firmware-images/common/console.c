#include "console.h"
#include "nrf52840.h"
#include "semihost.h"

void line_reset(line_t *l) { l->len = 0; }

void line_str(line_t *l, const char *s)
{
    while (*s && l->len < sizeof l->buf) {
        l->buf[l->len++] = *s++;
    }
}

void line_u32(line_t *l, uint32_t v)
{
    char digits[10];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    while (n > 0 && l->len < sizeof l->buf) {
        l->buf[l->len++] = digits[--n];
    }
}

void line_i32(line_t *l, int32_t v)
{
    if (v < 0) {
        line_str(l, "-");
        line_u32(l, 0u - (uint32_t)v);
    } else {
        line_u32(l, (uint32_t)v);
    }
}

void line_hex32(line_t *l, uint32_t v)
{
    static const char hex[] = "0123456789abcdef";
    line_str(l, "0x");
    for (int shift = 28; shift >= 0 && l->len < sizeof l->buf; shift -= 4) {
        l->buf[l->len++] = hex[(v >> shift) & 0xFu];
    }
}

void uart0_write(const char *s, size_t len)
{
    UART0_ENABLE = UART_ENABLE_UART;
    UART0_TASKS_STARTTX = 1;
    for (size_t i = 0; i < len; i++) {
        UART0_EVENTS_TXDRDY = 0;
        UART0_TXD = (uint8_t)s[i];
        while (UART0_EVENTS_TXDRDY == 0) {
        }
    }
    UART0_TASKS_STOPTX = 1;
}

void uarte0_write(const char *s, size_t len)
{
    /* EasyDMA reads from RAM only: copy flash-resident text to a RAM buffer first. */
    static char dma[256];
    UART0_ENABLE = UART_ENABLE_UARTE;
    while (len > 0) {
        size_t chunk = len < sizeof dma ? len : sizeof dma;
        for (size_t i = 0; i < chunk; i++) {
            dma[i] = s[i];
        }
        UARTE0_TXD_PTR = (uint32_t)dma;
        UARTE0_TXD_MAXCNT = chunk;
        UART0_EVENTS_ENDTX = 0;
        UART0_TASKS_STARTTX = 1;
        while (UART0_EVENTS_ENDTX == 0) {
        }
        s += chunk;
        len -= chunk;
    }
    UART0_ENABLE = 0;
}

void semihost_write(const char *s, size_t len)
{
    sh_write(1, s, len);
}
