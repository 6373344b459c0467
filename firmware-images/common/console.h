/* Console output for tinysim's firmware: text goes to UART0/UARTE0 or to semihosting,
 * formatted without printf (newlib's printf would dominate the image and the cycle counts). */
#ifndef TS_CONSOLE_H
#define TS_CONSOLE_H

#include <stdint.h>
#include <stddef.h>

/* A small line buffer that formats text; flush it to one of the sinks below. */
typedef struct {
    char buf[256];
    size_t len;
} line_t;

void line_reset(line_t *l);
void line_str(line_t *l, const char *s);
void line_u32(line_t *l, uint32_t v);
void line_i32(line_t *l, int32_t v);
void line_hex32(line_t *l, uint32_t v);

/* Sinks */
void uart0_write(const char *s, size_t len);   /* legacy UART0: one byte per TXD write */
void uarte0_write(const char *s, size_t len);  /* UARTE0: EasyDMA from RAM */
void semihost_write(const char *s, size_t len); /* semihosting SYS_WRITE on stdout (handle 1) */

#endif
