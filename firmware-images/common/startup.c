/* Startup for tinysim's nRF52840 firmware: vector table, .data copy, .bss zero, FPU enable
 * in the hard-float build, then main(); main's return value becomes the semihosting exit status. */
#include <stdint.h>
#include "nrf52840.h"
#include "semihost.h"

extern uint32_t __data_start__, __data_end__, __etext, __bss_start__, __bss_end__, __StackTop;
extern int main(void);

void Reset_Handler(void);
void Default_Handler(void);

/* Weak so that an image can provide its own handler (the faults image does). */
#define WEAK_DEFAULT __attribute__((weak, alias("Default_Handler")))
void NMI_Handler(void) WEAK_DEFAULT;
void HardFault_Handler(void) WEAK_DEFAULT;
void MemManage_Handler(void) WEAK_DEFAULT;
void BusFault_Handler(void) WEAK_DEFAULT;
void UsageFault_Handler(void) WEAK_DEFAULT;
void SVC_Handler(void) WEAK_DEFAULT;
void DebugMon_Handler(void) WEAK_DEFAULT;
void PendSV_Handler(void) WEAK_DEFAULT;
void SysTick_Handler(void) WEAK_DEFAULT;
void POWER_CLOCK_IRQHandler(void) WEAK_DEFAULT;
void UARTE0_UART0_IRQHandler(void) WEAK_DEFAULT;
void TIMER0_IRQHandler(void) WEAK_DEFAULT;
void TIMER1_IRQHandler(void) WEAK_DEFAULT;
void TIMER2_IRQHandler(void) WEAK_DEFAULT;
void RTC0_IRQHandler(void) WEAK_DEFAULT;
void RTC1_IRQHandler(void) WEAK_DEFAULT;
void SWI0_EGU0_IRQHandler(void) WEAK_DEFAULT;

typedef void (*vector_t)(void);

/* 16 system vectors + the nRF52840's 48 peripheral interrupts. */
__attribute__((section(".isr_vector"), used))
const vector_t vector_table[16 + 48] = {
    (vector_t)&__StackTop,
    Reset_Handler,
    NMI_Handler,
    HardFault_Handler,
    MemManage_Handler,
    BusFault_Handler,
    UsageFault_Handler,
    0, 0, 0, 0,
    SVC_Handler,
    DebugMon_Handler,
    0,
    PendSV_Handler,
    SysTick_Handler,
    [16 + 0] = POWER_CLOCK_IRQHandler,
    [16 + 2] = UARTE0_UART0_IRQHandler,
    [16 + 8] = TIMER0_IRQHandler,
    [16 + 9] = TIMER1_IRQHandler,
    [16 + 10] = TIMER2_IRQHandler,
    [16 + 11] = RTC0_IRQHandler,
    [16 + 17] = RTC1_IRQHandler,
    [16 + 20] = SWI0_EGU0_IRQHandler,
};

void Reset_Handler(void)
{
    uint32_t *src = &__etext;
    for (uint32_t *dst = &__data_start__; dst < &__data_end__;) {
        *dst++ = *src++;
    }
    for (uint32_t *dst = &__bss_start__; dst < &__bss_end__;) {
        *dst++ = 0;
    }
#if defined(__ARM_FP)
    /* CP10 and CP11 full access: without this the first FPU instruction is a NOCP UsageFault. */
    SCB_CPACR |= (0xFu << 20);
    __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
    sh_exit(main());
}

/* An unexpected exception: spin, as Nordic's startup code does. tinysim recognises the spin
 * and reports the fault that led here. */
void Default_Handler(void)
{
    for (;;) {
    }
}
