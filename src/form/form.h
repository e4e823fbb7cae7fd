/*
 * src/form/form.h - request bodies for form operations (internal).
 * Both writers are lum_body_writers: the request writer runs them once to
 * count the body's length and once to send it.
 */
#ifndef LUM_SRC_FORM_H
#define LUM_SRC_FORM_H

#include <stddef.h>

#include "http/http.h"
#include "lumminary/api.h"

/* One form field: a string value, or a JSON list of strings (the encoding
   post_client_snp_group's `snps` field expects). Left out when both are NULL. */
typedef struct lum_form_field {
    const char *name;
    const char *value;
    const char *const *items;
    size_t n_items;
} lum_form_field;

typedef struct lum_form {
    const lum_form_field *fields;
    size_t n_fields;
} lum_form;

/* application/x-www-form-urlencoded; ctx is a const lum_form *. */
int lum_form_urlencoded_write(lum_out *o, const void *ctx);

#define LUM_BOUNDARY_LEN 34 /* "lumminary-" + 24 hex digits */

/* A multipart/form-data body with one file part. */
typedef struct lum_multipart {
    char boundary[LUM_BOUNDARY_LEN + 1];
    const char *field_name;  /* the file part's name, e.g. "file_report" */
    const lum_reader *reader;
    const char *file_name;   /* the part's filename */
} lum_multipart;

/* Picks a random boundary from the platform's entropy. */
int lum_multipart_init(lum_multipart *m, const lum_platform *p, const char *field_name,
                       const lum_reader *reader, const char *file_name);

/* Room for the Content-Type value "multipart/form-data; boundary=..." + NUL. */
#define LUM_MULTIPART_TYPE_CAP (sizeof "multipart/form-data; boundary=" + LUM_BOUNDARY_LEN)

/* Writes that Content-Type value into out[LUM_MULTIPART_TYPE_CAP]. */
void lum_multipart_content_type(const lum_multipart *m, char out[LUM_MULTIPART_TYPE_CAP]);

/* Writes the body; ctx is a const lum_multipart *. Reads exactly
   reader->size bytes (LUM_ERR_IO if the reader gives more or fewer), or
   until the reader's end when size is -1 (chunked). */
int lum_multipart_write(lum_out *o, const void *ctx);

/* lum_http_request.rewind for a multipart body. */
int lum_multipart_rewind(const void *ctx);

#endif /* LUM_SRC_FORM_H */
