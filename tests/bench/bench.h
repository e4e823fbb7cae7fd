/*
 * tests/bench/bench.h - what the parts of lum-bench share: the heap
 * allocation counter (malloc_count.c), a wall clock, and the subcommands.
 */
#ifndef LUM_BENCH_H
#define LUM_BENCH_H

/* Allocations are counted while bench_count_on is non-zero. */
extern volatile int bench_count_on;
extern volatile unsigned long bench_allocs;

/* Monotonic seconds. */
double bench_now(void);

/* lum-bench decode [SNPS]: the streaming SNP decoder from memory. */
int bench_decode(int argc, char **argv);

/* lum-bench fetch HOST PORT CA PRODUCT KEY CLIENT DATASET [RUNS]: one
   get_client_snp_group over TLS, best of RUNS. */
int bench_fetch(int argc, char **argv);

/* lum-bench rss PROGRAM ARGS...: PROGRAM's peak RSS and exit status. */
int bench_rss(int argc, char **argv);

#endif /* LUM_BENCH_H */
