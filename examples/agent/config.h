/*
 * The agent's configuration file (POSIX builds): `key = value` lines, `#` comments.
 *
 *   api_host        API host name or address (required)
 *   api_port        default 443
 *   api_base_path   default /v1
 *   product_uuid    the product's UUID (required)
 *   api_key         the product's API key (required)
 *   ca_file         PEM file of the CA(s) to trust (required unless plain_http)
 *   plain_http      "true" sends everything unencrypted: only for a local
 *                   sandbox, never for the real API (default false)
 *   tls_max_version 1.2 or 1.3 (default 1.3)
 *   state_file      where progress is saved (required)
 *   panel_file      the trait panel TSV (required)
 *   timeout_ms      longest wait for the server (default 30000)
 *   request_timeout_ms  longest a whole request may take, body included
 *                   (default 1800000, 30 minutes: a whole genome on a slow
 *                   link); a server that drips bytes is cut off there
 *   retries         retries of a failed request (default 4)
 *   retry_base_ms   first backoff delay, doubled per retry (default 500)
 *
 * Unknown keys are errors, so a typo never silently changes behaviour.
 */
#ifndef AGENT_CONFIG_H
#define AGENT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent.h"

#define AGENT_PATH_MAX 512

typedef struct agent_config {
    agent_settings job; /* product_uuid, retries, retry_base_ms */
    char api_host[128];
    uint16_t api_port;
    char api_base_path[64];
    char api_key[160];
    char ca_file[AGENT_PATH_MAX];
    bool plain_http;
    uint8_t tls_max_version; /* 2 or 3 */
    char state_file[AGENT_PATH_MAX];
    char panel_file[AGENT_PATH_MAX];
    uint32_t timeout_ms;
    uint32_t request_timeout_ms;
} agent_config;

/* Reads path into cfg. Returns 0, or -1 with a one-line reason in why. */
int agent_config_load(agent_config *cfg, const char *path, char *why, size_t why_cap);

#endif /* AGENT_CONFIG_H */
