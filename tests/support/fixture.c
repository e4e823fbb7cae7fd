/*
 * Shared unit-test helpers (see fixture.h).
 */
#include "fixture.h"

#include <stdio.h>
#include <string.h>

const char fx_auth_response[] =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 31\r\n\r\n"
    "{\"access_token\": \"" FX_TOKEN "\"}";

int fx_client(script *s, lum_client *c, uint8_t *buf, size_t cap, const lum_client_config *cfg)
{
    lum_client_config def;
    script_init(s);
    if (cfg == NULL) {
        memset(&def, 0, sizeof def);
        def.host = "api.example";
        def.product_uuid = "p-1";
        def.api_key = "k/e y";
        cfg = &def;
    }
    return lum_client_init(c, cfg, &s->transport, &s->platform, buf, cap);
}

static char pool[32][16384];
static unsigned pool_next;

static char *slot(void)
{
    return pool[pool_next++ % 32];
}

const char *fx_response(const char *status, const char *headers, const char *body)
{
    char *out = slot();
    snprintf(out, sizeof pool[0], "HTTP/1.1 %s\r\nContent-Type: application/json\r\n%sContent-Length: %zu\r\n\r\n%s",
             status, headers, strlen(body), body);
    return out;
}

const char *fx_ok(const char *body)
{
    return fx_response("200 OK", "", body);
}

const char *fx_chunked(const char *status, const char *body, const size_t *sizes, size_t n_sizes)
{
    char *out = slot();
    size_t len = strlen(body), at = 0, k = 0, o;
    o = (size_t)snprintf(out, sizeof pool[0], "HTTP/1.1 %s\r\nTransfer-Encoding: chunked\r\n\r\n", status);
    while (at < len) {
        size_t n = sizes[k % n_sizes];
        if (n > len - at) n = len - at;
        o += (size_t)snprintf(out + o, sizeof pool[0] - o, "%zx%s\r\n%.*s\r\n", n, k == 0 ? ";x=\"1\"" : "",
                              (int)n, body + at);
        at += n;
        k++;
    }
    snprintf(out + o, sizeof pool[0] - o, "0\r\nX-Trailer: 1\r\n\r\n");
    return out;
}

uint32_t fx_rand(fx_rng *r)
{
    uint32_t x = r->s != 0 ? r->s : 0x9e3779b9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    r->s = x;
    return x;
}

uint32_t fx_range(fx_rng *r, uint32_t lo, uint32_t hi)
{
    return lo + fx_rand(r) % (hi - lo + 1);
}

int fx_fill(void *ctx, uint8_t *dst, size_t cap)
{
    fx_feed *f = (fx_feed *)ctx;
    size_t n = f->len - f->pos, want;
    f->fills++;
    if (f->fail_at > 0 && f->fills == f->fail_at) return f->fail_code;
    want = f->piece != 0 ? f->piece : fx_range(&f->rng, 1, 64);
    if (n > want) n = want;
    if (n > cap) n = cap;
    memcpy(dst, f->data + f->pos, n);
    f->pos += n;
    return (int)n;
}

uint64_t fx_fnv(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = (const uint8_t *)p;
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

int fx_count_sent(const script *s, size_t from, const char *needle)
{
    size_t n = strlen(needle), i;
    int count = 0;
    for (i = from; i + n <= s->sent_len; i++)
        if (memcmp(s->sent + i, needle, n) == 0) count++;
    return count;
}

const char *fx_bearer(const script *s, int n)
{
    static char out[LUM_MAX_JWT];
    static const char key[] = "Authorization: Bearer ";
    size_t i, k = sizeof key - 1;
    out[0] = '\0';
    for (i = 0; i + k <= s->sent_len; i++) {
        if (memcmp(s->sent + i, key, k) == 0 && n-- == 0) {
            size_t j = i + k, o = 0;
            while (j < s->sent_len && s->sent[j] != '\r' && o + 1 < sizeof out) out[o++] = (char)s->sent[j++];
            out[o] = '\0';
            break;
        }
    }
    return out;
}
