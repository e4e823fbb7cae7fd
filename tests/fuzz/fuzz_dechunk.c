/*
 * lum_http_dechunk, differentially: the input decoded in one call and in
 * pieces (sizes from the first byte) must give the same body bytes, the same
 * end state and the same error. Splitting is what real recvs do to framing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT 65536

typedef struct result {
    int err;           /* first error, or 0 */
    bool done;
    size_t out_len;
    uint8_t out[MAX_INPUT];
} result;

static void run(const uint8_t *in, size_t n, size_t piece, result *res)
{
    static uint8_t work[MAX_INPUT];
    struct lum_http_response r;
    size_t at = 0;
    memset(&r, 0, sizeof r);
    r.body_mode = LUM_BODY_CHUNKED;
    res->err = 0;
    res->done = false;
    res->out_len = 0;
    while (at < n) {
        size_t k = n - at < piece ? n - at : piece;
        int got;
        memcpy(work, in + at, k);
        got = lum_http_dechunk(&r, work, k);
        if (got < 0) {
            res->err = got;
            break;
        }
        if ((size_t)got > k) abort(); /* more body than input */
        memcpy(res->out + res->out_len, work, (size_t)got);
        res->out_len += (size_t)got;
        at += k;
    }
    res->done = r.done;
    if (r.done != (r.chunk_state == 10)) abort(); /* CH_DONE */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static result whole, split;
    size_t piece;
    if (size < 1 || size > MAX_INPUT) return 0;
    piece = (size_t)(data[0] % 17) + 1;
    data++;
    size--;
    run(data, size, size > 0 ? size : 1, &whole);
    run(data, size, piece, &split);
    if (whole.err != split.err) abort();
    if (whole.err == 0) {
        if (whole.done != split.done || whole.out_len != split.out_len) abort();
        if (whole.out_len > 0 && memcmp(whole.out, split.out, whole.out_len) != 0) abort();
    }
    return 0;
}
