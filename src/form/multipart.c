/*
 * multipart/form-data with one file part, the file streamed from a reader
 * straight into the output buffer: an upload never needs the whole file in
 * memory, and no byte is copied twice.
 */
#include "form/form.h"

#include <string.h>

#include "lumminary/error.h"

int lum_multipart_init(lum_multipart *m, const lum_platform *p, const char *field_name,
                       const lum_reader *reader, const char *file_name)
{
    static const char hex[] = "0123456789abcdef";
    uint8_t rnd[12];
    size_t i;
    int rc = p->entropy(p->ctx, rnd, sizeof rnd);
    if (rc != LUM_OK) return LUM_ERR_ENTROPY;
    memcpy(m->boundary, "lumminary-", 10);
    for (i = 0; i < sizeof rnd; i++) {
        m->boundary[10 + 2 * i] = hex[rnd[i] >> 4];
        m->boundary[11 + 2 * i] = hex[rnd[i] & 15u];
    }
    m->boundary[LUM_BOUNDARY_LEN] = '\0';
    m->field_name = field_name;
    m->reader = reader;
    m->file_name = file_name;
    return LUM_OK;
}

void lum_multipart_content_type(const lum_multipart *m, char out[LUM_MULTIPART_TYPE_CAP])
{
    static const char prefix[] = "multipart/form-data; boundary=";
    memcpy(out, prefix, sizeof prefix - 1);
    memcpy(out + sizeof prefix - 1, m->boundary, LUM_BOUNDARY_LEN + 1);
}

/* A quoted-string parameter: '"', CR and LF are percent-encoded, as browsers do. */
static void put_quoted(lum_out *o, const char *s)
{
    const char *run = s;
    lum_out_put(o, "\"", 1);
    for (; *s != '\0'; s++) {
        const char *esc = *s == '"' ? "%22" : *s == '\r' ? "%0D" : *s == '\n' ? "%0A" : NULL;
        if (esc == NULL) continue;
        lum_out_put(o, run, (size_t)(s - run));
        lum_out_put(o, esc, 3);
        run = s + 1;
    }
    lum_out_put(o, run, (size_t)(s - run));
    lum_out_put(o, "\"", 1);
}

/* Copies the reader's bytes into the output: exactly `size`, or to its end. */
static int put_file(lum_out *o, const lum_reader *r)
{
    uint64_t left = r->size < 0 ? UINT64_MAX : (uint64_t)r->size;
    if (o->c == NULL) { /* counting: the reader says how long it is */
        o->total += left;
        return LUM_OK;
    }
    while (left > 0) {
        size_t avail;
        uint8_t *dst = lum_out_space(o, &avail);
        int n;
        if (dst == NULL) return o->err;
        if ((uint64_t)avail > left) avail = (size_t)left;
        n = r->read(r->ctx, dst, avail);
        if (n < 0 || (size_t)n > avail) return LUM_ERR_IO;
        if (n == 0) return r->size < 0 ? LUM_OK : LUM_ERR_IO; /* shorter than promised */
        lum_out_commit(o, (size_t)n);
        left -= (uint64_t)n;
    }
    {
        /* Longer than promised would corrupt the framing: check the end. */
        uint8_t extra;
        int n = r->read(r->ctx, &extra, 1);
        return n == 0 ? LUM_OK : LUM_ERR_IO;
    }
}

int lum_multipart_write(lum_out *o, const void *ctx)
{
    const lum_multipart *m = (const lum_multipart *)ctx;
    int rc;
    lum_out_str(o, "--");
    lum_out_str(o, m->boundary);
    lum_out_str(o, "\r\nContent-Disposition: form-data; name=");
    put_quoted(o, m->field_name);
    lum_out_str(o, "; filename=");
    put_quoted(o, m->file_name);
    lum_out_str(o, "\r\nContent-Type: application/octet-stream\r\n\r\n");
    rc = put_file(o, m->reader);
    if (rc != LUM_OK) return rc;
    lum_out_str(o, "\r\n--");
    lum_out_str(o, m->boundary);
    lum_out_str(o, "--\r\n");
    return o->err;
}

int lum_multipart_rewind(const void *ctx)
{
    const lum_multipart *m = (const lum_multipart *)ctx;
    if (m->reader->rewind == NULL) return LUM_ERR_STATE;
    return m->reader->rewind(m->reader->ctx) == 0 ? LUM_OK : LUM_ERR_IO;
}
