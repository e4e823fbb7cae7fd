/*
 * A long SNP list through the whole client and a 2 KiB working buffer:
 * 100,000 generated ClientSNP elements served with Content-Length and with
 * chunked framing (random chunk sizes), received in 1-byte, 7-byte and
 * random-size reads. The count and a checksum over every
 * decoded field must match what the generator put in, computed from its own
 * values, not from the JSON it wrote.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/fixture.h"
#include "testlib.h"

/* What the generator wrote, in plain form. */
typedef struct truth {
    uint64_t hash;
    uint32_t count;
} truth;

static const char *const accessions[] = {"NC_000001.10", "NC_000019.9", "NC_000023.10", "NC_012920.1", "NC_000002.11"};
static const char *const genomes[] = {"GRCh37", "NCBI36", "GRCh38"};
static const char *const alleles[] = {"A", "C", "G", "T", "D", "I", "AT", "GATTACA"};

static uint64_t hash_snp(uint64_t h, const char *id, const char *acc, int64_t loc, uint32_t n_alleles,
                         const char *const *al, int phased, const char *genome)
{
    uint8_t le[8];
    uint32_t i;
    int b;
    h = fx_fnv(h, id, strlen(id) + 1);
    h = fx_fnv(h, acc, strlen(acc) + 1);
    for (b = 0; b < 8; b++) le[b] = (uint8_t)((uint64_t)loc >> (8 * b));
    h = fx_fnv(h, le, 8);
    h = fx_fnv(h, &n_alleles, 1);
    for (i = 0; i < n_alleles; i++) h = fx_fnv(h, al[i], strlen(al[i]) + 1);
    le[0] = (uint8_t)phased;
    h = fx_fnv(h, le, 1);
    return fx_fnv(h, genome, strlen(genome) + 1);
}

/* Appends n generated elements as a JSON list to out; returns its length. */
static size_t generate(char *out, size_t cap, uint32_t n, uint32_t seed, truth *t)
{
    fx_rng rng;
    size_t o = 0;
    uint32_t i;
    rng.s = seed;
    t->hash = FX_FNV_INIT;
    t->count = n;
    out[o++] = '[';
    for (i = 0; i < n; i++) {
        char id[24], id_json[64];
        const char *acc = accessions[fx_rand(&rng) % 5];
        const char *genome = genomes[fx_rand(&rng) % 3];
        const char *al[2];
        uint32_t n_al = fx_rand(&rng) % 3, k, style = fx_rand(&rng) % 16;
        int64_t loc = (int64_t)(((uint64_t)fx_rand(&rng) << 8) | (fx_rand(&rng) & 0xff));
        int phased = (int)(fx_rand(&rng) & 1);
        uint32_t num = fx_rand(&rng) % 100000000u;
        if (style == 0) snprintf(id, sizeof id, "i%u", (unsigned)num);
        else snprintf(id, sizeof id, "rs%u", (unsigned)num);
        /* Some ids arrive escaped; the decoded value must be the same. */
        if (style == 1) snprintf(id_json, sizeof id_json, "r\\u0073%s", id + 2);
        else if (style == 2) snprintf(id_json, sizeof id_json, "\\u0072\\u0073%s", id + 2);
        else snprintf(id_json, sizeof id_json, "%s", id);
        for (k = 0; k < n_al; k++) al[k] = alleles[fx_rand(&rng) % 8];
        if (style == 3) loc = -loc; /* nothing says it cannot be */

        if (o + 400 > cap) abort();
        o += (size_t)snprintf(out + o, cap - o, "%s{\"snp_id\": \"%s\",%s\"chromosome_accession\": \"%s\", \"location\": %lld, "
                              "\"genotyped_alleles\": [",
                              i ? (style == 4 ? ",\n  " : ", ") : "", id_json, style == 5 ? "\r\n\t" : " ", acc,
                              (long long)loc);
        for (k = 0; k < n_al; k++) o += (size_t)snprintf(out + o, cap - o, "%s\"%s\"", k ? ", " : "", al[k]);
        o += (size_t)snprintf(out + o, cap - o, "], \"phased\": %s, ", phased ? "true" : "false");
        if (style == 6) o += (size_t)snprintf(out + o, cap - o, "\"extra\": {\"a\": [1, 2.5, null, {\"b\": \"}]\"}]}, ");
        if (style == 7) o += (size_t)snprintf(out + o, cap - o, "\"note\": null, ");
        o += (size_t)snprintf(out + o, cap - o, "\"reference_genome\": \"%s\"}", genome);
        t->hash = hash_snp(t->hash, id, acc, loc, n_al, al, phased, genome);
    }
    out[o++] = ']';
    out[o] = '\0';
    return o;
}

/* What the client decoded. */
static truth seen;

static int on_snp(void *user, const lum_client_snp *snp)
{
    const char *al[LUM_MAX_ALLELES];
    uint32_t k;
    (void)user;
    for (k = 0; k < snp->genotyped_alleles_count && k < LUM_MAX_ALLELES; k++) al[k] = snp->genotyped_alleles[k];
    if (snp->present != 0x3f) return 1;
    seen.hash = hash_snp(seen.hash, snp->snp_id, snp->chromosome_accession, snp->location,
                         snp->genotyped_alleles_count, al, snp->phased, snp->reference_genome);
    seen.count++;
    return 0;
}

static char *body, *framed;
static size_t body_len, framed_len;
static truth expected;

/* The list as a response with a Content-Length. */
static void frame_with_length(void)
{
    int head = snprintf(framed, 200, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
                        body_len);
    memcpy(framed + head, body, body_len);
    framed_len = (size_t)head + body_len;
}

/* The list as a chunked response, chunk sizes random in [1, max]. */
static void frame_chunked(uint32_t seed, uint32_t max)
{
    fx_rng rng;
    size_t o, at = 0;
    rng.s = seed;
    o = (size_t)snprintf(framed, 200, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
    while (at < body_len) {
        size_t n = fx_range(&rng, 1, max);
        if (n > body_len - at) n = body_len - at;
        o += (size_t)sprintf(framed + o, (fx_rand(&rng) & 7) == 0 ? "%zX;seq=%u\r\n" : "%zx\r\n", n, (unsigned)at);
        memcpy(framed + o, body + at, n);
        o += n;
        framed[o++] = '\r';
        framed[o++] = '\n';
        at += n;
    }
    o += (size_t)sprintf(framed + o, "0\r\nX-Checksum: none\r\n\r\n");
    framed_len = o;
}

/* Serves `framed` once, in reads of `slice` bytes (random up to slice if rng). */
static int serve(size_t slice, uint32_t rng)
{
    static script s;
    static lum_client c;
    static uint8_t buf[2048];
    script_conn *conn;
    script_response *r;
    lum_client_snp scratch;
    int rc;
    memset(&seen, 0, sizeof seen);
    seen.hash = FX_FNV_INIT;
    fx_client(&s, &c, buf, sizeof buf, NULL);
    conn = script_add_conn(&s);
    script_add_text(conn, fx_auth_response);
    r = script_add_response(conn, framed, framed_len);
    r->chunk = slice;
    r->chunk_rng = rng;
    rc = lum_get_client_snp_group(&c, "c", "d", NULL, &scratch, on_snp, NULL);
    if (getenv("BIG_DEBUG")) printf("# %zu bytes, %d recvs\n", framed_len, s.recv_calls);
    if (rc != LUM_OK)
        printf("# %s (%s.%s) after %u elements\n", lum_strerror(rc), c.err.model ? c.err.model : "-",
               c.err.field ? c.err.field : "-", (unsigned)seen.count);
    return rc;
}

static void make_list(uint32_t n, uint32_t seed)
{
    size_t cap = (size_t)n * 400 + 64;
    free(body);
    free(framed);
    body = (char *)malloc(cap);
    framed = (char *)malloc(cap + (size_t)n * 64 + 4096);
    if (body == NULL || framed == NULL) abort();
    body_len = generate(body, cap, n, seed, &expected);
}

static void hundred_thousand_with_length_in_7_byte_reads(void)
{
    make_list(100000, 0x5eed0001u);
    CHECK(body_len > 100000u * 150u);
    frame_with_length();
    CHECK_INT_EQ(serve(7, 0), LUM_OK);
    CHECK_INT_EQ(seen.count, 100000);
    CHECK(seen.hash == expected.hash);
}

static void hundred_thousand_with_length_in_random_reads(void)
{
    frame_with_length();
    CHECK_INT_EQ(serve(3000, 0xabcdef01u), LUM_OK);
    CHECK_INT_EQ(seen.count, 100000);
    CHECK(seen.hash == expected.hash);
}

static void hundred_thousand_chunked_in_random_reads(void)
{
    frame_chunked(0x12345u, 4000);
    CHECK_INT_EQ(serve(200, 0x77777777u), LUM_OK);
    CHECK_INT_EQ(seen.count, 100000);
    CHECK(seen.hash == expected.hash);
}

static void hundred_thousand_chunked_small_chunks_in_7_byte_reads(void)
{
    frame_chunked(0x54321u, 50);
    CHECK_INT_EQ(serve(7, 0), LUM_OK);
    CHECK_INT_EQ(seen.count, 100000);
    CHECK(seen.hash == expected.hash);
}

static void hundred_thousand_with_length_in_1_byte_reads(void)
{
    frame_with_length();
    CHECK_INT_EQ(serve(1, 0), LUM_OK);
    CHECK_INT_EQ(seen.count, 100000);
    CHECK(seen.hash == expected.hash);
}

static void five_thousand_chunked_in_1_byte_reads(void)
{
    make_list(5000, 0x5eed0002u);
    frame_chunked(0x999u, 300);
    CHECK_INT_EQ(serve(1, 0), LUM_OK);
    CHECK_INT_EQ(seen.count, 5000);
    CHECK(seen.hash == expected.hash);
}

/* The checksum is not blind: one changed byte in the body changes it. */
static void checksum_sees_a_single_changed_value(void)
{
    char *p;
    make_list(1000, 0x5eed0003u);
    p = strstr(body + body_len / 2, "\"location\": ");
    CHECK(p != NULL);
    p += 12;
    if (*p == '-') p++;
    *p = *p == '9' ? '8' : (char)(*p + 1);
    frame_with_length();
    CHECK_INT_EQ(serve(0, 0), LUM_OK);
    CHECK_INT_EQ(seen.count, 1000);
    CHECK(seen.hash != expected.hash);
}

int main(void)
{
    RUN("stream_big", hundred_thousand_with_length_in_7_byte_reads);
    RUN("stream_big", hundred_thousand_with_length_in_random_reads);
    RUN("stream_big", hundred_thousand_chunked_in_random_reads);
    RUN("stream_big", hundred_thousand_chunked_small_chunks_in_7_byte_reads);
    RUN("stream_big", hundred_thousand_with_length_in_1_byte_reads);
    RUN("stream_big", five_thousand_chunked_in_1_byte_reads);
    RUN("stream_big", checksum_sees_a_single_changed_value);
    free(body);
    free(framed);
    return TESTS_DONE();
}
