/*
 * JSON on stdout. Models go through the SDK's encoder (lum_json_encode);
 * lists the SDK streams are printed here as their elements arrive, so no
 * list is ever held in memory.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* stdio would otherwise allocate stdout's buffer on first use. */
static char stdout_buf[16384];

void out_init(void)
{
    setvbuf(stdout, stdout_buf, _IOFBF, sizeof stdout_buf);
}

int out_write(void *ctx, const char *data, size_t len)
{
    (void)ctx;
    return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

void out_mem(const char *s, size_t n)
{
    (void)out_write(NULL, s, n); /* a failure sticks in ferror: out_finish reports it */
}

void out_str(const char *s)
{
    out_mem(s, strlen(s));
}

/* RFC 8259: quote, backslash and control characters escaped; UTF-8 as is. */
void out_json_chars(const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, run = 0;
    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x20 && ch != '"' && ch != '\\') continue;
        out_mem(s + run, i - run);
        if (ch == '"' || ch == '\\') {
            char e[2] = {'\\', (char)ch};
            out_mem(e, 2);
        } else {
            char e[6] = {'\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15]};
            out_mem(e, 6);
        }
        run = i + 1;
    }
    out_mem(s + run, n - run);
}

void out_json_string(const char *s, size_t n)
{
    out_mem("\"", 1);
    out_json_chars(s, n);
    out_mem("\"", 1);
}

int out_model(const struct lum_model *m, const void *obj)
{
    return lum_json_encode(m, obj, out_write, NULL);
}

int out_finish(void)
{
    if (fflush(stdout) != 0 || ferror(stdout)) return EXIT_IO;
    return EXIT_OK;
}

void out_list_begin(out_list *l)
{
    l->count = 0; /* "[" comes with the first element: a call that fails first prints nothing */
}

void out_list_next(out_list *l)
{
    out_mem(l->count++ == 0 ? "[" : ",", 1);
}

void out_list_end(out_list *l)
{
    if (l->count == 0) out_mem("[", 1);
    out_mem("]", 1);
}

/* ------------------------------------------------- objects with streamed lists */

void out_merged_init(out_merged *m)
{
    m->open_list = -1;
    m->seen = 0;
    m->count = 0;
    m->any = false;
}

static void open_list(out_merged *m, int list, const char *name)
{
    if (m->open_list >= 0) out_mem("]", 1);
    out_mem(m->any ? "," : "{", 1);
    out_json_string(name, strlen(name));
    out_mem(":[", 2);
    m->open_list = list;
    m->seen |= 1u << list;
    m->count = 0;
    m->any = true;
}

void out_merged_element(out_merged *m, int list, const char *name)
{
    if (m->open_list != list) open_list(m, list, name);
    if (m->count++ > 0) out_mem(",", 1);
}

/* The encoder's object with its '{' dropped and a ',' before its first field. */
typedef struct tail {
    int state; /* 0: before '{', 1: before the first field, 2: the rest */
} tail;

static int write_tail(void *ctx, const char *data, size_t len)
{
    tail *t = ctx;
    while (len > 0 && t->state < 2) {
        if (t->state == 0) {
            t->state = 1; /* the '{' */
        } else {
            if (*data != '}') out_mem(",", 1);
            t->state = 2;
            break;
        }
        data++;
        len--;
    }
    return out_write(NULL, data, len);
}

int out_merged_finish(out_merged *m, const struct lum_model *model, const void *obj, uint32_t present,
                      const int *lists, const char *const *names, int n_lists)
{
    tail t;
    int i;
    if (m->open_list >= 0) out_mem("]", 1);
    m->open_list = -1;
    for (i = 0; i < n_lists; i++) {
        if ((present & (1u << lists[i])) && !(m->seen & (1u << lists[i]))) {
            out_mem(m->any ? "," : "{", 1);
            out_json_string(names[i], strlen(names[i]));
            out_mem(":[]", 3);
            m->any = true;
        }
    }
    if (!m->any) return lum_json_encode(model, obj, out_write, NULL);
    t.state = 0;
    return lum_json_encode(model, obj, write_tail, &t);
}
