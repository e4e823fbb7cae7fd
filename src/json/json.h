/*
 * src/json/json.h - JSON into C structs (internal).
 *
 * Models are data: a lum_model is a table of lum_field rows (JSON key, type,
 * offset, capacity, required flag) walked by one decoder, so each API model
 * costs a table, not a parser.
 *
 *   json_stream.c  feeds body bytes to jsmn through the working buffer and
 *                  streams list elements out as soon as each is complete
 *   json_decode.c  walks the tokens of one complete object against a table
 *   json_string.c  string unescaping (\uXXXX to UTF-8) and integers
 *   json_string_stream.c  a document whose one big string member is streamed
 *                  in pieces (ReferenceSequence), without jsmn
 *   json_encode.c  structs back into JSON, from the same tables
 */
#ifndef LUM_SRC_JSON_H
#define LUM_SRC_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lumminary/client.h"
#include "lumminary/json.h"

enum lum_ftype {
    LUM_FT_STRING,  /* char[size] */
    LUM_FT_INT,     /* int64_t */
    LUM_FT_BOOL,    /* bool */
    LUM_FT_OBJECT,  /* nested struct of model sub */
    LUM_FT_STRINGS, /* char[max][size], its uint32_t count just before it */
    LUM_FT_OBJECTS, /* sub[max], its uint32_t count just before it */
    LUM_FT_STREAM,  /* list passed element by element to the target's callback;
                       only its length is stored (the uint32_t at offset) */
    LUM_FT_TEXT     /* string passed piece by piece to the target's on_text;
                       nothing stored (lum_json_decode_text only) */
};

enum {
    LUM_FF_REQUIRED = 1,    /* absent (or null) is LUM_ERR_JSON_MISSING */
    LUM_FF_STRICT_COUNT = 2 /* more entries than max is LUM_ERR_TOO_LONG */
};

typedef struct lum_model lum_model;

/*
 * One row of a model table: 16 bytes of flash (a model is 1 to 11 rows).
 * A list's uint32_t count sits just before its array in the struct (every
 * public model is laid out so; the row builders check it): count_back bytes
 * before offset, so the row needs no second offset. A STREAM row stores only
 * its count, at offset.
 */
typedef struct lum_field {
    const char *key;      /* JSON key, NUL-terminated */
    const lum_model *sub; /* OBJECT(S), STREAM of objects; NULL: STREAM of strings */
    uint16_t offset;      /* of the value in the struct (STREAM: of its count) */
    uint16_t size;        /* STRING(S): capacity of one string; OBJECTS: of one element */
    uint8_t type;         /* enum lum_ftype */
    uint8_t flags;        /* LUM_FF_* */
    uint8_t max;          /* STRINGS/OBJECTS: capacity in entries */
    uint8_t count_back;   /* STRINGS/OBJECTS: offset - the count's offset */
} lum_field;

/* Where a row's uint32_t count is (STRINGS, OBJECTS, STREAM). */
#define LUM_COUNT_OFFSET(f) ((size_t)(f)->offset - (f)->count_back)

/* Every model struct starts with `uint32_t present`: bit i = fields[i] seen. */
struct lum_model {
    const char *name;
    const lum_field *fields;
    uint8_t nfields;
    uint16_t size; /* sizeof the struct */
};

/* Row builders for model tables (T: the struct type, m: the member = JSON key). */
#define LUM_MEMBER_SIZE(T, m) sizeof(((T *)0)->m)
/* A row whose JSON key is not a member's name (or a TEXT row: offset 0). */
#define LUM_ROW(key, type, fl, offset, size, sub) {key, sub, offset, size, type, fl, 0, 0}
#define LUM_F_STR(T, m, fl) LUM_ROW(#m, LUM_FT_STRING, fl, offsetof(T, m), LUM_MEMBER_SIZE(T, m), NULL)
#define LUM_F_INT(T, m, fl) LUM_ROW(#m, LUM_FT_INT, fl, offsetof(T, m), 0, NULL)
#define LUM_F_BOOL(T, m, fl) LUM_ROW(#m, LUM_FT_BOOL, fl, offsetof(T, m), 0, NULL)
#define LUM_F_OBJ(T, m, fl, model) LUM_ROW(#m, LUM_FT_OBJECT, fl, offsetof(T, m), 0, &model)
/* count_back of member m, or a compile error (a negative array size) when
   m##_count is not within 255 bytes before the array, or when the array has
   more than 255 entries (max is a byte: the LUM_MAX_* list capacities in
   lumminary/config.h are limited to 255). */
#define LUM_COUNT_BACK(T, m)                                                                      \
    (offsetof(T, m) - offsetof(T, m##_count) +                                                    \
     0 * sizeof(char[offsetof(T, m##_count) < offsetof(T, m) &&                                  \
                             offsetof(T, m) - offsetof(T, m##_count) <= 255 &&                   \
                             LUM_MEMBER_SIZE(T, m) / LUM_MEMBER_SIZE(T, m[0]) <= 255 ? 1 : -1]))
#define LUM_F_LIST(T, m, type, fl, model)                                                         \
    {#m, model, offsetof(T, m), LUM_MEMBER_SIZE(T, m[0]), type, fl,                               \
     LUM_MEMBER_SIZE(T, m) / LUM_MEMBER_SIZE(T, m[0]), LUM_COUNT_BACK(T, m)}
#define LUM_F_STRS(T, m, fl) LUM_F_LIST(T, m, LUM_FT_STRINGS, fl, NULL)
#define LUM_F_OBJS(T, m, fl, model) LUM_F_LIST(T, m, LUM_FT_OBJECTS, fl, &model)
#define LUM_F_STREAM(T, m, fl, model) LUM_ROW(#m, LUM_FT_STREAM, fl, offsetof(T, m##_count), 0, model)
#define LUM_MODEL(T, name, fields) {name, fields, sizeof fields / sizeof fields[0], sizeof(T)}

/* Supplies more body bytes: count (>0), 0 at the end, or a negative error. */
typedef int (*lum_json_fill)(void *ctx, uint8_t *dst, size_t cap);

struct lum_json_target;
/* A body decoder: lum_json_decode's signature. */
typedef int (*lum_json_decoder)(const struct lum_json_target *t, uint8_t *buf, size_t cap, size_t have,
                                lum_json_fill fill, void *fill_ctx, struct lum_json_tok *tokens,
                                unsigned ntokens, lum_error_info *err);

/* What a response body decodes into. */
typedef struct lum_json_target {
    const lum_model *model;       /* the root object's model; NULL: the root is a list */
    void *out;                    /* the root object (zeroed, then filled) */
    const lum_model *elem_model;  /* streamed elements: a model, or NULL for strings */
    void *elem;                   /* scratch for one element (struct, or char[elem_size]) */
    size_t elem_size;
    /* Receives each streamed element; list = index of the STREAM field in
       model, or -1 for a root list. Non-zero stops with LUM_ERR_ABORTED. */
    int (*on_element)(void *user, int list, void *elem);
    void *user;
    bool relaxed;                 /* an X-Fields mask was sent: do not enforce required */
    lum_json_decoder decode;      /* NULL: lum_json_decode */
    /* LUM_FT_TEXT pieces, in order (lum_json_decode_text). Non-zero stops
       with LUM_ERR_ABORTED. */
    int (*on_text)(void *user, const char *text, size_t len);
} lum_json_target;

/*
 * Decodes one JSON document into t. buf[0..have) already holds the first
 * bytes; fill adds more after them. tokens: storage for ntokens jsmn tokens.
 * On a JSON error, err->model and err->field name the culprit.
 */
int lum_json_decode(const lum_json_target *t, uint8_t *buf, size_t cap, size_t have,
                    lum_json_fill fill, void *fill_ctx, struct lum_json_tok *tokens,
                    unsigned ntokens, lum_error_info *err);

/*
 * Finds the top-level "message" string of an error body in buf[0..len) and
 * copies it (unescaped, cut with "..." when longer than cap - 1) into out.
 * Leaves out empty when the body is not a JSON object with such a string.
 */
void lum_json_error_message(const uint8_t *buf, size_t len, struct lum_json_tok *tokens,
                            unsigned ntokens, char *out, size_t cap);

/* ---- json_string.c ---- */

/* Unescapes the raw JSON string s[0..n) (no quotes) into dst (NUL-terminated).
   Returns LUM_OK, LUM_ERR_TOO_LONG, or LUM_ERR_JSON_TYPE (bad escape, raw
   control character, lone surrogate, \u0000). */
int lum_json_unescape(const char *s, size_t n, char *dst, size_t cap);

/* Like lum_json_unescape, but a value that does not fit is cut at a UTF-8
   character boundary and ends with "..." instead of failing. */
void lum_json_unescape_cut(const char *s, size_t n, char *dst, size_t cap);

/* The pieces both string decoders (this one and json_string_stream.c's)
   share: a hex digit's value or -1; the character a one-letter escape
   (\" \\ \/ \b \f \n \r \t) stands for, in *out, returning 1 (0: not one);
   a code point as UTF-8 into o[0..4), returning its length. */
int lum_json_hex_digit(char ch);
int lum_json_escape_char(char ch, char *out);
size_t lum_utf8_encode(uint32_t cp, char *o);

/* JSON integers: lum_parse_int64 (lumminary/json.h). */

/* ---- json_string_stream.c ---- */

/*
 * Decodes a document that must be one object, streaming the string value
 * of its member named by t->model's first row (a LUM_FT_TEXT row) to
 * t->on_text in pieces, unescaped, however the body is cut into reads.
 * Every other member is skipped but checked (the whole document must be
 * JSON, nesting at most 32 deep). buf[0..have) holds the first bytes; the
 * pieces handed out point into buf. t->out, if not NULL, is a struct
 * starting with `present` whose bit 0 tells whether the member came (null
 * reads as absent). Same signature and errors as lum_json_decode; tokens
 * are not used.
 */
int lum_json_decode_text(const lum_json_target *t, uint8_t *buf, size_t cap, size_t have,
                         lum_json_fill fill, void *fill_ctx, struct lum_json_tok *tokens,
                         unsigned ntokens, lum_error_info *err);

#endif /* LUM_SRC_JSON_H */
