/*
 * boards/mps2-an385/startup.c - the vector table and reset handler for
 * programs run under `qemu-system-arm -M mps2-an385 -semihosting`.
 *
 * newlib's own rdimon start-up (rdimon-crt0) locks up on this machine, so
 * the board links with -nostartfiles and starts here: copy .data from flash,
 * zero .bss, open the semihosting console (initialise_monitor_handles) and
 * exit(main()). newlib's rdimon _exit hands the status to QEMU with the
 * semihosting "exit extended" call, so QEMU's own exit status is main's.
 *
 * A fault (bad pointer, stack overflow into unmapped memory, undefined
 * instruction, failed divide-by-zero trap) prints one line to stderr and
 * exits with status 134 (like SIGABRT on a host), so a crashing test counts
 * as a failure instead of hanging the emulator; hangs are cut by the
 * timeout in boards/mps2-an385/run.sh.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern uint32_t __data_load__, __data_start__, __data_end__;
extern uint32_t __bss_start__, __bss_end__;
extern uint32_t __stack_top__;

extern void initialise_monitor_handles(void);
extern int main(void);

void Reset_Handler(void);
void lum_board_fault(void);
void _init(void);
void _fini(void);

/* newlib's exit() runs __libc_fini_array, which calls _fini; without the
   compiler's crti.o (-nostartfiles) there is none, and there is nothing to
   run anyway. */
void _init(void) {}
void _fini(void) {}

/* System Control Block registers that say why a fault happened. */
#define SCB_CCR (*(volatile uint32_t *)0xE000ED14u)
#define SCB_CFSR (*(volatile uint32_t *)0xE000ED28u)

void Reset_Handler(void)
{
    uint32_t *src = &__data_load__, *dst = &__data_start__;
    while (dst < &__data_end__) *dst++ = *src++;
    for (dst = &__bss_start__; dst < &__bss_end__;) *dst++ = 0;
    SCB_CCR |= 1u << 4; /* DIV_0_TRP: an integer division by zero faults */
    initialise_monitor_handles();
    exit(main());
}

static void put_hex(char *out, uint32_t v)
{
    static const char digits[] = "0123456789abcdef";
    int i;
    for (i = 7; i >= 0; i--, v >>= 4) out[i] = digits[v & 15u];
}

void lum_board_fault(void)
{
    char line[] = "mps2-an385: fault, CFSR=0x00000000\n";
    put_hex(line + sizeof line - 10, SCB_CFSR);
    (void)write(2, line, sizeof line - 1);
    _exit(134);
}

/* Initial stack pointer, then the handlers of the 15 system exceptions;
   no interrupts are enabled, so no IRQ vectors follow. */
__attribute__((section(".isr_vector"), used)) const uintptr_t lum_board_vectors[16] = {
    (uintptr_t)&__stack_top__,
    (uintptr_t)Reset_Handler,
    (uintptr_t)lum_board_fault, /* NMI */
    (uintptr_t)lum_board_fault, /* HardFault */
    (uintptr_t)lum_board_fault, /* MemManage */
    (uintptr_t)lum_board_fault, /* BusFault */
    (uintptr_t)lum_board_fault, /* UsageFault */
    0, 0, 0, 0,
    (uintptr_t)lum_board_fault, /* SVCall */
    (uintptr_t)lum_board_fault, /* DebugMonitor */
    0,
    (uintptr_t)lum_board_fault, /* PendSV */
    (uintptr_t)lum_board_fault, /* SysTick */
};
