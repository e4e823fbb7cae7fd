/*
 * lumminary/client.h - the client: configuration, connection, token, errors.
 *
 * One lum_client talks to one API host over one connection at a time, which
 * it keeps alive between requests and reopens when the server has closed it.
 * It owns nothing: the caller provides the struct (static is fine), the
 * transport, the platform and one working buffer. The working buffer holds
 * the request while it is written and then the response while it is decoded
 * (half duplex); its size bounds the largest single JSON object the client
 * can decode and the longest response header line, never the length of a
 * list (lists are streamed). 2 KiB works for every operation the agent uses;
 * 8-16 KiB is faster on fast links.
 *
 * Threads: a client is used by one thread at a time. Two clients never share
 * state, so two threads may each drive their own.
 */
#ifndef LUMMINARY_CLIENT_H
#define LUMMINARY_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lumminary/config.h"
#include "lumminary/models.h"
#include "lumminary/port.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Default values used for the zero fields of lum_client_config. */
#define LUM_DEFAULT_BASE_PATH "/v1"
#define LUM_DEFAULT_ROLE "role_product"
#define LUM_DEFAULT_IO_TIMEOUT_MS 30000u
#define LUM_DEFAULT_CONNECT_TIMEOUT_MS 10000u
#define LUM_DEFAULT_TOKEN_LIFETIME_MS 30000u /* the API's JWTs live 30 s */
#define LUM_DEFAULT_TOKEN_MARGIN_MS 5000u    /* re-authenticate this long before */
#define LUM_DEFAULT_IDLE_REUSE_MS 15000u     /* older idle connections are reopened */

typedef struct lum_client_config {
    const char *host;          /* API host, e.g. "api.lumminary.com" or "127.0.0.1" (required) */
    uint16_t port;             /* 0: 443 */
    const char *base_path;     /* NULL: "/v1" */
    const char *product_uuid;  /* post_jwt_auth username (required for authenticated calls) */
    const char *api_key;       /* post_jwt_auth password (required for authenticated calls) */
    const char *role;          /* NULL: "role_product" */
    uint32_t io_timeout_ms;    /* longest wait for any single connect/send/recv progress; 0: 30 s */
    uint32_t connect_timeout_ms;   /* 0: 10 s (includes the TLS handshake) */
    uint32_t request_timeout_ms;   /* whole request including the body; 0: no limit beyond io_timeout_ms */
    uint32_t token_lifetime_ms;    /* 0: 30 s */
    uint32_t token_margin_ms;      /* 0: 5 s */
    uint32_t idle_reuse_ms;        /* 0: 15 s */
} lum_client_config;

/* What the client knows about its last failed call (see lum_client_error). */
typedef struct lum_error_info {
    int code;                       /* the lum_err the call returned, LUM_OK after a success */
    int http_status;                /* the response status, 0 when there was no response */
    uint32_t retry_after_s;         /* Retry-After of a 429/503 response (seconds), else 0 */
    char message[LUM_MAX_MESSAGE];  /* the server's "message" (cut with "..." if longer; control
                                       characters made spaces: safe to log), or "" */
    const char *model;              /* JSON errors: the model being decoded, e.g. "ClientSNP" */
    const char *field;              /* JSON errors: the offending field, e.g. "snp_id", or NULL */
} lum_error_info;

/*
 * The client. Treat every member as private: the layout may change between
 * versions; use the functions below. It is public only so that it can be
 * allocated statically. Size: roughly 4.3 KiB with the default config.
 */
typedef struct lum_client {
    /* configuration (copied at init) */
    char host[LUM_MAX_HOST];
    char base_path[LUM_MAX_BASE_PATH];
    char product_uuid[LUM_MAX_ID];
    char api_key[LUM_MAX_API_KEY];
    char role[24];
    uint16_t port;
    uint32_t io_timeout_ms, connect_timeout_ms, request_timeout_ms;
    uint32_t token_lifetime_ms, token_margin_ms, idle_reuse_ms;
    const lum_transport *transport;
    const lum_platform *platform;
    uint8_t *buf;
    size_t buf_cap;

    /* token */
    lum_javascript_web_token jwt;
    uint32_t jwt_issued_ms;
    bool has_jwt;

    /* connection */
    bool connected;
    bool reused;          /* the current request runs on a connection that served one before */
    uint32_t last_used_ms;
    uint32_t request_start_ms;
    uint32_t requests_on_conn;

    /* response being read (see src/http) */
    struct lum_http_response {
        int status;
        uint8_t body_mode;     /* none, length, chunked, until close */
        uint8_t chunk_state;
        bool keep_alive;
        bool done;             /* the whole body has been read */
        uint64_t remaining;    /* bytes left in the body or in the current chunk */
        uint32_t framing_len;  /* bytes of the current chunk-size/trailer line */
        uint32_t trailer_bytes;
        uint32_t retry_after_s;
    } rsp;

    /* JSON tokens for the decoder (see src/json) */
    struct lum_json_tok {
        int type, start, end, size, parent;
    } tokens[LUM_JSON_MAX_TOKENS];

    lum_error_info err;
} lum_client;

/*
 * Prepares a client. Copies every string of cfg into the client (cfg may be
 * freed afterwards); keeps pointers to transport, platform and buf, which the
 * caller owns and must keep valid until the client is no longer used.
 * Does not connect and does not block.
 * Returns LUM_OK, LUM_ERR_INVALID_ARG (missing host, NULL transport/platform
 * functions, a string with control characters) or LUM_ERR_TOO_LONG (a string
 * longer than its LUM_MAX_* capacity), or LUM_ERR_BUFFER_TOO_SMALL (buf_cap
 * below 512 bytes).
 */
int lum_client_init(lum_client *c, const lum_client_config *cfg, const lum_transport *transport,
                    const lum_platform *platform, uint8_t *buf, size_t buf_cap);

/* Closes the connection, if any, and forgets the token. Never blocks for long
   (a TLS transport may send close_notify). The client can be used again. */
void lum_client_close(lum_client *c);

/*
 * Details of the last call made with c: the error code it returned, the HTTP
 * status, the server's message and, for JSON errors, the model and field.
 * The pointer stays valid as long as c; the contents change on the next call.
 */
const lum_error_info *lum_client_error(const lum_client *c);

#ifdef __cplusplus
}
#endif

#endif /* LUMMINARY_CLIENT_H */
