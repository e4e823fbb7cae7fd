/*
 * JWT lifecycle: obtain with post_jwt_auth, re-issue before expiry.
 */
#include "auth/auth.h"

#include "http/http.h"
#include "lumminary/api.h"
#include "lumminary/error.h"

/* The token goes into an Authorization header: visible ASCII only. */
static bool token_usable(const char *t)
{
    if (*t == '\0') return false;
    for (; *t != '\0'; t++)
        if ((unsigned char)*t <= 0x20 || (unsigned char)*t >= 0x7f) return false;
    return true;
}

int lum_auth_ensure(lum_client *c)
{
    uint32_t started;
    int rc;

    if (c->has_jwt && lum_conn_elapsed(c, c->jwt_issued_ms) + c->token_margin_ms < c->token_lifetime_ms)
        return LUM_OK;
    if (c->product_uuid[0] == '\0' || c->api_key[0] == '\0') return LUM_ERR_INVALID_ARG;
    c->has_jwt = false;
    started = c->platform->now_ms(c->platform->ctx);
    rc = lum_post_jwt_auth(c, c->product_uuid, c->api_key, c->role, NULL, &c->jwt);
    if (rc != LUM_OK) return rc;
    if (!token_usable(c->jwt.access_token)) return LUM_ERR_PROTOCOL;
    c->has_jwt = true;
    c->jwt_issued_ms = started;
    return LUM_OK;
}

void lum_auth_invalidate(lum_client *c)
{
    c->has_jwt = false;
}
