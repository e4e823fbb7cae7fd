/*
 * lum-bench: the C half of `make bench` (tests/bench/run.py drives it and
 * the sandbox). Prints figures as key=value lines; asserts nothing.
 *
 *   lum-bench decode [SNPS]
 *   lum-bench fetch HOST PORT CA_FILE PRODUCT_UUID API_KEY CLIENT_UUID DATASET_UUID [RUNS]
 *   lum-bench rss PROGRAM ARGS...
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bench.h"

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "decode") == 0) return bench_decode(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "fetch") == 0) return bench_fetch(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "rss") == 0) return bench_rss(argc - 2, argv + 2);
    fprintf(stderr, "usage: lum-bench decode [SNPS]\n"
                    "       lum-bench fetch HOST PORT CA_FILE PRODUCT_UUID API_KEY CLIENT_UUID DATASET_UUID [RUNS]\n"
                    "       lum-bench rss PROGRAM ARGS...\n");
    return 2;
}
