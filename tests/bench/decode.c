/*
 * lum-bench decode: get_client_snp_group through the whole client (HTTP
 * framing, the streaming JSON decoder, the model table) from a response
 * held in memory, with 2 KiB and 16 KiB working buffers. The transport
 * hands out at most 64 KiB per recv, as a socket would, so the figure is
 * the SDK's own cost with no network in the way.
 *
 * The body has the sandbox's exact form (tools/sandbox/api.py,
 * snp_list_body): flask-restplus JSON, keys sorted, ", " between elements.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "lum_posix.h"
#include "lumminary.h"

static const char auth_response[] =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 31\r\n\r\n"
    "{\"access_token\": \"aaa.bbb.ccc\"}";

typedef struct memory_server {
    const char *snp_response;
    size_t snp_len;
    const char *out; /* the response being read, NULL when idle */
    size_t out_len, out_pos;
} memory_server;

static int ms_connect(void *ctx, const char *host, uint16_t port, uint32_t timeout_ms)
{
    (void)ctx, (void)host, (void)port, (void)timeout_ms;
    return LUM_OK;
}

/* A send that starts a request picks the response to it. */
static int ms_send(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    memory_server *ms = ctx;
    (void)timeout_ms;
    if (ms->out == NULL && len >= 5) {
        if (memcmp(data, "POST ", 5) == 0) {
            ms->out = auth_response;
            ms->out_len = sizeof auth_response - 1;
        } else if (memcmp(data, "GET ", 4) == 0) {
            ms->out = ms->snp_response;
            ms->out_len = ms->snp_len;
        }
        ms->out_pos = 0;
    }
    return (int)len;
}

static int ms_recv(void *ctx, uint8_t *buf, size_t cap, uint32_t timeout_ms)
{
    memory_server *ms = ctx;
    size_t n;
    (void)timeout_ms;
    if (ms->out == NULL) return 0; /* idle: a keep-alive probe sees nothing */
    n = ms->out_len - ms->out_pos;
    if (n > cap) n = cap;
    if (n > 65536) n = 65536;
    memcpy(buf, ms->out + ms->out_pos, n);
    ms->out_pos += n;
    if (ms->out_pos == ms->out_len) ms->out = NULL;
    return (int)n;
}

static void ms_close(void *ctx)
{
    memory_server *ms = ctx;
    ms->out = NULL;
}

typedef struct tally {
    uint32_t count;
    uint64_t sum; /* of locations and allele bytes, so the decode cannot be skipped */
} tally;

static int on_snp(void *user, const lum_client_snp *snp)
{
    tally *t = user;
    t->count++;
    t->sum += (uint64_t)snp->location + (uint8_t)snp->snp_id[2];
    if (snp->genotyped_alleles_count > 0) t->sum += (uint8_t)snp->genotyped_alleles[0][0];
    return 0;
}

static const char *const accessions[] = {"NC_000001.10", "NC_000002.11", "NC_000007.13", "NC_000019.9",
                                         "NC_000023.10", "NC_012920.1"};
static const char *const genotypes[] = {"[\"A\", \"G\"]", "[\"C\", \"C\"]", "[\"T\", \"T\"]", "[\"A\", \"A\"]",
                                        "[\"G\", \"T\"]", "[]", "[\"C\"]", "[\"I\", \"D\"]"};

/* The response: a head with Content-Length, then n SNPs. Caller frees. */
static char *make_response(uint32_t n, size_t *len_out, size_t *body_out)
{
    size_t cap = (size_t)n * 200 + 256, o, head;
    char *buf = malloc(cap), *body;
    uint32_t i, rng = 42;
    if (buf == NULL) return NULL;
    body = buf + 128;
    o = 0;
    body[o++] = '[';
    for (i = 0; i < n; i++) {
        rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5;
        o += (size_t)sprintf(body + o,
                             "%s{\"chromosome_accession\": \"%s\", \"genotyped_alleles\": %s, \"location\": %u, "
                             "\"phased\": false, \"reference_genome\": \"GRCh37\", \"snp_id\": \"rs%u\"}",
                             i ? ", " : "", accessions[rng % 6], genotypes[(rng >> 8) % 8], 10000 + (rng >> 4) % 240000000u,
                             1000 + i * 7);
    }
    body[o++] = ']';
    body[o++] = '\n';
    head = (size_t)sprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n", o);
    memmove(buf + head, body, o);
    *len_out = head + o;
    *body_out = o;
    return buf;
}

static uint8_t work_buffer[16384];

/* Best of `runs` seconds for one decode with a working buffer of buf_cap. */
static double run(memory_server *ms, size_t buf_cap, int runs, uint32_t expect, int *failed)
{
    double best = 1e9;
    int r;
    for (r = 0; r < runs; r++) {
        lum_platform platform;
        lum_transport tr = {0};
        lum_client_config cfg = {0};
        lum_client client;
        lum_client_snp scratch;
        tally t = {0, 0};
        double t0, dt;
        int rc;

        tr.ctx = ms;
        tr.connect = ms_connect;
        tr.send = ms_send;
        tr.recv = ms_recv;
        tr.close = ms_close;
        cfg.host = "bench.example";
        cfg.product_uuid = "p";
        cfg.api_key = "k";
        lum_posix_platform_init(&platform);
        bench_count_on = 1;
        rc = lum_client_init(&client, &cfg, &tr, &platform, work_buffer, buf_cap);
        /* The login inside the timed call is a 100-byte exchange in memory. */
        t0 = bench_now();
        if (rc == LUM_OK) rc = lum_get_client_snp_group(&client, "c", "d", NULL, &scratch, on_snp, &t);
        dt = bench_now() - t0;
        lum_client_close(&client);
        bench_count_on = 0;
        if (rc != LUM_OK || t.count != expect) {
            fprintf(stderr, "bench decode: %s, %u of %u SNPs (buffer %zu)\n", lum_strerror(rc), t.count, expect,
                    buf_cap);
            *failed = 1;
            return 0;
        }
        if (dt < best) best = dt;
    }
    return best;
}

int bench_decode(int argc, char **argv)
{
    uint32_t n = argc > 0 ? (uint32_t)strtoul(argv[0], NULL, 10) : 1000000u;
    int runs = 3, failed = 0;
    size_t len, body;
    memory_server ms;
    double t2k, t16k;
    char *rsp = make_response(n, &len, &body);
    if (rsp == NULL) {
        fprintf(stderr, "bench decode: out of memory\n");
        return 1;
    }
    memset(&ms, 0, sizeof ms);
    ms.snp_response = rsp;
    ms.snp_len = len;
    bench_allocs = 0;
    t2k = run(&ms, 2048, runs, n, &failed);
    t16k = run(&ms, 16384, runs, n, &failed);
    free(rsp);
    if (failed) return 1;
    printf("decode_mem_snps=%u\n", n);
    printf("decode_mem_body_bytes=%zu\n", body);
    printf("decode_mem_2k_mbps=%.1f\n", (double)body / t2k / 1e6);
    printf("decode_mem_16k_mbps=%.1f\n", (double)body / t16k / 1e6);
    printf("decode_mem_snps_per_s=%.0f\n", (double)n / t2k);
    printf("decode_mem_16k_snps_per_s=%.0f\n", (double)n / t16k);
    printf("decode_heap_allocs=%lu\n", bench_allocs);
    return 0;
}
