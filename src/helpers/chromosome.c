/*
 * chromosome_common_symbol: RefSeq chromosome accessions to the names
 * genotype files use. Stricter than the reference client, whose pattern
 * NC_0+(.*) also takes "xNC_01" and fails on a version suffix.
 */
#include "lumminary/helpers.h"

#include "lumminary/error.h"

int lum_chromosome_common_symbol(const char *accession, char out[3])
{
    const char *p = accession;
    unsigned n = 0;
    int i;

    if (out == NULL) return LUM_ERR_INVALID_ARG;
    out[0] = '\0';
    if (p == NULL || p[0] != 'N' || p[1] != 'C' || p[2] != '_') return LUM_ERR_INVALID_ARG;
    p += 3;
    for (i = 0; i < 6; i++, p++) {
        if (*p < '0' || *p > '9') return LUM_ERR_INVALID_ARG;
        n = n * 10u + (unsigned)(*p - '0');
    }
    if (*p == '.') { /* a version: one or more digits, then the end */
        if (*++p == '\0') return LUM_ERR_INVALID_ARG;
        for (; *p != '\0'; p++)
            if (*p < '0' || *p > '9') return LUM_ERR_INVALID_ARG;
    }
    if (*p != '\0') return LUM_ERR_INVALID_ARG;

    if (n >= 1 && n <= 22) {
        if (n >= 10) *out++ = (char)('0' + n / 10u);
        *out++ = (char)('0' + n % 10u);
        *out = '\0';
    } else if (n == 23 || n == 24) {
        out[0] = n == 23 ? 'X' : 'Y';
        out[1] = '\0';
    } else if (n == 12920) {
        out[0] = 'M';
        out[1] = 'T';
        out[2] = '\0';
    } else {
        return LUM_ERR_INVALID_ARG;
    }
    return LUM_OK;
}
