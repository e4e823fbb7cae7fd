/*
 * Platform services for POSIX systems: monotonic clock, kernel entropy and
 * an optional stderr log.
 */
#define _GNU_SOURCE /* getrandom() on glibc */
#include "lum_posix.h"

#include "lumminary/error.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#if defined(__linux__) && defined(__GLIBC__) && \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 25))
#include <sys/random.h>
#define HAVE_GETRANDOM 1
#endif

static uint32_t posix_now_ms(void *ctx)
{
    struct timespec ts;
    (void)ctx;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    /* Wraps every ~49 days; the SDK only ever subtracts two readings. */
    return (uint32_t)((uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
}

/*
 * Reads /dev/urandom, but only once the kernel's pool is initialised:
 * before that, /dev/urandom on old kernels hands out predictable bytes.
 * /dev/random becomes readable exactly then, so wait for it first.
 */
static int urandom_after_seeding(uint8_t *buf, size_t len)
{
    struct pollfd p;
    size_t got = 0;
    int fd = open("/dev/random", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return LUM_ERR_ENTROPY;
    p.fd = fd;
    p.events = POLLIN;
    p.revents = 0;
    while (poll(&p, 1, -1) < 0) {
        if (errno != EINTR) {
            close(fd);
            return LUM_ERR_ENTROPY;
        }
    }
    close(fd);
    fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return LUM_ERR_ENTROPY;
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += (size_t)n;
    }
    close(fd);
    return got == len ? LUM_OK : LUM_ERR_ENTROPY;
}

static int posix_entropy(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
#ifdef HAVE_GETRANDOM
    {
        /* getrandom() without flags blocks until the pool is initialised. */
        size_t got = 0;
        while (got < len) {
            ssize_t n = getrandom(buf + got, len - got, 0);
            if (n < 0) {
                if (errno == EINTR) continue;
                if (errno == ENOSYS) return urandom_after_seeding(buf, len); /* kernel < 3.17 */
                return LUM_ERR_ENTROPY;
            }
            got += (size_t)n;
        }
        return LUM_OK;
    }
#else
    return urandom_after_seeding(buf, len);
#endif
}

void lum_posix_log_stderr(void *ctx, int level, const char *msg)
{
    static const char *const names[] = {"", "error", "warn", "info", "debug"};
    (void)ctx;
    fprintf(stderr, "lumminary: %s: %s\n", (level >= 1 && level <= 4) ? names[level] : "log", msg);
}

void lum_posix_platform_init(lum_platform *out)
{
    out->ctx = NULL;
    out->now_ms = posix_now_ms;
    out->entropy = posix_entropy;
    out->log = NULL;
}
