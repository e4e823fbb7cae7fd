/*
 * tests/bench/malloc_count.c - counts heap allocations made while
 * bench_count_on is set (glibc only: the bench runs on the posix board).
 *
 * The executable's malloc family takes precedence over libc's for every
 * caller in the process, libc's own calls included, so an allocation made
 * anywhere below an SDK call (the SDK, mbedTLS, the port, libc on their
 * behalf) is counted. The calls are forwarded to glibc's __libc_* entry
 * points.
 */
#include <stddef.h>

#include "bench.h"

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);

void *malloc(size_t n);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t n);
void free(void *p);

volatile int bench_count_on;
volatile unsigned long bench_allocs;

void *malloc(size_t n)
{
    if (bench_count_on) bench_allocs++;
    return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    if (bench_count_on) bench_allocs++;
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    if (bench_count_on) bench_allocs++;
    return __libc_realloc(p, n);
}

void free(void *p)
{
    __libc_free(p);
}
