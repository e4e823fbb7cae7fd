/*
 * Whole client calls against a fuzzed server: status line, headers, framing
 * (Content-Length, chunked, until close), 1xx, error bodies and JSON, all
 * through the scripted transport and the real request policy (auth, 401
 * retry, keep-alive reuse, stale-connection retry).
 *
 * data[0]: low 4 bits the first operation, high 4 bits the second (see call());
 * data[1]: recv slice size (high 6 bits, 0: unlimited) and what the server
 *          does after its last response (low 2 bits, enum script_end);
 * data[2]: bit 0: the client already holds a token (else the first response
 *          answers the login); bit 1: lum_client_close between the calls.
 * The rest: up to 6 responses separated by "\n~~~\n", served in order on
 * the first connection; a second connection serves the same responses again.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lumminary.h"
#include "support/script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char SEP[] = "\n~~~\n";

static int on_snp(void *user, const lum_client_snp *snp)
{
    (void)snp;
    return ++*(int *)user > 1000;
}

static int on_authorization(void *user, const lum_authorization *a)
{
    (void)a;
    return ++*(int *)user > 1000;
}

static int on_rsid(void *user, int list, const char *rsid)
{
    (void)list;
    (void)rsid;
    return ++*(int *)user > 100000;
}

static int on_overview(void *user, const lum_reference_overview *o)
{
    (void)o;
    return ++*(int *)user > 1000;
}

static int on_bases(void *user, const char *bases, size_t len)
{
    (void)bases;
    *(int *)user += (int)(len > 1000 ? 1000 : len);
    return *(int *)user > 100000;
}

/* Requests on the wire so far (each has exactly one request line). */
static int requests_sent(const script *sc)
{
    size_t i;
    int n = 0;
    for (i = 0; i + 11 <= sc->sent_len; i++)
        if (memcmp(sc->sent + i, " HTTP/1.1\r\n", 11) == 0) n++;
    return n;
}

/* What must hold after any call, whatever the server sent. */
static void check_after_call(const lum_client *c, const script *sc, int rc, int requests_before)
{
    if (rc > 0 || rc != lum_client_error(c)->code) abort();
    if (memchr(lum_client_error(c)->message, '\0', LUM_MAX_MESSAGE) == NULL) abort();
    /* The client's idea of the connection is the transport's. */
    if (c->connected != (sc->current >= 0)) abort();
    /* No retry loops: a login, the request, a stale-connection resend, a
       second login and a 401 resend are the most one call may send. */
    if (requests_sent(sc) - requests_before > 5) abort();
}

static int call(lum_client *c, int op)
{
    static union {
        lum_client_snp snp;
        lum_authorization authz;
        lum_product product;
        lum_report_file file;
        lum_report_credentials creds;
        lum_javascript_web_token jwt;
        lum_client_gene gene;
        lum_public_gene pgene;
        lum_public_snp psnp;
    } out;
    static lum_client_snp scratch;
    static lum_reference_overview overview;
    static char sequence[100];
    static const char report[] = "rsid\tgenotype\nrs1\tAG\n";
    static const char *const snps[] = {"rs1", "rs2"};
    lum_memory_source src;
    lum_reader reader;
    int n = 0;

    switch (op) {
    case 0: return lum_get_client_snp_group(c, "c", "d", NULL, &out.snp, on_snp, &n);
    case 1: return lum_get_authorizations_queue(c, "p", 3, NULL, &out.authz, on_authorization, &n);
    case 2: return lum_get_product(c, "p", NULL, &out.product, on_rsid, &n);
    case 3: return lum_get_client_snp(c, "c", "d", "rs1", "snp_id", &out.snp);
    case 4: return lum_post_client_snp_group(c, "c", "d", snps, 2, NULL, &out.snp, on_snp, &n);
    case 5:
        lum_reader_memory(&reader, &src, report, sizeof report - 1, NULL);
        return lum_post_authorization_result_file(c, "p", "a", &reader, "r.tsv", NULL, &out.file);
    case 6: return lum_post_product_authorization(c, "p", "a");
    case 7: return lum_post_jwt_auth(c, "u", "k", NULL, NULL, &out.jwt);
    case 8: return lum_get_client_gene(c, "c", "d", "APOE", NULL, &out.gene, &scratch, on_snp, &n);
    case 9: return lum_get_gene(c, "ncbi", "348", 149, "GRCH37P13", NULL, &out.pgene, on_rsid, &n);
    case 10: return lum_get_reference_snp(c, "rs1", 0, NULL, NULL, &out.psnp);
    case 11: return lum_get_reference_genomes_group(c, NULL, &overview, on_overview, &n);
    case 12: return lum_get_reference_genome(c, "GCF_000001405.25", NULL, &overview, on_overview, &n);
    case 13: return lum_get_reference_chromosome(c, "GCF_000001405.25", "NC_000001.10", 1, 10, NULL, on_bases, &n);
    case 14: {
        size_t len = 12345;
        int rc = lum_get_reference_chromosome_into(c, "b", "c", 1, 99, "sequence", sequence, sizeof sequence, &len);
        if (memchr(sequence, '\0', sizeof sequence) == NULL) abort();
        if (rc == LUM_OK && len != strlen(sequence)) abort();
        if (rc != LUM_OK && (len != 0 || sequence[0] != '\0')) abort();
        return rc;
    }
    default:
        return lum_post_authorization_result_credentials(c, "p", "a", "u", NULL, "https://r", NULL, &out.creds);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static script s;
    static lum_client c;
    static uint8_t buf[2048];
    lum_client_config cfg;
    script_conn *conn[2];
    const uint8_t *p, *end;
    int i, rc, before;

    if (size < 3) return 0;
    script_init(&s);
    conn[0] = script_add_conn(&s);
    conn[1] = script_add_conn(&s);
    p = data + 3;
    end = data + size;
    while (conn[0]->n_responses < 6) {
        const uint8_t *sep = NULL, *q;
        for (q = p; q + sizeof SEP - 1 <= end; q++)
            if (memcmp(q, SEP, sizeof SEP - 1) == 0) {
                sep = q;
                break;
            }
        if (sep == NULL) sep = end;
        for (i = 0; i < 2; i++) {
            script_response *r = script_add_response(conn[i], p, (size_t)(sep - p));
            r->chunk = data[1] >> 2;
        }
        if (sep == end) break;
        p = sep + sizeof SEP - 1;
    }
    for (i = 0; i < 2; i++) conn[i]->end = (enum script_end)(data[1] & 3);

    memset(&cfg, 0, sizeof cfg);
    cfg.host = "api.example";
    cfg.product_uuid = "p";
    cfg.api_key = "k";
    cfg.io_timeout_ms = 1000;
    if (lum_client_init(&c, &cfg, &s.transport, &s.platform, buf, sizeof buf) != LUM_OK) abort();
    if (data[2] & 1) {
        strcpy(c.jwt.access_token, "t.t.t");
        c.has_jwt = true;
        c.jwt_issued_ms = s.clock_ms;
    }

    before = requests_sent(&s);
    rc = call(&c, data[0] & 15);
#ifdef FUZZ_DEBUG
    fprintf(stderr, "op %d: %d (status %d, \"%s\") resp %d pos %zu sent %zu\n", data[0] & 15, rc,
            c.err.http_status, c.err.message, s.response, s.pos, s.sent_len);
#endif
    check_after_call(&c, &s, rc, before);
    s.clock_ms += 100;
    if (data[2] & 2) lum_client_close(&c);
    before = requests_sent(&s);
    rc = call(&c, data[0] >> 4);
#ifdef FUZZ_DEBUG
    fprintf(stderr, "op %d: %d (status %d, \"%s\"), %d connects\n", data[0] >> 4, rc,
            c.err.http_status, c.err.message, s.connects);
#endif
    check_after_call(&c, &s, rc, before);
    lum_client_close(&c);
    if (s.current >= 0) abort();
    return 0;
}
