/*
 * lum_json_decode on arbitrary bytes, into every model and list target, and
 * lum_json_decode_text (the ReferenceSequence scanner).
 * data[0]: the target (low 4 bits: 0-9, 11-13 models and lists, 14 the text
 *          scanner, 10 and 15 the error-message extractor) and relaxed mode (bit 4);
 * data[1]: the piece size of the fill function and the working buffer size
 *          (the body is decoded twice: whole and in pieces; both must agree,
 *          see same_outcome);
 * data[2]: after how many streamed elements the callback stops (0: never).
 * The rest is the body. On success the decoded struct is checked against
 * the promises of models.h (required fields present, counts consistent).
 * The error-message extractor runs on the same bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/models.h"
#include "json/json.h"
#include "lumminary/error.h"
#include "lumminary/models.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct feeder {
    const uint8_t *data;
    size_t len, pos, piece;
} feeder;

static int fill(void *ctx, uint8_t *dst, size_t cap)
{
    feeder *f = (feeder *)ctx;
    size_t n = f->len - f->pos;
    if (n > f->piece) n = f->piece;
    if (n > cap) n = cap;
    if (cap == 0) abort(); /* the decoder must never ask for nothing */
    memcpy(dst, f->data + f->pos, n);
    f->pos += n;
    return (int)n;
}

typedef struct counter {
    uint32_t calls[8];
    uint32_t stop_after, total;
} counter;

static int on_element(void *user, int list, void *elem)
{
    counter *k = (counter *)user;
    (void)elem;
    k->calls[list < 0 ? 7 : list & 7]++;
    k->total++;
    return k->stop_after != 0 && k->total >= k->stop_after;
}

/* The streamed text, as a length and a hash (so whole and pieces compare). */
typedef struct text_sink {
    uint64_t hash, len;
    uint32_t stop_after, pieces;
} text_sink;

static int on_text(void *user, const char *text, size_t len)
{
    text_sink *t = (text_sink *)user;
    size_t i;
    if (len == 0) abort(); /* an empty piece is a wasted call */
    for (i = 0; i < len; i++) t->hash = (t->hash ^ (uint8_t)text[i]) * 0x100000001b3ull;
    t->len += len;
    t->pieces++;
    return t->stop_after != 0 && t->pieces >= t->stop_after;
}

static int decode_text(const uint8_t *data, size_t size, size_t cap, size_t piece, uint32_t stop_after,
                       bool relaxed, text_sink *sink, uint32_t *present)
{
    static uint8_t buf[2048];
    static struct lum_json_tok tokens[LUM_JSON_MAX_TOKENS];
    lum_json_target t;
    lum_error_info err;
    feeder f;
    size_t have;
    int rc;
    memset(&t, 0, sizeof t);
    memset(&err, 0, sizeof err);
    memset(sink, 0, sizeof *sink);
    sink->hash = 0xcbf29ce484222325ull;
    sink->stop_after = stop_after;
    t.model = &lum_model_reference_sequence;
    t.out = present;
    t.on_text = on_text;
    t.user = sink;
    t.relaxed = relaxed;
    f.data = data;
    f.len = size;
    f.piece = piece;
    have = size < piece ? size : piece;
    if (have > cap) have = cap;
    memcpy(buf, data, have);
    f.pos = have;
    rc = lum_json_decode_text(&t, buf, cap, have, fill, &f, tokens, LUM_JSON_MAX_TOKENS, &err);
    if (rc > 0) abort();
    if (rc == LUM_OK && f.pos != f.len) abort();
    if (rc == LUM_ERR_ABORTED && (stop_after == 0 || sink->pieces != stop_after)) abort();
    return rc;
}

/*
 * Whole and in pieces, a body must succeed or fail alike, with the same
 * error, except that a limit (buffer, tokens) may be hit before or after a
 * syntax error further on: how much is buffered when depends on the reads.
 */
static bool is_limit(int rc)
{
    return rc == LUM_ERR_BODY_TOO_LARGE || rc == LUM_ERR_ELEMENT_TOO_LARGE || rc == LUM_ERR_JSON_TOKENS;
}

static bool same_outcome(int a, int b)
{
    return a == b || (a != LUM_OK && b != LUM_OK && (is_limit(a) || is_limit(b)));
}

static void check_string(const char *s, size_t cap)
{
    if (memchr(s, '\0', cap) == NULL) abort();
}

static union {
    lum_javascript_web_token jwt;
    lum_client_snp snp;
    lum_authorization authz;
    lum_product product;
    lum_client_gene gene;
    lum_public_snp psnp;
    lum_public_gene pgene;
    lum_reference_overview overview;
    lum_report_file file;
    lum_report_credentials creds;
} out, scratch, whole;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t caps[4] = {64, 256, 700, 2048};
    static uint8_t buf[2048];
    static struct lum_json_tok tokens[LUM_JSON_MAX_TOKENS];
    lum_json_target t;
    lum_error_info err;
    counter k;
    feeder f;
    char rsid[LUM_MAX_RSID], message[LUM_MAX_MESSAGE];
    size_t cap, have;
    uint32_t whole_total;
    int which, rc, whole_rc;

    if (size < 3) return 0;
    memset(&t, 0, sizeof t);
    memset(&k, 0, sizeof k);
    memset(&err, 0, sizeof err);
    which = data[0] & 15;
    t.relaxed = (data[0] & 16) != 0;
    f.piece = (size_t)(data[1] >> 2) + 1;
    cap = caps[data[1] & 3];
    k.stop_after = data[2];
    f.data = data + 3;
    f.len = size - 3;
    f.pos = 0;
    t.on_element = on_element;
    t.user = &k;

    switch (which) {
    case 0: t.model = &lum_model_javascript_web_token; break;
    case 1: t.model = &lum_model_client_snp; break;
    case 2: t.model = &lum_model_authorization; break;
    case 3: t.model = &lum_model_product; t.elem = rsid; t.elem_size = sizeof rsid; break;
    case 4: t.model = &lum_model_client_gene; t.elem_model = &lum_model_client_snp;
            t.elem = &scratch; t.elem_size = sizeof scratch.snp; break;
    case 5: t.model = &lum_model_report_file; break;
    case 6: t.model = &lum_model_report_credentials; break;
    case 7: t.elem_model = &lum_model_client_snp; t.elem = &scratch; t.elem_size = sizeof scratch.snp; break;
    case 8: t.elem_model = &lum_model_authorization; t.elem = &scratch; t.elem_size = sizeof scratch.authz; break;
    case 9: t.model = &lum_model_product; t.on_element = NULL; t.elem = rsid; t.elem_size = sizeof rsid; break;
    case 11: t.model = &lum_model_public_snp; break;
    case 12: t.model = &lum_model_public_gene; t.elem = rsid; t.elem_size = sizeof rsid; break;
    case 13: t.elem_model = &lum_model_reference_overview; t.elem = &scratch; t.elem_size = sizeof scratch.overview; break;
    case 14: {
        /* The text scanner, whole and in pieces: same code, same text. */
        text_sink whole_sink, split_sink;
        uint32_t whole_present = 0, split_present = 0;
        whole_rc = decode_text(f.data, f.len, cap, cap, data[2], t.relaxed, &whole_sink, &whole_present);
        rc = decode_text(f.data, f.len, cap, (size_t)(data[1] >> 2) + 1, data[2], t.relaxed, &split_sink,
                         &split_present);
#ifdef FUZZ_DEBUG
        fprintf(stderr, "text: %d (whole %d), %llu bytes in %u pieces\n", rc, whole_rc,
                (unsigned long long)split_sink.len, split_sink.pieces);
#endif
        /* A callback stop comes after a number of pieces, which depends on the reads. */
        if (!same_outcome(rc, whole_rc) && rc != LUM_ERR_ABORTED && whole_rc != LUM_ERR_ABORTED) abort();
        /* Where a callback stops depends on the pieces (one run may stop and
           the other finish with fewer, larger pieces); the text does not. */
        if (rc == LUM_OK && whole_rc == LUM_OK &&
            (whole_sink.len != split_sink.len || whole_sink.hash != split_sink.hash || whole_present != split_present))
            abort();
        if (rc == LUM_OK && !t.relaxed && split_present != 1) abort();
        if (whole_rc == LUM_OK && !t.relaxed && whole_present != 1) abort();
        return 0;
    }
    default: {
        /* The error-message extractor and the cutting unescape. */
        size_t n = f.len < sizeof buf ? f.len : sizeof buf;
        memcpy(buf, f.data, n);
        lum_json_error_message(buf, n, tokens, LUM_JSON_MAX_TOKENS, message, (size_t)(data[1] % sizeof message) + 1);
        check_string(message, (size_t)(data[1] % sizeof message) + 1);
        lum_json_unescape_cut((const char *)f.data, f.len, message, (size_t)(data[1] % sizeof message) + 1);
        check_string(message, (size_t)(data[1] % sizeof message) + 1);
        return 0;
    }
    }
    t.out = &out;

    /* Once with the body as one piece, as far as the buffer holds it... */
    have = f.len < cap ? f.len : cap;
    memcpy(buf, f.data, have);
    f.pos = have;
    f.piece = cap;
    whole_rc = lum_json_decode(&t, buf, cap, have, fill, &f, tokens, LUM_JSON_MAX_TOKENS, &err);
    if (whole_rc == LUM_OK) memcpy(&whole, &out, sizeof whole);
    whole_total = k.total;

    /* ...and once in small pieces: how a body is cut into reads must not
       change the result. */
    memset(&k, 0, sizeof k);
    k.stop_after = data[2];
    f.piece = (size_t)(data[1] >> 2) + 1;
    have = f.len < f.piece ? f.len : f.piece;
    if (have > cap) have = cap;
    memcpy(buf, f.data, have);
    f.pos = have;
    rc = lum_json_decode(&t, buf, cap, have, fill, &f, tokens, LUM_JSON_MAX_TOKENS, &err);
#ifdef FUZZ_DEBUG
    fprintf(stderr, "target %d: %d (whole %d) %s.%s, %u elements\n", which, rc, whole_rc, err.model ? err.model : "-",
            err.field ? err.field : "-", (unsigned)k.total);
#endif
    if (rc > 0) abort();
    if (!same_outcome(rc, whole_rc)) abort();
    if (rc == LUM_OK && (k.total != whole_total || memcmp(&whole, &out, sizeof whole) != 0)) abort();
    if (rc == LUM_ERR_ABORTED && (k.stop_after == 0 || k.total != k.stop_after)) abort();
    if (rc != LUM_OK) return 0;
    if (k.stop_after != 0 && k.total >= k.stop_after) abort(); /* a stop was ignored */
    if (f.pos != f.len) abort(); /* success means the whole body was read */

    switch (which) {
    case 0:
        check_string(out.jwt.access_token, sizeof out.jwt.access_token);
        if (!t.relaxed && !(out.jwt.present & 1)) abort();
        break;
    case 1:
        if (!t.relaxed && (out.snp.present & 0x3f) != 0x3f) abort();
        if (out.snp.genotyped_alleles_count > LUM_MAX_ALLELES) abort();
        break;
    case 2:
        if (!t.relaxed && (out.authz.present & 0x7f) != 0x7f) abort();
        break;
    case 3:
        if (!t.relaxed && (out.product.present & 0x3f) != 0x3f) abort();
        if (out.product.snps_authorized_count != k.calls[2]) abort();
        if (out.product.snps_min_required_count != k.calls[4]) abort();
        break;
    case 9:
        if (!t.relaxed && (out.product.present & 0x3f) != 0x3f) abort();
        break;
    case 4:
        if (!t.relaxed && (out.gene.present & 3) != 3) abort();
        if (out.gene.snps_count != k.calls[2]) abort();
        break;
    case 5:
        if (!t.relaxed && (out.file.present & 15) != 15) abort();
        break;
    case 6:
        if (!t.relaxed && (out.creds.present & 7) != 7) abort();
        break;
    case 11:
        if (!t.relaxed && (out.psnp.present & 0xdf) != 0xdf) abort();
        break;
    case 12:
        if (!t.relaxed && (out.pgene.present & 0x3f) != 0x3f) abort();
        if (out.pgene.snp_ids_count != k.calls[5]) abort();
        break;
    default:
        break;
    }
    return 0;
}
