/*
 * Atomic, durable state file (see state_file.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "state_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int agent_state_load_file(agent_state *st, const char *path, char *why, size_t why_cap)
{
    char text[AGENT_STATE_TEXT_MAX + 1], reason[128];
    ssize_t n;
    int fd;

    agent_state_init(st);
    fd = open(path, O_RDONLY);
    if (fd < 0) {
        if (errno == ENOENT) return 0;
        snprintf(why, why_cap, "cannot read state file %s: %s", path, strerror(errno));
        return -1;
    }
    n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n < 0 || n == (ssize_t)sizeof text - 1) {
        snprintf(why, why_cap, "cannot read state file %s: %s", path, n < 0 ? strerror(errno) : "too long");
        return -1;
    }
    text[n] = '\0';
    if (memchr(text, '\0', (size_t)n) != NULL) {
        snprintf(why, why_cap, "state file %s is corrupt: it holds a NUL byte", path);
        return -1;
    }
    if (agent_state_parse(st, text, reason, sizeof reason) != 0) {
        snprintf(why, why_cap, "state file %s is corrupt: %s", path, reason);
        return -1;
    }
    return 0;
}

int agent_state_check_writable(const char *path, char *why, size_t why_cap)
{
    char tmp[600];
    int fd;
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        snprintf(why, why_cap, "state file path too long");
        return -1;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        snprintf(why, why_cap, "cannot write state file %s: %s", tmp, strerror(errno));
        return -1;
    }
    close(fd);
    unlink(tmp);
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

int agent_state_save_file(const agent_state *st, const char *path, char *why, size_t why_cap)
{
    char tmp[600], text[AGENT_STATE_TEXT_MAX];
    size_t len = agent_state_format(st, text, sizeof text);
    int fd;

    if (len == 0 || snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        snprintf(why, why_cap, "state file path or state too long");
        return -1;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        snprintf(why, why_cap, "cannot write state file %s: %s", tmp, strerror(errno));
        return -1;
    }
    if (write_all(fd, text, len) != 0 || fsync(fd) != 0) {
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
