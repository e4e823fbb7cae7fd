/*
 * lum-bench rss PROGRAM ARGS...: runs PROGRAM and prints its peak resident
 * memory (rss_kib=N) and exit status (status=N), with its output passed
 * through to stderr.
 *
 * Why not from Python: Linux carries the parent's memory high-water mark
 * into a forked child across exec (the pre-exec copy counts), so any child
 * of a 15 MiB Python process "peaks" at 15 MiB. This process is small and
 * forks before touching much memory, so the figure is the program's own
 * whenever it exceeds the few hundred KiB this process holds (rss_self_kib).
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

int bench_rss(int argc, char **argv)
{
    struct rusage self, child;
    int status;
    pid_t pid;
    double t0;

    if (argc < 1) {
        fprintf(stderr, "usage: lum-bench rss PROGRAM ARGS...\n");
        return 2;
    }
    getrusage(RUSAGE_SELF, &self);
    t0 = bench_now();
    pid = fork();
    if (pid < 0) {
        perror("lum-bench rss: fork");
        return 1;
    }
    if (pid == 0) {
        dup2(STDERR_FILENO, STDOUT_FILENO); /* our stdout carries only the figures */
        execv(argv[0], argv);
        perror("lum-bench rss: exec");
        _exit(127);
    }
    if (wait4(pid, &status, 0, &child) != pid) {
        perror("lum-bench rss: wait4");
        return 1;
    }
    printf("rss_kib=%ld\n", child.ru_maxrss);
    printf("rss_self_kib=%ld\n", self.ru_maxrss);
    printf("seconds=%.3f\n", bench_now() - t0);
    printf("status=%d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return 0;
}
