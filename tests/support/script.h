/*
 * tests/support/script.h - a scripted transport and a fake platform.
 *
 * The transport plays a server from a script: per connection, a list of
 * responses, each released only after the client has sent something since
 * the previous one was read (so a keep-alive probe sees an idle stream, as
 * on a real socket). Every byte the client sends is recorded for exact-byte
 * assertions. Faults: recv slices of at most `chunk` bytes, a slow server
 * (each recv takes `delay_ms` of fake time), a stall (the recv waits its
 * whole timeout, advancing the fake clock), a reset, an early
 * close, a failing send, partial sends, and what happens after the last
 * response (idle, close, close or reset after the next send).
 *
 * The fake clock only moves when the test or a stalled recv moves it, so
 * timeout tests are exact and instant.
 */
#ifndef LUM_TEST_SCRIPT_H
#define LUM_TEST_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lumminary/port.h"

#define SCRIPT_MAX_CONNS 8
#define SCRIPT_MAX_RESPONSES 8
#define SCRIPT_SENT_CAP (256 * 1024)

enum script_end {
    SCRIPT_END_IDLE,          /* after the last response: nothing more, ever (0 = timeout) */
    SCRIPT_END_CLOSE,         /* the server closes at once */
    SCRIPT_END_CLOSE_ON_SEND, /* looks idle to a probe, closes when the client sends again */
    SCRIPT_END_RESET_ON_SEND  /* looks idle, resets (LUM_ERR_TRANSPORT) when the client sends */
};

#define SCRIPT_NEVER ((size_t)-1)

typedef struct script_response {
    const uint8_t *data;
    size_t len;
    size_t chunk;    /* at most this many bytes per recv (0: no limit) */
    uint32_t chunk_rng; /* non-zero: each recv's limit is drawn from 1..chunk with this
                           xorshift32 state (deterministic random slicing) */
    size_t stall_at; /* at this offset, recv waits out its timeout (SCRIPT_NEVER: never) */
    size_t reset_at; /* at this offset, recv fails with LUM_ERR_TRANSPORT */
    size_t close_at; /* at this offset, the server closes (LUM_ERR_CLOSED) */
    uint32_t delay_ms; /* each recv that delivers bytes takes this long first; one that
                          would take its whole timeout or more stalls instead */
} script_response;

typedef struct script_conn {
    int connect_rc;  /* what connect returns (LUM_OK by default) */
    script_response responses[SCRIPT_MAX_RESPONSES];
    int n_responses;
    enum script_end end;
    size_t send_fail_after; /* sends beyond this many bytes fail with LUM_ERR_CLOSED */
    size_t send_chunk;      /* at most this many bytes accepted per send (0: all) */
} script_conn;

typedef struct script {
    script_conn conns[SCRIPT_MAX_CONNS];
    int n_conns;

    /* state */
    int current;             /* index of the open connection, -1 if none */
    int response;            /* index of the response being delivered */
    size_t pos;              /* offset in it */
    bool sent_since_response;
    bool stalled_once;       /* the stall at `pos` has happened */
    size_t sent_on_conn;

    /* observations */
    uint8_t sent[SCRIPT_SENT_CAP];
    size_t sent_len;
    size_t conn_sent_start[SCRIPT_MAX_CONNS]; /* offset in sent where each connection began */
    int connects, closes, recv_calls, probes, sends;
    char connect_host[128];
    uint16_t connect_port;

    /* fake platform */
    uint32_t clock_ms;
    uint8_t entropy_byte;

    lum_transport transport;
    lum_platform platform;
} script;

/* Zeroes s and fills s->transport / s->platform. Then add connections. */
void script_init(script *s);

/* Adds a connection; returns it for further set-up. */
script_conn *script_add_conn(script *s);

/* Adds a response (the bytes are not copied) with no faults. */
script_response *script_add_response(script_conn *c, const void *data, size_t len);

/* Same, for a NUL-terminated string. */
script_response *script_add_text(script_conn *c, const char *text);

#endif /* LUM_TEST_SCRIPT_H */
