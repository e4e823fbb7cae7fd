/*
 * Credentials files (lumminary/credentials.h): both spellings of the
 * reference client's keys, defaults, every refusal with the key at fault,
 * and API base URLs taken apart.
 */
#include <string.h>

#include "lumminary.h"
#include "lumminary/credentials.h"
#include "testlib.h"

static lum_credentials cr;

static int parse(const char *json)
{
    return lum_credentials_parse(json, strlen(json), &cr);
}

static void guide_env_json(void)
{
    lum_client_config cfg;
    CHECK_INT_EQ(parse("{\n    \"login\": \"ef876efe-2080-4359-b7db-6407090aca55\",\n"
                       "    \"api_key\": \"8frHm7VLIp+mVVlggQ39DKxeb3dgok8mXqazjPNOrMnb++UAR4zQlQi\\/cgN\\/dQ4=\",\n"
                       "    \"role\": \"role_product\",\n"
                       "    \"host\": \"https://sandbox-api.lumminary.com/v1\"\n}\n"),
                 LUM_OK);
    CHECK_STR_EQ(cr.product_uuid, "ef876efe-2080-4359-b7db-6407090aca55");
    CHECK_STR_EQ(cr.api_key, "8frHm7VLIp+mVVlggQ39DKxeb3dgok8mXqazjPNOrMnb++UAR4zQlQi/cgN/dQ4=");
    CHECK_STR_EQ(cr.role, "role_product");
    CHECK_STR_EQ(cr.url, "https://sandbox-api.lumminary.com/v1");
    CHECK(cr.url_given);
    CHECK_INT_EQ(cr.api.scheme, LUM_SCHEME_HTTPS);
    CHECK_STR_EQ(cr.api.host, "sandbox-api.lumminary.com");
    CHECK_INT_EQ(cr.api.port, 443);
    CHECK_STR_EQ(cr.api.base_path, "/v1");
    CHECK(cr.error_key == NULL);

    memset(&cfg, 0, sizeof cfg);
    cfg.io_timeout_ms = 1234;
    lum_credentials_client_config(&cr, &cfg);
    CHECK_STR_EQ(cfg.host, "sandbox-api.lumminary.com");
    CHECK_INT_EQ(cfg.port, 443);
    CHECK_STR_EQ(cfg.base_path, "/v1");
    CHECK_STR_EQ(cfg.product_uuid, cr.product_uuid);
    CHECK_STR_EQ(cfg.api_key, cr.api_key);
    CHECK_STR_EQ(cfg.role, "role_product");
    CHECK_INT_EQ(cfg.io_timeout_ms, 1234);
}

static void later_spelling_and_defaults(void)
{
    /* The reference toolkit's config: other keys are ignored, nested ones too. */
    CHECK_INT_EQ(parse("{\"api_key\": \"k\", \"product_uuid\": \"p\", \"output_root\": \"/tmp\","
                       " \"export_handler\": \"export_handler_tsv\", \"optional\": {\"a\": [1, {\"b\": null}]},"
                       " \"operations\": [\"pull_datasets\"]}"),
                 LUM_OK);
    CHECK_STR_EQ(cr.product_uuid, "p");
    CHECK_STR_EQ(cr.role, "role_product");
    CHECK(!cr.url_given);
    CHECK_STR_EQ(cr.url, LUM_DEFAULT_API_URL);
    CHECK_STR_EQ(cr.api.host, "api.lumminary.com");
    CHECK_STR_EQ(cr.api.base_path, "/v1");

    CHECK_INT_EQ(parse("{\"product_uuid\": \"p\", \"api_key\": \"k\", \"api_host\": \"http://127.0.0.1:8080/v1/\"}"),
                 LUM_OK);
    CHECK_INT_EQ(cr.api.scheme, LUM_SCHEME_HTTP);
    CHECK_STR_EQ(cr.api.host, "127.0.0.1");
    CHECK_INT_EQ(cr.api.port, 8080);
    CHECK_STR_EQ(cr.api.base_path, "/v1");
    CHECK_STR_EQ(cr.url, "http://127.0.0.1:8080/v1/");

    /* Both spellings with one value are fine; null reads as absent. */
    CHECK_INT_EQ(parse("{\"login\": \"p\", \"product_uuid\": \"p\", \"api_key\": \"k\", \"host\": null,"
                       " \"api_host\": \"https://h\", \"role\": null}"),
                 LUM_OK);
    CHECK_STR_EQ(cr.api.host, "h");
    CHECK_STR_EQ(cr.api.base_path, "");
    CHECK_STR_EQ(cr.role, "role_product");
    /* Escapes and non-ASCII come out as UTF-8. */
    CHECK_INT_EQ(parse("{\"login\": \"\\u00e9t\\u00e9\", \"api_key\": \"caf\303\251\"}"), LUM_OK);
    CHECK_STR_EQ(cr.product_uuid, "\303\251t\303\251");
    CHECK_STR_EQ(cr.api_key, "caf\303\251");
}

static void check_fails(const char *json, int rc, const char *key)
{
    tl_failed_here = 0;
    if (lum_credentials_parse(json, strlen(json), &cr) != rc) {
        snprintf(tl_why, sizeof tl_why, "%s: got %d, want %d", json, lum_credentials_parse(json, strlen(json), &cr),
                 rc);
        tl_failed_here = 1;
        return;
    }
    if (key == NULL ? cr.error_key != NULL : (cr.error_key == NULL || strcmp(cr.error_key, key) != 0)) {
        snprintf(tl_why, sizeof tl_why, "%s: error_key %s, want %s", json, cr.error_key ? cr.error_key : "NULL",
                 key ? key : "NULL");
        tl_failed_here = 1;
        return;
    }
    if (cr.product_uuid[0] != '\0' || cr.api_key[0] != '\0') {
        snprintf(tl_why, sizeof tl_why, "%s: fields left filled after a failure", json);
        tl_failed_here = 1;
    }
}

#define FAILS(json, rc, key)                  \
    do {                                      \
        check_fails(json, rc, key);           \
        if (tl_failed_here) return;           \
    } while (0)

static void refusals_name_the_key(void)
{
    char big[400];
    FAILS("", LUM_ERR_JSON, NULL);
    FAILS("   ", LUM_ERR_JSON, NULL);
    FAILS("{\"login\": \"p\", \"api_key\": \"k\"", LUM_ERR_JSON, NULL);
    FAILS("{\"login\": \"p\", \"api_key\": \"k\"} x", LUM_ERR_JSON, NULL);
    FAILS("[\"login\"]", LUM_ERR_JSON_TYPE, NULL);
    FAILS("{\"api_key\": \"k\"}", LUM_ERR_JSON_MISSING, "product_uuid");
    FAILS("{\"login\": \"p\"}", LUM_ERR_JSON_MISSING, "api_key");
    FAILS("{\"login\": null, \"api_key\": \"k\"}", LUM_ERR_JSON_MISSING, "product_uuid");
    FAILS("{\"login\": 42, \"api_key\": \"k\"}", LUM_ERR_JSON_TYPE, "login");
    FAILS("{\"login\": \"p\", \"api_key\": [\"k\"]}", LUM_ERR_JSON_TYPE, "api_key");
    FAILS("{\"login\": \"p\", \"api_key\": \"k\", \"host\": true}", LUM_ERR_JSON_TYPE, "host");
    FAILS("{\"login\": \"p\", \"api_key\": \"k\\q\"}", LUM_ERR_JSON, NULL); /* jsmn's strict mode */
    FAILS("{\"login\": \"p\", \"api_key\": \"k\\u0000\"}", LUM_ERR_JSON_TYPE, "api_key");
    FAILS("{\"login\": \"\", \"api_key\": \"k\"}", LUM_ERR_INVALID_ARG, "login");
    FAILS("{\"login\": \"p\", \"api_key\": \"\"}", LUM_ERR_INVALID_ARG, "api_key");
    FAILS("{\"login\": \"p\", \"api_key\": \"k\\r\\nX-Evil: 1\"}", LUM_ERR_INVALID_ARG, "api_key");
    FAILS("{\"login\": \"p\", \"api_key\": \"k\", \"role\": \"\"}", LUM_ERR_INVALID_ARG, "role");
    FAILS("{\"login\": \"p\", \"product_uuid\": \"q\", \"api_key\": \"k\"}", LUM_ERR_INVALID_ARG,
          "login/product_uuid");
    FAILS("{\"login\": \"p\", \"api_key\": \"k\", \"host\": \"https://a\", \"api_host\": \"https://b\"}",
          LUM_ERR_INVALID_ARG, "host/api_host");
    FAILS("{\"login\": \"p\", \"api_key\": \"k\", \"host\": \"api.lumminary.com\"}", LUM_ERR_INVALID_ARG, "host");
    FAILS("{\"login\": \"p\", \"api_key\": \"k\", \"api_host\": \"ftp://h/v1\"}", LUM_ERR_INVALID_ARG, "api_host");
    FAILS("{\"login\": \"p\", \"api_key\": \"k\", \"role\": \"role_product_with_a_name_too_long\"}",
          LUM_ERR_TOO_LONG, "role");
    FAILS("{\"login\": \"0123456789012345678901234567890123456789012345678\", \"api_key\": \"k\"}",
          LUM_ERR_TOO_LONG, "login");
    /* More tokens than LUM_CREDENTIALS_MAX_TOKENS. */
    strcpy(big, "{\"login\": \"p\", \"api_key\": \"k\", \"x\": [");
    while (strlen(big) < sizeof big - 8) strcat(big, "1,");
    strcat(big, "1]}");
    FAILS(big, LUM_ERR_JSON_TOKENS, NULL);
    CHECK_INT_EQ(lum_credentials_parse(NULL, 0, &cr), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_credentials_parse("{}", 2, NULL), LUM_ERR_INVALID_ARG);
}

static void input_is_only_read(void)
{
    /* The decoder gets the caller's bytes: they must come back untouched,
       also when the buffer is not NUL-terminated (len stops it). */
    static const char doc[] = "{\"login\": \"p\", \"api_key\": \"k\", \"host\": \"https://h:1/a\"}GARBAGE";
    char copy[sizeof doc];
    memcpy(copy, doc, sizeof doc);
    CHECK_INT_EQ(lum_credentials_parse(copy, sizeof doc - 8, &cr), LUM_OK);
    CHECK_MEM_EQ(copy, sizeof copy, doc, sizeof doc);
    CHECK_INT_EQ(cr.api.port, 1);
    CHECK_STR_EQ(cr.api.base_path, "/a");
}

/* ------------------------------------------------------------------ URLs */

static lum_url u;

static int url(const char *s)
{
    return lum_url_parse(s, strlen(s), &u);
}

static void urls_taken_apart(void)
{
    CHECK_INT_EQ(url("https://api.lumminary.com/v1"), LUM_OK);
    CHECK_INT_EQ(u.scheme, LUM_SCHEME_HTTPS);
    CHECK_STR_EQ(u.host, "api.lumminary.com");
    CHECK_INT_EQ(u.port, 443);
    CHECK_STR_EQ(u.base_path, "/v1");

    CHECK_INT_EQ(url("HTTP://Example.COM"), LUM_OK);
    CHECK_INT_EQ(u.scheme, LUM_SCHEME_HTTP);
    CHECK_STR_EQ(u.host, "Example.COM");
    CHECK_INT_EQ(u.port, 80);
    CHECK_STR_EQ(u.base_path, "");

    CHECK_INT_EQ(url("https://[::1]:8443/api//v1"), LUM_ERR_INVALID_ARG); /* an empty segment inside */
    CHECK_INT_EQ(url("https://[::1]:8443/api/v1//"), LUM_OK);               /* trailing slashes go */
    CHECK_STR_EQ(u.host, "::1");
    CHECK_INT_EQ(u.port, 8443);
    CHECK_STR_EQ(u.base_path, "/api/v1");

    CHECK_INT_EQ(url("https://[2001:db8::a:1]"), LUM_OK);
    CHECK_STR_EQ(u.host, "2001:db8::a:1");
    CHECK_INT_EQ(url("https://h:65535/"), LUM_OK);
    CHECK_INT_EQ(u.port, 65535);
    CHECK_STR_EQ(u.base_path, "");
    CHECK_INT_EQ(url("https://h_1.example/a%2Fb/~x;y=1"), LUM_OK);
    CHECK_STR_EQ(u.base_path, "/a%2Fb/~x;y=1");
    CHECK_INT_EQ(url("http://10.0.0.1:80/v1"), LUM_OK);
    CHECK_INT_EQ(u.port, 80);
}

static void urls_refused(void)
{
    static const char *const bad[] = {
        "", "api.lumminary.com/v1", "//api.lumminary.com", "ftp://h", "https:/h", "https://", "https:///v1",
        "https://user@h/v1", "https://user:pw@h", "https://h:/v1", "https://h:0", "https://h:65536",
        "https://h:12a", "https://h:123456", "https://h/v1?x=1", "https://h?x", "https://h#f", "https://h/v 1",
        "https://h/v1\r\nX: y", "https://h/\303\251", "https://h/%zz", "https://h/%4", "https://h ost",
        "https://h\"", "https://[::1", "https://[::1]x", "https://[1.2.3.4]", "https://[fe80::1%25eth0]",
        "https://[]", "https://h/a\\b", "https://h//v1"};
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = url(bad[i]);
        if (rc != LUM_ERR_INVALID_ARG) TL_FAIL("\"%s\": %d, want LUM_ERR_INVALID_ARG", bad[i], rc);
        if (u.host[0] != '\0' || u.port != 0) TL_FAIL("\"%s\": output left filled", bad[i]);
    }
    {
        char longhost[LUM_MAX_HOST + 16], longpath[LUM_MAX_BASE_PATH + 16];
        memset(longhost, 'a', sizeof longhost);
        memcpy(longhost, "https://", 8);
        CHECK_INT_EQ(lum_url_parse(longhost, 8 + LUM_MAX_HOST, &u), LUM_ERR_TOO_LONG);
        CHECK_INT_EQ(lum_url_parse(longhost, 8 + LUM_MAX_HOST - 1, &u), LUM_OK);
        memset(longpath, 'p', sizeof longpath);
        memcpy(longpath, "http://h/", 9);
        CHECK_INT_EQ(lum_url_parse(longpath, 8 + LUM_MAX_BASE_PATH, &u), LUM_ERR_TOO_LONG);
        CHECK_INT_EQ(lum_url_parse(longpath, 8 + LUM_MAX_BASE_PATH - 1, &u), LUM_OK);
    }
    CHECK_INT_EQ(lum_url_parse(NULL, 0, &u), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_url_parse("https://h", 9, NULL), LUM_ERR_INVALID_ARG);
}

int main(void)
{
    RUN("credentials", guide_env_json);
    RUN("credentials", later_spelling_and_defaults);
    RUN("credentials", refusals_name_the_key);
    RUN("credentials", input_is_only_read);
    RUN("credentials", urls_taken_apart);
    RUN("credentials", urls_refused);
    return TESTS_DONE();
}
