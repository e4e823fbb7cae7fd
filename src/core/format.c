/*
 * Decimal formatting (see format.h).
 */
#include "core/format.h"

size_t lum_format_i64(char out[LUM_I64_CHARS], int64_t v)
{
    char digits[20];
    size_t n = 0, len = 0;
    /* Work on the magnitude as unsigned: -INT64_MIN does not fit int64_t. */
    uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        digits[n++] = (char)('0' + (int)(m % 10u));
        m /= 10u;
    } while (m != 0);
    if (v < 0) out[len++] = '-';
    while (n > 0) out[len++] = digits[--n];
    out[len] = '\0';
    return len;
}
