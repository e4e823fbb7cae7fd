/*
 * The agent's job: drain the product's authorization queue.
 *
 * For each authorization after the saved sequence number: skip it when
 * revoked; flag it unfulfillable when it grants no dataset or the dataset
 * lacks a SNP the product requires; otherwise stream the authorized SNPs
 * through the trait panel, upload the report and flag processing complete.
 * Progress is saved after every authorization (and around the upload), so a
 * crash or power cut at any point loses nothing and posts nothing twice.
 */
#ifndef AGENT_AGENT_H
#define AGENT_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lumminary.h"
#include "panel.h"
#include "state.h"

#define AGENT_BATCH 16          /* authorizations taken per queue poll */
#define AGENT_MAX_REQUIRED 64   /* SNPs a product may require */
#define AGENT_REPORT_MAX 8192

/* Process exit codes. */
enum {
    AGENT_EXIT_OK = 0,          /* queue drained */
    AGENT_EXIT_FAILED = 1,      /* stopped on an authorization it could not handle */
    AGENT_EXIT_CONFIG = 2,      /* bad command line or configuration */
    AGENT_EXIT_UNREACHABLE = 3, /* the server could not be reached */
    AGENT_EXIT_TLS = 4,         /* TLS set-up or handshake failed */
    AGENT_EXIT_AUTH = 5,        /* the product's credentials were refused */
    AGENT_EXIT_STATE = 6,       /* the state file is unreadable, corrupt or not writable */
    AGENT_EXIT_CRASH_TEST = 70  /* --crash-at fired (tests only) */
};

/* Points where a test can have the process end abruptly (see agent_io.crash). */
/* --crash-at points: state saved after an authorization; upload about to be
   sent (its pending state saved); upload answered. */
enum { CRASH_NONE, CRASH_SAVED, CRASH_UPLOADING, CRASH_UPLOADED };

/* What the job needs to know; where it comes from is the board's business. */
typedef struct agent_settings {
    char product_uuid[LUM_MAX_ID];
    uint32_t retries;       /* retries of a failed request */
    uint32_t retry_base_ms; /* first backoff delay, doubled per retry */
    /* How long an upload whose answer was never read (the connection died,
       or the agent was stopped) may still take to appear in the server's
       records: a "not there" is believed only after this long. 0: at once. */
    uint32_t upload_settle_ms;
} agent_settings;

/*
 * What the job needs from the board, beyond the client: the job itself does
 * no I/O of its own, so the same agent.c runs on Linux and in firmware.
 */
typedef struct agent_io {
    void *ctx;
    void (*sleep_ms)(void *ctx, uint32_t ms);
    /* Makes st durable (e.g. write + fsync + rename); 0, or -1 with why set. */
    int (*save_state)(void *ctx, const agent_state *st, char *why, size_t why_cap);
    void (*out)(void *ctx, const char *line); /* a progress line (no newline) */
    void (*err)(void *ctx, const char *line); /* a one-line reason (no newline) */
    /* Tests only (may be NULL): called at crash_phase's crash_count-th
       occurrence; ends the process at once, as a power cut would. */
    void (*crash)(void *ctx);
} agent_io;

typedef struct queue_item {
    char authorization_uuid[LUM_MAX_ID];
    char client_uuid[LUM_MAX_ID];
    char dataset[LUM_MAX_ID];   /* "" when the scope was not granted */
    bool is_active;
    int64_t seq;
} queue_item;

typedef struct agent {
    const agent_settings *cfg;
    lum_client *client;
    const lum_platform *platform;
    agent_io io;

    panel panel;
    agent_state state;
    char required[AGENT_MAX_REQUIRED][LUM_MAX_RSID];
    bool required_seen[AGENT_MAX_REQUIRED];
    size_t n_required;
    bool too_many_required;

    queue_item batch[AGENT_BATCH];
    size_t n_batch;
    lum_authorization authorization; /* scratch for decoding one authorization */
    lum_client_snp snp;              /* scratch for one streamed SNP */
    char report[AGENT_REPORT_MAX];

    unsigned n_reports, n_unfulfillable, n_skipped, n_failed;
    int crash_phase;
    unsigned crash_count;
    char why[256];
    char line[512];
} agent;

/* Runs the job to the end; returns an AGENT_EXIT_* code. Reports one
   progress line per authorization and a summary through io.out, one-line
   reasons through io.err. a->cfg, client, platform, io, panel and state
   must be set. */
int agent_run(agent *a);

#endif /* AGENT_AGENT_H */
