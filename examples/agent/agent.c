/*
 * The agent's job (see agent.h). Retry policy lives here, not in the SDK:
 * idempotent requests are retried with exponential backoff and jitter,
 * honouring Retry-After; a result is never posted again before asking the
 * server whether the first one arrived.
 */
#include "agent.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- output */

/* Formats one line and hands it to io.out or io.err. */
static void emit(agent *a, bool error, const char *fmt, ...)
{
    va_list ap;
    size_t n = 0;
    if (error) n = (size_t)snprintf(a->line, sizeof a->line, "lumminary-agent: ");
    va_start(ap, fmt);
    vsnprintf(a->line + n, sizeof a->line - n, fmt, ap);
    va_end(ap);
    (error ? a->io.err : a->io.out)(a->io.ctx, a->line);
}
#define say(a, ...) emit(a, false, __VA_ARGS__)
#define warn(a, ...) emit(a, true, __VA_ARGS__)

/* Reports a failed call with the details in e (the call's own, kept before
   another call replaced them). */
static void say_error_info(agent *a, const char *what, int rc, const lum_error_info *e)
{
    char status[LUM_MAX_MESSAGE + 24] = "", field[96] = "";
    if (e->http_status != 0)
        snprintf(status, sizeof status, " (HTTP %d%s%s)", e->http_status, e->message[0] ? ": " : "", e->message);
    if (e->field != NULL) snprintf(field, sizeof field, " [%s.%s]", e->model != NULL ? e->model : "?", e->field);
    warn(a, "%s: %s%s%s", what, lum_strerror(rc), status, field);
}

static void say_error(agent *a, const char *what, int rc)
{
    say_error_info(a, what, rc, lum_client_error(a->client));
}

/* ---------------------------------------------------------------- retries */

static bool transient(int rc)
{
    switch (rc) {
    case LUM_ERR_CONNECT: case LUM_ERR_DNS: case LUM_ERR_TIMEOUT: case LUM_ERR_CLOSED:
    case LUM_ERR_TRANSPORT: case LUM_ERR_TRUNCATED: case LUM_ERR_SERVER: case LUM_ERR_RATE_LIMITED:
        return true;
    default:
        return false;
    }
}

/* Exponential backoff with "equal jitter", at least the server's Retry-After. */
static uint32_t backoff_ms(agent *a, unsigned attempt, uint32_t retry_after)
{
    uint32_t d = a->cfg->retry_base_ms, jitter = 0;
    uint8_t r[2] = {0, 0};
    while (attempt-- > 0 && d < 30000) d *= 2;
    if (d > 30000) d = 30000;
    if (a->platform->entropy(a->platform->ctx, r, sizeof r) == LUM_OK)
        jitter = (uint32_t)((r[0] << 8) | r[1]) % (d / 2 + 1);
    d = d / 2 + jitter;
    if (retry_after > 0 && retry_after * 1000u > d) d = retry_after * 1000u;
    return d;
}

/* After a failed attempt: true (having slept, at least retry_after_s) if
   another attempt should follow. */
static bool retry_after(agent *a, int rc, unsigned attempt, const char *what, uint32_t retry_after_s)
{
    uint32_t d;
    if (rc == LUM_OK || !transient(rc) || attempt >= a->cfg->retries) return false;
    d = backoff_ms(a, attempt, retry_after_s);
    warn(a, "%s: %s; retrying in %u ms", what, lum_strerror(rc), (unsigned)d);
    a->io.sleep_ms(a->io.ctx, d);
    return true;
}

/* The same, after the failed call that was the client's last. */
static bool retry(agent *a, int rc, unsigned attempt, const char *what)
{
    return retry_after(a, rc, attempt, what, lum_client_error(a->client)->retry_after_s);
}

static int exit_code_for(int rc)
{
    switch (rc) {
    case LUM_ERR_CONNECT: case LUM_ERR_DNS: case LUM_ERR_TIMEOUT: case LUM_ERR_CLOSED:
    case LUM_ERR_TRANSPORT:
        return AGENT_EXIT_UNREACHABLE;
    case LUM_ERR_TLS: case LUM_ERR_TLS_CERT: case LUM_ERR_TLS_CONFIG: case LUM_ERR_ENTROPY:
        return AGENT_EXIT_TLS;
    case LUM_ERR_AUTH:
        return AGENT_EXIT_AUTH;
    default:
        return AGENT_EXIT_FAILED;
    }
}

/* ---------------------------------------------------------------- state */

static int save_state(agent *a)
{
    if (a->io.save_state(a->io.ctx, &a->state, a->why, sizeof a->why) != 0) {
        warn(a, "%s", a->why);
        return AGENT_EXIT_STATE;
    }
    return AGENT_EXIT_OK;
}

/* Test hook: end the process abruptly, as a power cut would. */
static void maybe_crash(agent *a, int phase)
{
    if (a->io.crash != NULL && a->crash_phase == phase && a->crash_count > 0 && --a->crash_count == 0)
        a->io.crash(a->io.ctx);
}

/* Nothing pending any more. */
static void clear_pending(agent_state *st)
{
    st->pending_uuid[0] = '\0';
    st->pending_seq = -1;
    st->pending_phase = PHASE_NONE;
}

/* Marks seq fully handled. */
static int finalize(agent *a, int64_t seq)
{
    int rc;
    if (seq > a->state.last_seq) a->state.last_seq = seq;
    clear_pending(&a->state);
    rc = save_state(a);
    if (rc == AGENT_EXIT_OK) maybe_crash(a, CRASH_SAVED);
    return rc;
}

/* ---------------------------------------------------------------- product */

static int on_product_rsid(void *user, int list, const char *rsid)
{
    agent *a = (agent *)user;
    if (list != LUM_LIST_SNPS_MIN_REQUIRED) return 0;
    if (a->n_required == AGENT_MAX_REQUIRED) {
        a->too_many_required = true;
        return 0;
    }
    strcpy(a->required[a->n_required++], rsid);
    return 0;
}

static int load_product(agent *a)
{
    lum_product product;
    unsigned attempt;
    int rc;
    for (attempt = 0;; attempt++) {
        a->n_required = 0;
        a->too_many_required = false;
        rc = lum_get_product(a->client, a->cfg->product_uuid, NULL, &product, on_product_rsid, a);
        if (!retry(a, rc, attempt, "get_product")) break;
    }
    if (rc != LUM_OK) {
        say_error(a, "get_product", rc);
        return exit_code_for(rc);
    }
    if (a->too_many_required) {
        warn(a, "the product requires more than %d SNPs", AGENT_MAX_REQUIRED);
        return AGENT_EXIT_FAILED;
    }
    return AGENT_EXIT_OK;
}

/* ---------------------------------------------------------------- queue */

static int on_queue_item(void *user, const lum_authorization *auth)
{
    agent *a = (agent *)user;
    queue_item *it;
    size_t i;
    /* The queue may repeat the last handled authorization (seq_num_start
       is inclusive on some servers) and keeps revoked ones: skip those. */
    if (!(auth->present & LUM_AUTHORIZATION_HAS_SEQUENCE_NUMBER) || auth->sequence_number <= a->state.last_seq)
        return 0;
    if (a->n_batch == AGENT_BATCH) return 0; /* the next poll brings the rest */
    /* Keep the batch sorted by sequence number. */
    for (i = a->n_batch; i > 0 && a->batch[i - 1].seq > auth->sequence_number; i--) a->batch[i] = a->batch[i - 1];
    it = &a->batch[i];
    a->n_batch++;
    strcpy(it->authorization_uuid, auth->authorization_uuid);
    strcpy(it->client_uuid, auth->client_uuid);
    strcpy(it->dataset, (auth->scopes.present & LUM_SCOPE_HAS_DATASET) ? auth->scopes.dataset : "");
    it->is_active = auth->is_active;
    it->seq = auth->sequence_number;
    return 0;
}

static int poll_queue(agent *a)
{
    unsigned attempt;
    int rc;
    for (attempt = 0;; attempt++) {
        a->n_batch = 0;
        rc = lum_get_authorizations_queue(a->client, a->cfg->product_uuid,
                                          a->state.last_seq >= 0 ? a->state.last_seq : LUM_SEQ_NONE, NULL,
                                          &a->authorization, on_queue_item, a);
        if (!retry(a, rc, attempt, "get_authorizations_queue")) break;
    }
    if (rc != LUM_OK) say_error(a, "get_authorizations_queue", rc);
    return rc;
}

/* ---------------------------------------------------------------- results */

/* Asks the server about one authorization (retrying transient failures). */
static int fetch_authorization(agent *a, const char *uuid)
{
    unsigned attempt;
    int rc;
    for (attempt = 0;; attempt++) {
        rc = lum_get_product_authorization(a->client, a->cfg->product_uuid, uuid, NULL, &a->authorization);
        if (!retry(a, rc, attempt, "get_product_authorization")) break;
    }
    if (rc != LUM_OK) say_error(a, "get_product_authorization", rc);
    return rc;
}

/*
 * Whether the report for uuid is in the server's records: 1 yes, 0 no, or a
 * lum_err from asking. An upload whose answer was never read may still be
 * on its way in (the server had the whole body when the connection died,
 * or when the agent was stopped): unless it cannot be (settle false: the
 * request never reached the server, or was turned away unprocessed), a
 * "no" is only believed after upload_settle_ms and a second look.
 */
static int report_arrived(agent *a, const char *uuid, bool settle)
{
    int rc = fetch_authorization(a, uuid);
    if (rc != LUM_OK) return rc;
    if (a->authorization.report_files_count > 0) return 1;
    if (!settle || a->cfg->upload_settle_ms == 0) return 0;
    warn(a, "report of %s not there yet; asking again in %lu ms", uuid, (unsigned long)a->cfg->upload_settle_ms);
    a->io.sleep_ms(a->io.ctx, a->cfg->upload_settle_ms);
    rc = fetch_authorization(a, uuid);
    if (rc != LUM_OK) return rc;
    return a->authorization.report_files_count > 0;
}

static int flag_unfulfillable(agent *a, const queue_item *it, const char *reason)
{
    unsigned attempt;
    int rc;
    /* Idempotent (the state simply stays not_fulfillable): safe to resend. */
    for (attempt = 0;; attempt++) {
        rc = lum_post_product_authorization_unfulfillable(a->client, a->cfg->product_uuid,
                                                          it->authorization_uuid, NULL, NULL);
        if (!retry(a, rc, attempt, "post_product_authorization_unfulfillable")) break;
    }
    if (rc != LUM_OK) {
        say(a, "[seq %lld] %s: FAILED to flag unfulfillable", (long long)it->seq, it->authorization_uuid);
        say_error(a, "post_product_authorization_unfulfillable", rc);
        a->n_failed++;
        return exit_code_for(rc);
    }
    say(a, "[seq %lld] %s: unfulfillable (%s)", (long long)it->seq, it->authorization_uuid, reason);
    a->n_unfulfillable++;
    return finalize(a, it->seq);
}

/*
 * Uploads the report. When an attempt ends without a clear answer (the
 * connection failed after the body was sent, or a 5xx), the report may have
 * arrived: ask before sending it again.
 */
static int upload_report(agent *a, const queue_item *it, size_t len, char *name, size_t name_cap)
{
    unsigned attempt;
    int rc;
    snprintf(name, name_cap, "lumminary-report-%s.txt", it->authorization_uuid);
    for (attempt = 0;; attempt++) {
        lum_memory_source src;
        lum_reader reader;
        lum_error_info post_err;
        bool settle;
        int arrived;
        lum_reader_memory(&reader, &src, a->report, len, name);
        rc = lum_post_authorization_result_file(a->client, a->cfg->product_uuid, it->authorization_uuid,
                                                &reader, name, NULL, NULL);
        if (rc == LUM_OK || !transient(rc)) break;
        post_err = *lum_client_error(a->client); /* asking below replaces it */
        /* The server may still be recording it unless the request never
           reached it (no connection) or was turned away unprocessed (429);
           a 5xx may come from a gateway whose upstream goes on. */
        settle = rc != LUM_ERR_CONNECT && rc != LUM_ERR_DNS && rc != LUM_ERR_RATE_LIMITED;
        arrived = report_arrived(a, it->authorization_uuid, settle);
        if (arrived == 1) {
            warn(a, "upload of %s reported %s, but the report arrived", it->authorization_uuid, lum_strerror(rc));
            return LUM_OK;
        }
        if (arrived < 0) {
            /* Cannot tell: sending it again could post it twice. It stays
               pending; the next run asks again before anything else. */
            say_error_info(a, "post_authorization_result_file", rc, &post_err);
            return arrived;
        }
        if (!retry_after(a, rc, attempt, "post_authorization_result_file", post_err.retry_after_s)) {
            say_error_info(a, "post_authorization_result_file", rc, &post_err);
            return rc;
        }
    }
    if (rc != LUM_OK) say_error(a, "post_authorization_result_file", rc);
    return rc;
}

/* post_product_authorization cannot be checked afterwards, so it is sent
   once; a failure leaves only the "done" flag missing, the report stands. */
static void flag_done(agent *a, const char *uuid)
{
    int rc = lum_post_product_authorization(a->client, a->cfg->product_uuid, uuid);
    if (rc != LUM_OK) say_error(a, "post_product_authorization (report uploaded; done flag may be missing)", rc);
}

static int deliver_report(agent *a, const queue_item *it)
{
    char name[128], apoe[32];
    size_t len = panel_write_report(&a->panel, a->report, sizeof a->report, a->cfg->product_uuid,
                                    it->authorization_uuid, it->client_uuid, it->dataset);
    int rc;

    if (len == 0) {
        warn(a, "report for %s does not fit %d bytes", it->authorization_uuid,
                AGENT_REPORT_MAX);
        a->n_failed++;
        return AGENT_EXIT_FAILED;
    }
    strcpy(a->state.pending_uuid, it->authorization_uuid);
    a->state.pending_seq = it->seq;
    a->state.pending_phase = PHASE_UPLOADING;
    if ((rc = save_state(a)) != AGENT_EXIT_OK) return rc;
    maybe_crash(a, CRASH_UPLOADING);

    rc = upload_report(a, it, len, name, sizeof name);
    if (rc != LUM_OK) {
        say(a, "[seq %lld] %s: FAILED to upload the report", (long long)it->seq, it->authorization_uuid);
        a->n_failed++;
        return exit_code_for(rc);
    }
    maybe_crash(a, CRASH_UPLOADED);
    a->state.pending_phase = PHASE_FINISHING;
    if ((rc = save_state(a)) != AGENT_EXIT_OK) return rc;
    flag_done(a, it->authorization_uuid);
    say(a, "[seq %lld] %s: report uploaded (%s, %lu bytes; %lu of %lu panel SNPs called; APOE %s)",
           (long long)it->seq, it->authorization_uuid, name, (unsigned long)len,
           (unsigned long)panel_called(&a->panel), (unsigned long)a->panel.n,
           panel_apoe(&a->panel, apoe, sizeof apoe));
    a->n_reports++;
    return finalize(a, it->seq);
}

/* ---------------------------------------------------------------- SNPs */

static int on_snp(void *user, const lum_client_snp *snp)
{
    agent *a = (agent *)user;
    size_t i;
    panel_observe(&a->panel, snp);
    for (i = 0; i < a->n_required; i++)
        if (!a->required_seen[i] && strcmp(a->required[i], snp->snp_id) == 0) a->required_seen[i] = true;
    return 0;
}

static int fetch_snps(agent *a, const queue_item *it)
{
    unsigned attempt;
    int rc;
    for (attempt = 0;; attempt++) {
        /* A failed attempt may have delivered part of the list: start over. */
        panel_reset(&a->panel);
        memset(a->required_seen, 0, sizeof a->required_seen);
        rc = lum_get_client_snp_group(a->client, it->client_uuid, it->dataset, NULL, &a->snp, on_snp, a);
        if (!retry(a, rc, attempt, "get_client_snp_group")) break;
    }
    return rc;
}

static const char *first_missing_required(const agent *a)
{
    size_t i;
    for (i = 0; i < a->n_required; i++)
        if (!a->required_seen[i]) return a->required[i];
    return NULL;
}

static int process(agent *a, const queue_item *it)
{
    char reason[96];
    const char *missing;
    int rc;

    if (!it->is_active) {
        say(a, "[seq %lld] %s: skipped (revoked)", (long long)it->seq, it->authorization_uuid);
        a->n_skipped++;
        return finalize(a, it->seq);
    }
    if (it->dataset[0] == '\0') return flag_unfulfillable(a, it, "no dataset scope");

    rc = fetch_snps(a, it);
    if (rc == LUM_ERR_UNAUTHORIZED && fetch_authorization(a, it->authorization_uuid) == LUM_OK &&
        !a->authorization.is_active) {
        /* Revoked between the poll and the read. */
        say(a, "[seq %lld] %s: skipped (revoked)", (long long)it->seq, it->authorization_uuid);
        a->n_skipped++;
        return finalize(a, it->seq);
    }
    if (rc != LUM_OK) {
        say(a, "[seq %lld] %s: FAILED to read the dataset", (long long)it->seq, it->authorization_uuid);
        say_error(a, "get_client_snp_group", rc);
        a->n_failed++;
        return exit_code_for(rc);
    }
    missing = first_missing_required(a);
    if (missing != NULL) {
        snprintf(reason, sizeof reason, "required SNP %s missing from the dataset", missing);
        return flag_unfulfillable(a, it, reason);
    }
    return deliver_report(a, it);
}

/* ---------------------------------------------------------------- recovery */

/* An upload was in flight when the last run ended: find out how it ended. */
static int recover(agent *a)
{
    agent_state *st = &a->state;
    int rc;
    if (st->pending_phase == PHASE_NONE) return AGENT_EXIT_OK;
    if (st->pending_phase == PHASE_FINISHING) {
        /* The report is there; "done" may or may not be: it cannot be
           checked, so it is not sent a second time. */
        warn(a, "resuming: report of %s was uploaded before the stop", st->pending_uuid);
        return finalize(a, st->pending_seq);
    }
    /* Stopped mid-upload: the upload may still be on its way in. */
    rc = report_arrived(a, st->pending_uuid, true);
    if (rc == LUM_ERR_NOT_FOUND) {
        /* The authorization is gone: nothing to deliver, nothing to redo. */
        warn(a, "resuming: authorization %s no longer exists; forgetting its upload", st->pending_uuid);
        clear_pending(st);
        return save_state(a);
    }
    if (rc < 0) return exit_code_for(rc);
    if (rc == 1) {
        warn(a, "resuming: report of %s arrived before the stop", st->pending_uuid);
        st->pending_phase = PHASE_FINISHING;
        if ((rc = save_state(a)) != AGENT_EXIT_OK) return rc;
        flag_done(a, st->pending_uuid);
        a->n_reports++;
        return finalize(a, st->pending_seq);
    }
    /* It did not arrive: the queue still holds it and it is redone. */
    warn(a, "resuming: report of %s did not arrive; redoing it", st->pending_uuid);
    clear_pending(st);
    return save_state(a);
}

/* ---------------------------------------------------------------- the job */

int agent_run(agent *a)
{
    unsigned handled = 0;
    int rc = load_product(a);
    if (rc != AGENT_EXIT_OK) return rc;
    rc = recover(a);
    if (rc != AGENT_EXIT_OK) return rc;

    for (;;) {
        size_t i;
        int prc = poll_queue(a);
        if (prc != LUM_OK) return exit_code_for(prc);
        if (a->n_batch == 0) break;
        for (i = 0; i < a->n_batch; i++) {
            rc = process(a, &a->batch[i]);
            if (rc != AGENT_EXIT_OK) return rc;
            handled++;
        }
    }
    say(a, "queue drained: %u authorization%s handled: %u report%s, %u unfulfillable, %u skipped, %u failed",
           handled, handled == 1 ? "" : "s", a->n_reports, a->n_reports == 1 ? "" : "s", a->n_unfulfillable,
           a->n_skipped, a->n_failed);
    return AGENT_EXIT_OK;
}
