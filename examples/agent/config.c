/*
 * Configuration file parser (see config.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *trim(char *s)
{
    char *end;
    while (*s == ' ' || *s == '\t') s++;
    end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n')) end--;
    *end = '\0';
    return s;
}

static int set_string(char *dst, size_t cap, const char *value)
{
    size_t n = strlen(value);
    if (n == 0 || n >= cap) return -1;
    memcpy(dst, value, n + 1);
    return 0;
}

static int set_number(uint32_t *dst, const char *value, uint32_t min, uint32_t max)
{
    int64_t v;
    if (lum_parse_int64(value, strlen(value), &v) != LUM_OK || v < min || v > max) return -1;
    *dst = (uint32_t)v;
    return 0;
}

static int set_bool(bool *dst, const char *value)
{
    if (strcmp(value, "true") == 0) *dst = true;
    else if (strcmp(value, "false") == 0) *dst = false;
    else return -1;
    return 0;
}

static int apply(agent_config *cfg, const char *key, const char *value)
{
    uint32_t n;
    if (strcmp(key, "api_host") == 0) return set_string(cfg->api_host, sizeof cfg->api_host, value);
    if (strcmp(key, "api_port") == 0) {
        if (set_number(&n, value, 1, 65535) != 0) return -1;
        cfg->api_port = (uint16_t)n;
        return 0;
    }
    if (strcmp(key, "api_base_path") == 0) return set_string(cfg->api_base_path, sizeof cfg->api_base_path, value);
    if (strcmp(key, "product_uuid") == 0) return set_string(cfg->job.product_uuid, sizeof cfg->job.product_uuid, value);
    if (strcmp(key, "api_key") == 0) return set_string(cfg->api_key, sizeof cfg->api_key, value);
    if (strcmp(key, "ca_file") == 0) return set_string(cfg->ca_file, sizeof cfg->ca_file, value);
    if (strcmp(key, "plain_http") == 0) return set_bool(&cfg->plain_http, value);
    if (strcmp(key, "tls_max_version") == 0) {
        if (strcmp(value, "1.2") == 0) cfg->tls_max_version = 2;
        else if (strcmp(value, "1.3") == 0) cfg->tls_max_version = 3;
        else return -1;
        return 0;
    }
    if (strcmp(key, "state_file") == 0) return set_string(cfg->state_file, sizeof cfg->state_file, value);
    if (strcmp(key, "panel_file") == 0) return set_string(cfg->panel_file, sizeof cfg->panel_file, value);
    if (strcmp(key, "timeout_ms") == 0) return set_number(&cfg->timeout_ms, value, 100, 600000);
    if (strcmp(key, "request_timeout_ms") == 0) return set_number(&cfg->request_timeout_ms, value, 1000, 86400000);
    if (strcmp(key, "retries") == 0) return set_number(&cfg->job.retries, value, 0, 20);
    if (strcmp(key, "retry_base_ms") == 0) return set_number(&cfg->job.retry_base_ms, value, 1, 60000);
    return -2;
}

int agent_config_load(agent_config *cfg, const char *path, char *why, size_t why_cap)
{
    char line[1024];
    FILE *f;
    int lineno = 0;

    memset(cfg, 0, sizeof *cfg);
    cfg->api_port = 443;
    strcpy(cfg->api_base_path, "/v1");
    cfg->tls_max_version = 3;
    cfg->timeout_ms = 30000;
    cfg->request_timeout_ms = 30u * 60u * 1000u;
    cfg->job.retries = 4;
    cfg->job.retry_base_ms = 500;

    f = fopen(path, "r");
    if (f == NULL) {
        snprintf(why, why_cap, "cannot read config file %s: %s", path, strerror(errno));
        return -1;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        char *eq, *key, *value, *s;
        int rc;
        lineno++;
        if (strchr(line, '\n') == NULL && !feof(f)) {
            snprintf(why, why_cap, "%s:%d: line too long", path, lineno);
            fclose(f);
            return -1;
        }
        s = trim(line);
        if (*s == '\0' || *s == '#') continue;
        eq = strchr(s, '=');
        if (eq == NULL) {
            snprintf(why, why_cap, "%s:%d: expected key = value", path, lineno);
            fclose(f);
            return -1;
        }
        *eq = '\0';
        key = trim(s);
        value = trim(eq + 1);
        rc = apply(cfg, key, value);
        if (rc != 0) {
            snprintf(why, why_cap, rc == -2 ? "%s:%d: unknown key '%s'" : "%s:%d: bad value for '%s'",
                     path, lineno, key);
            fclose(f);
            return -1;
        }
    }
    fclose(f);

    if (cfg->api_host[0] == '\0') snprintf(why, why_cap, "%s: api_host is required", path);
    else if (cfg->job.product_uuid[0] == '\0') snprintf(why, why_cap, "%s: product_uuid is required", path);
    else if (cfg->api_key[0] == '\0') snprintf(why, why_cap, "%s: api_key is required", path);
    else if (!cfg->plain_http && cfg->ca_file[0] == '\0')
        snprintf(why, why_cap, "%s: ca_file is required (or plain_http = true for a local sandbox)", path);
    else if (cfg->state_file[0] == '\0') snprintf(why, why_cap, "%s: state_file is required", path);
    else if (cfg->panel_file[0] == '\0') snprintf(why, why_cap, "%s: panel_file is required", path);
    else return 0;
    return -1;
}
