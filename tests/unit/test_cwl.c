/*
 * "Connect with Lumminary" payloads (lumminary/cwl.h): fixed vectors made by
 * an independent pure-Python AES-GCM (tests/vectors/, checked there against
 * the FIPS 197 and GCM spec known answers) following the reference client
 * step by step; round trips; and every way a payload can be wrong.
 * Links liblumminary_cwl.a and mbedTLS (see mk/cli.mk).
 */
#include <stdlib.h>
#include <string.h>

#include "cwl_vectors.h"
#include "lumminary.h"
#include "lumminary/cwl.h"
#include "testlib.h"

/* A platform whose entropy hands out a fixed nonce (or fails). */
typedef struct fixed {
    const uint8_t *nonce;
    int calls;
    bool fail;
} fixed;

static int fixed_entropy(void *ctx, uint8_t *buf, size_t len)
{
    fixed *f = ctx;
    f->calls++;
    if (f->fail || len != LUM_CWL_NONCE_LEN) return LUM_ERR_ENTROPY;
    memcpy(buf, f->nonce, len);
    return LUM_OK;
}

static uint32_t zero_ms(void *ctx)
{
    (void)ctx;
    return 0;
}

static fixed fx;
static lum_platform plat;

static const lum_platform *nonce(const char *n)
{
    memset(&fx, 0, sizeof fx);
    fx.nonce = (const uint8_t *)n;
    memset(&plat, 0, sizeof plat);
    plat.ctx = &fx;
    plat.now_ms = zero_ms;
    plat.entropy = fixed_entropy;
    return &plat;
}

static char out[4096], out2[4096];
static uint8_t bin[4096];

/* ------------------------------------------------------------ fixed vectors */

static void encrypt_matches_reference_aes128(void)
{
    size_t n = 99;
    CHECK_INT_EQ(lum_cwl_encrypt(nonce(V_NONCE_A), V_KEY128, (const uint8_t *)V_HELLO_PLAIN, V_HELLO_PLAIN_LEN, 0,
                                 out, sizeof out, &n),
                 LUM_OK);
    CHECK_STR_EQ(out, V_HELLO_KEY128);
    CHECK_INT_EQ(n, strlen(V_HELLO_KEY128));
    CHECK_INT_EQ(n, LUM_CWL_BASE64_LEN(V_HELLO_PLAIN_LEN));
    CHECK_INT_EQ(fx.calls, 1);
}

static void encrypt_matches_reference_aes192_long(void)
{
    CHECK_INT_EQ(lum_cwl_encrypt(nonce(V_NONCE_B), V_KEY192, (const uint8_t *)V_LONG_PLAIN, V_LONG_PLAIN_LEN, 0,
                                 out, sizeof out, NULL),
                 LUM_OK);
    CHECK_STR_EQ(out, V_LONG_KEY192);
    /* URL-encoded: '+' and '=' escaped, '/' kept, as urllib.parse.quote does. */
    CHECK_INT_EQ(lum_cwl_encrypt(nonce(V_NONCE_B), V_KEY192, (const uint8_t *)V_LONG_PLAIN, V_LONG_PLAIN_LEN,
                                 LUM_CWL_URLENCODE, out, sizeof out, NULL),
                 LUM_OK);
    CHECK_STR_EQ(out, V_LONG_KEY192_URL);
    CHECK(strlen(out) <= LUM_CWL_URL_MAX(V_LONG_PLAIN_LEN));
}

static void encrypt_empty_plaintext_aes256(void)
{
    size_t n;
    CHECK_INT_EQ(lum_cwl_encrypt(nonce(V_NONCE_A), V_KEY256, NULL, 0, 0, out, sizeof out, &n), LUM_OK);
    CHECK_STR_EQ(out, V_EMPTY_KEY256);
    CHECK_INT_EQ(lum_cwl_decrypt(V_KEY256, out, n, bin, sizeof bin, &n), LUM_OK);
    CHECK_INT_EQ(n, 0);
    CHECK_INT_EQ(bin[0], 0);
}

static void request_json_is_python_json_dumps(void)
{
    lum_cwl_pair custom[2] = {{"customerId", "42"}, {"websiteSession", V_SESSION}};
    lum_cwl_request r;
    size_t n;
    r.scopes = "address,dataset,email";
    r.product_uuid = "ef876efe-2080-4359-b7db-6407090aca55";
    r.custom = custom;
    r.n_custom = 2;
    CHECK_INT_EQ(lum_cwl_request_json(&r, out, sizeof out, &n), LUM_OK);
    CHECK_MEM_EQ(out, n, V_REQUEST_JSON, V_REQUEST_JSON_LEN);

    /* Without customData the key is left out. */
    r.n_custom = 0;
    CHECK_INT_EQ(lum_cwl_request_json(&r, out, sizeof out, &n), LUM_OK);
    CHECK_STR_EQ(out, "{\"scopes\": \"address,dataset,email\", \"productUuid\": "
                      "\"ef876efe-2080-4359-b7db-6407090aca55\"}");

    /* Too small by one: nothing partial. */
    CHECK_INT_EQ(lum_cwl_request_json(&r, out, n, &n), LUM_ERR_TOO_LONG);
    CHECK_STR_EQ(out, "");
    CHECK_INT_EQ(n, 0);

    r.scopes = NULL;
    CHECK_INT_EQ(lum_cwl_request_json(&r, out, sizeof out, &n), LUM_ERR_INVALID_ARG);
    r.scopes = "dataset";
    r.product_uuid = "\xff";
    CHECK_INT_EQ(lum_cwl_request_json(&r, out, sizeof out, &n), LUM_ERR_INVALID_ARG);
}

static void data_request_matches_reference(void)
{
    size_t n;
    CHECK_INT_EQ(lum_cwl_data_request_build(nonce(V_NONCE_B), V_KEY256, V_REQUEST_JSON, V_REQUEST_JSON_LEN, out,
                                            sizeof out, &n),
                 LUM_OK);
    CHECK_STR_EQ(out, V_REQUEST_KEY256);
    CHECK_INT_EQ(n, strlen(V_REQUEST_KEY256));

    /* The plaintext inside is json.dumps of the JSON text. */
    CHECK_INT_EQ(lum_cwl_decrypt(V_KEY256, out, n, bin, sizeof bin, &n), LUM_OK);
    CHECK_MEM_EQ(bin, n, V_REQUEST_PLAINTEXT, V_REQUEST_PLAINTEXT_LEN);

    /* The response vector, built the same way with the other key. */
    CHECK_INT_EQ(lum_cwl_data_request_build(nonce(V_NONCE_A), V_KEY128, V_RESPONSE_JSON, V_RESPONSE_JSON_LEN, out,
                                            sizeof out, &n),
                 LUM_OK);
    CHECK_STR_EQ(out, V_RESPONSE_KEY128);
}

static void data_request_escapes_like_python(void)
{
    /* Controls, DEL, quotes, backslash, 2-, 3- and 4-byte UTF-8. */
    static const char in[] = "a\"b\\c\nd\re\tf\bg\fh\001i\037j\177k\303\251l\342\202\254m\360\237\247\254/";
    static const char want[] = "\"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0001i\\u001fj\\u007fk\\u00e9l\\u20acm"
                               "\\ud83e\\uddec/\"";
    size_t n;
    CHECK_INT_EQ(lum_cwl_data_request_build(nonce(V_NONCE_A), V_KEY128, in, sizeof in - 1, out, sizeof out, &n),
                 LUM_OK);
    CHECK_INT_EQ(lum_cwl_decrypt(V_KEY128, out, n, bin, sizeof bin, &n), LUM_OK);
    CHECK_MEM_EQ(bin, n, want, sizeof want - 1);
    /* ... and decrypt_json undoes exactly that. */
    CHECK_INT_EQ(lum_cwl_decrypt_json(V_KEY128, out, strlen(out), out2, sizeof out2, &n), LUM_OK);
    CHECK_MEM_EQ(out2, n, in, sizeof in - 1);
}

static void data_request_refuses_bad_utf8(void)
{
    static const char *const bad[] = {"\x80", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                                      "\xc3", "abc\xe2\x82", "\xf8\x88\x80\x80\x80", "\xff"};
    size_t i, n = 1;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_INT_EQ(lum_cwl_data_request_build(nonce(V_NONCE_A), V_KEY128, bad[i], strlen(bad[i]), out,
                                                sizeof out, &n),
                     LUM_ERR_INVALID_ARG);
        CHECK_STR_EQ(out, "");
        CHECK_INT_EQ(n, 0);
    }
}

/* ------------------------------------------------------------ decryption */

static void decrypt_reference_payloads(void)
{
    size_t n;
    CHECK_INT_EQ(lum_cwl_decrypt(V_KEY128, V_HELLO_KEY128, strlen(V_HELLO_KEY128), bin, sizeof bin, &n), LUM_OK);
    CHECK_MEM_EQ(bin, n, V_HELLO_PLAIN, V_HELLO_PLAIN_LEN);
    CHECK_INT_EQ(bin[n], 0);
    /* Percent-encoded or not, the same bytes. */
    CHECK_INT_EQ(lum_cwl_decrypt(V_KEY192, V_LONG_KEY192_URL, strlen(V_LONG_KEY192_URL), bin, sizeof bin, &n),
                 LUM_OK);
    CHECK_MEM_EQ(bin, n, V_LONG_PLAIN, V_LONG_PLAIN_LEN);
    CHECK_INT_EQ(lum_cwl_decrypt(V_KEY192, V_LONG_KEY192, strlen(V_LONG_KEY192), bin, sizeof bin, &n), LUM_OK);
    CHECK_MEM_EQ(bin, n, V_LONG_PLAIN, V_LONG_PLAIN_LEN);
}

static void decrypt_json_undoes_the_double_encoding(void)
{
    size_t n;
    CHECK_INT_EQ(lum_cwl_decrypt_json(V_KEY256, V_REQUEST_KEY256, strlen(V_REQUEST_KEY256), out, sizeof out, &n),
                 LUM_OK);
    CHECK_MEM_EQ(out, n, V_REQUEST_JSON, V_REQUEST_JSON_LEN);
    CHECK_INT_EQ(lum_cwl_decrypt_json(V_KEY128, V_RESPONSE_ERROR_KEY128, strlen(V_RESPONSE_ERROR_KEY128), out,
                                      sizeof out, &n),
                 LUM_OK);
    CHECK_MEM_EQ(out, n, V_RESPONSE_ERROR_JSON, V_RESPONSE_ERROR_JSON_LEN);
}

static void decrypt_json_passes_single_encoded_through(void)
{
    static const char obj[] = " {\"a\": [1, \"\\u00e9\"]} ";
    size_t n;
    CHECK_INT_EQ(lum_cwl_encrypt(nonce(V_NONCE_A), V_KEY128, (const uint8_t *)obj, sizeof obj - 1, 0, out2,
                                 sizeof out2, &n),
                 LUM_OK);
    CHECK_INT_EQ(lum_cwl_decrypt_json(V_KEY128, out2, n, out, sizeof out, &n), LUM_OK);
    CHECK_STR_EQ(out, obj);
}

static void decrypt_json_refuses_what_is_not_json(void)
{
    static const char *const bad[] = {"", "   ", "\"unterminated", "\"a\" x", "\"\\u0000\"", "\"\\ud800\"",
                                      "\"\\x\"", "\"tab\there\"", "\"\\u12\""};
    size_t i, n;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_INT_EQ(lum_cwl_encrypt(nonce(V_NONCE_A), V_KEY128, (const uint8_t *)bad[i], strlen(bad[i]), 0, out2,
                                     sizeof out2, &n),
                     LUM_OK);
        CHECK_INT_EQ(lum_cwl_decrypt_json(V_KEY128, out2, n, out, sizeof out, &n), LUM_ERR_JSON);
        CHECK_STR_EQ(out, "");
    }
    /* A surrogate pair is one character; a NUL byte in a non-string plaintext is not text. */
    CHECK_INT_EQ(lum_cwl_encrypt(nonce(V_NONCE_A), V_KEY128, (const uint8_t *)"\"\\ud83e\\uddec\"", 14, 0, out2,
                                 sizeof out2, &n),
                 LUM_OK);
    CHECK_INT_EQ(lum_cwl_decrypt_json(V_KEY128, out2, n, out, sizeof out, &n), LUM_OK);
    CHECK_STR_EQ(out, "\360\237\247\254");
    CHECK_INT_EQ(lum_cwl_encrypt(nonce(V_NONCE_A), V_KEY128, (const uint8_t *)"{}\0", 3, 0, out2, sizeof out2, &n),
                 LUM_OK);
    CHECK_INT_EQ(lum_cwl_decrypt_json(V_KEY128, out2, n, out, sizeof out, &n), LUM_ERR_JSON);
}

static void round_trip_every_length(void)
{
    static const char *const keys[] = {V_KEY128, V_KEY192, V_KEY256};
    uint8_t plain[200];
    size_t len, k, n, m;
    for (len = 0; len < sizeof plain; len++) plain[len] = (uint8_t)(len * 37u + 11u);
    for (k = 0; k < 3; k++) {
        for (len = 0; len <= sizeof plain; len += (len < 40 ? 1 : 7)) {
            unsigned flags = (len & 1) ? LUM_CWL_URLENCODE : 0;
            CHECK_INT_EQ(lum_cwl_encrypt(nonce(V_NONCE_B), keys[k], plain, len, flags, out, sizeof out, &n),
                         LUM_OK);
            CHECK(n <= (flags ? LUM_CWL_URL_MAX(len) : LUM_CWL_BASE64_LEN(len)));
            CHECK(LUM_CWL_PLAIN_MAX(n) + 1 >= len + 1);
            CHECK_INT_EQ(lum_cwl_decrypt(keys[k], out, n, bin, len + 1, &m), LUM_OK); /* exactly enough room */
            CHECK_MEM_EQ(bin, m, plain, len);
        }
    }
}

static void round_trip_request_and_callback(void)
{
    lum_cwl_pair custom[1] = {{"customerId", "c-\"1\""}};
    lum_cwl_request r = {"dataset,email", "8f0c-uuid", custom, 1};
    static char json[512], url[3 * sizeof out], req[1024], rsp[1024];
    size_t n, rn, sn;
    CHECK_INT_EQ(lum_cwl_request_json(&r, json, sizeof json, &n), LUM_OK);
    CHECK_INT_EQ(lum_cwl_data_request_build(nonce(V_NONCE_A), V_KEY256, json, n, out, sizeof out, &n), LUM_OK);
    CHECK(n <= LUM_CWL_URL_MAX(6 * strlen(json) + 2));
    /* The response vector was made with KEY128: one with KEY256 to go with it. */
    CHECK_INT_EQ(lum_cwl_data_request_build(nonce(V_NONCE_B), V_KEY256, V_RESPONSE_JSON, V_RESPONSE_JSON_LEN, out2,
                                            sizeof out2, &n),
                 LUM_OK);
    snprintf(url, sizeof url, "https://p.example/cb?x=1&request=%s&response=%s#frag", out, out2);
    CHECK_INT_EQ(lum_cwl_callback_extract(V_KEY256, url, req, sizeof req, &rn, rsp, sizeof rsp, &sn), LUM_OK);
    CHECK_STR_EQ(req, json);
    CHECK_INT_EQ(rn, strlen(json));
    CHECK_MEM_EQ(rsp, sn, V_RESPONSE_JSON, V_RESPONSE_JSON_LEN);
}

static void callback_of_the_reference(void)
{
    static char req[1024], rsp[1024];
    lum_cwl_response r;
    size_t n;
    CHECK_INT_EQ(lum_cwl_callback_extract(V_KEY256, V_CALLBACK_KEY256, req, sizeof req, NULL, rsp, sizeof rsp, &n),
                 LUM_OK);
    CHECK_STR_EQ(req, V_REQUEST_JSON);
    CHECK_MEM_EQ(rsp, n, V_RESPONSE_JSON, V_RESPONSE_JSON_LEN);
    CHECK_INT_EQ(lum_cwl_response_decode(rsp, n, &r), LUM_OK);
    CHECK_INT_EQ(r.present, LUM_CWL_RESPONSE_HAS_AUTHORIZATION_UUID | LUM_CWL_RESPONSE_HAS_AUTHORIZATION_TIMESTAMP);
    CHECK_STR_EQ(r.authorization_uuid, "21dde439-f110-4307-85e7-d4f474a4a39a");
    CHECK_INT_EQ(r.authorization_timestamp, 1552003200);

    /* Only the response; the query string alone works too. */
    CHECK_INT_EQ(lum_cwl_callback_extract(V_KEY256, strchr(V_CALLBACK_KEY256, '?') + 1, NULL, 0, NULL, rsp,
                                          sizeof rsp, NULL),
                 LUM_OK);
    CHECK_MEM_EQ(rsp, strlen(rsp), V_RESPONSE_JSON, V_RESPONSE_JSON_LEN);

    CHECK_INT_EQ(lum_cwl_response_decode(V_RESPONSE_ERROR_JSON, V_RESPONSE_ERROR_JSON_LEN, &r), LUM_OK);
    CHECK_INT_EQ(r.present, LUM_CWL_RESPONSE_HAS_ERROR);
    CHECK_INT_EQ(r.error.id, 3);
    CHECK_STR_EQ(r.error.message, "Customer refuses request");
    CHECK_INT_EQ(lum_cwl_response_decode("{\"authorizationTimestamp\": 1.5}", 31, &r), LUM_ERR_JSON_TYPE);
    CHECK_INT_EQ(lum_cwl_response_decode("{\"authorizationUuid\": \"x\"", 25, &r), LUM_ERR_JSON);
    CHECK_INT_EQ(lum_cwl_response_decode("[]", 2, &r), LUM_ERR_JSON_TYPE);
}

static void callback_missing_or_repeated_parameters(void)
{
    static char url[4096], req[1024], rsp[1024];
    size_t rn = 7, sn = 7;
    CHECK_INT_EQ(lum_cwl_callback_extract(V_KEY256, "https://p.example/cb?request=abc", req, sizeof req, &rn, rsp,
                                          sizeof rsp, &sn),
                 LUM_ERR_INVALID_ARG);
    CHECK_STR_EQ(req, "");
    CHECK_STR_EQ(rsp, "");
    CHECK_INT_EQ(rn + sn, 0);
    snprintf(url, sizeof url, "%s&response=%s", V_CALLBACK_KEY256, strstr(V_CALLBACK_KEY256, "response=") + 9);
    CHECK_INT_EQ(lum_cwl_callback_extract(V_KEY256, url, NULL, 0, NULL, rsp, sizeof rsp, NULL), LUM_ERR_INVALID_ARG);
    /* "xrequest=" and "request" without '=' are other parameters. */
    snprintf(url, sizeof url, "cb?xrequest=1&request&response=%s", strstr(V_CALLBACK_KEY256, "response=") + 9);
    CHECK_INT_EQ(lum_cwl_callback_extract(V_KEY256, url, NULL, 0, NULL, rsp, sizeof rsp, NULL), LUM_OK);
    CHECK_INT_EQ(lum_cwl_callback_extract(V_KEY256, url, req, sizeof req, NULL, rsp, sizeof rsp, NULL),
                 LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_cwl_callback_extract(V_KEY256, url, NULL, 0, NULL, NULL, 0, NULL), LUM_ERR_INVALID_ARG);
    /* The wrong key for the callback. */
    CHECK_INT_EQ(lum_cwl_callback_extract(V_KEY128, V_CALLBACK_KEY256, req, sizeof req, NULL, rsp, sizeof rsp, NULL),
                 LUM_ERR_DECRYPT);
    CHECK_STR_EQ(req, "");
}

/* ------------------------------------------------------------ hostile input */

static void tampered_tag_nonce_or_ciphertext_fail_authentication(void)
{
    static char p[256];
    size_t i, len = strlen(V_HELLO_KEY128), n;
    /* Flip one base64 character at every position that does not touch padding bits. */
    for (i = 0; i + 2 < len; i++) {
        memcpy(p, V_HELLO_KEY128, len + 1);
        p[i] = p[i] == 'A' ? 'B' : 'A';
        memset(bin, 0x55, 64);
        CHECK_INT_EQ(lum_cwl_decrypt(V_KEY128, p, len, bin, sizeof bin, &n), LUM_ERR_DECRYPT);
        CHECK_INT_EQ(n, 0);
        CHECK_INT_EQ(bin[0], 0);
        CHECK(memcmp(bin, "hello", 5) != 0); /* nothing unauthenticated is left behind */
    }
    CHECK_INT_EQ(lum_strerror(LUM_ERR_DECRYPT)[0] != 'u', 1); /* has its own message */
}

static void wrong_key_fails_authentication(void)
{
    size_t n;
    CHECK_INT_EQ(lum_cwl_decrypt(V_KEY256, V_HELLO_KEY128, strlen(V_HELLO_KEY128), bin, sizeof bin, &n),
                 LUM_ERR_DECRYPT);
    CHECK_INT_EQ(lum_cwl_decrypt("AQIDBAUGBwgJCgsMDQ4PEQ==", V_HELLO_KEY128, strlen(V_HELLO_KEY128), bin,
                                 sizeof bin, &n),
                 LUM_ERR_DECRYPT);
    CHECK_INT_EQ(lum_cwl_decrypt_json(V_KEY128, V_REQUEST_KEY256, strlen(V_REQUEST_KEY256), out, sizeof out, &n),
                 LUM_ERR_DECRYPT);
    CHECK_STR_EQ(out, "");
}

static void truncated_payloads(void)
{
    static char p[512];
    size_t n, len = strlen(V_LONG_KEY192);
    /* Cut at a base64 group boundary: still base64, but the tag is gone. */
    memcpy(p, V_LONG_KEY192, len - 8);
    p[len - 8] = '\0';
    CHECK_INT_EQ(lum_cwl_decrypt(V_KEY192, p, len - 8, bin, sizeof bin, &n), LUM_ERR_DECRYPT);
    /* Cut inside a group: not base64. */
    CHECK_INT_EQ(lum_cwl_decrypt(V_KEY192, V_LONG_KEY192, len - 3, bin, sizeof bin, &n), LUM_ERR_INVALID_ARG);
    /* Shorter than nonce + tag. */
    CHECK_INT_EQ(lum_cwl_decrypt(V_KEY128, "AAECAwQFBgcICQoLDA0ODxAREhMUFQ==", 32, bin, sizeof bin, &n),
                 LUM_ERR_INVALID_ARG); /* 23 bytes */
    CHECK_INT_EQ(lum_cwl_decrypt(V_KEY128, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYX", 32, bin, sizeof bin, &n),
                 LUM_ERR_DECRYPT); /* exactly 24 bytes: an empty plaintext with a wrong tag */
    CHECK_INT_EQ(lum_cwl_decrypt(V_KEY128, "", 0, bin, sizeof bin, &n), LUM_ERR_INVALID_ARG);
}

static void not_base64(void)
{
    static const char *const bad[] = {
        "AAECAwQFBgcICQoLUyjNhd3bevSxNKf4X7AD9+xj+ddkNY1bCrXnDg=",   /* padding short */
        "AAECAwQFBgcICQoLUyjNhd3bevSxNKf4X7AD9+xj+ddkNY1bCrXnDg===", /* too much */
        "AAECAwQFBgcICQoLUyjNhd3bevSxNKf4X7AD9-xj+ddkNY1bCrXnDg==",  /* urlsafe alphabet */
        "AAECAwQFBgcICQoLUyjNhd3bevSxNKf4X7AD9 xj+ddkNY1bCrXnDg==",  /* space */
        "AAECAwQFBgcICQoLUyjNhd3bevSxNKf4X7AD9+xj+ddkNY1bCrXn=g==",  /* data after '=' */
        "AAECAwQFBgcICQoLUyjNhd3bevSxNKf4X7AD9%2xj+ddkNY1bCrXnDg==", /* bad %XX */
        "AAECAwQFBgcICQoLUyjNhd3bevSxNKf4X7AD9%2Bxj+ddkNY1bCrXnDg%3", /* cut %XX */
        "AAECAwQFBgcICQoLUyjNhd3bevSxNKf4X7AD9%25xj+ddkNY1bCrXnDg==", /* %25 is '%' */
    };
    size_t i, n;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_INT_EQ(lum_cwl_decrypt(V_KEY128, bad[i], strlen(bad[i]), bin, sizeof bin, &n), LUM_ERR_INVALID_ARG);
    /* An embedded NUL within len is not base64 either. */
    CHECK_INT_EQ(lum_cwl_decrypt(V_KEY128, "AAAA\0AAA", 8, bin, sizeof bin, &n), LUM_ERR_INVALID_ARG);
}

static void bad_keys(void)
{
    static const char *const keys[] = {
        NULL, "", "AQIDBAUGBwgJCgsMDQ4P",           /* 15 bytes */
        "AQIDBAUGBwgJCgsMDQ4PEBE=",                  /* 17 bytes */
        "AQIDBAUGBwgJCgsMDQ4PEA",                    /* no padding */
        "AQIDBAUGBwgJCgsMDQ4PEA%3D%3D",              /* percent-encoded */
        "AQIDBAUGBwgJCgsMDQ4PEA==\n",                /* trailing newline */
        "_v_pkoZlcxxtao-UZzCDCP7_6ZKGZXMcbWqPlGcwgwg=", /* urlsafe alphabet */
    };
    size_t i, n;
    for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        CHECK_INT_EQ(lum_cwl_encrypt(nonce(V_NONCE_A), keys[i], (const uint8_t *)"x", 1, 0, out, sizeof out, &n),
                     LUM_ERR_INVALID_ARG);
        CHECK_INT_EQ(fx.calls, 0); /* no entropy spent on a bad key */
        CHECK_INT_EQ(lum_cwl_decrypt(keys[i], V_HELLO_KEY128, strlen(V_HELLO_KEY128), bin, sizeof bin, &n),
                     LUM_ERR_INVALID_ARG);
    }
}

static void outputs_that_do_not_fit(void)
{
    size_t n = 5, need = strlen(V_HELLO_KEY128);
    CHECK_INT_EQ(lum_cwl_encrypt(nonce(V_NONCE_A), V_KEY128, (const uint8_t *)V_HELLO_PLAIN, V_HELLO_PLAIN_LEN, 0,
                                 out, need, &n),
                 LUM_ERR_TOO_LONG);
    CHECK_STR_EQ(out, "");
    CHECK_INT_EQ(n, 0);
    CHECK_INT_EQ(lum_cwl_encrypt(nonce(V_NONCE_A), V_KEY128, (const uint8_t *)V_HELLO_PLAIN, V_HELLO_PLAIN_LEN, 0,
                                 out, need + 1, &n),
                 LUM_OK);
    CHECK_INT_EQ(lum_cwl_encrypt(nonce(V_NONCE_A), V_KEY128, (const uint8_t *)V_HELLO_PLAIN, V_HELLO_PLAIN_LEN, 0,
                                 out, 0, &n),
                 LUM_ERR_TOO_LONG);
    /* Decrypting needs plaintext + NUL. */
    CHECK_INT_EQ(lum_cwl_decrypt(V_KEY128, V_HELLO_KEY128, need, bin, V_HELLO_PLAIN_LEN, &n), LUM_ERR_TOO_LONG);
    CHECK_INT_EQ(bin[0], 0);
    CHECK_INT_EQ(lum_cwl_decrypt(V_KEY128, V_HELLO_KEY128, need, bin, 0, &n), LUM_ERR_TOO_LONG);
    CHECK_INT_EQ(lum_cwl_decrypt(V_KEY128, V_HELLO_KEY128, need, bin, V_HELLO_PLAIN_LEN + 1, &n), LUM_OK);
    CHECK_INT_EQ(lum_cwl_decrypt_json(V_KEY128, V_RESPONSE_KEY128, strlen(V_RESPONSE_KEY128), out, 40, &n),
                 LUM_ERR_TOO_LONG);
}

static void entropy_failure_and_null_arguments(void)
{
    size_t n;
    const lum_platform *p = nonce(V_NONCE_A);
    fx.fail = true;
    CHECK_INT_EQ(lum_cwl_encrypt(p, V_KEY128, (const uint8_t *)"x", 1, 0, out, sizeof out, &n), LUM_ERR_ENTROPY);
    CHECK_STR_EQ(out, "");
    CHECK_INT_EQ(lum_cwl_encrypt(NULL, V_KEY128, (const uint8_t *)"x", 1, 0, out, sizeof out, &n),
                 LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_cwl_encrypt(nonce(V_NONCE_A), V_KEY128, NULL, 1, 0, out, sizeof out, &n), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_cwl_encrypt(nonce(V_NONCE_A), V_KEY128, (const uint8_t *)"x", 1, 0, NULL, 9, &n),
                 LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_cwl_data_request_build(nonce(V_NONCE_A), V_KEY128, NULL, 0, out, sizeof out, &n),
                 LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_cwl_decrypt(V_KEY128, NULL, 0, bin, sizeof bin, &n), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_cwl_decrypt(V_KEY128, V_HELLO_KEY128, 4, NULL, 9, &n), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_cwl_response_decode(NULL, 0, NULL), LUM_ERR_INVALID_ARG);
}

int main(void)
{
    RUN("cwl", encrypt_matches_reference_aes128);
    RUN("cwl", encrypt_matches_reference_aes192_long);
    RUN("cwl", encrypt_empty_plaintext_aes256);
    RUN("cwl", request_json_is_python_json_dumps);
    RUN("cwl", data_request_matches_reference);
    RUN("cwl", data_request_escapes_like_python);
    RUN("cwl", data_request_refuses_bad_utf8);
    RUN("cwl", decrypt_reference_payloads);
    RUN("cwl", decrypt_json_undoes_the_double_encoding);
    RUN("cwl", decrypt_json_passes_single_encoded_through);
    RUN("cwl", decrypt_json_refuses_what_is_not_json);
    RUN("cwl", round_trip_every_length);
    RUN("cwl", round_trip_request_and_callback);
    RUN("cwl", callback_of_the_reference);
    RUN("cwl", callback_missing_or_repeated_parameters);
    RUN("cwl", tampered_tag_nonce_or_ciphertext_fail_authentication);
    RUN("cwl", wrong_key_fails_authentication);
    RUN("cwl", truncated_payloads);
    RUN("cwl", not_base64);
    RUN("cwl", bad_keys);
    RUN("cwl", outputs_that_do_not_fit);
    RUN("cwl", entropy_failure_and_null_arguments);
    return TESTS_DONE();
}
