/*
 * The one decoder every model goes through: walk the tokens of a complete
 * object, look each key up in the model's table, convert the value into the
 * struct at the row's offset. Unknown keys are skipped whole. Nesting depth
 * is bounded by the tables (at most 3 levels), not by the input.
 */
#include "json/json_tokens.h"

#include <string.h>

#include "lumminary/error.h"

static int fail(const lum_json_doc *d, int code, const lum_model *m, const lum_field *f)
{
    d->err->model = m != NULL ? m->name : NULL;
    d->err->field = f != NULL ? f->key : NULL;
    return code;
}

int lum_json_skip(const lum_json_doc *d, int tok)
{
    const jsmntok_t *t = d->tok;
    int j = tok + 1;
    if (t[tok].type == JSMN_OBJECT || t[tok].type == JSMN_ARRAY) {
        /* Descendants start inside the container; the next sibling after it. */
        while (j < d->ntok && t[j].start < t[tok].end) j++;
    }
    return j;
}

static bool is_literal(const lum_json_doc *d, int tok, const char *lit, size_t n)
{
    const jsmntok_t *t = &d->tok[tok];
    return t->type == JSMN_PRIMITIVE && (size_t)(t->end - t->start) == n &&
           memcmp(d->js + t->start, lit, n) == 0;
}

int lum_json_decode_string(const lum_json_doc *d, int tok, char *dst, size_t cap)
{
    const jsmntok_t *t = &d->tok[tok];
    if (t->type != JSMN_STRING) return LUM_ERR_JSON_TYPE;
    return lum_json_unescape(d->js + t->start, (size_t)(t->end - t->start), dst, cap);
}

static const lum_field *find_field(const lum_model *m, const char *key, size_t len, int *index)
{
    int i;
    for (i = 0; i < m->nfields; i++) {
        const lum_field *f = &m->fields[i];
        if (strncmp(f->key, key, len) == 0 && f->key[len] == '\0') {
            *index = i;
            return f;
        }
    }
    return NULL;
}

/* Decodes the elements of the array at tok into a bounded list. */
static int decode_list(const lum_json_doc *d, int tok, const lum_model *m, const lum_field *f,
                       uint8_t *out)
{
    const jsmntok_t *t = d->tok;
    uint32_t count = 0;
    int j;

    if (t[tok].type != JSMN_ARRAY) return fail(d, LUM_ERR_JSON_TYPE, m, f);
    for (j = tok + 1; j < d->ntok && t[j].start < t[tok].end; j = lum_json_skip(d, j)) {
        if (count < f->max) {
            uint8_t *slot = out + f->offset + (size_t)count * f->size;
            int rc;
            if (f->type == LUM_FT_STRINGS) {
                rc = lum_json_decode_string(d, j, (char *)slot, f->size);
                if (rc != LUM_OK) return fail(d, rc, m, f);
            } else {
                rc = lum_json_decode_object(d, j, f->sub, slot, true);
                if (rc != LUM_OK) return rc;
            }
        } else if (f->flags & LUM_FF_STRICT_COUNT) {
            return fail(d, LUM_ERR_TOO_LONG, m, f);
        } else if (f->type == LUM_FT_STRINGS ? t[j].type != JSMN_STRING : t[j].type != JSMN_OBJECT) {
            return fail(d, LUM_ERR_JSON_TYPE, m, f); /* uncounted entries must still be the right type */
        }
        count++;
    }
    memcpy(out + LUM_COUNT_OFFSET(f), &count, sizeof count);
    return LUM_OK;
}

static int decode_value(const lum_json_doc *d, int tok, const lum_model *m, const lum_field *f,
                        uint8_t *out)
{
    const jsmntok_t *t = &d->tok[tok];
    int rc = LUM_OK;

    switch (f->type) {
    case LUM_FT_STRING:
        rc = lum_json_decode_string(d, tok, (char *)out + f->offset, f->size);
        break;
    case LUM_FT_INT: {
        int64_t v;
        if (t->type != JSMN_PRIMITIVE) return fail(d, LUM_ERR_JSON_TYPE, m, f);
        rc = lum_parse_int64(d->js + t->start, (size_t)(t->end - t->start), &v);
        if (rc == LUM_OK) memcpy(out + f->offset, &v, sizeof v);
        break;
    }
    case LUM_FT_BOOL: {
        bool v;
        if (is_literal(d, tok, "true", 4)) v = true;
        else if (is_literal(d, tok, "false", 5)) v = false;
        else return fail(d, LUM_ERR_JSON_TYPE, m, f);
        memcpy(out + f->offset, &v, sizeof v);
        break;
    }
    case LUM_FT_OBJECT:
        if (t->type != JSMN_OBJECT) return fail(d, LUM_ERR_JSON_TYPE, m, f);
        return lum_json_decode_object(d, tok, f->sub, out + f->offset, true);
    case LUM_FT_STRINGS:
    case LUM_FT_OBJECTS:
        return decode_list(d, tok, m, f, out);
    case LUM_FT_STREAM:
        /* The elements were handed out while streaming; only the type is left to check. */
        if (t->type != JSMN_ARRAY) return fail(d, LUM_ERR_JSON_TYPE, m, f);
        break;
    default:
        return fail(d, LUM_ERR_JSON_TYPE, m, f);
    }
    return rc == LUM_OK ? LUM_OK : fail(d, rc, m, f);
}

int lum_json_decode_object(const lum_json_doc *d, int obj, const lum_model *m, void *out, bool zero)
{
    const jsmntok_t *t = d->tok;
    uint8_t *o = (uint8_t *)out;
    uint32_t present = 0, seen = 0;
    int k, i;

    if (zero) memset(out, 0, m->size);
    else memcpy(&present, o, sizeof present);
    if (t[obj].type != JSMN_OBJECT) return fail(d, LUM_ERR_JSON_TYPE, m, NULL);

    for (k = obj + 1; k < d->ntok && t[k].start < t[obj].end;) {
        int val = k + 1, index;
        const lum_field *f;
        /* jsmn's strict mode still lets `{"a"}` or `{1:2}` through: check.
           (In `{"a"}: 1` jsmn makes 1 the value of "a": it must be inside.) */
        if (t[k].type != JSMN_STRING || t[k].parent != obj || val >= d->ntok || t[val].parent != k ||
            t[val].start >= t[obj].end)
            return fail(d, LUM_ERR_JSON, m, NULL);
        f = find_field(m, d->js + t[k].start, (size_t)(t[k].end - t[k].start), &index);
        /* A known member twice: which value would be meant? (jsmn keeps both.) */
        if (f != NULL && (seen & ((uint32_t)1 << index))) return fail(d, LUM_ERR_JSON, m, f);
        if (f != NULL) seen |= (uint32_t)1 << index;
        if (f != NULL && !is_literal(d, val, "null", 4)) { /* null reads as absent */
            int rc = decode_value(d, val, m, f, o);
            if (rc != LUM_OK) return rc;
            present |= (uint32_t)1 << index;
        }
        k = lum_json_skip(d, val);
    }
    if (!d->relaxed) {
        for (i = 0; i < m->nfields; i++)
            if ((m->fields[i].flags & LUM_FF_REQUIRED) && !(present & ((uint32_t)1 << i)))
                return fail(d, LUM_ERR_JSON_MISSING, m, &m->fields[i]);
    }
    memcpy(o, &present, sizeof present);
    return LUM_OK;
}
