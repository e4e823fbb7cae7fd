/*
 * lumminary: the Lumminary API from a shell, one subcommand per operation.
 *
 *   lumminary [OPTIONS] COMMAND [ARGS] [OPTIONS]
 *
 * `lumminary --help` lists every command with an example, the options, where
 * credentials come from and the exit statuses. See cli.h for the layout.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define C1 "9d600268-9e3d-4a2f-93d3-5cb8f718f8ab"
#define D1 "482f486c-0575-45fb-83e9-269622814029"
#define A1 "21dde439-f110-4307-85e7-d4f474a4a39a"
#define X OPT_X_FIELDS

static const command commands[] = {
    {"post_jwt_auth", op_post_jwt_auth, X, 0, 3, true, "[USERNAME PASSWORD [ROLE]]",
     "a JWT (default: for the credentials' product)", ""},
    {"get_product", op_get_product, X, 0, 1, true, "[PRODUCT]",
     "the product (default: the credentials' one), rsid lists first", "--x-fields product_uuid,snps_authorized"},
    {"get_authorizations_queue", op_get_authorizations_queue, X | OPT_SEQ_NUM_START, 0, 1, true,
     "[PRODUCT] [--seq-num-start N]", "authorizations not yet processed", "--seq-num-start 3"},
    {"get_product_authorization", op_get_product_authorization, X, 1, 2, true, "[PRODUCT] AUTHORIZATION",
     "one authorization", A1},
    {"post_product_authorization", op_post_product_authorization, 0, 1, 2, true, "[PRODUCT] AUTHORIZATION",
     "flag it processed, no result (prints nothing)", A1},
    {"post_product_authorization_unfulfillable", op_post_product_authorization_unfulfillable, X, 1, 2, true,
     "[PRODUCT] AUTHORIZATION", "flag it unfulfillable", A1},
    {"post_authorization_result_file", op_post_authorization_result_file, X | OPT_FILE | OPT_ORIGINAL_FILENAME, 1,
     2, true, "[PRODUCT] AUTHORIZATION --file PATH|- [--original-filename NAME]", "upload a report file",
     A1 " --file report.pdf --original-filename report.pdf"},
    {"post_authorization_result_credentials", op_post_authorization_result_credentials,
     X | OPT_RESULT_CREDENTIALS, 1, 2, true,
     "[PRODUCT] AUTHORIZATION [--credentials-username U] [--credentials-password P] [--report-url URL]",
     "post website credentials as the result", A1 " --report-url https://example.com/r/1"},
    {"get_client_snp", op_get_client_snp, X, 3, 3, true, "CLIENT DATASET SNP", "one SNP of a dataset",
     C1 " " D1 " rs429358"},
    {"get_client_snp_group", op_get_client_snp_group, X, 2, 2, true, "CLIENT DATASET",
     "every SNP of a dataset the product may read", C1 " " D1 " --x-fields snp_id,genotyped_alleles"},
    {"post_client_snp_group", op_post_client_snp_group, X, 3, CLI_MAX_ARGS, true, "CLIENT DATASET SNP...",
     "these SNPs of a dataset", C1 " " D1 " rs429358 rs7412"},
    {"get_client_gene", op_get_client_gene, X, 3, 3, true, "CLIENT DATASET GENE",
     "a gene with the dataset's SNPs in it, SNPs first", C1 " " D1 " APOE"},
    {"get_gene", op_get_gene, X | OPT_DBSNP_BUILD | OPT_REFERENCE_GENOME, 2, 2, true,
     "DATABASE ACCESSION [--dbsnp-build N] [--reference-genome G]", "a reference gene, snp_ids first",
     "HGNC APOE --dbsnp-build 149 --reference-genome GRCH37P13"},
    {"get_reference_snp", op_get_reference_snp, X | OPT_DBSNP_VERSION | OPT_GRCH_VERSION, 1, 1, true,
     "SNP [--dbsnp-version N] [--grch-version G]", "a reference SNP", "rs7412 --dbsnp-version 149"},
    {"get_reference_genomes_group", op_get_reference_genomes_group, X, 0, 0, true, "",
     "the reference genome builds", ""},
    {"get_reference_genome", op_get_reference_genome, X, 1, 1, true, "GENOME_BUILD",
     "the chromosomes of a build", "GCF_000001405.25"},
    {"get_reference_chromosome", op_get_reference_chromosome, X | OPT_RANGE, 2, 4, true,
     "GENOME_BUILD CHROMOSOME --range-start A --range-stop B",
     "bases A..B (both included) of a chromosome", "GCF_000001405.25 NC_012920.1 --range-start 1 --range-stop 60"},
    {"dna-export", op_dna_export, 0, 1, 2, true, "CLIENT DATASET | AUTHORIZATION",
     "23andMe-style TSV of the SNPs the product may read", C1 " " D1 " > genome.txt"},
    {"cwl-encrypt", op_cwl_encrypt, OPT_KEY | OPT_RAW | OPT_REQUEST, 0, 1, false,
     "--key B64 (JSON | --scopes S --product-uuid P [--custom-data K=V]...) [--raw]",
     "a Connect with Lumminary data-request", "--key \"$CWL_KEY\" '{\"scopes\": \"dataset\", \"productUuid\": \"P\"}'"},
    {"cwl-decrypt", op_cwl_decrypt, OPT_KEY | OPT_RAW, 1, 1, false, "--key B64 (PAYLOAD | CALLBACK_URL) [--raw]",
     "a payload, or a callback URL's request and response", "--key \"$CWL_KEY\" 'https://you.example/cb?request=...&response=...'"},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void help(FILE *f)
{
    size_t i;
    fprintf(f, "usage: lumminary COMMAND [ARGUMENTS] [OPTIONS]\n"
               "\n"
               "The Lumminary API from the shell: one command per operation of the API's\n"
               "operation list, named as the operation. Results are JSON on stdout (one\n"
               "document and a newline; lists stream element by element), dna-export is\n"
               "TSV. Errors go to stderr with the HTTP status and the server's message.\n"
               "\n"
               "commands:\n");
    for (i = 0; i < N_COMMANDS; i++) {
        fprintf(f, "  %s %s\n      %s\n      e.g. lumminary %s%s%s\n", commands[i].name, commands[i].args,
                commands[i].summary, commands[i].name, commands[i].example[0] ? " " : "", commands[i].example);
    }
    fprintf(f, "\n"
               "options (where the command takes them):\n"
               "  --x-fields MASK            X-Fields mask, e.g. snp_id,genotyped_alleles\n"
               "  --seq-num-start N          --dbsnp-build N  --reference-genome G\n"
               "  --dbsnp-version N          --grch-version G\n"
               "  --range-start A            --range-stop B\n"
               "  --file PATH                --original-filename NAME\n"
               "  --credentials-username U   --credentials-password P  --report-url URL\n"
               "  --key B64                  the partner's CWL key (or LUMMINARY_CWL_KEY)\n"
               "  --raw                      CWL bytes as they are, without the JSON string layer\n"
               "  --credentials FILE         credentials file (or LUMMINARY_CREDENTIALS)\n"
               "  --ca-file FILE             CA certificates for TLS (or LUMMINARY_CA_FILE;\n"
               "                             default " "/etc/ssl/certs/ca-certificates.crt)\n"
               "  --timeout MS               limit on every network wait (default 30000)\n"
               "  --deadline MS              limit on each request as a whole, body included\n"
               "                             (default 1800000: 30 minutes)\n"
               "\n"
               "credentials: a JSON file, as the reference client's env.json:\n"
               "  {\"login\": \"<product uuid>\", \"api_key\": \"<key>\", \"role\": \"role_product\",\n"
               "   \"host\": \"https://api.lumminary.com/v1\"}\n"
               "(or \"product_uuid\" and \"api_host\"), else the environment variables\n"
               "LUMMINARY_PRODUCT_UUID, LUMMINARY_API_KEY and LUMMINARY_HOST (the base URL,\n"
               "default https://api.lumminary.com/v1). Plain HTTP only for an http:// URL.\n"
               "\n"
               "exit status:\n"
               "   0 success                          6 not found (HTTP 404)\n"
               "   1 other failure                    7 not authorized (HTTP 401/403)\n"
               "   2 bad usage or credentials         8 other HTTP error (400, 409, 429, 5xx...)\n"
               "   3 server unreachable               9 malformed answer from the server\n"
               "   4 TLS failure                     10 CWL payload failed authentication\n"
               "   5 credentials refused             11 local file or output error\n"
               "On failure stdout may hold part of a streamed result: trust the status.\n");
}

int cli_usage_error(const cli *c, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "lumminary: %s: ", c->cmd != NULL ? c->cmd->name : "usage");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (c->cmd != NULL)
        fprintf(stderr, "\nusage: lumminary %s %s\n", c->cmd->name, c->cmd->args);
    else
        fprintf(stderr, "\n(lumminary --help lists the commands)\n");
    return EXIT_USAGE;
}

int cli_exit_status(int rc)
{
    switch (rc) {
    case LUM_OK: return EXIT_OK;
    case LUM_ERR_INVALID_ARG: return EXIT_USAGE;
    case LUM_ERR_TRANSPORT: case LUM_ERR_CONNECT: case LUM_ERR_DNS: case LUM_ERR_TIMEOUT: case LUM_ERR_CLOSED:
        return EXIT_UNREACHABLE;
    case LUM_ERR_TLS: case LUM_ERR_TLS_CERT: case LUM_ERR_TLS_CONFIG: return EXIT_TLS;
    case LUM_ERR_AUTH: return EXIT_CREDENTIALS;
    case LUM_ERR_NOT_FOUND: return EXIT_NOT_FOUND;
    case LUM_ERR_UNAUTHORIZED: case LUM_ERR_FORBIDDEN: return EXIT_UNAUTHORIZED;
    case LUM_ERR_HTTP_STATUS: case LUM_ERR_BAD_REQUEST: case LUM_ERR_CONFLICT: case LUM_ERR_UNPROCESSABLE:
    case LUM_ERR_RATE_LIMITED: case LUM_ERR_SERVER:
        return EXIT_HTTP;
    case LUM_ERR_PROTOCOL: case LUM_ERR_HEADER_LINE_TOO_LONG: case LUM_ERR_HEADERS_TOO_LARGE:
    case LUM_ERR_TRUNCATED: case LUM_ERR_BODY_TOO_LARGE: case LUM_ERR_JSON: case LUM_ERR_JSON_TYPE:
    case LUM_ERR_JSON_MISSING: case LUM_ERR_JSON_TOKENS: case LUM_ERR_ELEMENT_TOO_LARGE:
        return EXIT_PROTOCOL;
    case LUM_ERR_DECRYPT: return EXIT_DECRYPT;
    /* The CLI's callbacks stop a download only when stdout fails. */
    case LUM_ERR_IO: case LUM_ERR_ABORTED: return EXIT_IO;
    default: return EXIT_OTHER;
    }
}

int cli_fail(const cli *c, const char *what, int rc)
{
    const lum_error_info *e = c->client != NULL ? lum_client_error(c->client) : NULL;
    fflush(stdout);
    fprintf(stderr, "lumminary: %s: %s", what, lum_strerror(rc));
    if (e != NULL && e->http_status != 0)
        fprintf(stderr, "; HTTP %d%s%s", e->http_status, e->message[0] != '\0' ? ": " : "", e->message);
    if (e != NULL && e->field != NULL) fprintf(stderr, "; in %s.%s", e->model != NULL ? e->model : "?", e->field);
    if (rc == LUM_ERR_ABORTED || rc == LUM_ERR_IO) fprintf(stderr, " (writing the output failed)");
    fputc('\n', stderr);
    /* A value too long for its field in the server's answer is a malformed
       answer, not a local failure. */
    if (rc == LUM_ERR_TOO_LONG && e != NULL && e->model != NULL) return EXIT_PROTOCOL;
    return cli_exit_status(rc);
}

bool cli_parse_i64(const char *s, int64_t *out)
{
    return lum_parse_int64(s, strlen(s), out) == LUM_OK;
}

/* ---------------------------------------------------------------- options */

enum { V_STR, V_I64, V_I32_POSITIVE, V_U32_POSITIVE, V_FLAG, V_PAIR };

typedef struct option {
    const char *name;
    uint32_t bit; /* 0: every command */
    int kind;
    size_t offset; /* in cli_opts */
    size_t has;    /* bool set when given, or (size_t)-1 */
} option;

#define NO_HAS ((size_t)-1)
#define AT(m) offsetof(cli_opts, m)

static const option options[] = {
    {"credentials", 0, V_STR, AT(credentials), NO_HAS},
    {"ca-file", 0, V_STR, AT(ca_file), NO_HAS},
    {"timeout", 0, V_U32_POSITIVE, AT(timeout_ms), NO_HAS},
    {"deadline", 0, V_U32_POSITIVE, AT(deadline_ms), NO_HAS},
    {"x-fields", OPT_X_FIELDS, V_STR, AT(x_fields), NO_HAS},
    {"seq-num-start", OPT_SEQ_NUM_START, V_I64, AT(seq_num_start), AT(has_seq_num_start)},
    {"dbsnp-build", OPT_DBSNP_BUILD, V_I32_POSITIVE, AT(dbsnp_build), NO_HAS},
    {"reference-genome", OPT_REFERENCE_GENOME, V_STR, AT(reference_genome), NO_HAS},
    {"dbsnp-version", OPT_DBSNP_VERSION, V_I32_POSITIVE, AT(dbsnp_version), NO_HAS},
    {"grch-version", OPT_GRCH_VERSION, V_STR, AT(grch_version), NO_HAS},
    {"range-start", OPT_RANGE, V_I64, AT(range_start), AT(has_range_start)},
    {"range-stop", OPT_RANGE, V_I64, AT(range_stop), AT(has_range_stop)},
    {"original-filename", OPT_ORIGINAL_FILENAME, V_STR, AT(original_filename), NO_HAS},
    {"credentials-username", OPT_RESULT_CREDENTIALS, V_STR, AT(credentials_username), NO_HAS},
    {"credentials-password", OPT_RESULT_CREDENTIALS, V_STR, AT(credentials_password), NO_HAS},
    {"report-url", OPT_RESULT_CREDENTIALS, V_STR, AT(report_url), NO_HAS},
    {"file", OPT_FILE, V_STR, AT(file), NO_HAS},
    {"key", OPT_KEY, V_STR, AT(key), NO_HAS},
    {"raw", OPT_RAW, V_FLAG, AT(raw), NO_HAS},
    {"scopes", OPT_REQUEST, V_STR, AT(scopes), NO_HAS},
    {"product-uuid", OPT_REQUEST, V_STR, AT(product_uuid), NO_HAS},
    {"custom-data", OPT_REQUEST, V_PAIR, 0, NO_HAS},
};
#define N_OPTIONS (sizeof options / sizeof options[0])

/* Applies one option (value may be NULL for flags). Returns EXIT_OK or EXIT_USAGE. */
static int set_option(cli *c, const option *op, const char *value)
{
    char *base = (char *)&c->o;
    int64_t v;
    switch (op->kind) {
    case V_STR:
        memcpy(base + op->offset, &value, sizeof value);
        break;
    case V_FLAG:
        *(bool *)(void *)(base + op->offset) = true;
        break;
    case V_I64:
        if (!cli_parse_i64(value, &v) || v < 0)
            return cli_usage_error(c, "--%s wants a non-negative integer, not \"%s\"", op->name, value);
        memcpy(base + op->offset, &v, sizeof v);
        break;
    case V_I32_POSITIVE:
    case V_U32_POSITIVE: {
        int64_t max = op->kind == V_I32_POSITIVE ? INT32_MAX : 3600000;
        if (!cli_parse_i64(value, &v) || v < 1 || v > max)
            return cli_usage_error(c, "--%s wants an integer from 1 to %lld, not \"%s\"", op->name, (long long)max,
                                   value);
        if (op->kind == V_I32_POSITIVE) {
            int32_t i = (int32_t)v;
            memcpy(base + op->offset, &i, sizeof i);
        } else {
            uint32_t u = (uint32_t)v;
            memcpy(base + op->offset, &u, sizeof u);
        }
        break;
    }
    case V_PAIR: {
        /* KEY=VALUE: split in argv itself (its bytes are ours to change). */
        char *eq = strchr((char *)(uintptr_t)value, '=');
        if (eq == NULL || eq == value) return cli_usage_error(c, "--%s wants KEY=VALUE", op->name);
        if (c->o.n_custom == CLI_MAX_CUSTOM) return cli_usage_error(c, "more than %d --%s", CLI_MAX_CUSTOM, op->name);
        *eq = '\0';
        c->o.custom[c->o.n_custom].key = value;
        c->o.custom[c->o.n_custom].value = eq + 1;
        c->o.n_custom++;
        break;
    }
    default:
        break;
    }
    if (op->has != NO_HAS) *(bool *)(void *)(base + op->has) = true;
    return EXIT_OK;
}

static const command *find_command(const char *name)
{
    size_t i;
    for (i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    return NULL;
}

/* Parses argv into c. Returns EXIT_OK, or a status to exit with (-1: help shown). */
static int parse(cli *c, int argc, char **argv)
{
    bool only_args = false, want_help = false;
    const char *stray = NULL;       /* an option the command does not take */
    uint32_t given = 0;
    int i;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!only_args && strcmp(a, "--") == 0) {
            only_args = true;
        } else if (!only_args && (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
            want_help = true;
        } else if (!only_args && a[0] == '-' && a[1] == '-') {
            const char *name = a + 2, *eq = strchr(name, '='), *value = NULL;
            size_t n = eq != NULL ? (size_t)(eq - name) : strlen(name), k;
            const option *op = NULL;
            for (k = 0; k < N_OPTIONS; k++)
                if (strlen(options[k].name) == n && strncmp(options[k].name, name, n) == 0) op = &options[k];
            if (op == NULL) return cli_usage_error(c, "unknown option %s", a);
            if (op->kind != V_FLAG) {
                if (eq != NULL) value = eq + 1;
                else if (i + 1 < argc) value = argv[++i];
                else return cli_usage_error(c, "%s needs a value", a);
            } else if (eq != NULL) {
                return cli_usage_error(c, "%s takes no value", a);
            }
            if (op->bit != 0 && stray == NULL) {
                given |= op->bit; /* checked against the command at the end */
                if (c->cmd != NULL && !(c->cmd->options & op->bit)) stray = op->name;
            }
            if (set_option(c, op, value) != EXIT_OK) return EXIT_USAGE;
        } else if (c->cmd == NULL) {
            c->cmd = find_command(a);
            if (c->cmd == NULL) return cli_usage_error(c, "unknown command \"%s\"", a);
        } else {
            if (c->o.nargs == CLI_MAX_ARGS) return cli_usage_error(c, "more than %d arguments", CLI_MAX_ARGS);
            c->o.args[c->o.nargs++] = a;
        }
    }
    if (want_help) {
        if (c->cmd == NULL) {
            help(stdout);
        } else {
            printf("usage: lumminary %s %s\n  %s\n  e.g. lumminary %s%s%s\n", c->cmd->name, c->cmd->args,
                   c->cmd->summary, c->cmd->name, c->cmd->example[0] ? " " : "", c->cmd->example);
        }
        return -1;
    }
    if (c->cmd == NULL) return cli_usage_error(c, "no command given");
    if (stray == NULL && (given & ~c->cmd->options) != 0) {
        size_t k;
        for (k = 0; k < N_OPTIONS; k++)
            if (options[k].bit & given & ~c->cmd->options) stray = options[k].name;
    }
    if (stray != NULL) return cli_usage_error(c, "--%s does not apply to this command", stray);
    if (c->o.nargs < c->cmd->min_args || c->o.nargs > c->cmd->max_args)
        return cli_usage_error(c, "%d argument%s given", c->o.nargs, c->o.nargs == 1 ? "" : "s");
    return EXIT_OK;
}

static cli run;

int main(int argc, char **argv)
{
    int rc;
    out_init();
    rc = parse(&run, argc, argv);
    if (rc == -1) return out_finish();
    if (rc != EXIT_OK) return rc;
    if (run.cmd->api) {
        rc = session_open(&run);
        if (rc != EXIT_OK) return rc;
    }
    rc = run.cmd->run(&run);
    if (run.cmd->api) session_close(&run);
    return rc;
}
