/*
 * lumminary-agent: drains a Lumminary product's authorization queue.
 *
 *   lumminary-agent CONFIG_FILE
 *
 * This file is the board glue for POSIX: it wires the TCP port, the
 * mbedTLS transport and the client together with static memory, then runs
 * the job in agent.c. A microcontroller build replaces only this file.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "config.h"
#include "lum_posix.h"
#include "lum_tls.h"
#include "state_file.h"

#define WORK_BUFFER_SIZE 16384
#define TLS_POOL_SIZE (64 * 1024)

/* All the memory the agent uses beyond its stack, owned here, static. */
static uint8_t work_buffer[WORK_BUFFER_SIZE];
static uint8_t tls_pool[TLS_POOL_SIZE];
static char panel_text[32 * 1024];
static lum_posix_tcp tcp;
static lum_tls tls;
static lum_client client;
static agent_config config;
static agent job;

/* ---- the agent's I/O on POSIX: stdout, stderr, a state file ---- */

static void sleep_ms(void *ctx, uint32_t ms)
{
    struct timespec ts;
    ts.tv_sec = (time_t)(ms / 1000u);
    ts.tv_nsec = (long)(ms % 1000u) * 1000000L;
    (void)ctx;
    while (nanosleep(&ts, &ts) != 0) {
    }
}

static int save_state(void *ctx, const agent_state *st, char *why, size_t why_cap)
{
    (void)ctx;
    return agent_state_save_file(st, config.state_file, why, why_cap);
}

static void print_out(void *ctx, const char *line)
{
    (void)ctx;
    printf("%s\n", line);
    fflush(stdout);
}

static void print_err(void *ctx, const char *line)
{
    (void)ctx;
    fprintf(stderr, "%s\n", line);
}

static void crash(void *ctx)
{
    (void)ctx;
    fflush(stdout);
    _exit(AGENT_EXIT_CRASH_TEST);
}

/* Reads a whole (small) text file into buf, NUL-terminated. */
static int read_text_file(const char *path, char *buf, size_t cap, char *why, size_t why_cap)
{
    size_t got = 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        snprintf(why, why_cap, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    for (;;) {
        ssize_t n = read(fd, buf + got, cap - 1 - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += (size_t)n;
        if (got == cap - 1) {
            close(fd);
            snprintf(why, why_cap, "%s is larger than %lu bytes", path, (unsigned long)cap - 1);
            return -1;
        }
    }
    close(fd);
    buf[got] = '\0';
    return 0;
}

static int usage(void)
{
    fprintf(stderr,
            "usage: lumminary-agent [--tls-pool-peak] [--crash-at saved:N|uploading:N|uploaded:N] CONFIG_FILE\n"
            "\n"
            "Drains the product's authorization queue: for each new authorization,\n"
            "reads the authorized SNPs, uploads a trait-panel report (or flags the\n"
            "authorization unfulfillable), and saves its progress in state_file.\n"
            "See examples/agent/config.h for the configuration keys.\n"
            "\n"
            "exit status: 0 queue drained, 1 an authorization failed, 2 bad usage or\n"
            "configuration, 3 server unreachable, 4 TLS failure, 5 credentials refused,\n"
            "6 state file unreadable, corrupt or not writable.\n"
            "--tls-pool-peak prints the TLS pool's high-water mark (bytes) at exit,\n"
            "as tls_pool_peak=N: the pool a device with the same TLS profile needs.\n"
            "--crash-at (tests only) ends the process abruptly at the N-th time the\n"
            "state was saved after an authorization, an upload was about to be sent,\n"
            "or a report was uploaded.\n");
    return AGENT_EXIT_CONFIG;
}

static int parse_crash(const char *arg)
{
    const char *colon = strchr(arg, ':');
    int64_t n;
    if (colon == NULL || lum_parse_int64(colon + 1, strlen(colon + 1), &n) != LUM_OK || n <= 0 || n > 1000000)
        return -1;
    if (strncmp(arg, "saved:", 6) == 0) job.crash_phase = CRASH_SAVED;
    else if (strncmp(arg, "uploading:", 10) == 0) job.crash_phase = CRASH_UPLOADING;
    else if (strncmp(arg, "uploaded:", 9) == 0) job.crash_phase = CRASH_UPLOADED;
    else return -1;
    job.crash_count = (unsigned)n;
    return 0;
}

/* Sets up the transport stack: TCP, wrapped in TLS unless plain_http. */
static int open_transport(lum_transport *tcp_transport, const lum_platform *platform, lum_transport *out)
{
    lum_tls_config tc;
    int rc;

    lum_posix_tcp_init(&tcp, tcp_transport);
    if (config.plain_http) {
        *out = *tcp_transport;
        return AGENT_EXIT_OK;
    }
    if (lum_tls_pool_init(tls_pool, sizeof tls_pool) != LUM_OK) {
        fprintf(stderr, "lumminary-agent: TLS pool set-up failed\n");
        return AGENT_EXIT_TLS;
    }
    memset(&tc, 0, sizeof tc);
    tc.ca_file = config.ca_file;
    tc.max_version = config.tls_max_version == 2 ? LUM_TLS_V1_2 : LUM_TLS_V1_3;
    rc = lum_tls_init(&tls, &tc, tcp_transport, platform);
    if (rc != LUM_OK) {
        fprintf(stderr, "lumminary-agent: TLS set-up failed (CA file %s): %s\n", config.ca_file, lum_strerror(rc));
        return AGENT_EXIT_TLS;
    }
    lum_tls_transport(&tls, out);
    return AGENT_EXIT_OK;
}

int main(int argc, char **argv)
{
    static lum_platform platform;
    static lum_transport tcp_transport, transport;
    lum_client_config cc;
    const char *config_path = NULL;
    char why[600], reason[512];
    bool show_pool_peak = false;
    int i, rc;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--crash-at") == 0 && i + 1 < argc) {
            if (parse_crash(argv[++i]) != 0) return usage();
        } else if (strcmp(argv[i], "--tls-pool-peak") == 0) {
            show_pool_peak = true;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage();
            return AGENT_EXIT_OK;
        } else if (argv[i][0] == '-' || config_path != NULL) {
            return usage();
        } else {
            config_path = argv[i];
        }
    }
    if (config_path == NULL) return usage();

    if (agent_config_load(&config, config_path, why, sizeof why) != 0) {
        fprintf(stderr, "lumminary-agent: bad config: %s\n", why);
        return AGENT_EXIT_CONFIG;
    }
    if (read_text_file(config.panel_file, panel_text, sizeof panel_text, why, sizeof why) != 0) {
        fprintf(stderr, "lumminary-agent: bad config: %s\n", why);
        return AGENT_EXIT_CONFIG;
    }
    if (panel_parse(&job.panel, panel_text, reason, sizeof reason) != 0) {
        fprintf(stderr, "lumminary-agent: bad config: panel file %s: %s\n", config.panel_file, reason);
        return AGENT_EXIT_CONFIG;
    }
    if (agent_state_load_file(&job.state, config.state_file, why, sizeof why) != 0 ||
        agent_state_check_writable(config.state_file, why, sizeof why) != 0) {
        fprintf(stderr, "lumminary-agent: %s\n", why);
        return AGENT_EXIT_STATE;
    }

    lum_posix_platform_init(&platform);
    rc = open_transport(&tcp_transport, &platform, &transport);
    if (rc != AGENT_EXIT_OK) return rc;

    memset(&cc, 0, sizeof cc);
    cc.host = config.api_host;
    cc.port = config.api_port;
    cc.base_path = config.api_base_path;
    cc.product_uuid = config.job.product_uuid;
    cc.api_key = config.api_key;
    cc.io_timeout_ms = config.timeout_ms;
    cc.connect_timeout_ms = config.timeout_ms;
    cc.request_timeout_ms = config.request_timeout_ms;
    rc = lum_client_init(&client, &cc, &transport, &platform, work_buffer, sizeof work_buffer);
    if (rc != LUM_OK) {
        fprintf(stderr, "lumminary-agent: bad config: %s\n", lum_strerror(rc));
        return AGENT_EXIT_CONFIG;
    }

    /* The longest the agent would have waited for an upload's answer: an
       upload cut off (or stopped) after its body was sent may take that
       long to show up in the server's records. */
    config.job.upload_settle_ms = config.timeout_ms;
    job.cfg = &config.job;
    job.client = &client;
    job.platform = &platform;
    job.io.ctx = NULL;
    job.io.sleep_ms = sleep_ms;
    job.io.save_state = save_state;
    job.io.out = print_out;
    job.io.err = print_err;
    job.io.crash = crash;
    rc = agent_run(&job);

    lum_client_close(&client);
    if (!config.plain_http) {
        lum_tls_free(&tls);
        if (show_pool_peak) printf("tls_pool_peak=%lu\n", (unsigned long)lum_tls_pool_peak(tls_pool, sizeof tls_pool));
        lum_tls_pool_deinit();
    }
    fflush(stdout);
    return rc;
}
