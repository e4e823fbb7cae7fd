/*
 * The agent's progress, saved atomically after every step that the server
 * cannot tell us about afterwards.
 *
 *   last_seq       sequence number of the last authorization fully handled
 *                  (-1: none yet)
 *   pending_*      an authorization whose upload was started: after a crash,
 *                  the agent asks the server whether the report arrived
 *                  before deciding anything ("uploading"), or knows that
 *                  only the final "done" flag may be missing ("finishing").
 *
 * Saving writes a temporary file, fsyncs it, renames it over the old one and
 * fsyncs the directory: after a power cut the file is the old or the new
 * state, never a mix.
 */
#ifndef AGENT_STATE_H
#define AGENT_STATE_H

#include <stdint.h>
#include <stddef.h>

enum { PHASE_NONE, PHASE_UPLOADING, PHASE_FINISHING };

typedef struct agent_state {
    int64_t last_seq;
    char pending_uuid[64];
    int64_t pending_seq;
    int pending_phase;
} agent_state;

/* Loads path (a missing file is a fresh state). Returns 0 or -1 (why set). */
int agent_state_load(agent_state *st, const char *path, char *why, size_t why_cap);

/* Saves st to path atomically. Returns 0 or -1 (why set). */
int agent_state_save(const agent_state *st, const char *path, char *why, size_t why_cap);

#endif /* AGENT_STATE_H */
