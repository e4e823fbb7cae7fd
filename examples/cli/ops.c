/*
 * One function per API operation (named as the operation), plus dna-export.
 * Each prints the result as one JSON document and a newline on stdout;
 * lists are printed element by element as they stream in.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* Big structs live here, not on the stack. */
static lum_authorization authorization;
static lum_product product;
static lum_client_snp snp;
static lum_client_gene gene;
static lum_public_gene public_gene;
static lum_public_snp public_snp;
static lum_reference_overview overview;
static lum_report_file report_file;
static lum_report_credentials report_credentials;
static lum_javascript_web_token jwt;

static int done(cli *c, const char *what, int rc)
{
    if (rc != LUM_OK) return cli_fail(c, what, rc);
    out_mem("\n", 1);
    return out_finish();
}

/* Prints a model, or fails. */
static int print_model(cli *c, const struct lum_model *m, const void *obj, int rc)
{
    if (rc == LUM_OK) rc = out_model(m, obj);
    return done(c, c->cmd->name, rc);
}

/* [PRODUCT] AUTHORIZATION: the product defaults to the credentials' one. */
static const char *product_arg(const cli *c, int *next)
{
    if (c->o.nargs > *next + 1) return c->o.args[(*next)++];
    return c->product;
}

/* ------------------------------------------------------------ auth, products */

int op_post_jwt_auth(cli *c)
{
    /* By default the credentials' own login; else USERNAME PASSWORD [ROLE]. */
    const char *user = c->o.nargs > 0 ? c->o.args[0] : c->product;
    const char *pass = c->o.nargs > 1 ? c->o.args[1] : c->api_key;
    const char *role = c->o.nargs > 2 ? c->o.args[2] : c->role;
    if (c->o.nargs == 1) return cli_usage_error(c, "give both USERNAME and PASSWORD, or neither");
    return print_model(c, &lum_model_javascript_web_token, &jwt,
                       lum_post_jwt_auth(c->client, user, pass, role, c->o.x_fields, &jwt));
}

static const int product_lists[] = {LUM_LIST_SNPS_AUTHORIZED, LUM_LIST_SNPS_MIN_REQUIRED};
static const char *const product_list_names[] = {"snps_authorized", "snps_min_required"};

static int on_product_rsid(void *user, int list, const char *rsid)
{
    out_merged *m = user;
    out_merged_element(m, list, list == LUM_LIST_SNPS_AUTHORIZED ? "snps_authorized" : "snps_min_required");
    out_json_string(rsid, strlen(rsid));
    return 0;
}

int op_get_product(cli *c)
{
    out_merged m;
    int rc;
    out_merged_init(&m);
    rc = lum_get_product(c->client, c->o.nargs > 0 ? c->o.args[0] : c->product, c->o.x_fields, &product,
                         on_product_rsid, &m);
    if (rc == LUM_OK) rc = out_merged_finish(&m, &lum_model_product, &product, product.present, product_lists,
                                             product_list_names, 2);
    return done(c, c->cmd->name, rc);
}

static int on_authorization(void *user, const lum_authorization *a)
{
    out_list_next(user);
    return out_model(&lum_model_authorization, a) != LUM_OK;
}

int op_get_authorizations_queue(cli *c)
{
    out_list l;
    int rc;
    out_list_begin(&l);
    rc = lum_get_authorizations_queue(c->client, c->o.nargs > 0 ? c->o.args[0] : c->product,
                                      c->o.has_seq_num_start ? c->o.seq_num_start : LUM_SEQ_NONE, c->o.x_fields,
                                      &authorization, on_authorization, &l);
    if (rc == LUM_OK) out_list_end(&l);
    return done(c, c->cmd->name, rc);
}

int op_get_product_authorization(cli *c)
{
    int i = 0;
    const char *p = product_arg(c, &i);
    return print_model(c, &lum_model_authorization, &authorization,
                       lum_get_product_authorization(c->client, p, c->o.args[i], c->o.x_fields, &authorization));
}

int op_post_product_authorization(cli *c)
{
    int i = 0;
    const char *p = product_arg(c, &i);
    int rc = lum_post_product_authorization(c->client, p, c->o.args[i]);
    /* 201 with no body: nothing to print. */
    return rc != LUM_OK ? cli_fail(c, c->cmd->name, rc) : out_finish();
}

int op_post_product_authorization_unfulfillable(cli *c)
{
    int i = 0;
    const char *p = product_arg(c, &i);
    return print_model(c, &lum_model_authorization, &authorization,
                       lum_post_product_authorization_unfulfillable(c->client, p, c->o.args[i], c->o.x_fields,
                                                                    &authorization));
}

/* The upload's body, read from a file descriptor as it is sent. */
typedef struct fd_source {
    int fd;
    bool failed;
} fd_source;

static int fd_read(void *ctx, uint8_t *buf, size_t cap)
{
    fd_source *s = ctx;
    for (;;) {
        ssize_t n = read(s->fd, buf, cap > 65536 ? 65536 : cap);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) s->failed = true;
        return n < 0 ? -1 : (int)n;
    }
}

static int fd_rewind(void *ctx)
{
    fd_source *s = ctx;
    return lseek(s->fd, 0, SEEK_SET) == 0 ? 0 : -1;
}

int op_post_authorization_result_file(cli *c)
{
    int i = 0;
    const char *p = product_arg(c, &i);
    const char *path = c->o.file, *slash;
    lum_reader r;
    fd_source src;
    struct stat st;
    int rc;

    if (path == NULL) return cli_usage_error(c, "--file PATH is required (- for standard input)");
    memset(&r, 0, sizeof r);
    src.failed = false;
    if (strcmp(path, "-") == 0) {
        src.fd = STDIN_FILENO;
        r.size = -1; /* sent chunked */
        r.name = NULL;
    } else {
        src.fd = open(path, O_RDONLY);
        if (src.fd < 0 || fstat(src.fd, &st) != 0) {
            fprintf(stderr, "lumminary: %s: %s\n", path, strerror(errno));
            if (src.fd >= 0) close(src.fd);
            return EXIT_IO;
        }
        r.size = S_ISREG(st.st_mode) ? (int64_t)st.st_size : -1;
        r.rewind = S_ISREG(st.st_mode) ? fd_rewind : NULL;
        slash = strrchr(path, '/');
        r.name = slash != NULL ? slash + 1 : path;
    }
    r.ctx = &src;
    r.read = fd_read;
    rc = lum_post_authorization_result_file(c->client, p, c->o.args[i], &r, c->o.original_filename,
                                            c->o.x_fields, &report_file);
    if (src.fd != STDIN_FILENO) close(src.fd);
    if (src.failed) fprintf(stderr, "lumminary: %s: read failed\n", path);
    return print_model(c, &lum_model_report_file, &report_file, rc);
}

int op_post_authorization_result_credentials(cli *c)
{
    int i = 0;
    const char *p = product_arg(c, &i);
    return print_model(c, &lum_model_report_credentials, &report_credentials,
                       lum_post_authorization_result_credentials(
                           c->client, p, c->o.args[i], c->o.credentials_username, c->o.credentials_password,
                           c->o.report_url, c->o.x_fields, &report_credentials));
}

/* ------------------------------------------------------------ client data */

int op_get_client_snp(cli *c)
{
    return print_model(c, &lum_model_client_snp, &snp,
                       lum_get_client_snp(c->client, c->o.args[0], c->o.args[1], c->o.args[2], c->o.x_fields, &snp));
}

static int on_snp(void *user, const lum_client_snp *s)
{
    out_list_next(user);
    return out_model(&lum_model_client_snp, s) != LUM_OK;
}

int op_get_client_snp_group(cli *c)
{
    out_list l;
    int rc;
    out_list_begin(&l);
    rc = lum_get_client_snp_group(c->client, c->o.args[0], c->o.args[1], c->o.x_fields, &snp, on_snp, &l);
    if (rc == LUM_OK) out_list_end(&l);
    return done(c, c->cmd->name, rc);
}

int op_post_client_snp_group(cli *c)
{
    out_list l;
    int rc;
    out_list_begin(&l);
    rc = lum_post_client_snp_group(c->client, c->o.args[0], c->o.args[1], c->o.args + 2, (size_t)(c->o.nargs - 2),
                                   c->o.x_fields, &snp, on_snp, &l);
    if (rc == LUM_OK) out_list_end(&l);
    return done(c, c->cmd->name, rc);
}

static int on_gene_snp(void *user, const lum_client_snp *s)
{
    out_merged_element(user, 2, "snps");
    return out_model(&lum_model_client_snp, s) != LUM_OK;
}

int op_get_client_gene(cli *c)
{
    static const int lists[] = {2};
    static const char *const names[] = {"snps"};
    out_merged m;
    int rc;
    out_merged_init(&m);
    rc = lum_get_client_gene(c->client, c->o.args[0], c->o.args[1], c->o.args[2], c->o.x_fields, &gene, &snp,
                             on_gene_snp, &m);
    if (rc == LUM_OK) rc = out_merged_finish(&m, &lum_model_client_gene, &gene, gene.present, lists, names, 1);
    return done(c, c->cmd->name, rc);
}

/* ------------------------------------------------------------ reference data */

static int on_snp_id(void *user, int list, const char *rsid)
{
    out_merged_element(user, list, "snp_ids");
    out_json_string(rsid, strlen(rsid));
    return 0;
}

int op_get_gene(cli *c)
{
    static const int lists[] = {LUM_LIST_SNP_IDS};
    static const char *const names[] = {"snp_ids"};
    out_merged m;
    int rc;
    out_merged_init(&m);
    rc = lum_get_gene(c->client, c->o.args[0], c->o.args[1], c->o.dbsnp_build, c->o.reference_genome,
                      c->o.x_fields, &public_gene, on_snp_id, &m);
    if (rc == LUM_OK)
        rc = out_merged_finish(&m, &lum_model_public_gene, &public_gene, public_gene.present, lists, names, 1);
    return done(c, c->cmd->name, rc);
}

int op_get_reference_snp(cli *c)
{
    return print_model(c, &lum_model_public_snp, &public_snp,
                       lum_get_reference_snp(c->client, c->o.args[0], c->o.dbsnp_version, c->o.grch_version,
                                             c->o.x_fields, &public_snp));
}

static int on_overview(void *user, const lum_reference_overview *o)
{
    out_list_next(user);
    return out_model(&lum_model_reference_overview, o) != LUM_OK;
}

int op_get_reference_genomes_group(cli *c)
{
    out_list l;
    int rc;
    out_list_begin(&l);
    rc = lum_get_reference_genomes_group(c->client, c->o.x_fields, &overview, on_overview, &l);
    if (rc == LUM_OK) out_list_end(&l);
    return done(c, c->cmd->name, rc);
}

int op_get_reference_genome(cli *c)
{
    out_list l;
    int rc;
    out_list_begin(&l);
    rc = lum_get_reference_genome(c->client, c->o.args[0], c->o.x_fields, &overview, on_overview, &l);
    if (rc == LUM_OK) out_list_end(&l);
    return done(c, c->cmd->name, rc);
}

typedef struct sequence_out {
    bool started;
} sequence_out;

static int on_bases(void *user, const char *bases, size_t len)
{
    sequence_out *s = user;
    if (!s->started) out_str("{\"sequence\":\"");
    s->started = true;
    /* Bases are ASCII letters; escape anyway, the server is not trusted with
       our output: control characters, quote and backslash are escaped, and
       any byte outside ASCII becomes \ufffd, so stdout stays JSON (and
       valid UTF-8) whatever the server sent. */
    {
        size_t i, run = 0;
        for (i = 0; i < len; i++) {
            unsigned char ch = (unsigned char)bases[i];
            if (ch >= 0x20 && ch < 0x80 && ch != '"' && ch != '\\') continue;
            out_mem(bases + run, i - run);
            if (ch >= 0x80) out_str("\\ufffd");
            else out_json_chars(bases + i, 1);
            run = i + 1;
        }
        out_mem(bases + run, len - run);
    }
    return 0;
}

int op_get_reference_chromosome(cli *c)
{
    sequence_out s;
    int64_t start, stop;
    int rc;
    if (c->o.nargs == 4) {
        if (c->o.has_range_start || c->o.has_range_stop)
            return cli_usage_error(c, "give the range as START STOP or as --range-start/--range-stop, not both");
        if (!cli_parse_i64(c->o.args[2], &start) || !cli_parse_i64(c->o.args[3], &stop))
            return cli_usage_error(c, "START and STOP must be integers");
    } else if (c->o.nargs == 2 && c->o.has_range_start && c->o.has_range_stop) {
        start = c->o.range_start;
        stop = c->o.range_stop;
    } else {
        return cli_usage_error(c, "the range is required: --range-start A --range-stop B");
    }
    s.started = false;
    rc = lum_get_reference_chromosome(c->client, c->o.args[0], c->o.args[1], start, stop, c->o.x_fields, on_bases,
                                      &s);
    if (rc == LUM_OK) out_str(s.started ? "\"}" : c->o.x_fields != NULL ? "{}" : "{\"sequence\":\"\"}");
    return done(c, c->cmd->name, rc);
}

/* ------------------------------------------------------------ dna-export */

int op_dna_export(cli *c)
{
    int rc;
    if (c->o.nargs == 1) {
        /* The reference's authorization_dna_data(authorization_uuid). */
        rc = lum_get_product_authorization(c->client, c->product, c->o.args[0], NULL, &authorization);
        if (rc != LUM_OK) return cli_fail(c, "get_product_authorization", rc);
        if (!(authorization.scopes.present & LUM_SCOPE_HAS_DATASET)) {
            fprintf(stderr, "lumminary: dna-export: authorization %s grants no dataset scope\n", c->o.args[0]);
            return EXIT_UNAUTHORIZED;
        }
    } else {
        memset(&authorization, 0, sizeof authorization);
        if (strlen(c->o.args[0]) >= sizeof authorization.client_uuid ||
            strlen(c->o.args[1]) >= sizeof authorization.scopes.dataset)
            return cli_usage_error(c, "CLIENT or DATASET longer than %zu characters",
                                   sizeof authorization.client_uuid - 1);
        memcpy(authorization.client_uuid, c->o.args[0], strlen(c->o.args[0]) + 1);
        memcpy(authorization.scopes.dataset, c->o.args[1], strlen(c->o.args[1]) + 1);
        authorization.scopes.present = LUM_SCOPE_HAS_DATASET;
    }
    rc = lum_authorization_dna_data(c->client, &authorization, &snp, out_write, NULL);
    if (rc != LUM_OK) return cli_fail(c, c->cmd->name, rc);
    return out_finish();
}
