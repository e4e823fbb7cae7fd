/*
 * Streaming JSON decode through one bounded buffer.
 *
 * jsmn is resumable: after it reports an incomplete document, calling it
 * again with more bytes continues where it stopped. We use that to read a
 * response of any length through a small buffer while scanning each byte
 * once:
 *
 *  1. Body bytes are appended to the buffer and jsmn tokenizes them.
 *  2. When the document has a streamed list (the root array, or a STREAM
 *     field of the root object), every complete element of it is decoded
 *     into the caller's scratch struct and handed to the callback, and its
 *     tokens are removed from the token array (later tokens slide down and
 *     their parent links are renumbered).
 *  3. When the buffer is full, the bytes of elements already handed out are
 *     removed (the partial element slides down, token offsets and jsmn's
 *     position are shifted), which frees room for the next read.
 *
 * So memory never depends on the list's length, only on the largest single
 * element (buffer) and its token count (token array). Everything outside the
 * streamed list must fit the buffer, which for the API's models is small.
 */
#define JSMN_STATIC
#include "json/json_tokens.h"

#include <stddef.h>
#include <string.h>

#include "lumminary/error.h"

/* The client stores tokens as struct lum_json_tok so that the public header
   need not include jsmn; the two must be the same layout. Only `type` may
   differ in width (arm-none-eabi has short enums): it is padded to an int's
   place either way and only ever read through jsmntok_t. */
typedef char lum_check_token_layout
    [(sizeof(jsmntok_t) == sizeof(struct lum_json_tok) &&
      offsetof(jsmntok_t, start) == offsetof(struct lum_json_tok, start) &&
      offsetof(jsmntok_t, end) == offsetof(struct lum_json_tok, end) &&
      offsetof(jsmntok_t, size) == offsetof(struct lum_json_tok, size) &&
      offsetof(jsmntok_t, parent) == offsetof(struct lum_json_tok, parent))
         ? 1
         : -1];

typedef struct stream {
    const lum_json_target *t;
    jsmn_parser p;
    jsmntok_t *tok;
    unsigned ntok;
    char *js;
    size_t len, cap;
    int array;          /* token of the open streamed list, or -1 */
    int list;           /* its field index in t->model, or -1 for a root list */
    unsigned scan_from; /* tokens before this were already checked for a list */
    size_t evict_from;  /* first byte after the list's '[' */
    size_t sep_pos;     /* bytes of the list before this were checked (see check_separators) */
    int sep_state;      /* what came last in the list: SEP_OPEN, SEP_ELEMENT or SEP_COMMA */
    size_t after_list;  /* 0, or the next byte to check after a member list: see check_after_list */
    bool after_comma;   /* check_after_list has seen the ',' */
    lum_error_info *err;
} stream;

enum { SEP_OPEN, SEP_ELEMENT, SEP_COMMA };

static lum_json_doc doc_of(const stream *s)
{
    lum_json_doc d;
    d.js = s->js;
    d.tok = s->tok;
    d.ntok = (int)s->p.toknext;
    d.relaxed = s->t->relaxed;
    d.err = s->err;
    return d;
}

static int fail(stream *s, int code, const lum_field *f)
{
    s->err->model = s->t->model != NULL ? s->t->model->name
                    : s->t->elem_model != NULL ? s->t->elem_model->name : NULL;
    s->err->field = f != NULL ? f->key : NULL;
    return code;
}

/* Looks for the list to stream among the tokens jsmn added since last time. */
static int find_list(stream *s)
{
    const lum_model *m = s->t->model;
    unsigned i;

    if (s->array >= 0 || s->p.toknext == 0) return LUM_OK;
    if (m == NULL) {
        if (s->scan_from > 0) return LUM_OK; /* the root list was done already */
        if (s->tok[0].type != JSMN_ARRAY) return fail(s, LUM_ERR_JSON_TYPE, NULL);
        s->array = 0;
        s->list = -1;
        s->scan_from = 1;
        s->evict_from = (size_t)s->tok[0].start + 1;
        s->sep_pos = s->evict_from;
        s->sep_state = SEP_OPEN;
        return LUM_OK;
    }
    if (s->tok[0].type != JSMN_OBJECT) return fail(s, LUM_ERR_JSON_TYPE, NULL);
    for (i = s->scan_from > 1 ? s->scan_from : 1; i < s->p.toknext; i++) {
        const jsmntok_t *key;
        int f;
        /* What jsmn makes of bytes after the root is not ours to stream. */
        if (s->tok[0].end != -1 && s->tok[i].start >= s->tok[0].end) break;
        if (s->tok[i].type != JSMN_ARRAY || s->tok[i].parent < 0) continue;
        key = &s->tok[s->tok[i].parent];
        if (key->type != JSMN_STRING || key->parent != 0) continue;
        for (f = 0; f < m->nfields; f++) {
            const lum_field *fd = &m->fields[f];
            size_t n = (size_t)(key->end - key->start);
            if (fd->type == LUM_FT_STREAM && strncmp(fd->key, s->js + key->start, n) == 0 && fd->key[n] == '\0') {
                s->array = (int)i;
                s->list = f;
                s->scan_from = i + 1;
                s->evict_from = (size_t)s->tok[i].start + 1;
                s->sep_pos = s->evict_from;
                s->sep_state = SEP_OPEN;
                return LUM_OK;
            }
        }
    }
    s->scan_from = s->p.toknext;
    return LUM_OK;
}

static int emit(stream *s, int child)
{
    const lum_json_target *t = s->t;
    lum_json_doc d = doc_of(s);
    int rc;

    if (t->elem_model != NULL) {
        rc = lum_json_decode_object(&d, child, t->elem_model, t->elem, true);
    } else {
        rc = lum_json_decode_string(&d, child, (char *)t->elem, t->elem_size);
        if (rc != LUM_OK) {
            const lum_field *f = s->list >= 0 ? &t->model->fields[s->list] : NULL;
            return fail(s, rc, f);
        }
    }
    if (rc != LUM_OK) return rc;
    if (s->list >= 0) {
        /* Count into the root struct; the final decode leaves counts alone. */
        uint32_t n;
        uint8_t *at = (uint8_t *)t->out + LUM_COUNT_OFFSET(&t->model->fields[s->list]);
        memcpy(&n, at, sizeof n);
        n++;
        memcpy(at, &n, sizeof n);
    }
    if (t->on_element != NULL && t->on_element(t->user, s->list, t->elem) != 0) return LUM_ERR_ABORTED;
    return LUM_OK;
}

/*
 * Checks the bytes of the open list between s->sep_pos and `to`, which lie
 * between elements: only whitespace and one comma between two elements.
 * jsmn does not check this (it takes `[1 2]`, `[1,,2]`, `["a": 1]`), and
 * since the streamed bytes are dropped as we go, a list that is not JSON
 * would otherwise be accepted or not depending on how the body was cut into
 * reads. then: SEP_ELEMENT when an element starts at `to`, SEP_OPEN when
 * the list ends there (']'), else -1 (more bytes to come).
 */
static int check_separators(stream *s, size_t to, int then)
{
    size_t k;
    for (k = s->sep_pos; k < to; k++) {
        char ch = s->js[k];
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') continue;
        if (ch != ',' || s->sep_state != SEP_ELEMENT) return fail(s, LUM_ERR_JSON, NULL);
        s->sep_state = SEP_COMMA;
    }
    s->sep_pos = to;
    if (then == SEP_ELEMENT) {
        if (s->sep_state == SEP_ELEMENT) return fail(s, LUM_ERR_JSON, NULL);
        s->sep_state = SEP_ELEMENT;
    } else if (then == SEP_OPEN && s->sep_state == SEP_COMMA) {
        return fail(s, LUM_ERR_JSON, NULL); /* [1,] */
    }
    return LUM_OK;
}

/* Where an element's bytes begin and end (jsmn's strings exclude the quotes). */
static size_t elem_start(const jsmntok_t *t)
{
    return (size_t)t->start - (t->type == JSMN_STRING ? 1u : 0u);
}

static size_t elem_end(const jsmntok_t *t)
{
    return (size_t)t->end + (t->type == JSMN_STRING ? 1u : 0u);
}

/*
 * Hands out every complete element of the open list and drops their tokens.
 * *emitted tells whether any token was freed.
 */
static int emit_complete(stream *s, bool *emitted)
{
    jsmntok_t *tok = s->tok;
    unsigned first, i, j, delta;
    int a = s->array;

    *emitted = false;
    if (a < 0) return LUM_OK;
    first = (unsigned)a + 1;
    i = first;
    /* A closed list's elements lie inside it: jsmn hangs `],: ""` on it too. */
    while (i < s->p.toknext && tok[i].parent == a && (tok[a].end == -1 || tok[i].start < tok[a].end)) {
        int rc;
        bool container = tok[i].type == JSMN_OBJECT || tok[i].type == JSMN_ARRAY;
        if (container && tok[i].end == -1) break; /* still arriving */
        j = i + 1;
        if (container)
            while (j < s->p.toknext && tok[j].start < tok[i].end) j++;
        rc = check_separators(s, elem_start(&tok[i]), SEP_ELEMENT);
        if (rc != LUM_OK) return rc;
        rc = emit(s, (int)i);
        if (rc != LUM_OK) return rc;
        s->sep_pos = elem_end(&tok[i]);
        i = j;
    }
    delta = i - first;
    if (delta > 0) {
        /*
         * Nothing outside a complete element may refer into it. jsmn lets
         * `["a": 1]` through (the ':' makes the element a key); dropping
         * such an element would leave parent links and jsmn's toksuper
         * pointing at recycled tokens, and jsmn could then walk them in a
         * cycle.
         */
        bool root_open = tok[0].end == -1; /* else what follows it is left to expect_only_whitespace */
        if (root_open && s->p.toksuper >= (int)first && s->p.toksuper < (int)i) return fail(s, LUM_ERR_JSON, NULL);
        for (j = i; j < s->p.toknext; j++)
            if (tok[j].parent >= (int)first && tok[j].parent < (int)i && (root_open || tok[j].start < tok[0].end))
                return fail(s, LUM_ERR_JSON, NULL);
        *emitted = true;
        for (j = i; j < s->p.toknext; j++) {
            tok[j - delta] = tok[j];
            if (tok[j - delta].parent >= (int)i) tok[j - delta].parent -= (int)delta;
        }
        s->p.toknext -= delta;
        if (s->p.toksuper >= (int)i) s->p.toksuper -= (int)delta;
    }
    if (tok[a].end != -1) {
        /* The list is closed and empty of tokens: look for another. */
        int rc = check_separators(s, (size_t)tok[a].end - 1, SEP_OPEN);
        if (rc != LUM_OK) return rc;
        if (s->list >= 0) s->after_list = (size_t)tok[a].end;
        s->array = -1;
        s->scan_from = first;
    }
    return LUM_OK;
}

/*
 * After a member list: '}', or ',' and the next key's '"'. jsmn would take
 * a ':' there and attach what follows to its last token, which is the
 * list's last element when the list closed in the same read and the list
 * itself when its elements were already dropped: the document would mean
 * different things depending on the reads. Checked as soon as the bytes are
 * there (they do not move: bytes are only compacted inside an open list,
 * and no list opens before the next key).
 */
static int check_after_list(stream *s)
{
    while (s->after_list != 0 && s->after_list < s->len) {
        char ch = s->js[s->after_list++];
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') continue;
        if (s->after_comma ? ch != '"' : ch != ',' && ch != '}') return fail(s, LUM_ERR_JSON, NULL);
        if (ch == ',') {
            s->after_comma = true;
        } else {
            s->after_list = 0;
            s->after_comma = false;
        }
    }
    return LUM_OK;
}

/*
 * Streams what can be streamed now. Loops because within one parse a list
 * may close and the next one (Product has two) begin.
 */
static int process_lists(stream *s, bool *emitted)
{
    *emitted = false;
    for (;;) {
        bool e;
        int rc = check_after_list(s);
        if (rc != LUM_OK) return rc;
        rc = find_list(s);
        if (rc != LUM_OK || s->array < 0) return rc;
        rc = emit_complete(s, &e);
        if (rc != LUM_OK) return rc;
        *emitted = *emitted || e;
        if (s->array >= 0) return LUM_OK; /* still open: wait for more bytes */
    }
}

/* Drops the bytes of handed-out elements; *freed tells how many. */
static int compact_bytes(stream *s, size_t *freed)
{
    unsigned first, j;
    size_t keep, delta;
    int rc;

    *freed = 0;
    if (s->array < 0) return LUM_OK;
    first = (unsigned)s->array + 1;
    if (first < s->p.toknext) {
        keep = (size_t)s->tok[first].start;
        if (s->tok[first].type == JSMN_STRING) keep--; /* jsmn's string start is past the quote */
    } else {
        keep = s->p.pos; /* nothing tokenized yet of the next element */
    }
    if (keep <= s->evict_from) return LUM_OK;
    /* The separators about to go must be checked while they are here. */
    rc = check_separators(s, keep, -1);
    if (rc != LUM_OK) return rc;
    delta = keep - s->evict_from;
    s->sep_pos = s->evict_from;
    memmove(s->js + s->evict_from, s->js + keep, s->len - keep);
    s->len -= delta;
    s->p.pos -= (unsigned)delta;
    for (j = first; j < s->p.toknext; j++) {
        s->tok[j].start -= (int)delta;
        if (s->tok[j].end != -1) s->tok[j].end -= (int)delta;
    }
    *freed = delta;
    return LUM_OK;
}

/* After the document (which ends at byte `from`): the rest of the body may
   only be whitespace. */
static int expect_only_whitespace(stream *s, size_t from, lum_json_fill fill, void *fill_ctx)
{
    size_t i;
    for (i = from; i < s->len; i++)
        if (s->js[i] != ' ' && s->js[i] != '\t' && s->js[i] != '\r' && s->js[i] != '\n')
            return fail(s, LUM_ERR_JSON, NULL);
    for (;;) {
        int n = fill(fill_ctx, (uint8_t *)s->js, s->cap);
        if (n <= 0) return n;
        for (i = 0; i < (size_t)n; i++)
            if (s->js[i] != ' ' && s->js[i] != '\t' && s->js[i] != '\r' && s->js[i] != '\n')
                return fail(s, LUM_ERR_JSON, NULL);
    }
}

static int finish(stream *s)
{
    lum_json_doc d = doc_of(s);
    unsigned i;
    /* Inside the root, every token has a parent. (What jsmn made of bytes
       after the root is left to expect_only_whitespace, so that an error in
       the document itself is found first, however the body was cut.) */
    for (i = 1; i < s->p.toknext && s->tok[i].start < s->tok[0].end; i++)
        if (s->tok[i].parent < 0) return fail(s, LUM_ERR_JSON, NULL);
    if (s->t->model == NULL) return s->tok[0].type == JSMN_ARRAY ? LUM_OK : fail(s, LUM_ERR_JSON_TYPE, NULL);
    return lum_json_decode_object(&d, 0, s->t->model, s->t->out, false);
}

int lum_json_decode(const lum_json_target *t, uint8_t *buf, size_t cap, size_t have,
                    lum_json_fill fill, void *fill_ctx, struct lum_json_tok *tokens,
                    unsigned ntokens, lum_error_info *err)
{
    stream s;
    bool eof = false;

    memset(&s, 0, sizeof s);
    s.t = t;
    s.tok = (jsmntok_t *)(void *)tokens;
    s.ntok = ntokens;
    s.js = (char *)buf;
    s.len = have;
    s.cap = cap;
    s.array = -1;
    s.list = -1;
    s.err = err;
    jsmn_init(&s.p);
    if (t->model != NULL) memset(t->out, 0, t->model->size);
    if (cap > 0x7fffffffu) return LUM_ERR_INVALID_ARG; /* jsmn offsets are int */

    for (;;) {
        bool emitted = false;
        int r = jsmn_parse(&s.p, s.js, s.len, s.tok, s.ntok);
        int rc;
        /* jsmn refuses `{} [` (a container as a key) after allocating its
           token: drop that half-made token (start -1, type left over from a
           previous call) so that nothing below mistakes it for a real one. */
        if (r == JSMN_ERROR_INVAL && s.p.toknext > 0 && s.tok[s.p.toknext - 1].start == -1) s.p.toknext--;
        rc = process_lists(&s, &emitted);
        if (rc != LUM_OK) return rc;

        /*
         * The document ends where its root value closes. Deciding it by
         * jsmn's return instead would depend on what else the last read
         * brought: jsmn goes on tokenizing bytes after the root (`{} {`
         * is "incomplete", `{} x` "invalid").
         */
        if (s.p.toknext > 0 && s.tok[0].end != -1) {
            rc = finish(&s);
            return rc != LUM_OK ? rc : expect_only_whitespace(&s, (size_t)s.tok[0].end, fill, fill_ctx);
        }
        if (r == JSMN_ERROR_INVAL) return fail(&s, LUM_ERR_JSON, NULL);
        if (r == JSMN_ERROR_NOMEM) {
            if (!emitted) return fail(&s, LUM_ERR_JSON_TOKENS, NULL);
            continue;
        }
        /* Incomplete (or only whitespace so far): more bytes are needed. */
        if (s.p.pos < s.len && s.js[s.p.pos] == '\0') return fail(&s, LUM_ERR_JSON, NULL);
        if (eof) return fail(&s, LUM_ERR_JSON, NULL);
        if (s.len == s.cap) {
            size_t freed;
            rc = compact_bytes(&s, &freed);
            if (rc != LUM_OK) return rc;
            if (freed == 0)
                return s.array >= 0 ? fail(&s, LUM_ERR_ELEMENT_TOO_LARGE, NULL)
                                    : fail(&s, LUM_ERR_BODY_TOO_LARGE, NULL);
        }
        {
            int n = fill(fill_ctx, (uint8_t *)s.js + s.len, s.cap - s.len);
            if (n < 0) return n;
            if (n == 0) eof = true;
            s.len += (size_t)n;
        }
    }
}

void lum_json_error_message(const uint8_t *buf, size_t len, struct lum_json_tok *tokens,
                            unsigned ntokens, char *out, size_t cap)
{
    jsmn_parser p;
    jsmntok_t *tok = (jsmntok_t *)(void *)tokens;
    const char *js = (const char *)buf;
    int n, k;

    if (cap == 0) return;
    out[0] = '\0';
    if (len > 0x7fffffffu) return;
    jsmn_init(&p);
    n = jsmn_parse(&p, js, len, tok, ntokens);
    if (n < 1 || tok[0].type != JSMN_OBJECT) return;
    for (k = 1; k + 1 < n; k++) {
        if (tok[k].parent == 0 && tok[k].type == JSMN_STRING && tok[k].end - tok[k].start == 7 &&
            memcmp(js + tok[k].start, "message", 7) == 0 && tok[k + 1].type == JSMN_STRING) {
            char *ch;
            lum_json_unescape_cut(js + tok[k + 1].start, (size_t)(tok[k + 1].end - tok[k + 1].start),
                                  out, cap);
            /* It ends up in logs and terminals: no escape sequences, no
               CR/LF to forge a line. */
            for (ch = out; *ch != '\0'; ch++)
                if ((unsigned char)*ch < 0x20 || *ch == 0x7f) *ch = ' ';
            return;
        }
    }
}
