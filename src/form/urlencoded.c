/*
 * application/x-www-form-urlencoded bodies. Values are percent-encoded with
 * the same unreserved set as URLs (space as %20, which every decoder reads).
 */
#include "form/form.h"

#include "lumminary/error.h"

/* Percent-encodes one JSON string of a list item, quotes included. */
static void put_json_item(lum_out *o, const char *s)
{
    char esc[7];
    const unsigned char *p = (const unsigned char *)s;
    lum_out_pct(o, "\"");
    for (; *p != '\0'; p++) {
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
            esc[2] = '\0';
        } else if (*p < 0x20) {
            static const char hex[] = "0123456789abcdef";
            esc[0] = '\\';
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[*p >> 4];
            esc[5] = hex[*p & 15u];
            esc[6] = '\0';
        } else {
            esc[0] = (char)*p;
            esc[1] = '\0';
        }
        lum_out_pct(o, esc);
    }
    lum_out_pct(o, "\"");
}

int lum_form_urlencoded_write(lum_out *o, const void *ctx)
{
    const lum_form *form = (const lum_form *)ctx;
    size_t i, k;
    bool first = true;

    for (i = 0; i < form->n_fields; i++) {
        const lum_form_field *f = &form->fields[i];
        if (f->value == NULL && f->items == NULL) continue;
        if (!first) lum_out_put(o, "&", 1);
        first = false;
        lum_out_pct(o, f->name);
        lum_out_put(o, "=", 1);
        if (f->value != NULL) {
            lum_out_pct(o, f->value);
            continue;
        }
        lum_out_pct(o, "[");
        for (k = 0; k < f->n_items; k++) {
            if (k > 0) lum_out_pct(o, ",");
            put_json_item(o, f->items[k]);
        }
        lum_out_pct(o, "]");
    }
    return o->err;
}
