/* tinysim interrupt and exception test image: SysTick, TIMER and RTC interrupts woken from WFI,
 * PendSV/SVC, preemption by priority, tail-chaining, BASEPRI masking, the process stack, and the
 * FP context saved across an interrupt. The case is the first word of the command line
 * (`tinysim run irq -- systick`); each case checks itself and exits with its number of failures,
 * printing the cycle figures the tests compare with the timing model. */
#include <stdint.h>
#include <string.h>
#include "console.h"
#include "nrf52840.h"
#include "semihost.h"
#include "tinysim_requires.h"

TINYSIM_REQUIRES("arg:timer,wfi,wfe peripheral nrf52.timer@0x40008000 the TIMER0 compare interrupt it waits for");
TINYSIM_REQUIRES("arg:rtc peripheral nrf52.clock@0x40000000 the LFCLK that runs the RTC");
TINYSIM_REQUIRES("arg:rtc peripheral nrf52.rtc@0x4000b000 the RTC0 compare interrupt it waits for");
#if defined(__ARM_FP)
TINYSIM_REQUIRES("arg:fpcontext peripheral nrf52.timer@0x40009000 the TIMER1 interrupt that clobbers FP registers");
#endif
TINYSIM_REQUIRES("arg:preempt,basepri interrupts 22 the software-triggered IRQs 20 and 21");

extern uint32_t __StackLimit[];   /* the bottom of the main stack (linker script) */

#define NVIC_ISER0  REG32(0xE000E100u)
#define NVIC_ISPR0  REG32(0xE000E200u)
#define NVIC_IPR(n) (*(volatile uint8_t *)(0xE000E400u + (n)))
#define NVIC_STIR   REG32(0xE000EF00u)
#define SCB_SHPR3   REG32(0xE000ED20u)
#define ICSR_PENDSVSET (1u << 28)
#define ICSR_PENDSTSET (1u << 26)

#define TIMER0_BASE 0x40008000u
#define TIMER0_START     REG32(TIMER0_BASE + 0x000)
#define TIMER0_STOP      REG32(TIMER0_BASE + 0x004)
#define TIMER0_CLEAR     REG32(TIMER0_BASE + 0x00C)
#define TIMER0_COMPARE0  REG32(TIMER0_BASE + 0x140)
#define TIMER0_SHORTS    REG32(TIMER0_BASE + 0x200)
#define TIMER0_INTENSET  REG32(TIMER0_BASE + 0x304)
#define TIMER0_MODE      REG32(TIMER0_BASE + 0x504)
#define TIMER0_BITMODE   REG32(TIMER0_BASE + 0x508)
#define TIMER0_PRESCALER REG32(TIMER0_BASE + 0x510)
#define TIMER0_CC0       REG32(TIMER0_BASE + 0x540)

#define RTC0_BASE 0x4000B000u
#define RTC0_START    REG32(RTC0_BASE + 0x000)
#define RTC0_COMPARE0 REG32(RTC0_BASE + 0x140)
#define RTC0_INTENSET REG32(RTC0_BASE + 0x304)
#define RTC0_COUNTER  REG32(RTC0_BASE + 0x504)
#define RTC0_PRESCALER REG32(RTC0_BASE + 0x508)
#define RTC0_CC0      REG32(RTC0_BASE + 0x540)

static int failures;
static volatile uint32_t latency_mode;
static volatile uint32_t latency_stamps[4];
static volatile uint32_t ticks, stamps[16], order[8], order_n;

static void say(const char *s) { sh_puts(s); }

static void say_u32(const char *label, uint32_t v)
{
    line_t l;
    line_reset(&l);
    line_str(&l, label);
    line_u32(&l, v);
    line_str(&l, "\n");
    semihost_write(l.buf, l.len);
}

static void check(const char *what, int ok)
{
    say(ok ? "  ok    " : "  FAIL  ");
    say(what);
    say("\n");
    if (!ok) {
        failures++;
    }
}

static inline void wfi(void) { __asm__ volatile("wfi"); }
static inline void enable_irq(void) { __asm__ volatile("cpsie i" ::: "memory"); }
static inline void disable_irq(void) { __asm__ volatile("cpsid i" ::: "memory"); }

/* ---------------------------------------------------------------- handlers */

/* SysTick, like PendSV, has a latency personality (mode 2: tail-chain measurement) that stamps
 * CYCCNT at its first useful instruction through r3/r4. */
void SysTick_Handler(void) __attribute__((naked));
void SysTick_Handler(void)
{
    __asm__ volatile(
        "ldr r2, =latency_mode\n"
        "ldr r2, [r2]\n"
        "cbnz r2, 1f\n"
        "ldr r2, =systick_c\n"
        "bx r2\n"
        "1: ldr r2, [r3]\n"
        "str r2, [r4, #4]\n"
        "bx lr\n");
}

__attribute__((used)) void systick_c(void)
{
    if (ticks < 16) {
        stamps[ticks] = DWT_CYCCNT;
    }
    ticks++;
    if (order_n < 8) order[order_n++] = 15;
}

void TIMER0_IRQHandler(void)
{
    TIMER0_COMPARE0 = 0;
    (void)TIMER0_COMPARE0;           /* read back: the event clears before the handler returns */
    if (ticks < 16) {
        stamps[ticks] = DWT_CYCCNT;
    }
    ticks++;
}

void RTC0_IRQHandler(void)
{
    RTC0_COMPARE0 = 0;
    (void)RTC0_COMPARE0;
    stamps[0] = DWT_CYCCNT;
    ticks++;
}

static volatile uint32_t pendsv_entry_stamp;

/* PendSV has two personalities: the plain C one for the functional cases, and, in latency mode,
 * a naked handler whose first instruction reads DWT CYCCNT through r3 (which the thread code
 * loaded with the CYCCNT address: exception entry does not change register values) and stores
 * the stamp through r4, then returns with BX LR. */
void PendSV_Handler(void) __attribute__((naked));
void PendSV_Handler(void)
{
    __asm__ volatile(
        "ldr r2, =latency_mode\n"
        "ldr r2, [r2]\n"
        "cbnz r2, 1f\n"
        "ldr r2, =pendsv_c\n"
        "bx r2\n"
        "1: ldr r2, [r3]\n"          /* the stamp: CYCCNT at the handler's first useful instruction */
        "str r2, [r4]\n"
        "bx lr\n");
}

__attribute__((used)) void pendsv_c(void)
{
    pendsv_entry_stamp = DWT_CYCCNT;
    if (order_n < 8) order[order_n++] = 14;
}

static volatile uint32_t svc_sp, svc_control;
void SVC_Handler(void)
{
    uint32_t sp, control;
    __asm__ volatile("mov %0, sp\n mrs %1, control" : "=r"(sp), "=r"(control));
    svc_sp = sp;
    svc_control = control;
}

/* SWI0 (IRQ 20) at low priority pends SWI1 (IRQ 21) at high priority: SWI1 must preempt. */
void SWI0_EGU0_IRQHandler(void)
{
    if (order_n < 8) order[order_n++] = 20;
    NVIC_STIR = 21;
    __asm__ volatile("dsb\n isb");
    if (order_n < 8) order[order_n++] = 120;   /* after SWI1 returned */
}

void SWI1_EGU1_IRQHandler(void);
void SWI1_EGU1_IRQHandler(void)
{
    if (order_n < 8) order[order_n++] = 21;
}

#if defined(__ARM_FP)
static volatile float fp_clobber;
#endif
void TIMER1_IRQHandler(void)
{
    REG32(0x40009140u) = 0;
    (void)REG32(0x40009140u);
#if defined(__ARM_FP)
    /* Uses s0..s15 with other values: the interrupted code's FP registers must survive. */
    __asm__ volatile("vmov.f32 s0, #2.0\n vmov.f32 s1, #3.0\n vmov.f32 s15, #4.0" ::: "s0", "s1", "s15");
    fp_clobber = 9.0f;
#endif
    ticks++;
}

/* The vector table in startup.c names these slots; SWI1 is IRQ 21 and TIMER1 is IRQ 9. */

/* ---------------------------------------------------------------- cases */

static void case_systick(void)
{
    dwt_enable();
    SYST_RVR = 64000 - 1;           /* 1 ms at 64 MHz */
    SYST_CVR = 0;
    SYST_CSR = 7;                   /* enable, interrupt, processor clock */
    enable_irq();
    /* The periods from the second entry on: the first runs the handler from a cold flash cache on a part
       whose cache is on at reset (STM32L4+, Kinetis), so its stamp comes a few cycles late. */
    while (ticks < 7) {
        wfi();
    }
    SYST_CSR = 0;
    for (int i = 2; i < 7; i++) {
        say_u32("systick period: ", stamps[i] - stamps[i - 1]);
    }
    int exact = 1;
    for (int i = 2; i < 7; i++) {
        exact &= (stamps[i] - stamps[i - 1]) == 64000;
    }
    check("SysTick period is 64000 cycles (1 ms at 64 MHz) between handler entries", exact);
}

static void case_timer(void)
{
    dwt_enable();
    TIMER0_MODE = 0;
    TIMER0_BITMODE = 3;
    TIMER0_PRESCALER = 0;           /* 16 MHz: 4 core cycles per tick */
    TIMER0_CC0 = 1000;              /* 1000 ticks = 4000 cycles */
    TIMER0_SHORTS = 1;              /* COMPARE0_CLEAR */
    TIMER0_INTENSET = 1u << 16;
    NVIC_ISER0 = 1u << 8;
    enable_irq();
    TIMER0_CLEAR = 1;
    TIMER0_START = 1;
    while (ticks < 5) {
        wfi();
    }
    TIMER0_STOP = 1;
    int exact = 1;
    for (int i = 1; i < 5; i++) {
        say_u32("timer period: ", stamps[i] - stamps[i - 1]);
        exact &= (stamps[i] - stamps[i - 1]) == 4000;
    }
    check("TIMER0 compare interrupts every 4000 cycles (1000 ticks at 16 MHz)", exact);
}

static void case_rtc(void)
{
    dwt_enable();
    CLOCK_TASKS_HFCLKSTART = 1;
    REG32(0x40000008u) = 1;         /* LFCLKSTART */
    RTC0_PRESCALER = 0;
    RTC0_CC0 = 32;                  /* 32 / 32768 s = 1 / 1024 s = 62500 cycles */
    RTC0_INTENSET = 1u << 16;
    NVIC_ISER0 = 1u << 11;
    enable_irq();
    uint32_t start = DWT_CYCCNT;
    RTC0_START = 1;
    while (ticks < 1) {
        wfi();
    }
    say_u32("rtc wake after cycles: ", stamps[0] - start);
    say_u32("rtc counter: ", RTC0_COUNTER);
    check("RTC0 compare at 32 ticks wakes the core about 62500 cycles later",
          stamps[0] - start >= 62500 && stamps[0] - start < 62500 + 200);
}

static void case_pendsv(void)
{
    dwt_enable();
    enable_irq();
    uint32_t before = DWT_CYCCNT;
    SCB_ICSR = ICSR_PENDSVSET;
    __asm__ volatile("dsb\n isb" ::: "memory");
    uint32_t after = DWT_CYCCNT;
    say_u32("pendsv entry stamp minus write stamp: ", pendsv_entry_stamp - before);
    say_u32("round trip: ", after - before);
    check("PendSV ran before the instruction after the ICSR write completed", order_n == 1 && order[0] == 14);
}

static void case_tailchain(void)
{
    dwt_enable();
    SYST_RVR = 0xFFFFFF;
    disable_irq();
    SCB_ICSR = ICSR_PENDSVSET | ICSR_PENDSTSET;   /* both pending while masked */
    enable_irq();
    __asm__ volatile("dsb\n isb" ::: "memory");
    say_u32("first: ", order[0]);
    say_u32("second: ", order[1]);
    /* Equal default priority (0): the lower exception number (SysTick 15? no: PendSV 14) goes first. */
    check("both ran, PendSV (14) before SysTick (15) at equal priority", order_n == 2 && order[0] == 14 && order[1] == 15);
}

static void case_preempt(void)
{
    NVIC_IPR(20) = 0xE0;            /* SWI0: lowest */
    NVIC_IPR(21) = 0x20;            /* SWI1: high */
    NVIC_ISER0 = (1u << 20) | (1u << 21);
    enable_irq();
    NVIC_STIR = 20;
    __asm__ volatile("dsb\n isb" ::: "memory");
    for (uint32_t i = 0; i < order_n; i++) {
        say_u32("order: ", order[i]);
    }
    check("SWI1 (high priority) preempted SWI0 (low) in the middle of its handler",
          order_n == 3 && order[0] == 20 && order[1] == 21 && order[2] == 120);
}

static void case_basepri(void)
{
    NVIC_IPR(20) = 0xA0;
    NVIC_ISER0 = 1u << 20;
    enable_irq();
    __asm__ volatile("msr basepri, %0" ::"r"(0x80u));   /* mask priorities 0x80 and below */
    NVIC_STIR = 20;
    __asm__ volatile("dsb\n isb" ::: "memory");
    uint32_t masked_count = order_n;
    __asm__ volatile("msr basepri, %0" ::"r"(0u));
    __asm__ volatile("dsb\n isb" ::: "memory");
    say_u32("ran while masked: ", masked_count);
    say_u32("ran after unmasking: ", order_n);
    check("BASEPRI 0x80 held back a priority 0xA0 interrupt until lowered", masked_count == 0 && order_n >= 1);
}

static uint32_t process_stack[256] __attribute__((aligned(8)));

static void case_psp(void)
{
    uint32_t top = (uint32_t)&process_stack[256];
    __asm__ volatile("msr psp, %0\n mov r0, #2\n msr control, r0\n isb" ::"r"(top) : "r0", "memory");
    uint32_t sp_thread;
    __asm__ volatile("mov %0, sp" : "=r"(sp_thread));
    __asm__ volatile("svc 0");
    uint32_t sp_after, control_after;
    __asm__ volatile("mov %0, sp\n mrs %1, control" : "=r"(sp_after), "=r"(control_after));
    say_u32("thread on PSP: ", sp_thread <= top && sp_thread > top - 1024);
    say_u32("handler on MSP: ", svc_sp >= (uint32_t)__StackLimit);
    say_u32("handler CONTROL.SPSEL: ", svc_control & 2);
    say_u32("back on PSP: ", (control_after & 2) >> 1);
    check("Thread mode on PSP, handler on MSP, back to PSP after the return",
          sp_thread <= top && svc_sp >= (uint32_t)__StackLimit && (svc_control & 2) == 0 && (control_after & 2) && sp_after == sp_thread);
    __asm__ volatile("mov r0, #0\n msr control, r0\n isb" ::: "r0", "memory");
}

static void case_fpcontext(void)
{
#if defined(__ARM_FP)
    /* TIMER1 fires while thread code holds live values in s0, s1 and s15. */
    REG32(0x40009508u) = 3;          /* BITMODE 32 */
    REG32(0x40009510u) = 0;
    REG32(0x40009540u) = 10;         /* CC0: 40 cycles */
    REG32(0x40009304u) = 1u << 16;
    NVIC_ISER0 = 1u << 9;
    enable_irq();
    float a, b, c;
    __asm__ volatile(
        "vmov.f32 s0, #1.5\n vmov.f32 s1, #0.5\n vmov.f32 s15, #-1.0\n"
        "str %3, [%4]\n"              /* TIMER1 START */
        "1: ldr r1, =ticks\n ldr r1, [r1]\n cmp r1, #0\n beq 1b\n"
        "vmov %0, s0\n vmov %1, s1\n vmov %2, s15\n"
        : "=r"(a), "=r"(b), "=r"(c) : "r"(1u), "r"(0x40009000u) : "r1", "s0", "s1", "s15", "memory");
    check("s0, s1, s15 survive an interrupt handler that uses them (extended frame)",
          a == 1.5f && b == 0.5f && c == -1.0f && fp_clobber == 9.0f);
#else
    check("soft-float build: no FP context to save", 1);
#endif
}

static void case_wfi_sleep(void)
{
    dwt_enable();
    TIMER0_BITMODE = 3;
    TIMER0_PRESCALER = 4;           /* 1 MHz: 64 cycles per tick */
    TIMER0_CC0 = 1000;              /* 1 ms */
    TIMER0_INTENSET = 1u << 16;
    NVIC_ISER0 = 1u << 8;
    enable_irq();
    uint32_t start = DWT_CYCCNT;
    TIMER0_START = 1;
    wfi();
    uint32_t woke = DWT_CYCCNT;
    say_u32("slept cycles: ", woke - start);
    check("WFI sleeps until the 1 ms timer compare (64000 cycles later)", woke - start >= 64000 && woke - start < 64200);
}

/* Exception entry and return latency, timed with DWT CYCCNT around a PendSV set by a store to
 * ICSR. The store ends its block with a branch so that the exception is taken right there (tinysim
 * takes interrupts at block boundaries; silicon takes a pended PendSV after the store retires).
 * Printed deltas are compared with the TRM's 12-cycle entry and 10-cycle return by the tests. */
static void case_latency(void)
{
    dwt_enable();
    enable_irq();
    latency_mode = 1;
    uint32_t t0, handler_stamp, t_after;
    __asm__ volatile(
        "ldr r0, =0xE000ED04\n"       /* ICSR */
        "mov r1, #0x10000000\n"       /* PENDSVSET */
        "ldr r3, =0xE0001004\n"       /* DWT_CYCCNT */
        "ldr r4, =latency_stamps\n"
        "b 1f\n"
        ".align 2\n"
        "1: ldr r5, [r3]\n"           /* t0 */
        "str r1, [r0]\n"              /* pend PendSV */
        "b 2f\n"                      /* end of block: the exception is taken here */
        "2: ldr r6, [r3]\n"           /* after the return */
        "mov %0, r5\n mov %1, r6\n"
        : "=r"(t0), "=r"(t_after) :: "r0", "r1", "r2", "r3", "r4", "r5", "r6", "memory");
    latency_mode = 0;
    handler_stamp = latency_stamps[0];
    say_u32("entry: ", handler_stamp - t0);
    say_u32("return: ", t_after - handler_stamp);
    check("PendSV entered and returned", handler_stamp > t0 && t_after > handler_stamp);

    /* Tail-chaining: PendSV and SysTick both pending while PRIMASK is set; CPSIE lets PendSV in
       (lower exception number at equal priority); its return goes straight into SysTick. */
    latency_mode = 2;
    SYST_RVR = 0xFFFFFF;
    __asm__ volatile(
        "cpsid i\n"
        "ldr r0, =0xE000ED04\n"
        "ldr r1, =0x14000000\n"       /* PENDSVSET | PENDSTSET */
        "str r1, [r0]\n"
        "ldr r3, =0xE0001004\n"
        "ldr r4, =latency_stamps\n"
        "cpsie i\n"
        "b 3f\n"
        "3: nop\n"
        ::: "r0", "r1", "r2", "r3", "r4", "memory");
    latency_mode = 0;
    say_u32("tail-chain: ", latency_stamps[1] - latency_stamps[0]);
    check("SysTick tail-chained after PendSV", latency_stamps[1] > latency_stamps[0]);
}

/* An idle loop as RTOSes write it: WFE until the timer interrupt has run. */
static void case_wfe(void)
{
    dwt_enable();
    TIMER0_BITMODE = 3;
    TIMER0_PRESCALER = 4;           /* 1 MHz: 64 cycles per tick */
    TIMER0_CC0 = 500;               /* 0.5 ms */
    TIMER0_INTENSET = 1u << 16;
    NVIC_ISER0 = 1u << 8;
    enable_irq();
    uint32_t start = DWT_CYCCNT;
    TIMER0_START = 1;
    while (ticks == 0) {
        __asm__ volatile("wfe");
    }
    uint32_t woke = DWT_CYCCNT;
    say_u32("slept cycles: ", woke - start);
    check("WFE waits for the 0.5 ms timer interrupt (32000 cycles later)", woke - start >= 32000 && woke - start < 32200);
}

static char cmdline[64];

int main(void)
{
    uint32_t block[2] = { (uint32_t)cmdline, sizeof cmdline };
    sh_call(SH_SYS_GET_CMDLINE, block);
    char *c = cmdline;
    while (*c && *c != ' ') c++;
    while (*c == ' ') c++;
    say("irq: case ");
    say(c);
    say("\n");
    if (!strcmp(c, "systick")) case_systick();
    else if (!strcmp(c, "timer")) case_timer();
    else if (!strcmp(c, "rtc")) case_rtc();
    else if (!strcmp(c, "pendsv")) case_pendsv();
    else if (!strcmp(c, "tailchain")) case_tailchain();
    else if (!strcmp(c, "preempt")) case_preempt();
    else if (!strcmp(c, "basepri")) case_basepri();
    else if (!strcmp(c, "psp")) case_psp();
    else if (!strcmp(c, "fpcontext")) case_fpcontext();
    else if (!strcmp(c, "wfi")) case_wfi_sleep();
    else if (!strcmp(c, "latency")) case_latency();
    else if (!strcmp(c, "wfe")) case_wfe();
    else { say("unknown case\n"); return 100; }
    return failures;
}
