/*
 * boards/cortex-m4/board.h - what the cortex-m4 board's files share: an
 * STM32F4-class part (Cortex-M4, RNG peripheral, 1 MiB flash, 128 KiB RAM).
 * Only main.c's wiring is product code; the rest is the smallest glue a
 * bare-metal board needs, kept register-level to avoid a vendor HAL.
 */
#ifndef BOARD_CORTEX_M4_H
#define BOARD_CORTEX_M4_H

#include <stddef.h>
#include <stdint.h>

#include "lumminary/port.h"

#define BOARD_CPU_HZ 16000000u /* HSI after reset; the application may raise it */

/* Milliseconds since reset (SysTick, startup.c). */
uint32_t board_millis(void);

/* Starts SysTick and the RNG (platform.c). */
void board_init(void);

/* The platform: SysTick clock, RNG entropy, log to ITM port 0 (platform.c). */
void board_platform_init(lum_platform *out);

/* Writes a line and a newline to ITM stimulus port 0 (SWO), if a debugger
   enabled it; otherwise drops it. */
void board_write_line(const char *line);

/* Fills buf from the RNG peripheral: LUM_OK or LUM_ERR_ENTROPY. */
int board_entropy(uint8_t *buf, size_t len);

/* The trait panel (TSV) and the API's CA certificate (DER), in flash. */
extern const char board_panel_tsv[];
extern const uint8_t board_ca_der[];
extern const size_t board_ca_der_len;

#endif /* BOARD_CORTEX_M4_H */
