/*
 * src/json/json_tokens.h - jsmn as this project compiles it (internal).
 *
 * jsmn is built privately (JSMN_STATIC, in json_stream.c only) so it cannot
 * clash with an application's own copy, with parent links (O(1) steps up the
 * tree, which streaming relies on) and strict mode (a number cut at a buffer
 * end is reported as incomplete instead of accepted).
 */
#ifndef LUM_SRC_JSON_TOKENS_H
#define LUM_SRC_JSON_TOKENS_H

#define JSMN_PARENT_LINKS
#define JSMN_STRICT
#ifndef JSMN_STATIC
#define JSMN_HEADER
#endif
#include "jsmn.h"

#include "json/json.h"

/* A parsed (part of a) document: tokens are offsets into js. */
typedef struct lum_json_doc {
    const char *js;
    const jsmntok_t *tok;
    int ntok;
    bool relaxed;
    lum_error_info *err;
} lum_json_doc;

/* Index of the first token after tok's subtree. */
int lum_json_skip(const lum_json_doc *d, int tok);

/*
 * Decodes the object at token obj into out with model m. zero: clear out
 * first (false for the root of a streamed document, whose list counts were
 * filled while streaming). STREAM fields are only marked present here.
 */
int lum_json_decode_object(const lum_json_doc *d, int obj, const lum_model *m, void *out, bool zero);

/* Decodes the string token tok into dst. */
int lum_json_decode_string(const lum_json_doc *d, int tok, char *dst, size_t cap);

#endif /* LUM_SRC_JSON_TOKENS_H */
