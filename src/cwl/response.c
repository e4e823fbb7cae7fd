/*
 * The callback's `response` object, through the SDK's table-driven JSON
 * decoder: {"authorizationUuid": ..., "authorizationTimestamp": ...} or
 * {"error": {"id": ..., "message": ...}}.
 */
#include <stddef.h>
#include <string.h>

#include "cwl/cwl_internal.h"
#include "json/json.h"
#include "lumminary/error.h"

#define RESPONSE_TOKENS 32

/* Rows whose JSON key is not the C member's name. */
#define ROW(key, type, T, m, size) LUM_ROW(key, type, 0, offsetof(T, m), size, NULL)

typedef struct lum_cwl_error cwl_error;

static const lum_field error_fields[] = {
    ROW("id", LUM_FT_INT, cwl_error, id, 0),
    ROW("message", LUM_FT_STRING, cwl_error, message, LUM_MEMBER_SIZE(cwl_error, message)),
};
static const lum_model error_model = LUM_MODEL(cwl_error, "CWL error", error_fields);

static const lum_field response_fields[] = {
    ROW("authorizationUuid", LUM_FT_STRING, lum_cwl_response, authorization_uuid,
        LUM_MEMBER_SIZE(lum_cwl_response, authorization_uuid)),
    ROW("authorizationTimestamp", LUM_FT_INT, lum_cwl_response, authorization_timestamp, 0),
    LUM_ROW("error", LUM_FT_OBJECT, 0, offsetof(lum_cwl_response, error), 0, &error_model),
};
static const lum_model response_model = LUM_MODEL(lum_cwl_response, "CWL response", response_fields);

static int no_more(void *ctx, uint8_t *dst, size_t cap)
{
    (void)ctx;
    (void)dst;
    (void)cap;
    return 0;
}

int lum_cwl_response_decode(const char *json, size_t len, lum_cwl_response *out)
{
    struct lum_json_tok tokens[RESPONSE_TOKENS];
    lum_error_info err;
    lum_json_target t;
    int rc;

    if (out == NULL) return LUM_ERR_INVALID_ARG;
    memset(out, 0, sizeof *out);
    if (json == NULL) return LUM_ERR_INVALID_ARG;
    memset(&t, 0, sizeof t);
    memset(&err, 0, sizeof err);
    t.model = &response_model;
    t.out = out;
    /* No streamed list and the whole document given: the decoder only reads
       (see lum_credentials_parse). */
    rc = lum_json_decode(&t, (uint8_t *)(uintptr_t)json, len, len, no_more, NULL, tokens, RESPONSE_TOKENS,
                         &err);
    if (rc == LUM_ERR_BODY_TOO_LARGE) rc = LUM_ERR_JSON;
    if (rc != LUM_OK) memset(out, 0, sizeof *out);
    return rc;
}
