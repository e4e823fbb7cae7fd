/*
 * A document whose one string member may be far larger than the buffer
 * (ReferenceSequence: up to a million bases), streamed without jsmn.
 *
 * jsmn needs a whole string in the buffer before it yields a token, so it
 * cannot serve here. Instead a byte-level scanner runs over each read once:
 * a state machine for JSON syntax, a bit stack for nesting (no recursion),
 * and an unescaper whose state (a half-read \uXXXX, a high surrogate
 * waiting for its low half) survives the end of a read. The member's
 * content is unescaped in place, since a decoded escape is never longer
 * than its text, and each read's run is handed out as one piece pointing
 * into the buffer; the rare escape split across reads whose decoded bytes
 * outrun its text in this read is handed out as a piece of its own.
 */
#include "json/json.h"

#include <string.h>

#include "lumminary/error.h"

#define MAX_DEPTH 32 /* bits of scan.stack */

enum {
    ST_VALUE,        /* a value is expected */
    ST_FIRST_KEY,    /* after '{': a key or '}' */
    ST_KEY,          /* after ',' in an object: a key */
    ST_COLON,        /* after a key */
    ST_AFTER,        /* after a value inside a container: ',' or its end */
    ST_FIRST_ELEM,   /* after '[': a value or ']' */
    ST_STRING,       /* inside a string */
    ST_ESCAPE,       /* after a backslash */
    ST_HEX,          /* inside \uXXXX */
    ST_LOW_BACKSLASH, /* after a high surrogate: its low half's '\' */
    ST_LOW_U,        /* ... and its 'u' */
    ST_NUMBER,
    ST_LITERAL,
    ST_END           /* after the root: whitespace only */
};

enum { STR_SKIP, STR_KEY, STR_TEXT };

/* Number grammar states; the ones marked end may close a number. */
enum { N_MINUS, N_ZERO /* end */, N_INT /* end */, N_DOT, N_FRAC /* end */, N_E, N_ESIGN, N_EXP /* end */ };

typedef struct scan {
    const lum_json_target *t;
    const lum_field *f;   /* the streamed member */
    lum_error_info *err;
    uint32_t stack;       /* bit d set: the container at depth d + 1 is an object */
    uint8_t depth;
    uint8_t state;
    uint8_t str;          /* STR_* of the string being read */
    uint8_t num;          /* N_* of the number being read */
    uint8_t hex_left;
    uint8_t key_pos;      /* bytes of f->key matched so far */
    bool key_match;       /* the key being read can still be f->key */
    bool is_target;       /* the value about to start is the streamed member's */
    bool seen_key, seen;
    uint32_t cp, hi;      /* \u value being read; a pending high surrogate (0: none) */
    const char *lit;      /* rest of a true/false/null being read */
    char *piece, *w;      /* unescaped content not yet handed out: [piece, w) */
} scan;

static int fail(scan *s, int code, bool field)
{
    s->err->model = s->t->model->name;
    s->err->field = field ? s->f->key : NULL;
    return code;
}

static bool is_ws(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static int flush(scan *s)
{
    size_t n = (size_t)(s->w - s->piece);
    s->piece = s->w;
    if (n > 0 && s->t->on_text != NULL && s->t->on_text(s->t->user, s->w - n, n) != 0)
        return LUM_ERR_ABORTED;
    return LUM_OK;
}

/* Content bytes at `at` (inside the current read): slide them to w. */
static void put_run(scan *s, char *at, size_t n)
{
    if (s->w != at) memmove(s->w, at, n);
    s->w += n;
}

/* A decoded escape whose text ends just before `end`: in place when it fits
   behind w, else handed out as a piece of its own. */
static int put_decoded(scan *s, const char *d, size_t n, char *end)
{
    int rc;
    if (s->w + n <= end) {
        memcpy(s->w, d, n);
        s->w += n;
        return LUM_OK;
    }
    rc = flush(s);
    if (rc != LUM_OK) return rc;
    if (s->t->on_text != NULL && s->t->on_text(s->t->user, d, n) != 0) return LUM_ERR_ABORTED;
    s->piece = s->w = end;
    return LUM_OK;
}

static int push(scan *s, bool object)
{
    if (s->depth == MAX_DEPTH) return fail(s, LUM_ERR_JSON, false);
    if (object) s->stack |= (uint32_t)1 << s->depth;
    else s->stack &= ~((uint32_t)1 << s->depth);
    s->depth++;
    s->state = object ? ST_FIRST_KEY : ST_FIRST_ELEM;
    return LUM_OK;
}

static bool in_object(const scan *s)
{
    return (s->stack >> (s->depth - 1)) & 1u;
}

static void value_done(scan *s)
{
    s->state = s->depth == 0 ? ST_END : ST_AFTER;
}

static bool starts_value(char ch)
{
    return ch == '{' || ch == '[' || ch == '"' || ch == '-' || (ch >= '0' && ch <= '9') || ch == 't' ||
           ch == 'f' || ch == 'n';
}

/* The first byte of a value; `at` is where it sits in the read. */
static int begin_value(scan *s, char ch, char *at)
{
    bool target = s->is_target;
    s->is_target = false;
    if (s->depth == 0 && ch != '{')
        return fail(s, starts_value(ch) ? LUM_ERR_JSON_TYPE : LUM_ERR_JSON, false);
    if (target) {
        if (ch == '"') {
            uint32_t present = 1;
            s->seen = true;
            if (s->t->out != NULL) memcpy(s->t->out, &present, sizeof present);
            s->str = STR_TEXT;
            s->state = ST_STRING;
            s->piece = s->w = at + 1;
            return LUM_OK;
        }
        if (ch != 'n') return fail(s, starts_value(ch) ? LUM_ERR_JSON_TYPE : LUM_ERR_JSON, true);
        /* null: absent, read below like any literal */
    }
    switch (ch) {
    case '{': return push(s, true);
    case '[': return push(s, false);
    case '"':
        s->str = STR_SKIP;
        s->state = ST_STRING;
        return LUM_OK;
    case 't': s->lit = "rue"; break;
    case 'f': s->lit = "alse"; break;
    case 'n': s->lit = "ull"; break;
    case '-': s->num = N_MINUS; s->state = ST_NUMBER; return LUM_OK;
    case '0': s->num = N_ZERO; s->state = ST_NUMBER; return LUM_OK;
    default:
        if (ch >= '1' && ch <= '9') {
            s->num = N_INT;
            s->state = ST_NUMBER;
            return LUM_OK;
        }
        return fail(s, LUM_ERR_JSON, false);
    }
    s->state = ST_LITERAL;
    return LUM_OK;
}

static int end_string(scan *s)
{
    if (s->str == STR_KEY) {
        s->is_target = s->key_match && s->f->key[s->key_pos] == '\0';
        if (s->is_target) {
            /* Content already handed out cannot be taken back. */
            if (s->seen_key) return fail(s, LUM_ERR_JSON, true);
            s->seen_key = true;
        }
        s->state = ST_COLON;
        return LUM_OK;
    }
    if (s->str == STR_TEXT) {
        int rc = flush(s);
        if (rc != LUM_OK) return rc;
    }
    value_done(s);
    return LUM_OK;
}

/* The last hex digit of a \uXXXX ended at `end`. */
static int end_hex(scan *s, char *end)
{
    char d[4];
    uint32_t cp = s->cp;
    if (s->str != STR_TEXT) { /* syntax only, as jsmn checks it */
        s->state = ST_STRING;
        return LUM_OK;
    }
    if (s->hi != 0) {
        if (cp < 0xDC00 || cp > 0xDFFF) return fail(s, LUM_ERR_JSON_TYPE, true);
        cp = 0x10000 + ((s->hi - 0xD800) << 10) + (cp - 0xDC00);
        s->hi = 0;
    } else if (cp >= 0xD800 && cp <= 0xDBFF) {
        s->hi = cp;
        s->state = ST_LOW_BACKSLASH;
        return LUM_OK;
    } else if ((cp >= 0xDC00 && cp <= 0xDFFF) || cp == 0) {
        return fail(s, LUM_ERR_JSON_TYPE, true); /* lone low surrogate; U+0000 ends a C string */
    }
    s->state = ST_STRING;
    return put_decoded(s, d, lum_utf8_encode(cp, d), end);
}

/* One step of the number grammar; *more is false when ch is not part of it
   (only in the states where a number may end: the others fail). */
static int number_step(scan *s, char ch, bool *more)
{
    bool digit = ch >= '0' && ch <= '9';
    *more = true;
    switch (s->num) {
    case N_MINUS:
        if (!digit) return fail(s, LUM_ERR_JSON, false);
        s->num = ch == '0' ? N_ZERO : N_INT;
        return LUM_OK;
    case N_INT:
        if (digit) return LUM_OK;
        /* fall through */
    case N_ZERO:
        if (ch == '.') s->num = N_DOT;
        else if (ch == 'e' || ch == 'E') s->num = N_E;
        else *more = false;
        return LUM_OK;
    case N_DOT:
        if (!digit) return fail(s, LUM_ERR_JSON, false);
        s->num = N_FRAC;
        return LUM_OK;
    case N_FRAC:
        if (digit) return LUM_OK;
        if (ch == 'e' || ch == 'E') s->num = N_E;
        else *more = false;
        return LUM_OK;
    case N_E:
        if (ch == '+' || ch == '-') {
            s->num = N_ESIGN;
            return LUM_OK;
        }
        /* fall through */
    case N_ESIGN:
        if (!digit) return fail(s, LUM_ERR_JSON, false);
        s->num = N_EXP;
        return LUM_OK;
    default: /* N_EXP */
        if (!digit) *more = false;
        return LUM_OK;
    }
}

/* Scans one read, p[0..n). */
static int feed(scan *s, char *p, size_t n)
{
    size_t i = 0;
    int rc = LUM_OK;

    s->piece = s->w = p;
    while (i < n && rc == LUM_OK) {
        char ch = p[i];
        switch (s->state) {
        case ST_STRING: {
            size_t j = i;
            if (s->str != STR_KEY) {
                /* The bulk of a sequence: a run of plain bytes at once. */
                while (j < n && (unsigned char)p[j] >= 0x20 && p[j] != '"' && p[j] != '\\') j++;
                if (j > i) {
                    if (s->str == STR_TEXT) put_run(s, p + i, j - i);
                    i = j;
                    continue;
                }
            }
            if (ch == '"') {
                rc = end_string(s);
            } else if (ch == '\\') {
                s->key_match = false; /* keys are compared as sent, like the jsmn decoder does */
                s->state = ST_ESCAPE;
            } else if ((unsigned char)ch < 0x20) {
                rc = fail(s, s->str == STR_TEXT ? LUM_ERR_JSON_TYPE : LUM_ERR_JSON, s->str == STR_TEXT);
            } else if (s->key_match && s->f->key[s->key_pos] != '\0' && ch == s->f->key[s->key_pos]) {
                s->key_pos++;
            } else {
                s->key_match = false;
            }
            i++;
            break;
        }
        case ST_ESCAPE: {
            char d;
            if (ch == 'u') {
                s->state = ST_HEX;
                s->hex_left = 4;
                s->cp = 0;
            } else if (lum_json_escape_char(ch, &d)) {
                s->state = ST_STRING;
                if (s->str == STR_TEXT) rc = put_decoded(s, &d, 1, p + i + 1);
            } else {
                rc = fail(s, LUM_ERR_JSON, s->str == STR_TEXT);
            }
            i++;
            break;
        }
        case ST_HEX: {
            int v = lum_json_hex_digit(ch);
            if (v < 0) {
                rc = fail(s, LUM_ERR_JSON, s->str == STR_TEXT);
            } else {
                s->cp = (s->cp << 4) | (uint32_t)v;
                if (--s->hex_left == 0) rc = end_hex(s, p + i + 1);
            }
            i++;
            break;
        }
        case ST_LOW_BACKSLASH:
        case ST_LOW_U:
            if (ch != (s->state == ST_LOW_BACKSLASH ? '\\' : 'u')) {
                rc = fail(s, LUM_ERR_JSON_TYPE, true); /* a high surrogate alone */
            } else if (s->state == ST_LOW_BACKSLASH) {
                s->state = ST_LOW_U;
            } else {
                s->state = ST_HEX;
                s->hex_left = 4;
                s->cp = 0;
            }
            i++;
            break;
        case ST_NUMBER: {
            bool more;
            rc = number_step(s, ch, &more);
            if (more) i++;
            else value_done(s); /* ch belongs to what follows: scan it again */
            break;
        }
        case ST_LITERAL:
            if (ch != *s->lit) {
                rc = fail(s, LUM_ERR_JSON, false);
            } else if (*++s->lit == '\0') {
                value_done(s);
            }
            i++;
            break;
        default:
            i++;
            if (is_ws(ch)) break;
            switch (s->state) {
            case ST_VALUE:
                rc = begin_value(s, ch, p + i - 1);
                break;
            case ST_FIRST_ELEM:
                if (ch == ']') {
                    s->depth--;
                    value_done(s);
                } else {
                    rc = begin_value(s, ch, p + i - 1);
                }
                break;
            case ST_FIRST_KEY:
            case ST_KEY:
                if (ch == '"') {
                    s->str = STR_KEY;
                    s->key_match = s->depth == 1;
                    s->key_pos = 0;
                    s->state = ST_STRING;
                } else if (ch == '}' && s->state == ST_FIRST_KEY) {
                    s->depth--;
                    value_done(s);
                } else {
                    rc = fail(s, LUM_ERR_JSON, false);
                }
                break;
            case ST_COLON:
                if (ch == ':') s->state = ST_VALUE;
                else rc = fail(s, LUM_ERR_JSON, false);
                break;
            case ST_AFTER:
                if (ch == ',') {
                    s->state = in_object(s) ? ST_KEY : ST_VALUE;
                } else if (ch == (in_object(s) ? '}' : ']')) {
                    s->depth--;
                    value_done(s);
                } else {
                    rc = fail(s, LUM_ERR_JSON, false);
                }
                break;
            default: /* ST_END */
                rc = fail(s, LUM_ERR_JSON, false);
                break;
            }
            break;
        }
    }
    if (rc != LUM_OK) return rc;
    /* The read is about to be overwritten: hand out what it holds. */
    return s->state >= ST_STRING && s->state <= ST_LOW_U && s->str == STR_TEXT ? flush(s) : LUM_OK;
}

int lum_json_decode_text(const lum_json_target *t, uint8_t *buf, size_t cap, size_t have,
                         lum_json_fill fill, void *fill_ctx, struct lum_json_tok *tokens,
                         unsigned ntokens, lum_error_info *err)
{
    scan s;
    size_t n = have;

    (void)tokens;
    (void)ntokens;
    memset(&s, 0, sizeof s);
    s.t = t;
    s.err = err;
    s.state = ST_VALUE;
    if (t->model == NULL || t->model->nfields < 1 || t->model->fields[0].type != LUM_FT_TEXT)
        return LUM_ERR_INVALID_ARG;
    s.f = &t->model->fields[0];
    if (t->out != NULL) memset(t->out, 0, sizeof(uint32_t));

    for (;;) {
        int r;
        if (n > 0) {
            int rc = feed(&s, (char *)buf, n);
            if (rc != LUM_OK) return rc;
        }
        r = fill(fill_ctx, buf, cap);
        if (r < 0) return r;
        if (r == 0) break;
        n = (size_t)r;
    }
    if (s.state != ST_END) return fail(&s, LUM_ERR_JSON, false);
    if (!s.seen && (s.f->flags & LUM_FF_REQUIRED) && !t->relaxed) return fail(&s, LUM_ERR_JSON_MISSING, true);
    return LUM_OK;
}
