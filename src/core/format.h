/*
 * src/core/format.h - number formatting without printf (internal).
 * printf-family functions pull several KiB of libc into a firmware image;
 * the SDK only ever needs decimal integers.
 */
#ifndef LUM_SRC_CORE_FORMAT_H
#define LUM_SRC_CORE_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define LUM_I64_CHARS 21 /* "-9223372036854775808" + NUL */

/* Writes v in decimal, NUL-terminated, into out; returns the length. */
size_t lum_format_i64(char out[LUM_I64_CHARS], int64_t v);

#endif /* LUM_SRC_CORE_FORMAT_H */
