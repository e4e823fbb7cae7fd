/*
 * tests/support/fixture.h - helpers shared by the unit tests: a client wired
 * to the scripted transport, canned HTTP responses, a deterministic PRNG and
 * an in-memory fill function for lum_json_decode.
 */
#ifndef LUM_TEST_FIXTURE_H
#define LUM_TEST_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "lumminary.h"
#include "script.h"

/* The token every scripted login returns, and that login's response. */
#define FX_TOKEN "aaa.bbb.ccc"
extern const char fx_auth_response[];

/* The product credentials fx_client uses, as they appear in the login body. */
#define FX_LOGIN_BODY "username=p-1&password=k%2Fe%20y&role=role_product"

/*
 * Initialises s (script_init) and c with host "api.example", product "p-1",
 * key "k/e y" and the buffer; cfg may be NULL for those defaults, else it is
 * used as given (with s's transport/platform). Returns lum_client_init's code.
 */
int fx_client(script *s, lum_client *c, uint8_t *buf, size_t cap, const lum_client_config *cfg);

/*
 * Formats an HTTP/1.1 response with a Content-Length into a slot of a
 * rotating pool (32 slots of 16 KiB, so a script can hold several at once).
 * status: e.g. "200 OK"; headers: extra header lines, each ending "\r\n" (may be "").
 */
const char *fx_response(const char *status, const char *headers, const char *body);
const char *fx_ok(const char *body);

/* The same body sent with chunked framing, in pieces of the given sizes
   (cycled), with a chunk extension on the first chunk and a trailer. */
const char *fx_chunked(const char *status, const char *body, const size_t *sizes, size_t n_sizes);

/* xorshift32: a deterministic PRNG for tests (never 0 state). */
typedef struct fx_rng {
    uint32_t s;
} fx_rng;
uint32_t fx_rand(fx_rng *r);
/* Uniform-ish in [lo, hi]. */
uint32_t fx_range(fx_rng *r, uint32_t lo, uint32_t hi);

/* An in-memory body source for lum_json_decode: pieces of `piece` bytes,
   or random sizes in [1, 64] from rng when piece is 0. */
typedef struct fx_feed {
    const uint8_t *data;
    size_t len, pos, piece;
    fx_rng rng;
    int fills;      /* calls made */
    int fail_at;    /* when > 0: the fail_at-th call returns fail_code */
    int fail_code;
} fx_feed;
int fx_fill(void *ctx, uint8_t *dst, size_t cap);

/* FNV-1a, for checksums over decoded values. */
uint64_t fx_fnv(uint64_t h, const void *p, size_t n);
#define FX_FNV_INIT 0xcbf29ce484222325ull


/* How many times needle occurs in what the client sent (from offset from). */
int fx_count_sent(const script *s, size_t from, const char *needle);

/* The value of the n-th (0-based) "Authorization: Bearer " header sent, in a
   static buffer ("" if there is none). */
const char *fx_bearer(const script *s, int n);

#endif /* LUM_TEST_FIXTURE_H */
