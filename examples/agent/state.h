/*
 * The agent's progress, saved after every step that the server cannot tell
 * us about afterwards.
 *
 *   last_seq       sequence number of the last authorization fully handled
 *                  (-1: none yet)
 *   pending_*      an authorization whose upload was started: after a crash,
 *                  the agent asks the server whether the report arrived
 *                  before deciding anything ("uploading"), or knows that
 *                  only the final "done" flag may be missing ("finishing").
 *
 * This file only turns the state into text and back; where the text is kept
 * (a file, a flash sector) is the board's business: see state_file.h.
 */
#ifndef AGENT_STATE_H
#define AGENT_STATE_H

#include <stddef.h>
#include <stdint.h>

enum { PHASE_NONE, PHASE_UPLOADING, PHASE_FINISHING };

typedef struct agent_state {
    int64_t last_seq;
    char pending_uuid[64];
    int64_t pending_seq;
    int pending_phase;
} agent_state;

#define AGENT_STATE_TEXT_MAX 256

/* A fresh state: nothing handled, nothing pending. */
void agent_state_init(agent_state *st);

/* Parses the text form (NUL-terminated), exactly as agent_state_format
   writes it: all four keys once each, every line ending in a newline, and
   consistent values. Anything else (a cut or edited file, an empty text)
   returns -1 with a reason; "no state yet" is for the storage to say. */
int agent_state_parse(agent_state *st, const char *text, char *why, size_t why_cap);

/* Writes the text form into out; returns its length (0 if cap is too small). */
size_t agent_state_format(const agent_state *st, char *out, size_t cap);

#endif /* AGENT_STATE_H */
