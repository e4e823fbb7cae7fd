/*
 * The product's side of the API: its record, its authorization queue, and
 * the results it posts (file, credentials, done, unfulfillable).
 */
#include <string.h>

#include "api/call.h"
#include "api/models.h"
#include "core/format.h"
#include "form/form.h"
#include "lumminary/api.h"
#include "lumminary/error.h"

typedef struct authorization_adapter {
    lum_authorization_cb cb;
    void *user;
} authorization_adapter;

static int on_authorization(void *user, int list, void *elem)
{
    const authorization_adapter *a = (const authorization_adapter *)user;
    (void)list;
    return a->cb(a->user, (const lum_authorization *)elem);
}

int lum_get_product(lum_client *c, const char *product_id, const char *x_fields, lum_product *out,
                    lum_rsid_cb cb, void *user)
{
    char rsid[LUM_MAX_RSID];
    lum_rsid_adapter a;
    lum_http_request rq = lum_request("GET", "/products/{}", product_id, NULL, x_fields);
    lum_json_target t;

    if (out == NULL) return LUM_ERR_INVALID_ARG;
    a.cb = cb;
    a.user = user;
    t = lum_target_object(&lum_model_product, out, x_fields);
    t.elem = rsid;
    t.elem_size = sizeof rsid;
    t.on_element = lum_on_rsid;
    t.user = &a;
    return lum_call(c, &rq, &t);
}

int lum_get_authorizations_queue(lum_client *c, const char *product_id, int64_t seq_num_start,
                                 const char *x_fields, lum_authorization *scratch,
                                 lum_authorization_cb cb, void *user)
{
    char seq[LUM_I64_CHARS];
    authorization_adapter a;
    lum_http_request rq = lum_request("GET", "/products/{}/authorizations", product_id, NULL, x_fields);
    lum_json_target t;

    if (scratch == NULL || cb == NULL) return LUM_ERR_INVALID_ARG;
    a.cb = cb;
    a.user = user;
    rq.query_name[0] = "seq_num_start";
    if (seq_num_start >= 0) {
        lum_format_i64(seq, seq_num_start);
        rq.query_value[0] = seq;
    }
    t = lum_target_list(&lum_model_authorization, scratch, x_fields, on_authorization, &a);
    return lum_call(c, &rq, &t);
}

int lum_get_product_authorization(lum_client *c, const char *product_id, const char *authorization_id,
                                  const char *x_fields, lum_authorization *out)
{
    lum_http_request rq = lum_request("GET", "/products/{}/authorizations/{}", product_id,
                                                authorization_id, x_fields);
    lum_json_target t = lum_target_object(&lum_model_authorization, out, x_fields);
    if (out == NULL) return LUM_ERR_INVALID_ARG;
    return lum_call(c, &rq, &t);
}

int lum_post_product_authorization(lum_client *c, const char *product_id, const char *authorization_id)
{
    lum_http_request rq = lum_request("POST", "/products/{}/authorizations/{}", product_id,
                                                authorization_id, NULL);
    return lum_call(c, &rq, NULL);
}

int lum_post_product_authorization_unfulfillable(lum_client *c, const char *product_id,
                                                 const char *authorization_id, const char *x_fields,
                                                 lum_authorization *out)
{
    lum_http_request rq = lum_request("POST", "/products/{}/authorizations/{}/unfulfillable",
                                                product_id, authorization_id, x_fields);
    lum_json_target t = lum_target_object(&lum_model_authorization, out, x_fields);
    /* Marking unfulfillable twice leaves the same state: safe to resend. */
    rq.idempotent = true;
    return lum_call(c, &rq, out != NULL ? &t : NULL);
}

int lum_post_authorization_result_file(lum_client *c, const char *product_id,
                                       const char *authorization_id, const lum_reader *file_report,
                                       const char *original_filename, const char *x_fields,
                                       lum_report_file *out)
{
    lum_multipart mp;
    char content_type[LUM_MULTIPART_TYPE_CAP];
    lum_http_request rq = lum_request("POST", "/products/{}/authorizations/{}/file",
                                                product_id, authorization_id, x_fields);
    lum_json_target t = lum_target_object(&lum_model_report_file, out, x_fields);
    const char *name;
    int rc;

    if (file_report == NULL || file_report->read == NULL) return LUM_ERR_INVALID_ARG;
    name = file_report->name != NULL ? file_report->name
           : original_filename != NULL ? original_filename : "report";
    rc = lum_multipart_init(&mp, c->platform, "file_report", file_report, name);
    if (rc != LUM_OK) return rc;
    lum_multipart_content_type(&mp, content_type);
    rq.query_name[0] = "original_filename";
    rq.query_value[0] = original_filename;
    rq.content_type = content_type;
    rq.write_body = lum_multipart_write;
    rq.body_ctx = &mp;
    rq.chunked_body = file_report->size < 0;
    rq.rewind = lum_multipart_rewind;
    return lum_call(c, &rq, out != NULL ? &t : NULL);
}

int lum_post_authorization_result_credentials(lum_client *c, const char *product_id,
                                              const char *authorization_id,
                                              const char *credentials_username,
                                              const char *credentials_password,
                                              const char *report_url, const char *x_fields,
                                              lum_report_credentials *out)
{
    lum_form_field fields[3] = {{"credentials_username", NULL, NULL, 0},
                                {"credentials_password", NULL, NULL, 0},
                                {"report_url", NULL, NULL, 0}};
    lum_form form;
    lum_http_request rq = lum_request("POST", "/products/{}/authorizations/{}/credentials",
                                                product_id, authorization_id, x_fields);
    lum_json_target t = lum_target_object(&lum_model_report_credentials, out, x_fields);

    fields[0].value = credentials_username;
    fields[1].value = credentials_password;
    fields[2].value = report_url;
    form.fields = fields;
    form.n_fields = 3;
    rq.content_type = "application/x-www-form-urlencoded";
    rq.write_body = lum_form_urlencoded_write;
    rq.body_ctx = &form;
    return lum_call(c, &rq, out != NULL ? &t : NULL);
}
