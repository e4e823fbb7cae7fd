/*
 * cwl-encrypt and cwl-decrypt: "Connect with Lumminary" payloads
 * (lumminary/cwl.h), wire compatible with the reference Python client.
 * No API call, no credentials: only the partner's CWL key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lum_posix.h"

#define CWL_BUF (256 * 1024)

static char text[CWL_BUF], result[CWL_BUF], request[CWL_BUF], response[CWL_BUF];

static const char *cwl_key(const cli *c)
{
    const char *k = c->o.key != NULL ? c->o.key : getenv("LUMMINARY_CWL_KEY");
    return k != NULL && k[0] != '\0' ? k : NULL;
}

static int cwl_error(const cli *c, int rc)
{
    const char *why = lum_strerror(rc);
    if (rc == LUM_ERR_INVALID_ARG) why = "invalid argument (a key that is not base64 of 16, 24 or 32 bytes, "
                                         "or a payload that is not base64 or too short)";
    fprintf(stderr, "lumminary: %s: %s\n", c->cmd->name, why);
    switch (rc) {
    case LUM_ERR_DECRYPT: return EXIT_DECRYPT;
    case LUM_ERR_INVALID_ARG: return EXIT_USAGE;
    case LUM_ERR_JSON: return EXIT_PROTOCOL;
    default: return EXIT_OTHER;
    }
}

int op_cwl_encrypt(cli *c)
{
    const char *key = cwl_key(c);
    static lum_platform platform;
    const char *json;
    size_t len, n;
    int rc;

    if (key == NULL) return cli_usage_error(c, "the CWL key is required: --key B64 or LUMMINARY_CWL_KEY");
    lum_posix_platform_init(&platform);
    if (c->o.nargs == 1) {
        if (c->o.scopes != NULL || c->o.product_uuid != NULL || c->o.n_custom > 0)
            return cli_usage_error(c, "give the request as JSON or with --scopes/--product-uuid, not both");
        json = c->o.args[0];
        len = strlen(json);
    } else {
        lum_cwl_request r;
        if (c->o.raw) return cli_usage_error(c, "--raw encrypts the TEXT argument: give one");
        if (c->o.scopes == NULL || c->o.product_uuid == NULL)
            return cli_usage_error(c, "give the request as JSON, or --scopes and --product-uuid");
        r.scopes = c->o.scopes;
        r.product_uuid = c->o.product_uuid;
        r.custom = c->o.custom;
        r.n_custom = c->o.n_custom;
        rc = lum_cwl_request_json(&r, text, sizeof text, &len);
        if (rc != LUM_OK) return cwl_error(c, rc);
        json = text;
    }
    if (c->o.raw)
        rc = lum_cwl_encrypt(&platform, key, (const uint8_t *)json, len, 0, result, sizeof result, &n);
    else
        rc = lum_cwl_data_request_build(&platform, key, json, len, result, sizeof result, &n);
    if (rc != LUM_OK) return cwl_error(c, rc);
    out_mem(result, n);
    out_mem("\n", 1);
    return out_finish();
}

/* Whether the query (or URL) q has a parameter `name`. */
static bool has_param(const char *q, const char *name)
{
    size_t n = strlen(name);
    const char *p = strchr(q, '?');
    p = p != NULL ? p + 1 : q;
    while (p != NULL && *p != '\0' && *p != '#') {
        if (strncmp(p, name, n) == 0 && p[n] == '=') return true;
        p = strchr(p, '&');
        if (p != NULL) p++;
    }
    return false;
}

int op_cwl_decrypt(cli *c)
{
    const char *key = cwl_key(c), *in = c->o.args[0];
    bool want_req = has_param(in, "request"), want_rsp = has_param(in, "response");
    size_t n;
    int rc;

    if (key == NULL) return cli_usage_error(c, "the CWL key is required: --key B64 or LUMMINARY_CWL_KEY");
    if (!want_req && !want_rsp) {
        if (strchr(in, '?') != NULL)
            return cli_usage_error(c, "a callback URL without a request or response parameter");
        /* One payload. */
        if (c->o.raw) {
            rc = lum_cwl_decrypt(key, in, strlen(in), (uint8_t *)result, sizeof result, &n);
            if (rc != LUM_OK) return cwl_error(c, rc);
            out_mem(result, n);
            return out_finish();
        }
        rc = lum_cwl_decrypt_json(key, in, strlen(in), result, sizeof result, &n);
        if (rc != LUM_OK) return cwl_error(c, rc);
        out_mem(result, n);
        out_mem("\n", 1);
        return out_finish();
    }
    if (c->o.raw) return cli_usage_error(c, "--raw takes one payload, not a callback URL");
    rc = lum_cwl_callback_extract(key, in, want_req ? request : NULL, sizeof request, NULL,
                                  want_rsp ? response : NULL, sizeof response, NULL);
    if (rc != LUM_OK) return cwl_error(c, rc);
    /* The reference's cwl_url_query_extract result: {"request": ..., "response": ...}. */
    out_str("{");
    if (want_req) {
        out_str("\"request\":");
        out_str(request);
    }
    if (want_rsp) {
        out_str(want_req ? ",\"response\":" : "\"response\":");
        out_str(response);
    }
    out_str("}\n");
    return out_finish();
}
