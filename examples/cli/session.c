/*
 * Credentials, transport and client for the commands that call the API:
 * the board glue of examples/agent/main.c, with static memory.
 *
 * Credentials: the JSON file named by --credentials or LUMMINARY_CREDENTIALS
 * (the reference client's env.json), else the environment variables
 * LUMMINARY_PRODUCT_UUID, LUMMINARY_API_KEY and LUMMINARY_HOST (the base URL;
 * default https://api.lumminary.com/v1). TLS trusts LUMMINARY_CA_FILE or
 * --ca-file, else the system bundle. Plain HTTP only for an http:// URL.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "lum_posix.h"
#include "lum_tls.h"

#define DEFAULT_CA_FILE "/etc/ssl/certs/ca-certificates.crt"
#define CREDENTIALS_FILE_MAX 65536
#define WORK_BUFFER_SIZE 16384
#define TLS_POOL_SIZE (64 * 1024)

static char file_buf[CREDENTIALS_FILE_MAX];
static lum_credentials creds;
static uint8_t work_buffer[WORK_BUFFER_SIZE];
static uint8_t tls_pool[TLS_POOL_SIZE];
static lum_platform platform;
static lum_posix_tcp tcp;
static lum_transport tcp_transport, transport;
static lum_tls tls;
static bool tls_used;
static lum_client client;

long cli_read_file(const char *path, char *buf, size_t cap)
{
    size_t len = 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    for (;;) {
        ssize_t n;
        if (len == cap) {
            char extra;
            n = read(fd, &extra, 1);
            close(fd);
            if (n == 0) return (long)len;
            return -2;
        }
        n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        if (n == 0) break;
        len += (size_t)n;
    }
    close(fd);
    return (long)len;
}

static const char *env(const char *name)
{
    const char *v = getenv(name);
    return v != NULL && v[0] != '\0' ? v : NULL;
}

static int load_file(const char *path)
{
    long n = cli_read_file(path, file_buf, sizeof file_buf);
    int rc;
    if (n == -2) {
        fprintf(stderr, "lumminary: credentials file %s: larger than %d bytes\n", path, CREDENTIALS_FILE_MAX);
        return EXIT_USAGE;
    }
    if (n < 0) {
        fprintf(stderr, "lumminary: credentials file %s: %s\n", path, strerror(errno));
        return EXIT_USAGE;
    }
    rc = lum_credentials_parse(file_buf, (size_t)n, &creds);
    memset(file_buf, 0, sizeof file_buf); /* it held the API key */
    if (rc != LUM_OK) {
        if (creds.error_key != NULL)
            fprintf(stderr, "lumminary: credentials file %s: key \"%s\": %s\n", path, creds.error_key,
                    lum_strerror(rc));
        else
            fprintf(stderr, "lumminary: credentials file %s: %s\n", path, lum_strerror(rc));
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static int copy_env(char *dst, size_t cap, const char *name)
{
    const char *v = env(name);
    if (v == NULL) {
        fprintf(stderr, "lumminary: no credentials: give --credentials FILE, or set LUMMINARY_CREDENTIALS, "
                        "or LUMMINARY_PRODUCT_UUID and LUMMINARY_API_KEY (%s is not set)\n", name);
        return EXIT_USAGE;
    }
    if (strlen(v) >= cap) {
        fprintf(stderr, "lumminary: %s: longer than %zu characters\n", name, cap - 1);
        return EXIT_USAGE;
    }
    memcpy(dst, v, strlen(v) + 1);
    return EXIT_OK;
}

static int load_env(void)
{
    const char *url = env("LUMMINARY_HOST");
    int rc;
    memset(&creds, 0, sizeof creds);
    if ((rc = copy_env(creds.product_uuid, sizeof creds.product_uuid, "LUMMINARY_PRODUCT_UUID")) != EXIT_OK ||
        (rc = copy_env(creds.api_key, sizeof creds.api_key, "LUMMINARY_API_KEY")) != EXIT_OK)
        return rc;
    memcpy(creds.role, LUM_DEFAULT_ROLE, sizeof LUM_DEFAULT_ROLE);
    creds.url_given = url != NULL;
    if (url == NULL) url = LUM_DEFAULT_API_URL;
    if (strlen(url) >= sizeof creds.url) {
        fprintf(stderr, "lumminary: LUMMINARY_HOST: longer than %zu characters\n", sizeof creds.url - 1);
        return EXIT_USAGE;
    }
    memcpy(creds.url, url, strlen(url) + 1);
    rc = lum_url_parse(creds.url, strlen(creds.url), &creds.api);
    if (rc != LUM_OK) {
        fprintf(stderr, "lumminary: LUMMINARY_HOST \"%s\": %s (expected e.g. https://api.lumminary.com/v1)\n",
                creds.url, lum_strerror(rc));
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

int session_open(cli *c)
{
    const char *file = c->o.credentials != NULL ? c->o.credentials : env("LUMMINARY_CREDENTIALS");
    const char *ca = c->o.ca_file != NULL ? c->o.ca_file : env("LUMMINARY_CA_FILE");
    lum_client_config cc;
    int rc = file != NULL ? load_file(file) : load_env();
    if (rc != EXIT_OK) return rc;

    lum_posix_platform_init(&platform);
    c->platform = &platform;
    lum_posix_tcp_init(&tcp, &tcp_transport);
    if (creds.api.scheme == LUM_SCHEME_HTTP) {
        /* Only ever because the URL says so. */
        fprintf(stderr, "lumminary: warning: %s is plain HTTP: nothing is encrypted\n", creds.url);
        transport = tcp_transport;
    } else {
        lum_tls_config tc;
        if (ca == NULL) ca = DEFAULT_CA_FILE;
        if (lum_tls_pool_init(tls_pool, sizeof tls_pool) != LUM_OK) {
            fprintf(stderr, "lumminary: TLS pool set-up failed\n");
            return EXIT_TLS;
        }
        memset(&tc, 0, sizeof tc);
        tc.ca_file = ca;
        rc = lum_tls_init(&tls, &tc, &tcp_transport, &platform);
        if (rc != LUM_OK) {
            fprintf(stderr, "lumminary: TLS set-up failed (CA file %s): %s\n", ca, lum_strerror(rc));
            lum_tls_pool_deinit();
            return EXIT_TLS;
        }
        tls_used = true;
        lum_tls_transport(&tls, &transport);
    }

    memset(&cc, 0, sizeof cc);
    lum_credentials_client_config(&creds, &cc);
    cc.io_timeout_ms = c->o.timeout_ms;
    cc.connect_timeout_ms = c->o.timeout_ms;
    cc.request_timeout_ms = c->o.deadline_ms != 0 ? c->o.deadline_ms : CLI_DEFAULT_DEADLINE_MS;
    rc = lum_client_init(&client, &cc, &transport, &platform, work_buffer, sizeof work_buffer);
    if (rc != LUM_OK) {
        fprintf(stderr, "lumminary: bad credentials: %s\n", lum_strerror(rc));
        session_close(c);
        return EXIT_USAGE;
    }
    c->client = &client;
    c->product = creds.product_uuid;
    c->api_key = creds.api_key;
    c->role = creds.role;
    return EXIT_OK;
}

void session_close(cli *c)
{
    if (c->client != NULL) lum_client_close(c->client);
    c->client = NULL;
    if (tls_used) {
        lum_tls_free(&tls);
        lum_tls_pool_deinit();
        tls_used = false;
    }
    memset(&creds, 0, sizeof creds);
}
