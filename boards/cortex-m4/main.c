/*
 * boards/cortex-m4/main.c - the agent as microcontroller firmware: the
 * bare-metal counterpart of examples/agent/main.c, and the image
 * `make size BOARD=cortex-m4` measures.
 *
 * The job itself (examples/agent/agent.c, panel.c, state.c) is the same code
 * the Linux agent runs; this file only wires it to the board:
 *   transport  lwIP sockets (lwip_transport.c) wrapped in TLS (port/mbedtls)
 *   platform   SysTick clock, RNG entropy, log to SWO (platform.c)
 *   panel      compiled into flash (panel_tsv.c)
 *   CA         one root certificate, DER in flash (ca_cert.c)
 *   state      two flash-like slots (state_flash.c)
 * All memory is static and sized here; nothing comes from a heap.
 *
 * The product's identity and API key would come from a provisioning step
 * (a flash page written at the factory); here they are placeholders.
 */
#include <string.h>

#include "agent.h"
#include "board.h"
#include "lum_tls.h"
#include "lumminary.h"
#include "lwip_transport.h"
#include "state_flash.h"

#ifndef BOARD_API_HOST
#define BOARD_API_HOST "api.lumminary.com"
#endif
#ifndef BOARD_PRODUCT_UUID
#define BOARD_PRODUCT_UUID "00000000-0000-0000-0000-000000000000"
#endif
#ifndef BOARD_API_KEY
#define BOARD_API_KEY "provisioned-at-the-factory"
#endif
#define POLL_INTERVAL_MS (15u * 60u * 1000u) /* between two drains of the queue */

/* The working buffer: 2 KiB serves every operation the agent uses. */
#ifndef BOARD_WORK_BUFFER
#define BOARD_WORK_BUFFER 2048
#endif
/* The TLS pool: `make size` measures the peak of a whole agent run with this
   board's TLS profile (tls_pool_peak); the pool adds a margin. */
#ifndef BOARD_TLS_POOL
#define BOARD_TLS_POOL (20 * 1024)
#endif

static uint8_t work_buffer[BOARD_WORK_BUFFER];
static uint8_t tls_pool[BOARD_TLS_POOL] __attribute__((aligned(8)));
static board_lwip_tcp tcp;
static lum_tls tls;
static lum_client client;
static agent_settings settings;
static agent job;
static board_state_store state_store; /* stands in for two flash sectors */

static void sleep_ms(void *ctx, uint32_t ms)
{
    uint32_t start = board_millis();
    (void)ctx;
    while (board_millis() - start < ms) __asm__ volatile("wfi");
}

static int save_state(void *ctx, const agent_state *st, char *why, size_t why_cap)
{
    return board_state_save((board_state_store *)ctx, st, why, why_cap);
}

static void print_line(void *ctx, const char *line)
{
    (void)ctx;
    board_write_line(line);
}

/* Stops here for good: a configuration error no retry can fix. */
static void halt(const char *why)
{
    board_write_line(why);
    for (;;) __asm__ volatile("wfi");
}

int main(void)
{
    static lum_platform platform;
    static lum_transport tcp_transport, transport;
    lum_tls_config tc;
    lum_client_config cc;
    char why[128];

    board_init();
    board_platform_init(&platform);

    if (panel_parse(&job.panel, board_panel_tsv, why, sizeof why) != 0) halt(why);
    if (board_state_load(&state_store, &job.state, why, sizeof why) != 0) halt(why);

    /* TCP over lwIP, wrapped in TLS. The max_fragment_length follows the
       build's record buffers (2048 with LUM_TLS_SMALL); certificate dates are
       not checked (LUM_TLS_HOSTED=0: no trusted clock at boot). */
    board_lwip_tcp_init(&tcp, &tcp_transport);
    if (lum_tls_pool_init(tls_pool, sizeof tls_pool) != LUM_OK) halt("TLS pool");
    memset(&tc, 0, sizeof tc);
    tc.ca_data = board_ca_der;
    tc.ca_data_len = board_ca_der_len;
    if (lum_tls_init(&tls, &tc, &tcp_transport, &platform) != LUM_OK) halt("TLS set-up");
    lum_tls_transport(&tls, &transport);

    memset(&cc, 0, sizeof cc);
    cc.host = BOARD_API_HOST;
    cc.product_uuid = BOARD_PRODUCT_UUID;
    cc.api_key = BOARD_API_KEY;
    if (lum_client_init(&client, &cc, &transport, &platform, work_buffer, sizeof work_buffer) != LUM_OK)
        halt("client set-up");

    memcpy(settings.product_uuid, BOARD_PRODUCT_UUID, sizeof BOARD_PRODUCT_UUID);
    settings.retries = 4;
    settings.retry_base_ms = 500;
    settings.upload_settle_ms = 30000; /* the client's io timeout: see agent.h */
    job.cfg = &settings;
    job.client = &client;
    job.platform = &platform;
    job.io.ctx = &state_store;
    job.io.sleep_ms = sleep_ms;
    job.io.save_state = save_state;
    job.io.out = print_line;
    job.io.err = print_line;
    job.io.crash = NULL;

    /* Drain the queue, then wait for new authorizations; a failed run is
       simply tried again at the next interval (the state makes that safe). */
    for (;;) {
        (void)agent_run(&job);
        lum_client_close(&client);
        sleep_ms(NULL, POLL_INTERVAL_MS);
    }
}
