/*
 * boards/cortex-m4/startup.c - vector table, reset handler, SysTick.
 * Reset copies .data from flash, zeroes .bss and calls main(); a fault
 * resets the part (the agent's saved state makes that safe).
 */
#include "board.h"

extern uint32_t __data_load__, __data_start__, __data_end__;
extern uint32_t __bss_start__, __bss_end__;
extern uint32_t __stack_top__;
extern int main(void);

void Reset_Handler(void);
void SysTick_Handler(void);
void board_fault(void);

/* The board's only mutable global outside main.c: the tick counter. */
static volatile uint32_t ticks;

uint32_t board_millis(void)
{
    return ticks;
}

void SysTick_Handler(void)
{
    ticks++;
}

void board_fault(void)
{
    /* SCB AIRCR: VECTKEY | SYSRESETREQ */
    *(volatile uint32_t *)0xE000ED0Cu = (0x05FAu << 16) | (1u << 2);
    for (;;) {
    }
}

void Reset_Handler(void)
{
    uint32_t *src = &__data_load__, *dst = &__data_start__;
    while (dst < &__data_end__) *dst++ = *src++;
    for (dst = &__bss_start__; dst < &__bss_end__;) *dst++ = 0;
    (void)main();
    board_fault();
}

__attribute__((section(".isr_vector"), used)) const uintptr_t board_vectors[16] = {
    (uintptr_t)&__stack_top__,
    (uintptr_t)Reset_Handler,
    (uintptr_t)board_fault, /* NMI */
    (uintptr_t)board_fault, /* HardFault */
    (uintptr_t)board_fault, /* MemManage */
    (uintptr_t)board_fault, /* BusFault */
    (uintptr_t)board_fault, /* UsageFault */
    0, 0, 0, 0,
    (uintptr_t)board_fault, /* SVCall */
    (uintptr_t)board_fault, /* DebugMonitor */
    0,
    (uintptr_t)board_fault, /* PendSV */
    (uintptr_t)SysTick_Handler,
};

/* newlib asks for heap only through _sbrk: this board has none, so any
   malloc (newlib-nano's printf family keeps one reachable for asprintf)
   fails instead of growing into the stack. Nothing of ours calls it. */
void *_sbrk(int incr);
/* used: only libc calls these two, and an LTO link would drop them before
   it searches libc. */
__attribute__((used)) void *_sbrk(int incr)
{
    (void)incr;
    return (void *)-1;
}

/* exit() ends here: mbedTLS's pool allocator calls it on a corrupted heap,
   and on a microcontroller the only sensible way out is a reset. */
void _exit(int status);
__attribute__((used)) void _exit(int status)
{
    (void)status;
    board_fault();
}
