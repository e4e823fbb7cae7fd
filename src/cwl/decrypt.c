/*
 * Reading CWL payloads: decrypt, undo the outer JSON string encoding the
 * reference client adds, and pick `request` / `response` out of a callback
 * URL.
 */
#include <string.h>

#include "cwl/cwl_internal.h"
#include "json/json.h"
#include "lumminary/error.h"

static void clear(void *out, size_t cap, size_t *out_len)
{
    if (out != NULL && cap > 0) ((char *)out)[0] = '\0';
    if (out_len != NULL) *out_len = 0;
}

int lum_cwl_decrypt(const char *key_b64, const char *payload, size_t len, uint8_t *out, size_t cap,
                    size_t *out_len)
{
    uint8_t key[CWL_KEY_MAX];
    size_t key_len, decoded, n = 0;
    int rc;

    clear(out, cap, out_len);
    if (payload == NULL || out == NULL) return LUM_ERR_INVALID_ARG;
    rc = cwl_key_decode(key_b64, key, &key_len);
    if (rc != LUM_OK) return rc;
    rc = cwl_b64_measure(payload, len, &decoded);
    if (rc == LUM_OK && decoded < LUM_CWL_NONCE_LEN + LUM_CWL_TAG_LEN) rc = LUM_ERR_INVALID_ARG;
    if (rc == LUM_OK && cap == 0) rc = LUM_ERR_TOO_LONG;
    if (rc == LUM_OK) rc = cwl_open(key, key_len, payload, len, decoded, out, cap, &n);
    cwl_wipe(key, sizeof key);
    if (rc != LUM_OK) {
        clear(out, cap, out_len);
        return rc;
    }
    if (out_len != NULL) *out_len = n;
    return LUM_OK;
}

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static int hex4(const char *s, unsigned *v)
{
    unsigned i, r = 0;
    for (i = 0; i < 4; i++) {
        char ch = s[i];
        r <<= 4;
        if (ch >= '0' && ch <= '9') r |= (unsigned)(ch - '0');
        else if (ch >= 'a' && ch <= 'f') r |= (unsigned)(ch - 'a' + 10);
        else if (ch >= 'A' && ch <= 'F') r |= (unsigned)(ch - 'A' + 10);
        else return -1;
    }
    *v = r;
    return 0;
}

/*
 * Replaces the JSON string literal starting at buf[start] (its opening
 * quote) with its unescaped content, in place from buf[0]: a decoded escape
 * is never longer than its text, so writing never overtakes reading. Each
 * escape goes through the SDK's JSON unescaper from a small copy.
 */
static int unwrap_string(char *buf, size_t n, size_t start, size_t *out_len)
{
    size_t i = start + 1, o = 0;
    for (;;) {
        unsigned char c;
        if (i >= n) return LUM_ERR_JSON; /* no closing quote */
        c = (unsigned char)buf[i];
        if (c == '"') break;
        if (c < 0x20) return LUM_ERR_JSON;
        if (c != '\\') {
            buf[o++] = buf[i++];
        } else {
            char esc[12], dec[8];
            size_t k = 2;
            unsigned v;
            if (i + 1 < n && buf[i + 1] == 'u') {
                k = 6;
                /* A high surrogate carries its low half with it. */
                if (i + 6 <= n && hex4(buf + i + 2, &v) == 0 && v >= 0xD800 && v <= 0xDBFF &&
                    i + 12 <= n && buf[i + 6] == '\\' && buf[i + 7] == 'u')
                    k = 12;
            }
            if (k > n - i) return LUM_ERR_JSON;
            memcpy(esc, buf + i, k);
            if (lum_json_unescape(esc, k, dec, sizeof dec) != LUM_OK) return LUM_ERR_JSON;
            memcpy(buf + o, dec, strlen(dec));
            o += strlen(dec);
            i += k;
        }
    }
    for (i++; i < n; i++)
        if (!is_space(buf[i])) return LUM_ERR_JSON; /* json.loads allows only whitespace after */
    buf[o] = '\0';
    *out_len = o;
    return LUM_OK;
}

int lum_cwl_decrypt_json(const char *key_b64, const char *payload, size_t len, char *out, size_t cap,
                         size_t *out_len)
{
    size_t n = 0, i = 0;
    int rc = lum_cwl_decrypt(key_b64, payload, len, (uint8_t *)out, cap, &n);
    if (rc != LUM_OK) return rc;
    while (i < n && is_space(out[i])) i++;
    if (i == n) {
        rc = LUM_ERR_JSON;
    } else if (out[i] == '"') {
        rc = unwrap_string(out, n, i, &n);
    } else if (memchr(out, '\0', n) != NULL) {
        rc = LUM_ERR_JSON; /* not text */
    }
    if (rc != LUM_OK) {
        cwl_wipe(out, cap);
        clear(out, cap, out_len);
        return rc;
    }
    if (out_len != NULL) *out_len = n;
    return LUM_OK;
}

/* Finds the value of parameter `name` in query[0..len); refuses it twice. */
static int find_param(const char *q, size_t len, const char *name, const char **value, size_t *value_len)
{
    size_t i = 0, name_len = strlen(name);
    *value = NULL;
    *value_len = 0;
    while (i <= len) {
        const char *amp = memchr(q + i, '&', len - i);
        size_t end = amp != NULL ? (size_t)(amp - q) : len;
        if (end - i > name_len && memcmp(q + i, name, name_len) == 0 && q[i + name_len] == '=') {
            if (*value != NULL) return LUM_ERR_INVALID_ARG;
            *value = q + i + name_len + 1;
            *value_len = end - i - name_len - 1;
        }
        i = end + 1;
    }
    return *value != NULL ? LUM_OK : LUM_ERR_INVALID_ARG;
}

static int extract_one(const char *key_b64, const char *q, size_t qlen, const char *name, char *out,
                       size_t cap, size_t *out_len)
{
    const char *v;
    size_t vlen;
    int rc;
    if (out == NULL) return LUM_OK;
    rc = find_param(q, qlen, name, &v, &vlen);
    if (rc != LUM_OK) return rc;
    return lum_cwl_decrypt_json(key_b64, v, vlen, out, cap, out_len);
}

int lum_cwl_callback_extract(const char *key_b64, const char *url, char *request, size_t request_cap,
                             size_t *request_len, char *response, size_t response_cap,
                             size_t *response_len)
{
    const char *q, *hash;
    size_t qlen;
    int rc;

    clear(request, request_cap, request_len);
    clear(response, response_cap, response_len);
    if (url == NULL || (request == NULL && response == NULL)) return LUM_ERR_INVALID_ARG;
    q = strchr(url, '?');
    q = q != NULL ? q + 1 : url; /* a bare query string works too */
    hash = strchr(q, '#');
    qlen = hash != NULL ? (size_t)(hash - q) : strlen(q);

    rc = extract_one(key_b64, q, qlen, "request", request, request_cap, request_len);
    if (rc == LUM_OK) rc = extract_one(key_b64, q, qlen, "response", response, response_cap, response_len);
    if (rc != LUM_OK) {
        if (request != NULL) cwl_wipe(request, request_cap);
        clear(request, request_cap, request_len);
        clear(response, response_cap, response_len);
    }
    return rc;
}
