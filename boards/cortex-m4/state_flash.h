/*
 * boards/cortex-m4/state_flash.h - the agent's state in two flash-like
 * slots, so that a power cut during a save leaves the previous state intact
 * (the bare-metal counterpart of examples/agent/state_file.c).
 *
 * Each save writes the slot not holding the newest state: a header with a
 * sequence number, the state's text form and a checksum. Loading takes the
 * valid slot with the higher sequence number. Here the slots are a RAM
 * array standing in for two flash sectors: a product replaces slot_write()
 * with its flash driver (erase the sector, program it, verify).
 */
#ifndef BOARD_STATE_FLASH_H
#define BOARD_STATE_FLASH_H

#include "state.h"

#include <stddef.h>
#include <stdint.h>

typedef struct board_state_slot {
    uint32_t magic;
    uint32_t seq;                      /* higher = newer */
    char text[AGENT_STATE_TEXT_MAX];   /* agent_state_format() */
    uint32_t check;                    /* FNV-1a over the above */
} board_state_slot;

typedef struct board_state_store {
    board_state_slot slots[2]; /* the two "sectors" */
} board_state_store;

/* Loads the newest valid slot into st (a fresh state if none). 0, or -1 with why set. */
int board_state_load(const board_state_store *fs, agent_state *st, char *why, size_t why_cap);

/* Saves st into the older slot. 0, or -1 with why set. */
int board_state_save(board_state_store *fs, const agent_state *st, char *why, size_t why_cap);

#endif /* BOARD_STATE_FLASH_H */
