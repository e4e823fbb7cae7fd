/*
 * lumminary/cwl.h - "Connect with Lumminary" (CWL) payloads: the encrypted
 * data-request a partner puts on its CWL button, and the `request` and
 * `response` parameters Lumminary adds to the partner's callback URL.
 *
 * Wire format, as the reference Python client (lumminary_sdk.LumminaryApi,
 * cwl_* functions) makes and reads it:
 *   - AES-GCM (key: the partner's CWL key, given as base64 of 16, 24 or 32
 *     bytes) with a random 12-byte nonce, no associated data, a 12-byte tag;
 *   - payload = base64(nonce || ciphertext || tag), standard alphabet with
 *     '=' padding (RFC 4648 section 4);
 *   - in a URL it is percent-encoded like Python's urllib.parse.quote: '+'
 *     is "%2B", '=' is "%3D", '/' stays as it is (the integration guide's
 *     sample button shows "%2F": decoding takes any %XX);
 *   - the plaintext of a data-request is the request object JSON-encoded
 *     twice: json.dumps(json.dumps(request)), i.e. a JSON string literal
 *     whose content is the request's JSON text (ASCII only: other
 *     characters are \uXXXX escapes). The callback's parameters come back
 *     the same way, and reading one undoes both encodings.
 *
 * Not part of liblumminary.a: link liblumminary_cwl.a (before
 * liblumminary.a) and mbedTLS (its AES and GCM modules, which use no heap
 * in this project's configuration, port/mbedtls/lum_mbedtls_config.h).
 * Every function here works on caller buffers only, draws randomness only
 * from lum_platform.entropy, never blocks except inside entropy, and keeps
 * no state between calls. Stack: about 1.1 KiB (mostly the AES-GCM context);
 * 1.5 KiB for lum_cwl_response_decode (JSON tokens and the decoder).
 *
 * Errors common to all: LUM_ERR_INVALID_ARG for a NULL argument, a key that
 * is not base64 or not 16/24/32 bytes once decoded, or a payload that is not
 * base64 (after percent-decoding) or shorter than nonce + tag;
 * LUM_ERR_TOO_LONG when the output does not fit its capacity (nothing
 * partial is left: the output is the empty string); LUM_ERR_DECRYPT when
 * the tag does not match (wrong key, or a payload altered or cut short).
 */
#ifndef LUMMINARY_CWL_H
#define LUMMINARY_CWL_H

#include <stddef.h>
#include <stdint.h>

#include "lumminary/config.h"
#include "lumminary/port.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LUM_CWL_NONCE_LEN 12
#define LUM_CWL_TAG_LEN 12

/* Characters of base64(nonce || ciphertext || tag) for n plaintext bytes
   (without the terminating NUL). */
#define LUM_CWL_BASE64_LEN(n) (((size_t)(n) + LUM_CWL_NONCE_LEN + LUM_CWL_TAG_LEN + 2u) / 3u * 4u)
/* At most this once percent-encoded (every '+' or '=' becomes 3 chars). */
#define LUM_CWL_URL_MAX(n) (3u * LUM_CWL_BASE64_LEN(n))
/* Plaintext bytes a payload of n characters can hold at most. */
#define LUM_CWL_PLAIN_MAX(n) ((size_t)(n) / 4u * 3u)

/* lum_cwl_encrypt flags */
#define LUM_CWL_URLENCODE 1u /* percent-encode the payload for a URL or HTML attribute */

/*
 * Encrypts plain[0..plain_len) as one payload (what the reference client's
 * cwl_encrypt computes, then base64 - and URL-encoded with
 * LUM_CWL_URLENCODE). Writes it NUL-terminated to out (cap bytes, at least
 * LUM_CWL_BASE64_LEN(plain_len) + 1, or LUM_CWL_URL_MAX(plain_len) + 1 with
 * LUM_CWL_URLENCODE); *out_len (may be NULL) gets its length. The nonce is
 * 12 bytes from platform->entropy.
 * Returns LUM_OK, LUM_ERR_INVALID_ARG, LUM_ERR_TOO_LONG, LUM_ERR_ENTROPY.
 */
int lum_cwl_encrypt(const lum_platform *platform, const char *key_b64, const uint8_t *plain,
                    size_t plain_len, unsigned flags, char *out, size_t cap, size_t *out_len);

/*
 * Builds the value of a CWL button's data-request attribute, byte for byte
 * what the reference client's cwl_data_request_build(request, key) returns
 * when request_json is json.dumps(request): encodes request_json[0..len)
 * (UTF-8) as a JSON string the way Python's json.dumps does (ensure_ascii:
 * '"' '\\' \n \r \t \b \f escaped, other controls and every non-ASCII
 * character as \u00XX / \uXXXX with lowercase hex, UTF-16 surrogate pairs
 * beyond U+FFFF), encrypts that, then base64 and percent-encoding as above.
 * request_json is not parsed; lum_cwl_request_json builds the usual object.
 * out: NUL-terminated; cap of LUM_CWL_URL_MAX(6 * len + 2) + 1 always suffices.
 * Returns LUM_OK, LUM_ERR_INVALID_ARG (also: request_json not valid UTF-8),
 * LUM_ERR_TOO_LONG, LUM_ERR_ENTROPY.
 */
int lum_cwl_data_request_build(const lum_platform *platform, const char *key_b64,
                               const char *request_json, size_t len, char *out, size_t cap,
                               size_t *out_len);

/* A string key and value of a data-request's customData (both UTF-8). */
typedef struct lum_cwl_pair {
    const char *key;
    const char *value;
} lum_cwl_pair;

/* The data-request object of the integration guide. */
typedef struct lum_cwl_request {
    const char *scopes;            /* required: comma-separated, e.g. "address,dataset,email" */
    const char *product_uuid;      /* required: the product the customer is asked to authorize */
    const lum_cwl_pair *custom;    /* customData entries, in order; NULL or n_custom 0: no customData */
    size_t n_custom;
} lum_cwl_request;

/*
 * Writes r as the JSON text Python's json.dumps writes for the guide's dict
 * {"scopes": ..., "productUuid": ..., "customData": {...}}: that key order,
 * ", " and ": " separators, strings escaped as lum_cwl_data_request_build
 * describes. NUL-terminated in out; *out_len (may be NULL) gets the length.
 * Returns LUM_OK, LUM_ERR_INVALID_ARG (a NULL required member or a string
 * that is not UTF-8), LUM_ERR_TOO_LONG. Never blocks.
 */
int lum_cwl_request_json(const lum_cwl_request *r, char *out, size_t cap, size_t *out_len);

/*
 * Decrypts one payload: payload[0..len) is base64, percent-encoded or not
 * (any %XX is decoded first; a '+' is taken as '+', never as a space, since
 * base64 has no spaces). Writes the plaintext to out, NUL-terminated (the
 * plaintext may itself hold NUL bytes: *out_len, which may be NULL, is its
 * length). cap must be at least the plaintext length + 1;
 * LUM_CWL_PLAIN_MAX(len) + 1 always suffices. On any failure out is wiped
 * to the empty string, so bytes that failed authentication never reach
 * the caller.
 * Returns LUM_OK, LUM_ERR_INVALID_ARG, LUM_ERR_TOO_LONG, LUM_ERR_DECRYPT.
 */
int lum_cwl_decrypt(const char *key_b64, const char *payload, size_t len, uint8_t *out, size_t cap,
                    size_t *out_len);

/*
 * Decrypts one payload (as lum_cwl_decrypt) and undoes the outer JSON
 * encoding: when the plaintext is a JSON string literal (what the reference
 * client sends), out receives its content unescaped, i.e. the JSON text of
 * the request or response object; a plaintext that is not a string (a peer
 * that encoded only once) is passed through as is. The result is not
 * otherwise validated as JSON. NUL-terminated; cap as for lum_cwl_decrypt.
 * Returns those errors, plus LUM_ERR_JSON (the plaintext is empty or a
 * malformed string literal, or decodes to text with a NUL character).
 */
int lum_cwl_decrypt_json(const char *key_b64, const char *payload, size_t len, char *out, size_t cap,
                         size_t *out_len);

/*
 * Reads the `request` and `response` parameters of a CWL callback URL, e.g.
 * "https://partner.example/callback?request=...&response=...", or of just
 * its query string. Each is decrypted and unwrapped with
 * lum_cwl_decrypt_json into request / response (cap bytes each; pass NULL
 * to skip one; *_len may be NULL). Other parameters are ignored.
 * Returns LUM_OK, or the first failure of lum_cwl_decrypt_json, or
 * LUM_ERR_INVALID_ARG when a wanted parameter is missing or given twice.
 * On failure both outputs are empty strings.
 */
int lum_cwl_callback_extract(const char *key_b64, const char *url, char *request, size_t request_cap,
                             size_t *request_len, char *response, size_t response_cap,
                             size_t *response_len);

/* The callback's `response` object: an authorization, or an error. */
typedef struct lum_cwl_response {
    uint32_t present;                     /* LUM_CWL_RESPONSE_HAS_* */
    char authorization_uuid[LUM_MAX_ID];  /* `authorizationUuid` */
    int64_t authorization_timestamp;      /* `authorizationTimestamp`: unix seconds, UTC */
    struct lum_cwl_error {
        uint32_t present;
        int64_t id;                       /* 1 invalid security token, 2 invalid access scopes,
                                             3 the customer refused */
        char message[LUM_MAX_MESSAGE];
    } error;                              /* `error` */
} lum_cwl_response;
enum {
    LUM_CWL_RESPONSE_HAS_AUTHORIZATION_UUID = 1u << 0,
    LUM_CWL_RESPONSE_HAS_AUTHORIZATION_TIMESTAMP = 1u << 1,
    LUM_CWL_RESPONSE_HAS_ERROR = 1u << 2
};

/*
 * Decodes the JSON text of a callback's response (what
 * lum_cwl_callback_extract put in `response`) into *out (zeroed first).
 * Every field is optional; check `present`. Unknown keys are ignored.
 * Returns LUM_OK, LUM_ERR_INVALID_ARG (NULL), LUM_ERR_JSON, LUM_ERR_JSON_TYPE
 * (e.g. a non-integer timestamp), LUM_ERR_JSON_TOKENS (more than 32 tokens),
 * LUM_ERR_TOO_LONG. Never blocks.
 */
int lum_cwl_response_decode(const char *json, size_t len, lum_cwl_response *out);

#ifdef __cplusplus
}
#endif

#endif /* LUMMINARY_CWL_H */
