/*
 * The agent's state in a file (POSIX builds).
 *
 * Saving writes a temporary file, fsyncs it, renames it over the old one and
 * fsyncs the directory: after a power cut the file holds the old or the new
 * state, never a mix.
 */
#ifndef AGENT_STATE_FILE_H
#define AGENT_STATE_FILE_H

#include "state.h"

/* Loads path (a missing file is a fresh state). Returns 0 or -1 (why set). */
int agent_state_load_file(agent_state *st, const char *path, char *why, size_t why_cap);

/* Whether the state can be saved at all (creates and removes path.tmp), so
   that the agent stops before posting anything it could not record.
   Returns 0 or -1 (why set). */
int agent_state_check_writable(const char *path, char *why, size_t why_cap);

/* Saves st to path atomically and durably. Returns 0 or -1 (why set). */
int agent_state_save_file(const agent_state *st, const char *path, char *why, size_t why_cap);

#endif /* AGENT_STATE_FILE_H */
