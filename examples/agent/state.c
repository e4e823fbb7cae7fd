/*
 * The state's text form (see state.h): `key=value` lines.
 */
#include "state.h"

#include <stdio.h>
#include <string.h>

#include "lumminary/error.h"
#include "lumminary/json.h"

static const char *phase_name(int phase)
{
    return phase == PHASE_UPLOADING ? "uploading" : phase == PHASE_FINISHING ? "finishing" : "none";
}

/* A number as the writer writes it (%lld): lum_parse_int64's form. */
static int parse_i64(const char *s, size_t n, int64_t *out)
{
    return lum_parse_int64(s, n, out) == LUM_OK ? 0 : -1;
}

void agent_state_init(agent_state *st)
{
    memset(st, 0, sizeof *st);
    st->last_seq = -1;
    st->pending_seq = -1;
}

/* One `key=value` line (without its newline). */
static int parse_line(agent_state *st, const char *line, size_t len)
{
    const char *eq = memchr(line, '=', len);
    const char *v;
    size_t klen, vlen;
    if (eq == NULL) return -1;
    klen = (size_t)(eq - line);
    v = eq + 1;
    vlen = len - klen - 1;
#define KEY(k) (klen == sizeof k - 1 && memcmp(line, k, klen) == 0)
#define VALUE(x) (vlen == sizeof x - 1 && memcmp(v, x, vlen) == 0)
    if (KEY("last_seq")) return parse_i64(v, vlen, &st->last_seq);
    if (KEY("pending_seq")) return parse_i64(v, vlen, &st->pending_seq);
    if (KEY("pending_uuid")) {
        if (vlen >= sizeof st->pending_uuid) return -1;
        memcpy(st->pending_uuid, v, vlen);
        st->pending_uuid[vlen] = '\0';
        return 0;
    }
    if (KEY("pending_phase")) {
        if (VALUE("uploading")) st->pending_phase = PHASE_UPLOADING;
        else if (VALUE("finishing")) st->pending_phase = PHASE_FINISHING;
        else if (VALUE("none")) st->pending_phase = PHASE_NONE;
        else return -1;
        return 0;
    }
#undef KEY
#undef VALUE
    return -1;
}

/* Copies up to 60 bytes of a line for a message, unprintable bytes as '?'. */
static void quote_line(char *out, const char *line, size_t len)
{
    size_t i;
    if (len > 60) len = 60;
    for (i = 0; i < len; i++) out[i] = line[i] >= 0x20 && line[i] < 0x7f ? line[i] : '?';
    out[len] = '\0';
}

int agent_state_parse(agent_state *st, const char *text, char *why, size_t why_cap)
{
    static const char *const keys[] = {"last_seq=", "pending_uuid=", "pending_seq=", "pending_phase="};
    unsigned seen = 0, k;
    agent_state_init(st);
    /*
     * The writer always writes the four keys, once each, each line ending
     * in a newline, and replaces the file atomically: anything else is not
     * ours (a cut file, a disk error, an edit) and is refused rather than
     * guessed at. An empty text is refused too: "no state yet" is the
     * storage's to say (no file, an erased slot).
     */
    while (*text != '\0') {
        const char *nl = strchr(text, '\n');
        size_t len = nl != NULL ? (size_t)(nl - text) : strlen(text);
        char shown[61];
        quote_line(shown, text, len);
        if (nl == NULL) {
            snprintf(why, why_cap, "last line '%s' has no end (cut short?)", shown);
            return -1;
        }
        for (k = 0; k < 4; k++)
            if (len >= strlen(keys[k]) && memcmp(text, keys[k], strlen(keys[k])) == 0) break;
        if (k == 4 || (seen & (1u << k)) || parse_line(st, text, len) != 0) {
            snprintf(why, why_cap, "%s line '%s'", k < 4 && (seen & (1u << k)) ? "repeated" : "corrupt", shown);
            return -1;
        }
        seen |= 1u << k;
        text += len + 1;
    }
    if (seen != 15) {
        snprintf(why, why_cap, "%s", seen == 0 ? "empty" : "incomplete (cut short?)");
        return -1;
    }
    if (st->last_seq < -1 || st->pending_seq < -1) {
        snprintf(why, why_cap, "negative sequence number");
        return -1;
    }
    if (st->pending_phase != PHASE_NONE && (st->pending_uuid[0] == '\0' || st->pending_seq < 0)) {
        snprintf(why, why_cap, "pending phase without uuid");
        return -1;
    }
    if (st->pending_phase != PHASE_NONE && st->pending_seq <= st->last_seq) {
        /* The queue only brings authorizations after last_seq back. */
        snprintf(why, why_cap, "pending sequence number not after last_seq");
        return -1;
    }
    if (st->pending_phase == PHASE_NONE && (st->pending_uuid[0] != '\0' || st->pending_seq != -1)) {
        snprintf(why, why_cap, "pending uuid without phase");
        return -1;
    }
    return 0;
}

size_t agent_state_format(const agent_state *st, char *out, size_t cap)
{
    int n = snprintf(out, cap, "last_seq=%lld\npending_uuid=%s\npending_seq=%lld\npending_phase=%s\n",
                     (long long)st->last_seq, st->pending_uuid, (long long)st->pending_seq,
                     phase_name(st->pending_phase));
    return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}
