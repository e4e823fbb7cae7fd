/*
 * examples/cli/cli.h - the `lumminary` command-line tool, shared parts.
 *
 *   main.c     arguments, --help, the command table, exit codes
 *   session.c  credentials (file or environment), TCP + TLS, the client
 *   ops.c      one function per API operation, plus dna-export
 *   cwl_cmd.c  cwl-encrypt and cwl-decrypt
 *   output.c   JSON on stdout: models, streamed lists, strings
 *
 * Memory: static buffers only (no malloc, also not through stdio: stdout
 * gets a static buffer, files are read with open/read).
 */
#ifndef LUM_CLI_H
#define LUM_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lumminary.h"
#include "lumminary/credentials.h"
#include "lumminary/cwl.h"

/* Exit statuses (also listed by `lumminary --help`). */
enum {
    EXIT_OK = 0,
    EXIT_OTHER = 1,        /* anything not listed below */
    EXIT_USAGE = 2,        /* bad arguments, credentials file or environment */
    EXIT_UNREACHABLE = 3,  /* DNS, connection, timeout, connection lost */
    EXIT_TLS = 4,          /* TLS handshake, certificate, CA file */
    EXIT_CREDENTIALS = 5,  /* post_jwt_auth refused the product's credentials */
    EXIT_NOT_FOUND = 6,    /* HTTP 404 */
    EXIT_UNAUTHORIZED = 7, /* HTTP 401 / 403 on a call: data not authorized */
    EXIT_HTTP = 8,         /* another HTTP error status: 400, 409, 422, 429, 5xx... */
    EXIT_PROTOCOL = 9,     /* the server's answer was malformed (HTTP or JSON) */
    EXIT_DECRYPT = 10,     /* a CWL payload failed authentication */
    EXIT_IO = 11           /* a local file or stdout could not be read or written */
};

/* Option bits: which options a command accepts. */
enum {
    OPT_X_FIELDS = 1u << 0,
    OPT_SEQ_NUM_START = 1u << 1,
    OPT_DBSNP_BUILD = 1u << 2,
    OPT_REFERENCE_GENOME = 1u << 3,
    OPT_DBSNP_VERSION = 1u << 4,
    OPT_GRCH_VERSION = 1u << 5,
    OPT_RANGE = 1u << 6,
    OPT_ORIGINAL_FILENAME = 1u << 7,
    OPT_RESULT_CREDENTIALS = 1u << 8, /* --credentials-username/-password, --report-url */
    OPT_FILE = 1u << 9,
    OPT_KEY = 1u << 10,
    OPT_RAW = 1u << 11,
    OPT_REQUEST = 1u << 12 /* --scopes, --product-uuid, --custom-data */
};

#define CLI_MAX_ARGS 4096
#define CLI_MAX_CUSTOM 32

/* Everything the command line said. */
typedef struct cli_opts {
    const char *credentials; /* --credentials FILE */
    const char *ca_file;     /* --ca-file FILE */
    uint32_t timeout_ms;     /* --timeout MS; 0: the SDK's defaults */
    uint32_t deadline_ms;    /* --deadline MS; 0: CLI_DEFAULT_DEADLINE_MS */
    const char *x_fields;
    bool has_seq_num_start;
    int64_t seq_num_start;
    int32_t dbsnp_build, dbsnp_version; /* 0: not given */
    const char *reference_genome, *grch_version;
    bool has_range_start, has_range_stop;
    int64_t range_start, range_stop;
    const char *original_filename;
    const char *credentials_username, *credentials_password, *report_url;
    const char *file;
    const char *key;  /* --key B64 (or LUMMINARY_CWL_KEY) */
    bool raw;         /* --raw: CWL bytes without the JSON string layer */
    const char *scopes, *product_uuid;
    lum_cwl_pair custom[CLI_MAX_CUSTOM]; /* --custom-data KEY=VALUE (the text stays in argv) */
    size_t n_custom;
    const char *args[CLI_MAX_ARGS]; /* positional arguments after the command */
    int nargs;
} cli_opts;

typedef struct command command;

/* The state of one run. */
typedef struct cli {
    const command *cmd;
    cli_opts o;
    lum_client *client;    /* set up by session_open for commands that call the API */
    const char *product;   /* the credentials: product UUID, API key, role */
    const char *api_key;
    const char *role;
    const lum_platform *platform;
} cli;

struct command {
    const char *name;
    int (*run)(cli *c);   /* returns an EXIT_* status */
    uint32_t options;     /* OPT_* accepted */
    int min_args, max_args;
    bool api;             /* needs credentials and a connection */
    const char *args;     /* usage after the name */
    const char *summary;
    const char *example;  /* arguments of an example run */
};

/* ---- main.c ---- */
int cli_usage_error(const cli *c, const char *fmt, ...);
/* Reports a failed SDK call on stderr (operation, error, HTTP status, the
   server's message) and returns the matching EXIT_* status. */
int cli_fail(const cli *c, const char *what, int rc);
int cli_exit_status(int rc);

/* A whole request's limit unless --deadline says otherwise: a server that
   drips a byte just often enough to beat --timeout, or sends whitespace
   forever, is cut off. 30 minutes: a whole genome (150 MB) on a slow link. */
#define CLI_DEFAULT_DEADLINE_MS (30u * 60u * 1000u)
/* A whole argument as a JSON integer (lum_parse_int64: optional -, no
   leading zeros), within int64_t. */
bool cli_parse_i64(const char *s, int64_t *out);

/* ---- session.c ---- */
int session_open(cli *c);
void session_close(cli *c);
/* Reads a whole file into buf (static, cap bytes) with open/read. Returns the
   length, or -1 (errno set; -2 when it does not fit). */
long cli_read_file(const char *path, char *buf, size_t cap);

/* ---- output.c ---- */
void out_init(void);
int out_write(void *ctx, const char *data, size_t len); /* a lum_write_fn on stdout */
void out_str(const char *s);
void out_mem(const char *s, size_t n);
void out_json_string(const char *s, size_t n);
/* The same without the quotes: for a string written in pieces. */
void out_json_chars(const char *s, size_t n);
int out_model(const struct lum_model *m, const void *obj);
int out_finish(void); /* newline-free flush; EXIT_OK or EXIT_IO */

/* A JSON array printed element by element: "[" a "," b "]". out_list_end
   only after success: a failed download leaves an unterminated array. */
typedef struct out_list {
    unsigned long count;
} out_list;
void out_list_begin(out_list *l);
void out_list_next(out_list *l); /* before each element */
void out_list_end(out_list *l);

/*
 * An object whose streamed lists are printed as they arrive, first, followed
 * by the model's other fields: {"list":[...],"other":[...],<encoded model>}.
 */
typedef struct out_merged {
    int open_list;       /* the list being printed, or -1 */
    uint32_t seen;       /* bits of the lists started */
    unsigned long count; /* elements of the open list so far */
    bool any;            /* something printed already */
} out_merged;
void out_merged_init(out_merged *m);
/* Starts the next element of list number `list` (a model row, also its
   `present` bit) named name. */
void out_merged_element(out_merged *m, int list, const char *name);
/* Closes the open list, prints as [] each list of lists[] (names[]) that is
   present but never started, then the rest of the object from model m. */
int out_merged_finish(out_merged *m, const struct lum_model *model, const void *obj, uint32_t present,
                      const int *lists, const char *const *names, int n_lists);

/* ---- ops.c: one per operation, named as the operation ---- */
int op_post_jwt_auth(cli *c);
int op_get_product(cli *c);
int op_get_authorizations_queue(cli *c);
int op_get_product_authorization(cli *c);
int op_post_product_authorization(cli *c);
int op_post_product_authorization_unfulfillable(cli *c);
int op_post_authorization_result_file(cli *c);
int op_post_authorization_result_credentials(cli *c);
int op_get_client_snp(cli *c);
int op_get_client_snp_group(cli *c);
int op_post_client_snp_group(cli *c);
int op_get_client_gene(cli *c);
int op_get_gene(cli *c);
int op_get_reference_snp(cli *c);
int op_get_reference_genomes_group(cli *c);
int op_get_reference_genome(cli *c);
int op_get_reference_chromosome(cli *c);
int op_dna_export(cli *c);

/* ---- cwl_cmd.c ---- */
int op_cwl_encrypt(cli *c);
int op_cwl_decrypt(cli *c);

#endif /* LUM_CLI_H */
