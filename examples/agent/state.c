/*
 * Atomic state file (see state.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *phase_name(int phase)
{
    return phase == PHASE_UPLOADING ? "uploading" : phase == PHASE_FINISHING ? "finishing" : "none";
}

static int parse_i64(const char *s, int64_t *out)
{
    char *end;
    long long v;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0 || end == s || (*end != '\0' && *end != '\n')) return -1;
    *out = (int64_t)v;
    return 0;
}

int agent_state_load(agent_state *st, const char *path, char *why, size_t why_cap)
{
    char text[512], *line, *save = NULL;
    ssize_t n;
    int fd;

    memset(st, 0, sizeof *st);
    st->last_seq = -1;
    st->pending_seq = -1;
    fd = open(path, O_RDONLY);
    if (fd < 0) {
        if (errno == ENOENT) return 0;
        snprintf(why, why_cap, "cannot read state file %s: %s", path, strerror(errno));
        return -1;
    }
    n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n < 0) {
        snprintf(why, why_cap, "cannot read state file %s: %s", path, strerror(errno));
        return -1;
    }
    text[n] = '\0';
    for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        char *eq = strchr(line, '=');
        int bad = eq == NULL;
        if (!bad) {
            *eq = '\0';
            if (strcmp(line, "last_seq") == 0) bad = parse_i64(eq + 1, &st->last_seq);
            else if (strcmp(line, "pending_seq") == 0) bad = parse_i64(eq + 1, &st->pending_seq);
            else if (strcmp(line, "pending_uuid") == 0) {
                bad = strlen(eq + 1) >= sizeof st->pending_uuid;
                if (!bad) strcpy(st->pending_uuid, eq + 1);
            } else if (strcmp(line, "pending_phase") == 0) {
                if (strcmp(eq + 1, "uploading") == 0) st->pending_phase = PHASE_UPLOADING;
                else if (strcmp(eq + 1, "finishing") == 0) st->pending_phase = PHASE_FINISHING;
                else if (strcmp(eq + 1, "none") == 0) st->pending_phase = PHASE_NONE;
                else bad = 1;
            } else {
                bad = 1;
            }
        }
        if (bad) {
            snprintf(why, why_cap, "state file %s is corrupt (line '%s')", path, line);
            return -1;
        }
    }
    if (st->pending_phase != PHASE_NONE && st->pending_uuid[0] == '\0') {
        snprintf(why, why_cap, "state file %s is corrupt (pending phase without uuid)", path);
        return -1;
    }
    return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Makes the rename itself durable. */
static void fsync_parent_dir(const char *path)
{
    char dir[512];
    const char *slash = strrchr(path, '/');
    int fd;
    if (slash == NULL) strcpy(dir, ".");
    else if (slash == path) strcpy(dir, "/");
    else if ((size_t)(slash - path) < sizeof dir) {
        memcpy(dir, path, (size_t)(slash - path));
        dir[slash - path] = '\0';
    } else return;
    fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

int agent_state_save(const agent_state *st, const char *path, char *why, size_t why_cap)
{
    char tmp[600], text[256];
    int fd, len;

    len = snprintf(text, sizeof text, "last_seq=%lld\npending_uuid=%s\npending_seq=%lld\npending_phase=%s\n",
                   (long long)st->last_seq, st->pending_uuid, (long long)st->pending_seq,
                   phase_name(st->pending_phase));
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        snprintf(why, why_cap, "state file path too long");
        return -1;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        snprintf(why, why_cap, "cannot write state file %s: %s", tmp, strerror(errno));
        return -1;
    }
    if (write_all(fd, text, (size_t)len) != 0 || fsync(fd) != 0) {
        snprintf(why, why_cap, "cannot write state file %s: %s", tmp, strerror(errno));
        close(fd);
        unlink(tmp);
        return -1;
    }
    close(fd);
    if (rename(tmp, path) != 0) {
        snprintf(why, why_cap, "cannot replace state file %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    fsync_parent_dir(path);
    return 0;
}
