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

#include "config.h"
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
    AGENT_EXIT_STATE = 6,       /* the state file could not be written */
    AGENT_EXIT_CRASH_TEST = 70  /* --crash-at fired (tests only) */
};

/* Points where --crash-at can end the process abruptly. */
enum { CRASH_NONE, CRASH_SAVED, CRASH_UPLOADED };

typedef struct queue_item {
    char authorization_uuid[LUM_MAX_ID];
    char client_uuid[LUM_MAX_ID];
    char dataset[LUM_MAX_ID];   /* "" when the scope was not granted */
    bool is_active;
    int64_t seq;
} queue_item;

typedef struct agent {
    const agent_config *cfg;
    lum_client *client;
    const lum_platform *platform;
    void (*sleep_ms)(uint32_t ms);

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
} agent;

/* Runs the job to the end; returns an AGENT_EXIT_* code and prints one
   progress line per authorization and a summary to stdout, one-line
   reasons to stderr. a->cfg, client, platform, sleep_ms, panel and state
   must be set. */
int agent_run(agent *a);

#endif /* AGENT_AGENT_H */
