/*
 * lum-bench fetch: get_client_snp_group over loopback TLS from the sandbox,
 * the way a device would do it (port/posix TCP wrapped in port/mbedtls,
 * 16 KiB working buffer, nothing printed per SNP). Best of RUNS; each run
 * is a new client, so it includes its handshake and login.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "lum_posix.h"
#include "lum_tls.h"
#include "lumminary.h"

static uint8_t buffer[16384], tls_pool[64 * 1024];

typedef struct tally {
    uint32_t count;
    uint64_t sum; /* of the locations, so that the decode cannot be skipped */
} tally;

static int on_snp(void *user, const lum_client_snp *snp)
{
    tally *t = user;
    t->count++;
    t->sum += (uint64_t)snp->location;
    return 0;
}

/* Counts the body bytes the transport delivers (TLS plaintext). */
typedef struct counting {
    lum_transport inner;
    uint64_t received;
} counting;

static int c_connect(void *ctx, const char *host, uint16_t port, uint32_t timeout_ms)
{
    counting *c = ctx;
    return c->inner.connect(c->inner.ctx, host, port, timeout_ms);
}

static int c_send(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    counting *c = ctx;
    return c->inner.send(c->inner.ctx, data, len, timeout_ms);
}

static int c_recv(void *ctx, uint8_t *buf, size_t cap, uint32_t timeout_ms)
{
    counting *c = ctx;
    int n = c->inner.recv(c->inner.ctx, buf, cap, timeout_ms);
    if (n > 0) c->received += (uint64_t)n;
    return n;
}

static void c_close(void *ctx)
{
    counting *c = ctx;
    c->inner.close(c->inner.ctx);
}

int bench_fetch(int argc, char **argv)
{
    double best = 1e9;
    uint64_t bytes = 0;
    uint32_t snps = 0;
    int runs, r;
    size_t peak;

    if (argc < 7) {
        fprintf(stderr, "usage: lum-bench fetch HOST PORT CA_FILE PRODUCT_UUID API_KEY CLIENT_UUID DATASET_UUID [RUNS]\n");
        return 2;
    }
    runs = argc > 7 ? atoi(argv[7]) : 3;
    lum_tls_pool_init(tls_pool, sizeof tls_pool);
    bench_allocs = 0;
    for (r = 0; r < runs; r++) {
        lum_platform platform;
        lum_posix_tcp tcp;
        lum_transport plain, secure, counted;
        lum_tls tls;
        lum_tls_config tls_cfg = {0};
        lum_client_config cfg = {0};
        lum_client client;
        lum_client_snp scratch;
        counting cnt;
        tally t = {0, 0};
        double t0, dt;
        int rc;

        cfg.host = argv[0];
        cfg.port = (uint16_t)atoi(argv[1]);
        tls_cfg.ca_file = argv[2];
        cfg.product_uuid = argv[3];
        cfg.api_key = argv[4];
        bench_count_on = 1;
        lum_posix_platform_init(&platform);
        lum_posix_tcp_init(&tcp, &plain);
        cnt.inner = plain;
        cnt.received = 0;
        counted.ctx = &cnt;
        counted.connect = c_connect;
        counted.send = c_send;
        counted.recv = c_recv;
        counted.close = c_close;
        t0 = bench_now();
        rc = lum_tls_init(&tls, &tls_cfg, &counted, &platform);
        if (rc == LUM_OK) {
            lum_tls_transport(&tls, &secure);
            rc = lum_client_init(&client, &cfg, &secure, &platform, buffer, sizeof buffer);
            if (rc == LUM_OK) rc = lum_get_client_snp_group(&client, argv[5], argv[6], NULL, &scratch, on_snp, &t);
            dt = bench_now() - t0;
            if (rc != LUM_OK)
                fprintf(stderr, "bench fetch: %s (HTTP %d %s)\n", lum_strerror(rc), lum_client_error(&client)->http_status,
                        lum_client_error(&client)->message);
            lum_client_close(&client);
            lum_tls_free(&tls);
        } else {
            dt = 0;
            fprintf(stderr, "bench fetch: %s\n", lum_strerror(rc));
        }
        bench_count_on = 0;
        if (rc != LUM_OK) return 1;
        if (dt < best) best = dt;
        bytes = cnt.received;
        snps = t.count;
    }
    peak = lum_tls_pool_peak(tls_pool, sizeof tls_pool);
    printf("e2e_tls_snps=%u\n", snps);
    printf("e2e_tls_wire_bytes=%llu\n", (unsigned long long)bytes);
    printf("e2e_tls_seconds=%.3f\n", best);
    printf("e2e_tls_mbps=%.1f\n", (double)bytes / best / 1e6);
    printf("e2e_tls_snps_per_s=%.0f\n", (double)snps / best);
    printf("e2e_tls_pool_peak=%zu\n", peak);
    printf("e2e_heap_allocs=%lu\n", bench_allocs);
    return 0;
}
