/*
 * authorization_dna_data: a dataset as 23andMe-style TSV, one row written
 * per SNP as it is decoded, so memory does not grow with the dataset.
 */
#include "lumminary/helpers.h"

#include <string.h>

#include "core/format.h"
#include "lumminary/error.h"

static const char header[] = "# rsid\tchromosome\tposition\tgenotype\n";

typedef struct export {
    lum_write_fn write;
    void *ctx;
    bool header_done;
    int err; /* why the callback stopped the download */
} export;

static int put_header(export *x)
{
    x->header_done = true;
    return x->write(x->ctx, header, sizeof header - 1) == 0 ? LUM_OK : LUM_ERR_IO;
}

static size_t append(char *line, size_t at, const char *s)
{
    size_t n = strlen(s);
    memcpy(line + at, s, n);
    return at + n;
}

static int on_snp(void *user, const lum_client_snp *snp)
{
    export *x = (export *)user;
    /* rsid, symbol, position, genotype, three tabs and the newline. */
    char line[LUM_MAX_RSID + 3 + LUM_I64_CHARS + LUM_MAX_ALLELES * LUM_MAX_ALLELE + 4];
    char symbol[3];
    size_t n;
    uint32_t i;

    if (lum_chromosome_common_symbol(snp->chromosome_accession, symbol) != LUM_OK) {
        x->err = LUM_ERR_JSON_TYPE;
        return 1;
    }
    if (!x->header_done && (x->err = put_header(x)) != LUM_OK) return 1;
    n = append(line, 0, snp->snp_id);
    line[n++] = '\t';
    n = append(line, n, symbol);
    line[n++] = '\t';
    n += lum_format_i64(line + n, snp->location);
    line[n++] = '\t';
    for (i = 0; i < snp->genotyped_alleles_count && i < LUM_MAX_ALLELES; i++)
        n = append(line, n, snp->genotyped_alleles[i]);
    line[n++] = '\n';
    if (x->write(x->ctx, line, n) != 0) {
        x->err = LUM_ERR_IO;
        return 1;
    }
    return 0;
}

int lum_authorization_dna_data(lum_client *c, const lum_authorization *a, lum_client_snp *scratch,
                               lum_write_fn write, void *ctx)
{
    export x;
    int rc;

    if (c == NULL || a == NULL || scratch == NULL || write == NULL || !(a->scopes.present & LUM_SCOPE_HAS_DATASET))
        return LUM_ERR_INVALID_ARG;
    x.write = write;
    x.ctx = ctx;
    x.header_done = false;
    x.err = LUM_OK;
    rc = lum_get_client_snp_group(c, a->client_uuid, a->scopes.dataset, NULL, scratch, on_snp, &x);
    if (rc == LUM_ERR_ABORTED && x.err != LUM_OK) {
        rc = x.err;
        c->err.code = rc;
        if (rc == LUM_ERR_JSON_TYPE) {
            c->err.model = "ClientSNP";
            c->err.field = "chromosome_accession";
        }
    }
    if (rc == LUM_OK && !x.header_done) c->err.code = rc = put_header(&x);
    return rc;
}
