/*
 * A customer's genotypes, as far as the product is authorized to read them.
 */
#include <string.h>

#include "api/call.h"
#include "api/models.h"
#include "form/form.h"
#include "lumminary/api.h"
#include "lumminary/error.h"

/* Reading, even by POST: always safe to resend. */
static lum_http_request snps_request(const char *method, const char *client_id, const char *dataset_id,
                                     const char *x_fields)
{
    lum_http_request rq = lum_request(method, "/clients/{}/datasets/{}/snps/", client_id, dataset_id, x_fields);
    rq.idempotent = true;
    return rq;
}

int lum_get_client_snp(lum_client *c, const char *client_id, const char *dataset_id,
                       const char *snp_id, const char *x_fields, lum_client_snp *out)
{
    lum_http_request rq = snps_request("GET", client_id, dataset_id, x_fields);
    lum_json_target t = lum_target_object(&lum_model_client_snp, out, x_fields);
    if (out == NULL) return LUM_ERR_INVALID_ARG;
    rq.path = "/clients/{}/datasets/{}/snps/{}";
    rq.path_args[2] = snp_id;
    return lum_call(c, &rq, &t);
}

int lum_get_client_snp_group(lum_client *c, const char *client_id, const char *dataset_id,
                             const char *x_fields, lum_client_snp *scratch, lum_client_snp_cb cb,
                             void *user)
{
    lum_snp_adapter a;
    lum_http_request rq = snps_request("GET", client_id, dataset_id, x_fields);
    lum_json_target t;
    if (scratch == NULL || cb == NULL) return LUM_ERR_INVALID_ARG;
    a.cb = cb;
    a.user = user;
    t = lum_target_list(&lum_model_client_snp, scratch, x_fields, lum_on_snp, &a);
    return lum_call(c, &rq, &t);
}

int lum_post_client_snp_group(lum_client *c, const char *client_id, const char *dataset_id,
                              const char *const *snps, size_t n_snps, const char *x_fields,
                              lum_client_snp *scratch, lum_client_snp_cb cb, void *user)
{
    lum_snp_adapter a;
    lum_form_field field = {"snps", NULL, NULL, 0};
    lum_form form;
    lum_http_request rq = snps_request("POST", client_id, dataset_id, x_fields);
    lum_json_target t;
    size_t i;

    if (scratch == NULL || cb == NULL || (snps == NULL && n_snps > 0)) return LUM_ERR_INVALID_ARG;
    for (i = 0; i < n_snps; i++)
        if (snps[i] == NULL) return LUM_ERR_INVALID_ARG;
    a.cb = cb;
    a.user = user;
    field.items = snps != NULL ? snps : (const char *const *)&field.name; /* n_snps 0: "[]" */
    field.n_items = n_snps;
    form.fields = &field;
    form.n_fields = 1;
    rq.content_type = "application/x-www-form-urlencoded";
    rq.write_body = lum_form_urlencoded_write;
    rq.body_ctx = &form;
    t = lum_target_list(&lum_model_client_snp, scratch, x_fields, lum_on_snp, &a);
    return lum_call(c, &rq, &t);
}
