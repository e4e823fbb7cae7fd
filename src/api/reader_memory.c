/*
 * A lum_reader over bytes in memory.
 */
#include <string.h>

#include "lumminary/api.h"

static int memory_read(void *ctx, uint8_t *buf, size_t cap)
{
    lum_memory_source *m = (lum_memory_source *)ctx;
    size_t n = m->len - m->pos;
    if (n > cap) n = cap;
    if (n > 0x7fffffff) n = 0x7fffffff;
    if (n == 0) return 0;
    memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    return (int)n;
}

static int memory_rewind(void *ctx)
{
    ((lum_memory_source *)ctx)->pos = 0;
    return 0;
}

void lum_reader_memory(lum_reader *r, lum_memory_source *src, const void *data, size_t len,
                       const char *name)
{
    src->data = (const uint8_t *)data;
    src->len = len;
    src->pos = 0;
    r->ctx = src;
    r->read = memory_read;
    r->rewind = memory_rewind;
    r->size = (int64_t)len;
    r->name = name;
}
