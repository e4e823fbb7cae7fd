/*
 * Genes: a customer's SNPs within a gene (get_client_gene), and the
 * reference record of a gene (get_gene).
 */
#include <string.h>

#include "api/call.h"
#include "api/models.h"
#include "core/format.h"
#include "lumminary/api.h"
#include "lumminary/error.h"

typedef struct snp_adapter {
    lum_client_snp_cb cb;
    void *user;
} snp_adapter;

static int on_snp(void *user, int list, void *elem)
{
    const snp_adapter *a = (const snp_adapter *)user;
    (void)list;
    return a->cb != NULL ? a->cb(a->user, (const lum_client_snp *)elem) : 0;
}

typedef struct rsid_adapter {
    lum_rsid_cb cb;
    void *user;
} rsid_adapter;

static int on_rsid(void *user, int list, void *elem)
{
    const rsid_adapter *a = (const rsid_adapter *)user;
    return a->cb != NULL ? a->cb(a->user, list, (const char *)elem) : 0;
}

int lum_get_client_gene(lum_client *c, const char *client_id, const char *dataset_id,
                        const char *gene_symbol, const char *x_fields, lum_client_gene *out,
                        lum_client_snp *scratch, lum_client_snp_cb cb, void *user)
{
    snp_adapter a;
    lum_http_request rq;
    lum_json_target t;

    if (out == NULL || scratch == NULL) return LUM_ERR_INVALID_ARG;
    a.cb = cb;
    a.user = user;
    memset(&rq, 0, sizeof rq);
    rq.method = "GET";
    rq.path = "/clients/{}/datasets/{}/genes/{}";
    rq.path_args[0] = client_id;
    rq.path_args[1] = dataset_id;
    rq.path_args[2] = gene_symbol;
    rq.x_fields = x_fields;
    rq.authenticated = true;
    rq.idempotent = true;
    t = lum_target_object(&lum_model_client_gene, out, x_fields);
    t.elem_model = &lum_model_client_snp;
    t.elem = scratch;
    t.elem_size = sizeof *scratch;
    t.on_element = on_snp;
    t.user = &a;
    return lum_call(c, &rq, &t);
}

int lum_get_gene(lum_client *c, const char *database_name, const char *accession, int32_t dbsnp_build,
                 const char *reference_genome, const char *x_fields, lum_public_gene *out,
                 lum_rsid_cb cb, void *user)
{
    char rsid[LUM_MAX_RSID], build[LUM_I64_CHARS];
    rsid_adapter a;
    lum_http_request rq;
    lum_json_target t;

    if (out == NULL) return LUM_ERR_INVALID_ARG;
    a.cb = cb;
    a.user = user;
    memset(&rq, 0, sizeof rq);
    rq.method = "GET";
    rq.path = "/reference/genes/databases/{}/accessions/{}";
    rq.path_args[0] = database_name;
    rq.path_args[1] = accession;
    rq.query_name[0] = "dbsnp_build";
    if (dbsnp_build != 0) {
        lum_format_i64(build, dbsnp_build);
        rq.query_value[0] = build;
    }
    rq.query_name[1] = "reference_genome";
    rq.query_value[1] = reference_genome;
    rq.x_fields = x_fields;
    rq.authenticated = true;
    rq.idempotent = true;
    t = lum_target_object(&lum_model_public_gene, out, x_fields);
    t.elem = rsid;
    t.elem_size = sizeof rsid;
    t.on_element = on_rsid;
    t.user = &a;
    return lum_call(c, &rq, &t);
}
