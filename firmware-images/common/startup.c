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
void RADIO_IRQHandler(void) WEAK_DEFAULT;
void UARTE0_UART0_IRQHandler(void) WEAK_DEFAULT;
void SPIM0_SPIS0_TWIM0_TWIS0_SPI0_TWI0_IRQHandler(void) WEAK_DEFAULT;
void SPIM1_SPIS1_TWIM1_TWIS1_SPI1_TWI1_IRQHandler(void) WEAK_DEFAULT;
void NFCT_IRQHandler(void) WEAK_DEFAULT;
void GPIOTE_IRQHandler(void) WEAK_DEFAULT;
void SAADC_IRQHandler(void) WEAK_DEFAULT;
void TIMER0_IRQHandler(void) WEAK_DEFAULT;
void TIMER1_IRQHandler(void) WEAK_DEFAULT;
void TIMER2_IRQHandler(void) WEAK_DEFAULT;
void RTC0_IRQHandler(void) WEAK_DEFAULT;
void TEMP_IRQHandler(void) WEAK_DEFAULT;
void RNG_IRQHandler(void) WEAK_DEFAULT;
void ECB_IRQHandler(void) WEAK_DEFAULT;
void CCM_AAR_IRQHandler(void) WEAK_DEFAULT;
void WDT_IRQHandler(void) WEAK_DEFAULT;
void RTC1_IRQHandler(void) WEAK_DEFAULT;
void QDEC_IRQHandler(void) WEAK_DEFAULT;
void COMP_LPCOMP_IRQHandler(void) WEAK_DEFAULT;
void SWI0_EGU0_IRQHandler(void) WEAK_DEFAULT;
void SWI1_EGU1_IRQHandler(void) WEAK_DEFAULT;
void SWI2_EGU2_IRQHandler(void) WEAK_DEFAULT;
void SWI3_EGU3_IRQHandler(void) WEAK_DEFAULT;
void SWI4_EGU4_IRQHandler(void) WEAK_DEFAULT;
void SWI5_EGU5_IRQHandler(void) WEAK_DEFAULT;
void TIMER3_IRQHandler(void) WEAK_DEFAULT;
void TIMER4_IRQHandler(void) WEAK_DEFAULT;
void PWM0_IRQHandler(void) WEAK_DEFAULT;
void PDM_IRQHandler(void) WEAK_DEFAULT;
void MWU_IRQHandler(void) WEAK_DEFAULT;
void PWM1_IRQHandler(void) WEAK_DEFAULT;
void PWM2_IRQHandler(void) WEAK_DEFAULT;
void SPIM2_SPIS2_SPI2_IRQHandler(void) WEAK_DEFAULT;
void RTC2_IRQHandler(void) WEAK_DEFAULT;
void I2S_IRQHandler(void) WEAK_DEFAULT;
void FPU_IRQHandler(void) WEAK_DEFAULT;
void USBD_IRQHandler(void) WEAK_DEFAULT;
void UARTE1_IRQHandler(void) WEAK_DEFAULT;
void QSPI_IRQHandler(void) WEAK_DEFAULT;
void CRYPTOCELL_IRQHandler(void) WEAK_DEFAULT;
void PWM3_IRQHandler(void) WEAK_DEFAULT;
void SPIM3_IRQHandler(void) WEAK_DEFAULT;

typedef void (*vector_t)(void);

/* 16 system vectors + the nRF52840's 48 peripheral interrupts (names as in Nordic's nrf52840.h). */
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
    [16 + 1] = RADIO_IRQHandler,
    [16 + 2] = UARTE0_UART0_IRQHandler,
    [16 + 3] = SPIM0_SPIS0_TWIM0_TWIS0_SPI0_TWI0_IRQHandler,
    [16 + 4] = SPIM1_SPIS1_TWIM1_TWIS1_SPI1_TWI1_IRQHandler,
    [16 + 5] = NFCT_IRQHandler,
    [16 + 6] = GPIOTE_IRQHandler,
    [16 + 7] = SAADC_IRQHandler,
    [16 + 8] = TIMER0_IRQHandler,
    [16 + 9] = TIMER1_IRQHandler,
    [16 + 10] = TIMER2_IRQHandler,
    [16 + 11] = RTC0_IRQHandler,
    [16 + 12] = TEMP_IRQHandler,
    [16 + 13] = RNG_IRQHandler,
    [16 + 14] = ECB_IRQHandler,
    [16 + 15] = CCM_AAR_IRQHandler,
    [16 + 16] = WDT_IRQHandler,
    [16 + 17] = RTC1_IRQHandler,
    [16 + 18] = QDEC_IRQHandler,
    [16 + 19] = COMP_LPCOMP_IRQHandler,
    [16 + 20] = SWI0_EGU0_IRQHandler,
    [16 + 21] = SWI1_EGU1_IRQHandler,
    [16 + 22] = SWI2_EGU2_IRQHandler,
    [16 + 23] = SWI3_EGU3_IRQHandler,
    [16 + 24] = SWI4_EGU4_IRQHandler,
    [16 + 25] = SWI5_EGU5_IRQHandler,
    [16 + 26] = TIMER3_IRQHandler,
    [16 + 27] = TIMER4_IRQHandler,
    [16 + 28] = PWM0_IRQHandler,
    [16 + 29] = PDM_IRQHandler,
    [16 + 32] = MWU_IRQHandler,
    [16 + 33] = PWM1_IRQHandler,
    [16 + 34] = PWM2_IRQHandler,
    [16 + 35] = SPIM2_SPIS2_SPI2_IRQHandler,
    [16 + 36] = RTC2_IRQHandler,
    [16 + 37] = I2S_IRQHandler,
    [16 + 38] = FPU_IRQHandler,
    [16 + 39] = USBD_IRQHandler,
    [16 + 40] = UARTE1_IRQHandler,
    [16 + 41] = QSPI_IRQHandler,
    [16 + 42] = CRYPTOCELL_IRQHandler,
    [16 + 45] = PWM3_IRQHandler,
    [16 + 47] = SPIM3_IRQHandler,
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
