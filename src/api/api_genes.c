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

int lum_get_client_gene(lum_client *c, const char *client_id, const char *dataset_id,
                        const char *gene_symbol, const char *x_fields, lum_client_gene *out,
                        lum_client_snp *scratch, lum_client_snp_cb cb, void *user)
{
    lum_snp_adapter a;
    lum_http_request rq = lum_request("GET", "/clients/{}/datasets/{}/genes/{}", client_id, dataset_id, x_fields);
    lum_json_target t;

    if (out == NULL || scratch == NULL) return LUM_ERR_INVALID_ARG;
    a.cb = cb;
    a.user = user;
    rq.path_args[2] = gene_symbol;
    t = lum_target_object(&lum_model_client_gene, out, x_fields);
    t.elem_model = &lum_model_client_snp;
    t.elem = scratch;
    t.elem_size = sizeof *scratch;
    t.on_element = lum_on_snp;
    t.user = &a;
    return lum_call(c, &rq, &t);
}

int lum_get_gene(lum_client *c, const char *database_name, const char *accession, int32_t dbsnp_build,
                 const char *reference_genome, const char *x_fields, lum_public_gene *out,
                 lum_rsid_cb cb, void *user)
{
    char rsid[LUM_MAX_RSID], build[LUM_I64_CHARS];
    lum_rsid_adapter a;
    lum_http_request rq = lum_request("GET", "/reference/genes/databases/{}/accessions/{}", database_name, accession,
                                      x_fields);
    lum_json_target t;

    if (out == NULL) return LUM_ERR_INVALID_ARG;
    a.cb = cb;
    a.user = user;
    rq.query_name[0] = "dbsnp_build";
    if (dbsnp_build != 0) {
        lum_format_i64(build, dbsnp_build);
        rq.query_value[0] = build;
    }
    rq.query_name[1] = "reference_genome";
    rq.query_value[1] = reference_genome;
    t = lum_target_object(&lum_model_public_gene, out, x_fields);
    t.elem = rsid;
    t.elem_size = sizeof rsid;
    t.on_element = lum_on_rsid;
    t.user = &a;
    return lum_call(c, &rq, &t);
}
