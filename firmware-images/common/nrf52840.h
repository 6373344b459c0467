/* The few nRF52840 and Cortex-M4 registers tinysim's firmware touches
 * (addresses from Nordic's nrf52840.h / the Product Specification and Arm's core_cm4.h). */
#ifndef TS_NRF52840_H
#define TS_NRF52840_H

#include <stdint.h>

#define REG32(addr) (*(volatile uint32_t *)(addr))

/* System Control Space */
#define SCB_CPUID   REG32(0xE000ED00u)
#define SCB_ICSR    REG32(0xE000ED04u)
#define SCB_VTOR    REG32(0xE000ED08u)
#define SCB_AIRCR   REG32(0xE000ED0Cu)
#define SCB_CCR     REG32(0xE000ED14u)
#define SCB_SHCSR   REG32(0xE000ED24u)
#define SCB_CFSR    REG32(0xE000ED28u)
#define SCB_HFSR    REG32(0xE000ED2Cu)
#define SCB_BFAR    REG32(0xE000ED38u)
#define SCB_CPACR   REG32(0xE000ED88u)
#define CORE_DEMCR  REG32(0xE000EDFCu)
#define DWT_CTRL    REG32(0xE0001000u)
#define DWT_CYCCNT  REG32(0xE0001004u)
#define SYST_CSR    REG32(0xE000E010u)
#define SYST_RVR    REG32(0xE000E014u)
#define SYST_CVR    REG32(0xE000E018u)

#define DEMCR_TRCENA (1u << 24)
#define DWT_CTRL_CYCCNTENA 1u

/* CLOCK */
#define CLOCK_TASKS_HFCLKSTART    REG32(0x40000000u)
#define CLOCK_EVENTS_HFCLKSTARTED REG32(0x40000100u)

/* Legacy UART0 (one byte per TXD write) and UARTE0 (EasyDMA) share 0x40002000. */
#define UART0_TASKS_STARTTX  REG32(0x40002008u)
#define UART0_TASKS_STOPTX   REG32(0x4000200Cu)
#define UART0_EVENTS_TXDRDY  REG32(0x4000211Cu)
#define UART0_EVENTS_ENDTX   REG32(0x40002120u)
#define UART0_ENABLE         REG32(0x40002500u)
#define UART0_TXD            REG32(0x4000251Cu)
#define UARTE0_TXD_PTR       REG32(0x40002544u)
#define UARTE0_TXD_MAXCNT    REG32(0x40002548u)
#define UARTE0_TXD_AMOUNT    REG32(0x4000254Cu)
#define UART_ENABLE_UART  4u
#define UART_ENABLE_UARTE 8u

/* NVMC */
#define NVMC_READY     REG32(0x4001E400u)
#define NVMC_CONFIG    REG32(0x4001E504u)
#define NVMC_ERASEPAGE REG32(0x4001E508u)
#define NVMC_ICACHECNF REG32(0x4001E540u)

/* FICR */
#define FICR_CODEPAGESIZE REG32(0x10000010u)
#define FICR_CODESIZE     REG32(0x10000014u)
#define FICR_DEVICEID0    REG32(0x10000060u)

/* DWT cycle counter on: the firmware's own stopwatch. */
static inline void dwt_enable(void)
{
    CORE_DEMCR |= DEMCR_TRCENA;
    DWT_CYCCNT = 0;
    DWT_CTRL |= DWT_CTRL_CYCCNTENA;
}

#endif
