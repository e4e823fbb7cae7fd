/*
 * post_jwt_auth.
 */
#include "api/call.h"
#include "api/models.h"
#include "form/form.h"
#include "lumminary/api.h"
#include "lumminary/error.h"

int lum_post_jwt_auth(lum_client *c, const char *username, const char *password, const char *role,
                      const char *x_fields, lum_javascript_web_token *out)
{
    lum_form_field fields[3] = {{"username", NULL, NULL, 0}, {"password", NULL, NULL, 0}, {"role", NULL, NULL, 0}};
    lum_form form;
    lum_http_request rq = {0};
    lum_json_target t;
    int rc;

    if (username == NULL || password == NULL || out == NULL) return LUM_ERR_INVALID_ARG;
    fields[0].value = username;
    fields[1].value = password;
    fields[2].value = role != NULL ? role : LUM_DEFAULT_ROLE;
    form.fields = fields;
    form.n_fields = 3;

    rq.method = "POST";
    rq.path = "/auth/jwt";
    rq.x_fields = x_fields;
    rq.content_type = "application/x-www-form-urlencoded";
    rq.write_body = lum_form_urlencoded_write;
    rq.body_ctx = &form;
    rq.idempotent = true; /* a second login only issues a second token */
    t = lum_target_object(&lum_model_javascript_web_token, out, x_fields);
    rc = lum_call(c, &rq, &t);
    if (rc == LUM_ERR_UNAUTHORIZED) {
        /* Wrong product credentials are not an expired token: no retry. */
        rc = LUM_ERR_AUTH;
        c->err.code = rc;
    }
    return rc;
}
