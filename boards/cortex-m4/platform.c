/*
 * boards/cortex-m4/platform.c - lum_platform for an STM32F4-class part:
 * the clock from SysTick, entropy from the RNG peripheral, the log and the
 * agent's lines to the ITM (SWO) stimulus port 0.
 */
#include "board.h"

#include "lumminary/error.h"

#define REG(a) (*(volatile uint32_t *)(a))
#define SYST_CSR REG(0xE000E010u)
#define SYST_RVR REG(0xE000E014u)
#define SYST_CVR REG(0xE000E018u)
#define RCC_AHB2ENR REG(0x40023834u)
#define RNG_CR REG(0x50060800u)
#define RNG_SR REG(0x50060804u)
#define RNG_DR REG(0x50060808u)
#define ITM_STIM0 REG(0xE0000000u)
#define ITM_TER REG(0xE0000E00u)
#define ITM_TCR REG(0xE0000E80u)

void board_init(void)
{
    SYST_RVR = BOARD_CPU_HZ / 1000u - 1u; /* 1 ms ticks */
    SYST_CVR = 0;
    SYST_CSR = 7u;                        /* processor clock, interrupt, enable */
    RCC_AHB2ENR |= 1u << 6;               /* RNGEN */
    RNG_CR = 1u << 2;                     /* RNGEN */
}

/* The RNG gives a fresh 32-bit word about every 40 PLL48 clocks; a seed or
   clock error (SECS/CECS) means its output must not be used. */
int board_entropy(uint8_t *buf, size_t len)
{
    while (len > 0) {
        uint32_t spins = 0, word;
        size_t i;
        while ((RNG_SR & 1u) == 0) {
            if ((RNG_SR & 6u) != 0 || ++spins > 100000u) return LUM_ERR_ENTROPY;
        }
        word = RNG_DR;
        for (i = 0; i < 4 && len > 0; i++, len--) {
            *buf++ = (uint8_t)word;
            word >>= 8;
        }
    }
    return LUM_OK;
}

void board_write_line(const char *line)
{
    if ((ITM_TCR & 1u) == 0 || (ITM_TER & 1u) == 0) return; /* no debugger listening */
    for (; *line != '\0'; line++) {
        while ((ITM_STIM0 & 1u) == 0) {
        }
        *(volatile uint8_t *)&ITM_STIM0 = (uint8_t)*line;
    }
    while ((ITM_STIM0 & 1u) == 0) {
    }
    *(volatile uint8_t *)&ITM_STIM0 = '\n';
}

static uint32_t now_ms(void *ctx)
{
    (void)ctx;
    return board_millis();
}

static int entropy(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    return board_entropy(buf, len);
}

static void log_line(void *ctx, int level, const char *msg)
{
    (void)ctx;
    if (level <= LUM_LOG_WARN) board_write_line(msg);
}

void board_platform_init(lum_platform *out)
{
    out->ctx = NULL;
    out->now_ms = now_ms;
    out->entropy = entropy;
    out->log = log_line;
}

/* mbedTLS's PSA core (TLS 1.3 builds) draws its randomness here
   (port/mbedtls/lum_tls.h; TLS_ENTROPY_HOOK=board). */
int lum_tls_psa_entropy(uint8_t *buf, size_t len);
int lum_tls_psa_entropy(uint8_t *buf, size_t len)
{
    return board_entropy(buf, len);
}
