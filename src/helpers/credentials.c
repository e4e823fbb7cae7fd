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

/*
 * One setting at a time: the document is decoded once per setting (it is a
 * few hundred bytes) into two slots, one per spelling of the key, so the
 * stack holds two values instead of all six (stack_worst_sdk, make stack).
 * Each field's capacity is its final field's, so a value too long for the
 * lum_credentials field is LUM_ERR_TOO_LONG from the decoder, as before.
 */
typedef struct cred_pair {
    uint32_t present; /* bit 0: the first spelling was there, bit 1: the second */
    char a[LUM_MAX_URL];
    char b[LUM_MAX_URL];
} cred_pair;

typedef char cred_slots_fit[(LUM_MAX_ID <= LUM_MAX_URL && LUM_MAX_API_KEY <= LUM_MAX_URL &&
                             LUM_MAX_ROLE <= LUM_MAX_URL) ? 1 : -1];

#define CRED_FIELD(key, slot, cap) LUM_ROW(key, LUM_FT_STRING, 0, offsetof(cred_pair, slot), cap, NULL)

static const lum_field id_fields[] = {CRED_FIELD("login", a, LUM_MAX_ID), CRED_FIELD("product_uuid", b, LUM_MAX_ID)};
static const lum_field key_fields[] = {CRED_FIELD("api_key", a, LUM_MAX_API_KEY)};
static const lum_field role_fields[] = {CRED_FIELD("role", a, LUM_MAX_ROLE)};
static const lum_field url_fields[] = {CRED_FIELD("host", a, LUM_MAX_URL), CRED_FIELD("api_host", b, LUM_MAX_URL)};
static const lum_model id_model = LUM_MODEL(cred_pair, "credentials", id_fields);
static const lum_model key_model = LUM_MODEL(cred_pair, "credentials", key_fields);
static const lum_model role_model = LUM_MODEL(cred_pair, "credentials", role_fields);
static const lum_model url_model = LUM_MODEL(cred_pair, "credentials", url_fields);

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

static int fail(lum_credentials *out, int rc, const char *key)
{
    memset(out, 0, sizeof *out);
    out->error_key = key;
    return rc;
}

/*
 * Decodes one setting of json into *p and copies it to dst (cap bytes) when
 * it is there; *found tells. name_a / name_b: its two spellings (the same
 * name twice when it has one), both: the error key when they differ. Empty values and
 * control characters are refused. On failure *key names the key at fault.
 */
static int read_setting(const char *json, size_t len, const lum_model *model, cred_pair *p,
                        struct lum_json_tok *tokens, const char *name_a, const char *name_b, const char *both,
                        char *dst, size_t cap, bool *found, const char **key)
{
    lum_error_info err;
    lum_json_target t;
    const char *value;
    int rc;

    memset(&t, 0, sizeof t);
    memset(&err, 0, sizeof err);
    memset(p, 0, sizeof *p);
    t.model = model;
    t.out = p;
    /*
     * The decoder takes a writable buffer because, for documents with a
     * streamed list, it slides bytes down as list elements are consumed;
     * these models have no list and the whole document is given
     * (have == cap), so it only reads.
     */
    rc = lum_json_decode(&t, (uint8_t *)(uintptr_t)json, len, len, no_more, NULL, tokens,
                         LUM_CREDENTIALS_MAX_TOKENS, &err);
    if (rc == LUM_ERR_BODY_TOO_LARGE) rc = LUM_ERR_JSON; /* the document ends before its object does */
    *key = err.field;
    if (rc != LUM_OK) return rc;

    *found = p->present != 0;
    *key = (p->present & 1) ? name_a : name_b;
    if (p->present == 3 && strcmp(p->a, p->b) != 0) {
        *key = both;
        return LUM_ERR_INVALID_ARG;
    }
    if (!*found) return LUM_OK;
    value = (p->present & 1) ? p->a : p->b;
    if (value[0] == '\0' || has_control(value)) return LUM_ERR_INVALID_ARG;
    if (strlen(value) >= cap) return LUM_ERR_TOO_LONG; /* cannot happen: the field's capacity is cap */
    memcpy(dst, value, strlen(value) + 1);
    return LUM_OK;
}

int lum_credentials_parse(const char *json, size_t len, lum_credentials *out)
{
    struct lum_json_tok tokens[LUM_CREDENTIALS_MAX_TOKENS];
    cred_pair pair;
    const char *key = NULL;
    bool found = false;
    int rc;

    if (out == NULL) return LUM_ERR_INVALID_ARG;
    memset(out, 0, sizeof *out);
    if (json == NULL) return LUM_ERR_INVALID_ARG;

    rc = read_setting(json, len, &id_model, &pair, tokens, "login", "product_uuid", "login/product_uuid",
                      out->product_uuid, sizeof out->product_uuid, &found, &key);
    if (rc == LUM_OK && !found) rc = LUM_ERR_JSON_MISSING;
    if (rc == LUM_OK)
        rc = read_setting(json, len, &key_model, &pair, tokens, "api_key", "api_key", NULL, out->api_key,
                          sizeof out->api_key, &found, &key);
    if (rc == LUM_OK && !found) rc = LUM_ERR_JSON_MISSING;
    if (rc == LUM_OK)
        rc = read_setting(json, len, &role_model, &pair, tokens, "role", "role", NULL, out->role, sizeof out->role,
                          &found, &key);
    if (rc == LUM_OK && !found) memcpy(out->role, LUM_DEFAULT_ROLE, sizeof LUM_DEFAULT_ROLE);
    if (rc == LUM_OK)
        rc = read_setting(json, len, &url_model, &pair, tokens, "host", "api_host", "host/api_host", out->url,
                          sizeof out->url, &found, &key);
    if (rc == LUM_OK) {
        out->url_given = found;
        if (!found) memcpy(out->url, LUM_DEFAULT_API_URL, sizeof LUM_DEFAULT_API_URL);
        rc = lum_url_parse(out->url, strlen(out->url), &out->api);
        if (!found) key = NULL;
    }
    memset(&pair, 0, sizeof pair); /* the API key was in it */
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
