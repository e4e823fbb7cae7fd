/*
 * lumminary/credentials.h - a product's credentials from the reference
 * client's JSON file (the integration guide's `env.json`), and API base URLs.
 *
 *     {"login": "<product uuid>", "api_key": "<key>", "role": "role_product",
 *      "host": "https://api.lumminary.com/v1"}
 *
 * Later reference clients spell two of the keys `product_uuid` and
 * `api_host`; both spellings are accepted (the same value under both is
 * fine, two different values are an error). Other keys are ignored, so a
 * reference toolkit config file works too. JSON null reads as absent.
 *
 * The SDK does no file I/O: the caller reads the file into a buffer (the CLI
 * in examples/cli does) and hands the bytes here. Nothing is allocated; the
 * result goes into a caller-owned struct of fixed-capacity fields.
 */
#ifndef LUMMINARY_CREDENTIALS_H
#define LUMMINARY_CREDENTIALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lumminary/client.h"
#include "lumminary/config.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef LUM_MAX_ROLE
#define LUM_MAX_ROLE 24 /* post_jwt_auth role, e.g. "role_product" */
#endif
#ifndef LUM_CREDENTIALS_MAX_TOKENS
/* JSON tokens the file may have (20 bytes of stack each): the four keys and
   their values take 9; every other scalar key takes 2 more. */
#define LUM_CREDENTIALS_MAX_TOKENS 32
#endif

/* The API's base URL when a credentials file names none. */
#define LUM_DEFAULT_API_URL "https://api.lumminary.com/v1"

/* lum_url.scheme */
enum { LUM_SCHEME_HTTPS = 0, LUM_SCHEME_HTTP = 1 };

/* An API base URL split into what lum_client_config needs. */
typedef struct lum_url {
    uint8_t scheme;                    /* LUM_SCHEME_HTTPS or LUM_SCHEME_HTTP */
    char host[LUM_MAX_HOST];           /* DNS name or IP literal; IPv6 without its brackets */
    uint16_t port;                     /* as given, else 443 (https) / 80 (http) */
    char base_path[LUM_MAX_BASE_PATH]; /* "/v1"; "" when the URL has no path; never ends in '/' */
} lum_url;

/*
 * Parses an absolute http(s) URL, e.g. "https://api.lumminary.com/v1",
 * "http://127.0.0.1:8080/v1", "https://[::1]:8443". url[0..len) need not be
 * NUL-terminated. The scheme is case-insensitive; trailing slashes of the
 * path are dropped ("https://h/v1/" gives "/v1", "https://h/" gives "").
 * Refused as LUM_ERR_INVALID_ARG: another scheme or none, user info ('@'),
 * an empty host, a host with characters other than letters, digits, '-',
 * '.' and '_', a bracketed literal that is not IPv6 (hex digits, ':', '.'),
 * an empty, non-numeric, zero or > 65535 port, a query or fragment, an empty
 * path segment ("//"), and any space, control, non-ASCII or other character
 * a path may not carry unencoded (RFC 3986 pchar; %XX must be valid hex).
 * LUM_ERR_TOO_LONG: the host or the path does not fit its field.
 * *out is zeroed first and filled only on LUM_OK. Never blocks.
 */
int lum_url_parse(const char *url, size_t len, lum_url *out);

/* A product's credentials (see the file format above). */
typedef struct lum_credentials {
    char product_uuid[LUM_MAX_ID];    /* `login` or `product_uuid`: post_jwt_auth username */
    char api_key[LUM_MAX_API_KEY];    /* `api_key`: post_jwt_auth password */
    char role[LUM_MAX_ROLE];          /* `role`, default LUM_DEFAULT_ROLE */
    char url[LUM_MAX_URL];            /* `host` or `api_host` as written, default LUM_DEFAULT_API_URL */
    lum_url api;                      /* url, parsed */
    bool url_given;                   /* false: the file named no host and url is the default */
    const char *error_key;            /* after a failure: the key at fault, e.g. "api_key", or NULL */
} lum_credentials;

/*
 * Parses a credentials file's bytes json[0..len) (UTF-8 JSON, one object)
 * into *out (zeroed first). json is only read, and need not be
 * NUL-terminated. Uses no heap; under 2 KiB of stack on Cortex-M4 (the
 * JSON tokens and two values: the document is decoded once per setting;
 * `make stack`). Never blocks.
 *
 * Required: the product UUID (`login` or `product_uuid`) and `api_key`,
 * both non-empty strings. Optional: `role` (default "role_product") and the
 * base URL (`host` or `api_host`, default LUM_DEFAULT_API_URL, checked with
 * lum_url_parse). No value may contain a control character.
 *
 * The settings are read in this order, and the first that fails is the
 * answer: the product UUID, api_key, role, the URL (so `{"api_key": 5}`
 * reports the missing product UUID first).
 *
 * Returns LUM_OK or, with out->error_key naming the key when there is one:
 *   LUM_ERR_JSON          not one well-formed JSON object (also: empty input,
 *                         a malformed escape, a key given twice)
 *   LUM_ERR_JSON_TYPE     not an object, or a known key whose value is not a
 *                         string or holds \u0000
 *   LUM_ERR_JSON_MISSING  a required key absent (or null)
 *   LUM_ERR_JSON_TOKENS   more than LUM_CREDENTIALS_MAX_TOKENS tokens
 *   LUM_ERR_TOO_LONG      a value longer than its field
 *   LUM_ERR_INVALID_ARG   json NULL; an empty or control-character value; both
 *                         spellings of a key with different values (error_key
 *                         "login/product_uuid" or "host/api_host"); a
 *                         malformed URL (error_key "host" or "api_host")
 */
int lum_credentials_parse(const char *json, size_t len, lum_credentials *out);

/*
 * Points cfg's host, port, base_path, product_uuid, api_key and role at cr's
 * fields (borrowed: cr must stay valid until lum_client_init has copied
 * them). Other fields of cfg are left as they are. Whether to wrap the
 * transport in TLS is the caller's decision: cr->api.scheme tells what the
 * URL asked for. Never fails, never blocks.
 */
void lum_credentials_client_config(const lum_credentials *cr, lum_client_config *cfg);

#ifdef __cplusplus
}
#endif

#endif /* LUMMINARY_CREDENTIALS_H */
