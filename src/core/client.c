/*
 * Client set-up and the accessors of lumminary/client.h.
 */
#include <string.h>

#include "http/http.h"
#include "lumminary/client.h"
#include "lumminary/error.h"

/* Copies a configuration string; NULL gives def. */
static int copy_setting(char *dst, size_t cap, const char *src, const char *def)
{
    size_t n;
    const unsigned char *p;
    if (src == NULL) src = def;
    n = strlen(src);
    if (n >= cap) return LUM_ERR_TOO_LONG;
    /* These strings end up in the request line or headers. */
    for (p = (const unsigned char *)src; *p != '\0'; p++)
        if (*p < 0x20 || *p == 0x7f) return LUM_ERR_INVALID_ARG;
    memcpy(dst, src, n + 1);
    return LUM_OK;
}

static uint32_t or_default(uint32_t v, uint32_t def)
{
    return v != 0 ? v : def;
}

int lum_client_init(lum_client *c, const lum_client_config *cfg, const lum_transport *transport,
                    const lum_platform *platform, uint8_t *buf, size_t buf_cap)
{
    int rc;
    if (c == NULL || cfg == NULL || transport == NULL || platform == NULL || buf == NULL)
        return LUM_ERR_INVALID_ARG;
    memset(c, 0, sizeof *c);
    if (cfg->host == NULL || cfg->host[0] == '\0' || transport->connect == NULL ||
        transport->send == NULL || transport->recv == NULL || transport->close == NULL ||
        platform->now_ms == NULL || platform->entropy == NULL)
        return LUM_ERR_INVALID_ARG;
    /* A request head and a status line must always fit. */
    if (buf_cap < 512) return LUM_ERR_BUFFER_TOO_SMALL;

    if ((rc = copy_setting(c->host, sizeof c->host, cfg->host, "")) != LUM_OK ||
        (rc = copy_setting(c->base_path, sizeof c->base_path, cfg->base_path, LUM_DEFAULT_BASE_PATH)) != LUM_OK ||
        (rc = copy_setting(c->product_uuid, sizeof c->product_uuid, cfg->product_uuid, "")) != LUM_OK ||
        (rc = copy_setting(c->api_key, sizeof c->api_key, cfg->api_key, "")) != LUM_OK ||
        (rc = copy_setting(c->role, sizeof c->role, cfg->role, LUM_DEFAULT_ROLE)) != LUM_OK)
        return rc;
    /* "/v1/" would produce "//" in every path. */
    if (c->base_path[0] != '\0' && (c->base_path[0] != '/' || c->base_path[strlen(c->base_path) - 1] == '/'))
        return LUM_ERR_INVALID_ARG;

    c->port = cfg->port != 0 ? cfg->port : 443;
    c->io_timeout_ms = or_default(cfg->io_timeout_ms, LUM_DEFAULT_IO_TIMEOUT_MS);
    c->connect_timeout_ms = or_default(cfg->connect_timeout_ms, LUM_DEFAULT_CONNECT_TIMEOUT_MS);
    c->request_timeout_ms = cfg->request_timeout_ms;
    c->token_lifetime_ms = or_default(cfg->token_lifetime_ms, LUM_DEFAULT_TOKEN_LIFETIME_MS);
    c->token_margin_ms = or_default(cfg->token_margin_ms, LUM_DEFAULT_TOKEN_MARGIN_MS);
    c->idle_reuse_ms = or_default(cfg->idle_reuse_ms, LUM_DEFAULT_IDLE_REUSE_MS);
    if (c->token_margin_ms >= c->token_lifetime_ms) return LUM_ERR_INVALID_ARG;
    c->transport = transport;
    c->platform = platform;
    c->buf = buf;
    c->buf_cap = buf_cap;
    return LUM_OK;
}

void lum_client_close(lum_client *c)
{
    lum_conn_close(c);
    c->has_jwt = false;
    memset(&c->jwt, 0, sizeof c->jwt);
}

const lum_error_info *lum_client_error(const lum_client *c)
{
    return &c->err;
}
