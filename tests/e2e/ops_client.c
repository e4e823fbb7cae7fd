/*
 * lum-ops-check: calls one API operation (or helper) through the C API
 * against a server over TLS and prints what it decoded, one line per model:
 * "<tag> <JSON from lum_json_encode>", streamed rsids as "rsid <list> <id>",
 * sequences as "sequence <bases>". tests/e2e/test_operations.py runs it for
 * each of the 17 operations and checks every value against the sandbox.
 *
 *   lum-ops-check [-x X_FIELDS] [-b BUFFER_BYTES] HOST PORT CA_FILE PRODUCT_UUID API_KEY OPERATION ARGS...
 *
 * A failed call prints "error <lum_err code> <http status> <description>: <server message>"
 * and exits 1; bad usage exits 2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lum_posix.h"
#include "lum_tls.h"
#include "lumminary.h"

static uint8_t buffer[16384], tls_pool[64 * 1024];
static lum_authorization authorization; /* 3 KiB: static, not on the stack */
static lum_client client;
static const char *x_fields;

static int write_stdout(void *ctx, const char *data, size_t len)
{
    (void)ctx;
    return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

static void print_model(const char *tag, const struct lum_model *m, const void *obj)
{
    printf("%s ", tag);
    if (lum_json_encode(m, obj, write_stdout, NULL) != LUM_OK) {
        fprintf(stderr, "lum_json_encode failed\n");
        exit(1);
    }
    putchar('\n');
}

static int print_snp(void *user, const lum_client_snp *snp)
{
    (void)user;
    print_model("snp", &lum_model_client_snp, snp);
    return 0;
}

static int print_authorization(void *user, const lum_authorization *a)
{
    (void)user;
    print_model("authorization", &lum_model_authorization, a);
    return 0;
}

static int print_rsid(void *user, int list, const char *rsid)
{
    (void)user;
    printf("rsid %d %s\n", list, rsid);
    return 0;
}

static int print_overview(void *user, const lum_reference_overview *o)
{
    print_model((const char *)user, &lum_model_reference_overview, o);
    return 0;
}

static int print_bases(void *user, const char *bases, size_t len)
{
    (void)user;
    return fwrite(bases, 1, len, stdout) == len ? 0 : 1;
}

static int usage(void)
{
    fprintf(stderr,
            "usage: lum-ops-check [-x X_FIELDS] [-b BUFFER_BYTES] HOST PORT CA_FILE PRODUCT_UUID API_KEY OP ARGS...\n"
            "OP: post_jwt_auth | get_product | get_authorizations_queue [SEQ] | get_product_authorization A |\n"
            "    post_product_authorization A | post_product_authorization_unfulfillable A |\n"
            "    post_authorization_result_file A NAME CONTENT | post_authorization_result_credentials A U P URL |\n"
            "    get_client_snp C D RSID | get_client_snp_group C D | post_client_snp_group C D RSID... |\n"
            "    get_client_gene C D SYMBOL | get_gene DB ACCESSION [BUILD GENOME] |\n"
            "    get_reference_snp RSID [VERSION GRCH] | get_reference_genomes_group | get_reference_genome BUILD |\n"
            "    get_reference_chromosome BUILD ACC START STOP | get_reference_chromosome_into BUILD ACC START STOP CAP |\n"
            "    authorization_metadata A | authorization_dna_data A\n"
            "    (\"-\" for an optional argument leaves it out)\n");
    return 2;
}

/* An optional string argument: "-" is NULL. */
static const char *opt(const char *s)
{
    return strcmp(s, "-") == 0 ? NULL : s;
}

/* Runs one operation; argv[0] is its name. Returns a lum_err, or 2 for bad usage. */
static int run(lum_client *c, const char *product, const char *api_key, int argc, char **argv)
{
    const char *op = argv[0];
    lum_client_snp snp;
#define NEED(n)                          \
    do {                                 \
        if (argc != (n) + 1) return 2;   \
    } while (0)

    if (strcmp(op, "post_jwt_auth") == 0) {
        lum_javascript_web_token jwt;
        int rc;
        NEED(0);
        rc = lum_post_jwt_auth(c, product, api_key, NULL, x_fields, &jwt);
        if (rc == LUM_OK) print_model("jwt", &lum_model_javascript_web_token, &jwt);
        return rc;
    }
    if (strcmp(op, "get_product") == 0) {
        lum_product p;
        int rc;
        NEED(0);
        rc = lum_get_product(c, product, x_fields, &p, print_rsid, NULL);
        if (rc == LUM_OK) print_model("product", &lum_model_product, &p);
        return rc;
    }
    if (strcmp(op, "get_authorizations_queue") == 0) {
        if (argc > 2) return 2;
        return lum_get_authorizations_queue(c, product, argc == 2 ? strtoll(argv[1], NULL, 10) : LUM_SEQ_NONE,
                                            x_fields, &authorization, print_authorization, NULL);
    }
    if (strcmp(op, "get_product_authorization") == 0) {
        int rc;
        NEED(1);
        rc = lum_get_product_authorization(c, product, argv[1], x_fields, &authorization);
        if (rc == LUM_OK) print_model("authorization", &lum_model_authorization, &authorization);
        return rc;
    }
    if (strcmp(op, "post_product_authorization") == 0) {
        int rc;
        NEED(1);
        rc = lum_post_product_authorization(c, product, argv[1]);
        if (rc == LUM_OK) printf("done %d\n", lum_client_error(c)->http_status);
        return rc;
    }
    if (strcmp(op, "post_product_authorization_unfulfillable") == 0) {
        int rc;
        NEED(1);
        rc = lum_post_product_authorization_unfulfillable(c, product, argv[1], x_fields, &authorization);
        if (rc == LUM_OK) print_model("authorization", &lum_model_authorization, &authorization);
        return rc;
    }
    if (strcmp(op, "post_authorization_result_file") == 0) {
        lum_report_file rf;
        lum_memory_source src;
        lum_reader reader;
        int rc;
        NEED(3);
        lum_reader_memory(&reader, &src, argv[3], strlen(argv[3]), NULL);
        rc = lum_post_authorization_result_file(c, product, argv[1], &reader, opt(argv[2]), x_fields, &rf);
        if (rc == LUM_OK) print_model("report_file", &lum_model_report_file, &rf);
        return rc;
    }
    if (strcmp(op, "post_authorization_result_credentials") == 0) {
        lum_report_credentials rc_out;
        int rc;
        NEED(4);
        rc = lum_post_authorization_result_credentials(c, product, argv[1], opt(argv[2]), opt(argv[3]), opt(argv[4]),
                                                       x_fields, &rc_out);
        if (rc == LUM_OK) print_model("report_credentials", &lum_model_report_credentials, &rc_out);
        return rc;
    }
    if (strcmp(op, "get_client_snp") == 0) {
        int rc;
        NEED(3);
        rc = lum_get_client_snp(c, argv[1], argv[2], argv[3], x_fields, &snp);
        if (rc == LUM_OK) print_model("snp", &lum_model_client_snp, &snp);
        return rc;
    }
    if (strcmp(op, "get_client_snp_group") == 0) {
        NEED(2);
        return lum_get_client_snp_group(c, argv[1], argv[2], x_fields, &snp, print_snp, NULL);
    }
    if (strcmp(op, "post_client_snp_group") == 0) {
        if (argc < 3) return 2;
        return lum_post_client_snp_group(c, argv[1], argv[2], (const char *const *)argv + 3, (size_t)(argc - 3),
                                         x_fields, &snp, print_snp, NULL);
    }
    if (strcmp(op, "get_client_gene") == 0) {
        lum_client_gene g;
        int rc;
        NEED(3);
        rc = lum_get_client_gene(c, argv[1], argv[2], argv[3], x_fields, &g, &snp, print_snp, NULL);
        if (rc == LUM_OK) print_model("client_gene", &lum_model_client_gene, &g);
        return rc;
    }
    if (strcmp(op, "get_gene") == 0) {
        lum_public_gene g;
        int rc;
        if (argc != 3 && argc != 5) return 2;
        rc = lum_get_gene(c, argv[1], argv[2], argc == 5 ? (int32_t)atoi(argv[3]) : 0, argc == 5 ? opt(argv[4]) : NULL,
                          x_fields, &g, print_rsid, NULL);
        if (rc == LUM_OK) print_model("public_gene", &lum_model_public_gene, &g);
        return rc;
    }
    if (strcmp(op, "get_reference_snp") == 0) {
        lum_public_snp s;
        int rc;
        if (argc != 2 && argc != 4) return 2;
        rc = lum_get_reference_snp(c, argv[1], argc == 4 ? (int32_t)atoi(argv[2]) : 0, argc == 4 ? opt(argv[3]) : NULL,
                                   x_fields, &s);
        if (rc == LUM_OK) print_model("public_snp", &lum_model_public_snp, &s);
        return rc;
    }
    if (strcmp(op, "get_reference_genomes_group") == 0) {
        lum_reference_overview o;
        NEED(0);
        static char tag[] = "genome";
        return lum_get_reference_genomes_group(c, x_fields, &o, print_overview, tag);
    }
    if (strcmp(op, "get_reference_genome") == 0) {
        lum_reference_overview o;
        NEED(1);
        static char tag[] = "chromosome";
        return lum_get_reference_genome(c, argv[1], x_fields, &o, print_overview, tag);
    }
    if (strcmp(op, "get_reference_chromosome") == 0) {
        int rc;
        NEED(4);
        fputs("sequence ", stdout);
        rc = lum_get_reference_chromosome(c, argv[1], argv[2], strtoll(argv[3], NULL, 10), strtoll(argv[4], NULL, 10),
                                          x_fields, print_bases, NULL);
        putchar('\n');
        return rc;
    }
    if (strcmp(op, "get_reference_chromosome_into") == 0) {
        static char seq[1000001];
        size_t len = 0, cap;
        int rc;
        NEED(5);
        cap = (size_t)strtoul(argv[5], NULL, 10);
        if (cap > sizeof seq) return 2;
        rc = lum_get_reference_chromosome_into(c, argv[1], argv[2], strtoll(argv[3], NULL, 10),
                                               strtoll(argv[4], NULL, 10), x_fields, seq, cap, &len);
        if (rc == LUM_OK) printf("sequence %s\nlength %zu\n", seq, len);
        return rc;
    }
    if (strcmp(op, "authorization_metadata") == 0) {
        lum_auth_metadata m;
        int rc;
        NEED(1);
        rc = lum_get_product_authorization(c, product, argv[1], NULL, &authorization);
        if (rc == LUM_OK) rc = lum_authorization_metadata(&authorization, &m);
        if (rc == LUM_OK)
            printf("metadata %s %s %s %lld %s %u %s|%s|%s %s|%s|%s\n", m.customer, m.product, m.authorization,
                   (long long)m.created_timestamp, m.created_timestamp_utc, (unsigned)m.present, m.dataset,
                   m.customer_email, m.customer_sex, m.customer_name.first_name, m.customer_name.last_name,
                   m.customer_address.city);
        return rc;
    }
    if (strcmp(op, "authorization_dna_data") == 0) {
        int rc;
        NEED(1);
        rc = lum_get_product_authorization(c, product, argv[1], NULL, &authorization);
        if (rc == LUM_OK) rc = lum_authorization_dna_data(c, &authorization, &snp, write_stdout, NULL);
        return rc;
    }
    return 2;
#undef NEED
}

int main(int argc, char **argv)
{
    lum_platform platform;
    lum_posix_tcp tcp;
    lum_transport plain, secure;
    lum_tls tls;
    lum_tls_config tls_cfg;
    lum_client_config cfg;
    size_t buf_cap = 2048;
    int i = 1, rc;

    for (; i + 1 < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i += 2) {
        if (strcmp(argv[i], "-x") == 0) x_fields = argv[i + 1];
        else if (strcmp(argv[i], "-b") == 0) buf_cap = (size_t)strtoul(argv[i + 1], NULL, 10);
        else return usage();
    }
    if (argc - i < 6 || buf_cap > sizeof buffer) return usage();

    memset(&cfg, 0, sizeof cfg);
    memset(&tls_cfg, 0, sizeof tls_cfg);
    cfg.host = argv[i];
    cfg.port = (uint16_t)atoi(argv[i + 1]);
    tls_cfg.ca_file = argv[i + 2];
    cfg.product_uuid = argv[i + 3];
    cfg.api_key = argv[i + 4];

    lum_posix_platform_init(&platform);
    lum_posix_tcp_init(&tcp, &plain);
    lum_tls_pool_init(tls_pool, sizeof tls_pool);
    rc = lum_tls_init(&tls, &tls_cfg, &plain, &platform);
    if (rc == LUM_OK) {
        lum_tls_transport(&tls, &secure);
        rc = lum_client_init(&client, &cfg, &secure, &platform, buffer, buf_cap);
    }
    if (rc != LUM_OK) {
        printf("error %d 0 %s: set-up\n", rc, lum_strerror(rc));
        return 1;
    }
    rc = run(&client, argv[i + 3], argv[i + 4], argc - i - 5, argv + i + 5);
    fflush(stdout);
    if (rc == 2) return usage();
    if (rc != LUM_OK) {
        const lum_error_info *e = lum_client_error(&client);
        printf("error %d %d %s: %s%s%s%s%s\n", rc, e->http_status, lum_strerror(rc), e->message,
               e->model ? " model=" : "", e->model ? e->model : "", e->field ? " field=" : "", e->field ? e->field : "");
    }
    lum_client_close(&client);
    lum_tls_free(&tls);
    return rc == LUM_OK ? 0 : 1;
}
