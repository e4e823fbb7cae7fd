/*
 * The six operations added last (genes and reference data): the exact bytes
 * each one sends (path parameters percent-encoded, optional query
 * parameters present or left out, X-Fields) and what it decodes, through
 * the scripted transport.
 */
#include <stdlib.h>
#include <string.h>

#include "support/fixture.h"
#include "testlib.h"

static script s;
static lum_client c;
static uint8_t buf[2048];

#define HEAD_END                     \
    " HTTP/1.1\r\n"                  \
    "Host: api.example\r\n"          \
    "User-Agent: lumminary-c/0.1\r\n" \
    "Accept: application/json\r\n"   \
    "Authorization: Bearer " FX_TOKEN "\r\n"

/* A client whose first connection answers the login, then `body`. */
static void serve(const char *body)
{
    script_conn *conn;
    fx_client(&s, &c, buf, sizeof buf, NULL);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    script_add_text(conn, body);
}

/* What was sent after the login. */
static const char *request_sent(void)
{
    static char out[4096];
    const char *p = (const char *)s.sent, *end = p + s.sent_len;
    const char *get = NULL;
    size_t i;
    for (i = 0; i + 4 <= s.sent_len; i++)
        if (memcmp(p + i, "GET ", 4) == 0) {
            get = p + i;
            break;
        }
    if (get == NULL) return "";
    snprintf(out, sizeof out, "%.*s", (int)(end - get), get);
    return out;
}

/* ---------------------------------------------------------------- callbacks */

static char seen[1024];

static int on_snp(void *user, const lum_client_snp *snp)
{
    size_t n = strlen(seen);
    (void)user;
    snprintf(seen + n, sizeof seen - n, "%s@%lld:%u|", snp->snp_id, (long long)snp->location,
             (unsigned)snp->genotyped_alleles_count);
    return 0;
}

static int on_rsid(void *user, int list, const char *rsid)
{
    size_t n = strlen(seen);
    (void)user;
    snprintf(seen + n, sizeof seen - n, "%d:%s|", list, rsid);
    return 0;
}

static int on_overview(void *user, const lum_reference_overview *o)
{
    size_t n = strlen(seen);
    (void)user;
    snprintf(seen + n, sizeof seen - n, "%s(%u)|", o->reference_accession, (unsigned)o->present);
    return 0;
}

static int stop_at_second(void *user, const lum_reference_overview *o)
{
    int *n = (int *)user;
    (void)o;
    return ++*n >= 2;
}

static int on_bases(void *user, const char *p, size_t n)
{
    size_t used = strlen(seen);
    (void)user;
    snprintf(seen + used, sizeof seen - used, "%.*s", (int)n, p);
    return 0;
}

/* ---------------------------------------------------------------- get_client_gene */

static void client_gene(void)
{
    lum_client_gene gene;
    lum_client_snp scratch;
    serve(fx_ok("{\"molecular_location\": {\"chromosome_accession\": \"NC_000019.9\", \"start\": 45409053, "
                "\"stop\": 45412650}, \"snps\": [{\"chromosome_accession\": \"NC_000019.9\", \"genotyped_alleles\": "
                "[\"C\", \"T\"], \"location\": 45411941, \"phased\": false, \"reference_genome\": \"GRCh37\", "
                "\"snp_id\": \"rs429358\"}, {\"chromosome_accession\": \"NC_000019.9\", \"genotyped_alleles\": [], "
                "\"location\": 45412079, \"phased\": false, \"reference_genome\": \"GRCh37\", \"snp_id\": "
                "\"rs7412\"}], \"symbol\": \"APOE\"}\n"));
    seen[0] = '\0';
    CHECK_INT_EQ(lum_get_client_gene(&c, "c 1", "d/2", "APOE?x", NULL, &gene, &scratch, on_snp, NULL), LUM_OK);
    CHECK_STR_EQ(request_sent(), "GET /v1/clients/c%201/datasets/d%2F2/genes/APOE%3Fx" HEAD_END "\r\n");
    CHECK_STR_EQ(gene.symbol, "APOE");
    CHECK_STR_EQ(gene.molecular_location.chromosome_accession, "NC_000019.9");
    CHECK_INT_EQ(gene.molecular_location.start, 45409053);
    CHECK_INT_EQ(gene.molecular_location.stop, 45412650);
    CHECK_INT_EQ(gene.snps_count, 2);
    CHECK_INT_EQ(gene.present, 0x7);
    CHECK_STR_EQ(seen, "rs429358@45411941:2|rs7412@45412079:0|");

    /* a mask, and no callback: the SNPs are only counted */
    serve(fx_ok("{\"snps\": [{\"snp_id\": \"rs1\"}, {\"snp_id\": \"rs2\"}], \"symbol\": \"F5\"}"));
    CHECK_INT_EQ(lum_get_client_gene(&c, "c", "d", "F5", "symbol,snps{snp_id}", &gene, &scratch, NULL, NULL),
                 LUM_OK);
    CHECK_STR_EQ(request_sent(), "GET /v1/clients/c/datasets/d/genes/F5" HEAD_END "X-Fields: symbol,snps{snp_id}\r\n\r\n");
    CHECK_INT_EQ(gene.snps_count, 2);
    CHECK_INT_EQ(gene.present, LUM_BIT(0) | LUM_CLIENT_GENE_HAS_SNPS);

    /* the 404 of a gene that intersects no SNP of the dataset */
    serve(fx_response("404 NOT FOUND", "", "{\"message\": \"Gene F5 intersects no SNP of dataset d\"}\n"));
    CHECK_INT_EQ(lum_get_client_gene(&c, "c", "d", "F5", NULL, &gene, &scratch, on_snp, NULL), LUM_ERR_NOT_FOUND);
    CHECK_STR_EQ(lum_client_error(&c)->message, "Gene F5 intersects no SNP of dataset d");
    CHECK_INT_EQ(lum_client_error(&c)->http_status, 404);

    CHECK_INT_EQ(lum_get_client_gene(&c, "c", "d", "F5", NULL, NULL, &scratch, on_snp, NULL), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_get_client_gene(&c, "c", "d", "F5", NULL, &gene, NULL, on_snp, NULL), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_get_client_gene(&c, "c", "d", "", NULL, &gene, &scratch, on_snp, NULL), LUM_ERR_INVALID_ARG);
}

/* ---------------------------------------------------------------- get_gene */

static const char gene_body[] =
    "{\"chromosome\": \"19\", \"molecular_end_position\": 45412650, \"molecular_start_position\": 45409053, "
    "\"parent_accession\": \"NC_000019.9\", \"snp_ids\": [\"rs429358\", \"rs7412\"], \"symbol\": \"APOE\"}\n";

static void gene(void)
{
    lum_public_gene g;
    serve(fx_ok(gene_body));
    seen[0] = '\0';
    CHECK_INT_EQ(lum_get_gene(&c, "HGNC", "APOE", 0, NULL, NULL, &g, on_rsid, NULL), LUM_OK);
    CHECK_STR_EQ(request_sent(), "GET /v1/reference/genes/databases/HGNC/accessions/APOE" HEAD_END "\r\n");
    CHECK_STR_EQ(g.symbol, "APOE");
    CHECK_STR_EQ(g.chromosome, "19");
    CHECK_STR_EQ(g.parent_accession, "NC_000019.9");
    CHECK_INT_EQ(g.molecular_start_position, 45409053);
    CHECK_INT_EQ(g.molecular_end_position, 45412650);
    CHECK_INT_EQ(g.snp_ids_count, 2);
    CHECK_INT_EQ(g.present, 0x3f);
    CHECK_STR_EQ(seen, "5:rs429358|5:rs7412|");

    serve(fx_ok(gene_body));
    CHECK_INT_EQ(lum_get_gene(&c, "Gen Bank", "NM_000041.4", 151, "GRCh38 p/1", "symbol", &g, NULL, NULL), LUM_OK);
    CHECK_STR_EQ(request_sent(), "GET /v1/reference/genes/databases/Gen%20Bank/accessions/NM_000041.4"
                                 "?dbsnp_build=151&reference_genome=GRCh38%20p%2F1" HEAD_END "X-Fields: symbol\r\n\r\n");
    CHECK_INT_EQ(g.snp_ids_count, 2);

    serve(fx_ok(gene_body));
    CHECK_INT_EQ(lum_get_gene(&c, "HGNC", "APOE", 0, "GRCH37P13", NULL, &g, NULL, NULL), LUM_OK);
    CHECK_STR_EQ(request_sent(), "GET /v1/reference/genes/databases/HGNC/accessions/APOE?reference_genome=GRCH37P13"
                                 HEAD_END "\r\n");
    serve(fx_ok(gene_body));
    CHECK_INT_EQ(lum_get_gene(&c, "HGNC", "APOE", -2147483647 - 1, NULL, NULL, &g, NULL, NULL), LUM_OK);
    CHECK_STR_EQ(request_sent(), "GET /v1/reference/genes/databases/HGNC/accessions/APOE?dbsnp_build=-2147483648"
                                 HEAD_END "\r\n");

    /* snp_ids is required */
    serve(fx_ok("{\"chromosome\": \"19\", \"molecular_end_position\": 2, \"molecular_start_position\": 1, "
                "\"parent_accession\": \"NC_000019.9\", \"symbol\": \"APOE\"}"));
    CHECK_INT_EQ(lum_get_gene(&c, "HGNC", "APOE", 0, NULL, NULL, &g, NULL, NULL), LUM_ERR_JSON_MISSING);
    CHECK_STR_EQ(lum_client_error(&c)->model, "PublicGene");
    CHECK_STR_EQ(lum_client_error(&c)->field, "snp_ids");
}

/* ---------------------------------------------------------------- get_reference_snp */

static const char snp_body[] =
    "{\"alternative_alleles\": [\"C\"], \"chromosome\": \"1\", \"chromosome_accession\": \"NC_000001.10\", "
    "\"dbsnp_version\": 149, \"location\": 169519049, \"reference_allele\": \"T\", \"reference_genome\": "
    "\"GRCh37.p13\", \"snp_id\": \"rs6025\"}\n";

static void reference_snp(void)
{
    lum_public_snp p;
    serve(fx_ok(snp_body));
    CHECK_INT_EQ(lum_get_reference_snp(&c, "rs6025", 0, NULL, NULL, &p), LUM_OK);
    CHECK_STR_EQ(request_sent(), "GET /v1/reference/snps/rs6025" HEAD_END "\r\n");
    CHECK_STR_EQ(p.snp_id, "rs6025");
    CHECK_STR_EQ(p.chromosome, "1");
    CHECK_STR_EQ(p.chromosome_accession, "NC_000001.10");
    CHECK_INT_EQ(p.location, 169519049);
    CHECK_STR_EQ(p.reference_allele, "T");
    CHECK_INT_EQ(p.alternative_alleles_count, 1);
    CHECK_STR_EQ(p.alternative_alleles[0], "C");
    CHECK_STR_EQ(p.reference_genome, "GRCh37.p13");
    CHECK_INT_EQ(p.dbsnp_version, 149);
    CHECK_INT_EQ(p.present, 0xff);

    serve(fx_ok(snp_body));
    CHECK_INT_EQ(lum_get_reference_snp(&c, "rs 6025/", 149, "GRCH37P13", "snp_id,reference_allele", &p), LUM_OK);
    CHECK_STR_EQ(request_sent(), "GET /v1/reference/snps/rs%206025%2F?dbsnp_version=149&grch_version=GRCH37P13"
                                 HEAD_END "X-Fields: snp_id,reference_allele\r\n\r\n");

    serve(fx_ok(snp_body));
    CHECK_INT_EQ(lum_get_reference_snp(&c, "rs6025", 150, NULL, NULL, &p), LUM_OK);
    CHECK_STR_EQ(request_sent(), "GET /v1/reference/snps/rs6025?dbsnp_version=150" HEAD_END "\r\n");

    /* nothing a caller passes can start a header or a line */
    fx_client(&s, &c, buf, sizeof buf, NULL);
    CHECK_INT_EQ(lum_get_reference_snp(&c, "rs1", 0, NULL, "a\r\nX-Evil: 1", &p), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(s.sent_len, 0);
    serve(fx_ok(snp_body));
    CHECK_INT_EQ(lum_get_reference_snp(&c, "rs1\r\nX-Evil: 1", 0, "G\r\n", NULL, &p), LUM_OK);
    CHECK_STR_EQ(request_sent(), "GET /v1/reference/snps/rs1%0D%0AX-Evil%3A%201?grch_version=G%0D%0A" HEAD_END "\r\n");
    CHECK_INT_EQ(lum_get_reference_snp(&c, "rs1", 0, NULL, NULL, NULL), LUM_ERR_INVALID_ARG);
}

/* ---------------------------------------------------------------- genomes, chromosomes */

static void reference_genomes_and_chromosomes(void)
{
    lum_reference_overview scratch;
    int n = 0;
    serve(fx_ok("[{\"reference_accession\": \"GCF_000001405.25\"}]\n"));
    seen[0] = '\0';
    CHECK_INT_EQ(lum_get_reference_genomes_group(&c, NULL, &scratch, on_overview, NULL), LUM_OK);
    CHECK_STR_EQ(request_sent(), "GET /v1/reference/genomes/" HEAD_END "\r\n");
    CHECK_STR_EQ(seen, "GCF_000001405.25(1)|");

    serve(fx_ok("[{\"reference_accession\": \"NC_000001.10\"}, {\"reference_accession\": \"NC_000002.11\"}, "
                "{\"reference_accession\": \"NC_012920.1\"}]\n"));
    seen[0] = '\0';
    CHECK_INT_EQ(lum_get_reference_genome(&c, "GCF_000001405.25", "reference_accession", &scratch, on_overview, NULL),
                 LUM_OK);
    CHECK_STR_EQ(request_sent(), "GET /v1/reference/genomes/GCF_000001405.25/chromosomes" HEAD_END
                                 "X-Fields: reference_accession\r\n\r\n");
    CHECK_STR_EQ(seen, "NC_000001.10(1)|NC_000002.11(1)|NC_012920.1(1)|");

    /* the callback can stop; a missing accession names its model */
    serve(fx_ok("[{\"reference_accession\": \"a\"}, {\"reference_accession\": \"b\"}, {\"reference_accession\": \"c\"}]"));
    CHECK_INT_EQ(lum_get_reference_genome(&c, "g", NULL, &scratch, stop_at_second, &n), LUM_ERR_ABORTED);
    CHECK_INT_EQ(n, 2);
    serve(fx_ok("[{\"reference_accession\": \"a\"}, {\"x\": 1}]"));
    CHECK_INT_EQ(lum_get_reference_genome(&c, "g", NULL, &scratch, on_overview, NULL), LUM_ERR_JSON_MISSING);
    CHECK_STR_EQ(lum_client_error(&c)->model, "ReferenceChromosomeOverview");
    CHECK_STR_EQ(lum_client_error(&c)->field, "reference_accession");
    serve(fx_ok("[{}]"));
    CHECK_INT_EQ(lum_get_reference_genomes_group(&c, NULL, &scratch, on_overview, NULL), LUM_ERR_JSON_MISSING);
    CHECK_STR_EQ(lum_client_error(&c)->model, "ReferenceGenomeOverview");

    serve(fx_response("404 NOT FOUND", "", "{\"message\": \"Reference genome x does not exist\"}"));
    CHECK_INT_EQ(lum_get_reference_genome(&c, "x", NULL, &scratch, on_overview, NULL), LUM_ERR_NOT_FOUND);
    CHECK_INT_EQ(lum_get_reference_genome(&c, "x", NULL, NULL, on_overview, NULL), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_get_reference_genomes_group(&c, NULL, &scratch, NULL, NULL), LUM_ERR_INVALID_ARG);
}

/* ---------------------------------------------------------------- get_reference_chromosome */

static void reference_chromosome(void)
{
    char out[16];
    size_t len = 0;
    serve(fx_ok("{\"sequence\": \"GATCACAGGT\"}\n"));
    seen[0] = '\0';
    CHECK_INT_EQ(lum_get_reference_chromosome(&c, "GCF_000001405.25", "NC_012920.1", 1, 10, NULL, on_bases, NULL),
                 LUM_OK);
    CHECK_STR_EQ(request_sent(), "GET /v1/reference/genomes/GCF_000001405.25/chromosomes/NC_012920.1"
                                 "?range_start=1&range_stop=10" HEAD_END "\r\n");
    CHECK_STR_EQ(seen, "GATCACAGGT");

    serve(fx_ok("{\"sequence\": \"GATCACAGGT\"}\n"));
    CHECK_INT_EQ(lum_get_reference_chromosome_into(&c, "G/1", "N 2", -5, 9223372036854775807LL, "sequence", out,
                                                   sizeof out, &len),
                 LUM_OK);
    CHECK_STR_EQ(request_sent(), "GET /v1/reference/genomes/G%2F1/chromosomes/N%202"
                                 "?range_start=-5&range_stop=9223372036854775807" HEAD_END
                                 "X-Fields: sequence\r\n\r\n");
    CHECK_STR_EQ(out, "GATCACAGGT");
    CHECK_INT_EQ(len, 10);

    /* 10 bases need 11 bytes */
    serve(fx_ok("{\"sequence\": \"GATCACAGGT\"}\n"));
    CHECK_INT_EQ(lum_get_reference_chromosome_into(&c, "g", "c", 1, 10, NULL, out, 11, &len), LUM_OK);
    serve(fx_ok("{\"sequence\": \"GATCACAGGT\"}\n"));
    CHECK_INT_EQ(lum_get_reference_chromosome_into(&c, "g", "c", 1, 10, NULL, out, 10, &len), LUM_ERR_TOO_LONG);
    CHECK_STR_EQ(out, "");

    serve(fx_response("404 NOT FOUND", "", "{\"message\": \"Coordinates 0..10 do not exist on c (1..16569)\"}"));
    CHECK_INT_EQ(lum_get_reference_chromosome(&c, "g", "c", 0, 10, NULL, on_bases, NULL), LUM_ERR_NOT_FOUND);
    CHECK_STR_EQ(lum_client_error(&c)->message, "Coordinates 0..10 do not exist on c (1..16569)");
    serve(fx_response("400 BAD REQUEST", "", "{\"message\": \"Range longer than 1000000 bp\"}"));
    CHECK_INT_EQ(lum_get_reference_chromosome(&c, "g", "c", 1, 2000000, NULL, on_bases, NULL), LUM_ERR_BAD_REQUEST);

    CHECK_INT_EQ(lum_get_reference_chromosome(&c, "g", "c", 1, 2, NULL, NULL, NULL), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_get_reference_chromosome_into(&c, "g", "c", 1, 2, NULL, out, 0, &len), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_get_reference_chromosome_into(&c, "g", "c", 1, 2, NULL, NULL, 4, &len), LUM_ERR_INVALID_ARG);
    CHECK_INT_EQ(lum_get_reference_chromosome(&c, "", "c", 1, 2, NULL, on_bases, NULL), LUM_ERR_INVALID_ARG);
}

/* Reference calls need a token like every other (the sandbox's rule). */
static void reference_calls_retry_once_after_a_401(void)
{
    lum_public_snp p;
    script_conn *conn;
    fx_client(&s, &c, buf, sizeof buf, NULL);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    script_add_text(conn, fx_response("401 UNAUTHORIZED", "", "{\"message\": \"Token expired\"}"));
    script_add_text(conn, fx_auth_response);
    script_add_text(conn, fx_ok(snp_body));
    CHECK_INT_EQ(lum_get_reference_snp(&c, "rs6025", 0, NULL, NULL, &p), LUM_OK);
    CHECK_INT_EQ(fx_count_sent(&s, 0, "POST /v1/auth/jwt"), 2);
    CHECK_INT_EQ(fx_count_sent(&s, 0, "GET /v1/reference/snps/rs6025 "), 2);
    CHECK_STR_EQ(p.snp_id, "rs6025");
}

int main(void)
{
    RUN("operations", client_gene);
    RUN("operations", gene);
    RUN("operations", reference_snp);
    RUN("operations", reference_genomes_and_chromosomes);
    RUN("operations", reference_chromosome);
    RUN("operations", reference_calls_retry_once_after_a_401);
    return TESTS_DONE();
}
