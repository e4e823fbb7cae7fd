/*
 * tests/testlib.h - the smallest test harness that reports exact values.
 *
 * A test program defines test functions and calls RUN(suite, fn) for each.
 * Every test prints one line, "PASS suite/fn" or "FAIL suite/fn: why", which
 * tests/run.sh counts. A check that fails prints the expression, the file and
 * line and, for the _EQ forms, both values; the test stops at its first
 * failure. TESTS_DONE() returns the exit status (1 if anything failed).
 */
#ifndef LUM_TESTLIB_H
#define LUM_TESTLIB_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int tl_failed_total;
static int tl_failed_here;
static char tl_why[512];

#define TL_FAIL(...)                                                        \
    do {                                                                    \
        snprintf(tl_why, sizeof tl_why, __VA_ARGS__);                       \
        tl_failed_here = 1;                                                 \
        return;                                                             \
    } while (0)

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond)) TL_FAIL("%s:%d: CHECK(%s)", __FILE__, __LINE__, #cond); \
    } while (0)

#define CHECK_INT_EQ(got, want)                                             \
    do {                                                                    \
        long long tl_g = (long long)(got), tl_w = (long long)(want);        \
        if (tl_g != tl_w)                                                   \
            TL_FAIL("%s:%d: %s == %lld, want %lld", __FILE__, __LINE__, #got, tl_g, tl_w); \
    } while (0)

#define CHECK_STR_EQ(got, want)                                             \
    do {                                                                    \
        const char *tl_g = (got), *tl_w = (want);                           \
        if (tl_g == NULL || strcmp(tl_g, tl_w) != 0)                        \
            TL_FAIL("%s:%d: %s == \"%.160s\", want \"%.160s\"", __FILE__, __LINE__, #got, \
                    tl_g ? tl_g : "(null)", tl_w);                          \
    } while (0)

/* Byte-exact comparison; on mismatch shows the first differing offset. */
#define CHECK_MEM_EQ(got, got_len, want, want_len)                          \
    do {                                                                    \
        const unsigned char *tl_g = (const unsigned char *)(got);           \
        const unsigned char *tl_w = (const unsigned char *)(want);          \
        size_t tl_gl = (got_len), tl_wl = (want_len), tl_i = 0;             \
        while (tl_i < tl_gl && tl_i < tl_wl && tl_g[tl_i] == tl_w[tl_i]) tl_i++; \
        if (tl_i != tl_gl || tl_gl != tl_wl)                                \
            TL_FAIL("%s:%d: %s differs at byte %zu (len %zu, want %zu): got \"%.*s\" want \"%.*s\"", \
                    __FILE__, __LINE__, #got, tl_i, tl_gl, tl_wl,           \
                    (int)(tl_gl - tl_i > 60 ? 60 : tl_gl - tl_i), (const char *)tl_g + tl_i, \
                    (int)(tl_wl - tl_i > 60 ? 60 : tl_wl - tl_i), (const char *)tl_w + tl_i); \
    } while (0)

#define RUN(suite, fn)                                                      \
    do {                                                                    \
        tl_failed_here = 0;                                                 \
        tl_why[0] = '\0';                                                   \
        fn();                                                               \
        if (tl_failed_here) {                                               \
            tl_failed_total++;                                              \
            printf("FAIL %s/%s: %s\n", suite, #fn, tl_why);                 \
        } else {                                                            \
            printf("PASS %s/%s\n", suite, #fn);                             \
        }                                                                   \
        fflush(stdout);                                                     \
    } while (0)

#define TESTS_DONE() (tl_failed_total ? 1 : 0)

#endif /* LUM_TESTLIB_H */
