/*
 * boards/cortex-m4/state_flash.c - see state_flash.h.
 */
#include "state_flash.h"

#include <string.h>

#define MAGIC 0x4c554d53u /* "LUMS" */

static uint32_t fnv1a(const void *p, size_t n)
{
    const uint8_t *b = (const uint8_t *)p;
    uint32_t h = 2166136261u;
    while (n-- > 0) h = (h ^ *b++) * 16777619u;
    return h;
}

static int valid(const board_state_slot *s)
{
    return s->magic == MAGIC && s->check == fnv1a(s, offsetof(board_state_slot, check)) &&
           memchr(s->text, '\0', sizeof s->text) != NULL;
}

/* Index of the newest valid slot, or -1. */
static int newest(const board_state_store *fs)
{
    int a = valid(&fs->slots[0]), b = valid(&fs->slots[1]);
    if (a && b) return fs->slots[1].seq > fs->slots[0].seq ? 1 : 0;
    return a ? 0 : b ? 1 : -1;
}

/* Stands in for erase + program + verify of one flash sector. */
static int slot_write(board_state_slot *dst, const board_state_slot *src)
{
    memcpy(dst, src, sizeof *dst);
    return memcmp(dst, src, sizeof *dst) == 0 ? 0 : -1;
}

int board_state_load(const board_state_store *fs, agent_state *st, char *why, size_t why_cap)
{
    int i = newest(fs);
    if (i < 0) {
        agent_state_init(st);
        return 0;
    }
    return agent_state_parse(st, fs->slots[i].text, why, why_cap);
}

int board_state_save(board_state_store *fs, const agent_state *st, char *why, size_t why_cap)
{
    static const char failed[] = "state: flash write failed";
    board_state_slot next;
    int i = newest(fs);

    memset(&next, 0, sizeof next);
    next.magic = MAGIC;
    next.seq = i < 0 ? 1u : fs->slots[i].seq + 1u;
    if (agent_state_format(st, next.text, sizeof next.text) == 0) {
        static const char big[] = "state: text form too long";
        memcpy(why, big, why_cap < sizeof big ? why_cap : sizeof big);
        if (why_cap > 0) why[why_cap - 1] = '\0';
        return -1;
    }
    next.check = fnv1a(&next, offsetof(board_state_slot, check));
    if (slot_write(&fs->slots[i == 0 ? 1 : 0], &next) != 0) {
        memcpy(why, failed, why_cap < sizeof failed ? why_cap : sizeof failed);
        if (why_cap > 0) why[why_cap - 1] = '\0';
        return -1;
    }
    return 0;
}
