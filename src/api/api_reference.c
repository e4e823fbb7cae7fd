/*
 * Reference data: SNPs, genome builds, their chromosomes and sequences.
 */
#include <string.h>

#include "api/call.h"
#include "api/models.h"
#include "core/format.h"
#include "lumminary/api.h"
#include "lumminary/error.h"

int lum_get_reference_snp(lum_client *c, const char *snp_accession, int32_t dbsnp_version,
                          const char *grch_version, const char *x_fields, lum_public_snp *out)
{
    char version[LUM_I64_CHARS];
    lum_http_request rq = lum_request("GET", "/reference/snps/{}", NULL, NULL, x_fields);
    lum_json_target t = lum_target_object(&lum_model_public_snp, out, x_fields);

    if (out == NULL) return LUM_ERR_INVALID_ARG;
    rq.path_args[0] = snp_accession;
    rq.query_name[0] = "dbsnp_version";
    if (dbsnp_version != 0) {
        lum_format_i64(version, dbsnp_version);
        rq.query_value[0] = version;
    }
    rq.query_name[1] = "grch_version";
    rq.query_value[1] = grch_version;
    return lum_call(c, &rq, &t);
}

typedef struct overview_adapter {
    lum_reference_overview_cb cb;
    void *user;
} overview_adapter;

static int on_overview(void *user, int list, void *elem)
{
    const overview_adapter *a = (const overview_adapter *)user;
    (void)list;
    return a->cb(a->user, (const lum_reference_overview *)elem);
}

static int overview_list(lum_client *c, lum_http_request *rq, const lum_model *m, const char *x_fields,
                         lum_reference_overview *scratch, lum_reference_overview_cb cb, void *user)
{
    overview_adapter a;
    lum_json_target t;
    if (scratch == NULL || cb == NULL) return LUM_ERR_INVALID_ARG;
    a.cb = cb;
    a.user = user;
    t = lum_target_list(m, scratch, x_fields, on_overview, &a);
    return lum_call(c, rq, &t);
}

int lum_get_reference_genomes_group(lum_client *c, const char *x_fields, lum_reference_overview *scratch,
                                    lum_reference_overview_cb cb, void *user)
{
    lum_http_request rq = lum_request("GET", "/reference/genomes/", NULL, NULL, x_fields);
    return overview_list(c, &rq, &lum_model_reference_overview, x_fields, scratch, cb, user);
}

int lum_get_reference_genome(lum_client *c, const char *genome_build_accession, const char *x_fields,
                             lum_reference_overview *scratch, lum_reference_overview_cb cb, void *user)
{
    lum_http_request rq = lum_request("GET", "/reference/genomes/{}/chromosomes", NULL, NULL, x_fields);
    rq.path_args[0] = genome_build_accession;
    return overview_list(c, &rq, &lum_model_reference_chromosome_overview, x_fields, scratch, cb, user);
}

int lum_get_reference_chromosome(lum_client *c, const char *genome_build_accession,
                                 const char *chromosome_accession, int64_t range_start,
                                 int64_t range_stop, const char *x_fields, lum_sequence_cb on_bases,
                                 void *user)
{
    char start[LUM_I64_CHARS], stop[LUM_I64_CHARS];
    lum_reference_sequence seq;
    lum_http_request rq = lum_request("GET", "/reference/genomes/{}/chromosomes/{}", NULL, NULL, x_fields);
    /* The sequence is streamed by its own scanner, never held whole. */
    lum_json_target t = lum_target_object(&lum_model_reference_sequence, &seq, x_fields);

    if (on_bases == NULL) return LUM_ERR_INVALID_ARG;
    rq.path_args[0] = genome_build_accession;
    rq.path_args[1] = chromosome_accession;
    lum_format_i64(start, range_start);
    lum_format_i64(stop, range_stop);
    rq.query_name[0] = "range_start";
    rq.query_value[0] = start;
    rq.query_name[1] = "range_stop";
    rq.query_value[1] = stop;
    t.decode = lum_json_decode_text;
    t.on_text = on_bases;
    t.user = user;
    return lum_call(c, &rq, &t);
}

typedef struct into_buffer {
    char *out;
    size_t cap, len;
    bool overflow;
} into_buffer;

static int append(void *user, const char *bases, size_t n)
{
    into_buffer *b = (into_buffer *)user;
    if (n >= b->cap - b->len) { /* the NUL needs a byte too */
        b->overflow = true;
        return 1;
    }
    memcpy(b->out + b->len, bases, n);
    b->len += n;
    return 0;
}

int lum_get_reference_chromosome_into(lum_client *c, const char *genome_build_accession,
                                      const char *chromosome_accession, int64_t range_start,
                                      int64_t range_stop, const char *x_fields, char *out, size_t cap,
                                      size_t *len)
{
    into_buffer b;
    int rc;

    if (len != NULL) *len = 0;
    if (out == NULL || cap == 0) return LUM_ERR_INVALID_ARG;
    b.out = out;
    b.cap = cap;
    b.len = 0;
    b.overflow = false;
    rc = lum_get_reference_chromosome(c, genome_build_accession, chromosome_accession, range_start,
                                      range_stop, x_fields, append, &b);
    if (rc == LUM_ERR_ABORTED && b.overflow) {
        rc = LUM_ERR_TOO_LONG;
        c->err.code = rc;
        c->err.model = lum_model_reference_sequence.name;
        c->err.field = lum_model_reference_sequence.fields[0].key;
    }
    if (rc != LUM_OK) {
        out[0] = '\0';
        return rc;
    }
    out[b.len] = '\0';
    if (len != NULL) *len = b.len;
    return LUM_OK;
}
