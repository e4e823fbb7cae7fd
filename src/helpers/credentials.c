/*
 * Credentials from the reference client's JSON file, and API base URLs.
 *
 * The file goes through the SDK's one JSON decoder with a table of both
 * spellings of each key; reconciling them is then plain C. Nothing here
 * reads a file: the caller owns the bytes.
 */
#include "lumminary/credentials.h"

#include <stddef.h>
#include <string.h>

#include "json/json.h"
#include "lumminary/error.h"

/* ------------------------------------------------------------------ URLs */

static int lower(int ch)
{
    return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

static bool has_prefix_nocase(const char *s, size_t n, const char *prefix)
{
    size_t i, k = strlen(prefix);
    if (n < k) return false;
    for (i = 0; i < k; i++)
        if (lower((unsigned char)s[i]) != prefix[i]) return false;
    return true;
}

static bool is_alnum(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

static bool is_hex(int ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* RFC 3986 pchar minus '%' (checked apart): unreserved, sub-delims, ':', '@'. */
static bool is_path_char(int ch)
{
    return is_alnum(ch) || strchr("-._~!$&'()*+,;=:@", ch) != NULL;
}

static int copy_field(char *dst, size_t cap, const char *src, size_t n)
{
    if (n >= cap) return LUM_ERR_TOO_LONG;
    memcpy(dst, src, n);
    dst[n] = '\0';
    return LUM_OK;
}

/* host[0..n): a bracketed IPv6 literal's inside, or a registered name / IPv4. */
static int parse_host(const char *h, size_t n, bool bracketed, lum_url *out)
{
    size_t i;
    if (n == 0) return LUM_ERR_INVALID_ARG;
    for (i = 0; i < n; i++) {
        int ch = (unsigned char)h[i];
        bool ok = bracketed ? is_hex(ch) || ch == ':' || ch == '.'
                            : is_alnum(ch) || ch == '-' || ch == '.' || ch == '_';
        if (!ok) return LUM_ERR_INVALID_ARG;
    }
    /* An IPv6 literal has at least two colons ("::1"); a bracketed IPv4 is not one. */
    if (bracketed && (memchr(h, ':', n) == NULL || n < 2)) return LUM_ERR_INVALID_ARG;
    return copy_field(out->host, sizeof out->host, h, n);
}

static int parse_port(const char *p, size_t n, uint16_t *port)
{
    uint32_t v = 0;
    size_t i;
    if (n == 0 || n > 5) return LUM_ERR_INVALID_ARG;
    for (i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') return LUM_ERR_INVALID_ARG;
        v = v * 10u + (uint32_t)(p[i] - '0');
    }
    if (v == 0 || v > 65535u) return LUM_ERR_INVALID_ARG;
    *port = (uint16_t)v;
    return LUM_OK;
}

static int parse_path(const char *p, size_t n, lum_url *out)
{
    size_t i;
    /* Trailing slashes go: the client appends "/products/..." itself. */
    while (n > 0 && p[n - 1] == '/') n--;
    for (i = 0; i < n; i++) {
        int ch = (unsigned char)p[i];
        if (ch == '/') {
            if (i + 1 < n && p[i + 1] == '/') return LUM_ERR_INVALID_ARG; /* empty segment */
        } else if (ch == '%') {
            if (i + 2 >= n || !is_hex((unsigned char)p[i + 1]) || !is_hex((unsigned char)p[i + 2]))
                return LUM_ERR_INVALID_ARG;
            i += 2;
        } else if (!is_path_char(ch)) {
            return LUM_ERR_INVALID_ARG; /* space, control, non-ASCII, '?', '#', '"', '\\'... */
        }
    }
    return copy_field(out->base_path, sizeof out->base_path, p, n);
}

static int parse_url(const char *url, size_t len, lum_url *out)
{
    size_t i, auth_end, host_start, host_len, rest;
    bool bracketed = false;
    int rc;

    if (has_prefix_nocase(url, len, "https://")) {
        out->scheme = LUM_SCHEME_HTTPS;
        out->port = 443;
        i = 8;
    } else if (has_prefix_nocase(url, len, "http://")) {
        out->scheme = LUM_SCHEME_HTTP;
        out->port = 80;
        i = 7;
    } else {
        return LUM_ERR_INVALID_ARG;
    }

    /* The authority ends at the path; a query or fragment is refused below. */
    auth_end = i;
    while (auth_end < len && url[auth_end] != '/' && url[auth_end] != '?' && url[auth_end] != '#') auth_end++;
    if (memchr(url + i, '@', auth_end - i) != NULL) return LUM_ERR_INVALID_ARG;

    if (i < auth_end && url[i] == '[') {
        const char *close = memchr(url + i, ']', auth_end - i);
        if (close == NULL) return LUM_ERR_INVALID_ARG;
        bracketed = true;
        host_start = i + 1;
        host_len = (size_t)(close - (url + host_start));
        rest = (size_t)(close - url) + 1;
    } else {
        const char *colon = memchr(url + i, ':', auth_end - i);
        host_start = i;
        host_len = (colon != NULL ? (size_t)(colon - url) : auth_end) - i;
        rest = host_start + host_len;
    }
    rc = parse_host(url + host_start, host_len, bracketed, out);
    if (rc != LUM_OK) return rc;

    if (rest < auth_end) {
        if (url[rest] != ':') return LUM_ERR_INVALID_ARG; /* "[::1]x" */
        rc = parse_port(url + rest + 1, auth_end - rest - 1, &out->port);
        if (rc != LUM_OK) return rc;
    }
    /* A query or fragment right after the authority. */
    if (auth_end < len && url[auth_end] != '/') return LUM_ERR_INVALID_ARG;
    return parse_path(url + auth_end, len - auth_end, out);
}

int lum_url_parse(const char *url, size_t len, lum_url *out)
{
    int rc;
    if (out == NULL) return LUM_ERR_INVALID_ARG;
    memset(out, 0, sizeof *out);
    if (url == NULL) return LUM_ERR_INVALID_ARG;
    rc = parse_url(url, len, out);
    if (rc != LUM_OK) memset(out, 0, sizeof *out);
    return rc;
}

/* ----------------------------------------------------------- credentials */

/* Both spellings of every key, as the decoder fills them. */
typedef struct cred_doc {
    uint32_t present;
    char login[LUM_MAX_ID];
    char product_uuid[LUM_MAX_ID];
    char api_key[LUM_MAX_API_KEY];
    char role[LUM_MAX_ROLE];
    char host[LUM_MAX_URL];
    char api_host[LUM_MAX_URL];
} cred_doc;

enum { HAS_LOGIN = 1, HAS_PRODUCT_UUID = 2, HAS_API_KEY = 4, HAS_ROLE = 8, HAS_HOST = 16, HAS_API_HOST = 32 };

static const lum_field cred_fields[] = {
    LUM_F_STR(cred_doc, login, 0),
    LUM_F_STR(cred_doc, product_uuid, 0),
    LUM_F_STR(cred_doc, api_key, 0),
    LUM_F_STR(cred_doc, role, 0),
    LUM_F_STR(cred_doc, host, 0),
    LUM_F_STR(cred_doc, api_host, 0),
};
static const lum_model cred_model = LUM_MODEL(cred_doc, "credentials", cred_fields);

/* The whole document is in the buffer: there is never more to read. */
static int no_more(void *ctx, uint8_t *dst, size_t cap)
{
    (void)ctx;
    (void)dst;
    (void)cap;
    return 0;
}

static bool has_control(const char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f) return true;
    return false;
}

/*
 * Picks the value of one setting written under either of two keys.
 * Returns LUM_OK with *value NULL when neither is present.
 */
static int pick(const cred_doc *d, uint32_t bit_a, const char *a, const char *name_a, uint32_t bit_b,
                const char *b, const char *name_b, const char *both, const char **value,
                const char **key)
{
    bool has_a = (d->present & bit_a) != 0, has_b = (d->present & bit_b) != 0;
    *value = NULL;
    *key = has_a ? name_a : name_b;
    if (has_a && has_b && strcmp(a, b) != 0) {
        *key = both;
        return LUM_ERR_INVALID_ARG;
    }
    if (has_a || has_b) *value = has_a ? a : b;
    return LUM_OK;
}

static int fail(lum_credentials *out, int rc, const char *key)
{
    memset(out, 0, sizeof *out);
    out->error_key = key;
    return rc;
}

int lum_credentials_parse(const char *json, size_t len, lum_credentials *out)
{
    cred_doc doc;
    struct lum_json_tok tokens[LUM_CREDENTIALS_MAX_TOKENS];
    lum_error_info err;
    lum_json_target t;
    const char *uuid, *url, *key;
    int rc;

    if (out == NULL) return LUM_ERR_INVALID_ARG;
    memset(out, 0, sizeof *out);
    if (json == NULL) return LUM_ERR_INVALID_ARG;

    memset(&t, 0, sizeof t);
    memset(&err, 0, sizeof err);
    t.model = &cred_model;
    t.out = &doc;
    /*
     * The decoder takes a writable buffer because, for documents with a
     * streamed list, it slides bytes down as list elements are consumed;
     * this model has no list and the whole document is given (have == cap),
     * so it only reads.
     */
    rc = lum_json_decode(&t, (uint8_t *)(uintptr_t)json, len, len, no_more, NULL, tokens,
                         LUM_CREDENTIALS_MAX_TOKENS, &err);
    if (rc == LUM_ERR_BODY_TOO_LARGE) rc = LUM_ERR_JSON; /* the document ends before its object does */
    if (rc != LUM_OK) {
        memset(&doc, 0, sizeof doc);
        return fail(out, rc, err.field);
    }

    rc = pick(&doc, HAS_LOGIN, doc.login, "login", HAS_PRODUCT_UUID, doc.product_uuid, "product_uuid",
              "login/product_uuid", &uuid, &key);
    if (rc == LUM_OK && uuid == NULL) rc = LUM_ERR_JSON_MISSING;
    if (rc == LUM_OK && (uuid[0] == '\0' || has_control(uuid))) rc = LUM_ERR_INVALID_ARG;
    if (rc != LUM_OK) goto done;
    memcpy(out->product_uuid, uuid, strlen(uuid) + 1);

    key = "api_key";
    if (!(doc.present & HAS_API_KEY)) rc = LUM_ERR_JSON_MISSING;
    else if (doc.api_key[0] == '\0' || has_control(doc.api_key)) rc = LUM_ERR_INVALID_ARG;
    if (rc != LUM_OK) goto done;
    memcpy(out->api_key, doc.api_key, sizeof out->api_key);

    key = "role";
    if (doc.present & HAS_ROLE) {
        if (doc.role[0] == '\0' || has_control(doc.role)) {
            rc = LUM_ERR_INVALID_ARG;
            goto done;
        }
        memcpy(out->role, doc.role, sizeof out->role);
    } else {
        memcpy(out->role, LUM_DEFAULT_ROLE, sizeof LUM_DEFAULT_ROLE);
    }

    rc = pick(&doc, HAS_HOST, doc.host, "host", HAS_API_HOST, doc.api_host, "api_host", "host/api_host",
              &url, &key);
    if (rc != LUM_OK) goto done;
    out->url_given = url != NULL;
    if (url == NULL) url = LUM_DEFAULT_API_URL;
    memcpy(out->url, url, strlen(url) + 1); /* both fields are LUM_MAX_URL */
    rc = lum_url_parse(out->url, strlen(out->url), &out->api);
    key = out->url_given ? key : NULL;

done:
    memset(&doc, 0, sizeof doc); /* the API key was in it */
    if (rc != LUM_OK) return fail(out, rc, key);
    return LUM_OK;
}

void lum_credentials_client_config(const lum_credentials *cr, lum_client_config *cfg)
{
    cfg->host = cr->api.host;
    cfg->port = cr->api.port;
    cfg->base_path = cr->api.base_path;
    cfg->product_uuid = cr->product_uuid;
    cfg->api_key = cr->api_key;
    cfg->role = cr->role;
}
