/*
 * authorization_metadata, and unix time as ISO-8601 text without libc's
 * time functions (a microcontroller's libc may have none, or a gmtime that
 * pulls in time-zone tables).
 */
#include "lumminary/helpers.h"

#include <string.h>

#include "lumminary/error.h"

static void two_digits(char *o, unsigned v)
{
    o[0] = (char)('0' + v / 10u);
    o[1] = (char)('0' + v % 10u);
}

int lum_iso8601_utc(int64_t t, char out[LUM_ISO8601_UTC_LEN])
{
    int64_t days = t / 86400, secs = t % 86400, z, era, doe, yoe, doy, mp, y;
    unsigned month, day;

    out[0] = '\0';
    if (secs < 0) { /* floor division, for times before 1970 */
        secs += 86400;
        days--;
    }
    /* Days to a civil date (H. Hinnant's algorithm): eras of 400 years,
       counted from 0000-03-01 so that the leap day ends each year. */
    z = days + 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    day = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    month = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    y = yoe + era * 400 + (month <= 2);
    if (y < 0 || y > 9999) return LUM_ERR_INVALID_ARG;

    two_digits(out, (unsigned)(y / 100));
    two_digits(out + 2, (unsigned)(y % 100));
    out[4] = '-';
    two_digits(out + 5, month);
    out[7] = '-';
    two_digits(out + 8, day);
    out[10] = 'T';
    two_digits(out + 11, (unsigned)(secs / 3600));
    out[13] = ':';
    two_digits(out + 14, (unsigned)(secs / 60 % 60));
    out[16] = ':';
    two_digits(out + 17, (unsigned)(secs % 60));
    out[19] = 'Z';
    out[20] = '\0';
    return LUM_OK;
}

int lum_authorization_metadata(const lum_authorization *a, lum_auth_metadata *out)
{
    const lum_access_scope *s;
    if (a == NULL || out == NULL) return LUM_ERR_INVALID_ARG;
    s = &a->scopes;
    memset(out, 0, sizeof *out);
    /* Same capacities on both sides (checked at the end of this file): plain copies. */
    memcpy(out->customer, a->client_uuid, sizeof out->customer);
    memcpy(out->product, a->product_uuid, sizeof out->product);
    memcpy(out->authorization, a->authorization_uuid, sizeof out->authorization);
    out->created_timestamp = a->create_timestamp;
    out->present = s->present & (LUM_METADATA_HAS_DATASET | LUM_METADATA_HAS_CUSTOMER_EMAIL |
                                 LUM_METADATA_HAS_CUSTOMER_NAME | LUM_METADATA_HAS_CUSTOMER_ADDRESS |
                                 LUM_METADATA_HAS_CUSTOMER_SEX);
    if (out->present & LUM_METADATA_HAS_DATASET) memcpy(out->dataset, s->dataset, sizeof out->dataset);
    if (out->present & LUM_METADATA_HAS_CUSTOMER_EMAIL)
        memcpy(out->customer_email, s->email, sizeof out->customer_email);
    if (out->present & LUM_METADATA_HAS_CUSTOMER_NAME) out->customer_name = s->name;
    if (out->present & LUM_METADATA_HAS_CUSTOMER_ADDRESS) out->customer_address = s->address;
    if (out->present & LUM_METADATA_HAS_CUSTOMER_SEX)
        memcpy(out->customer_sex, s->sex, sizeof out->customer_sex);
    return lum_iso8601_utc(a->create_timestamp, out->created_timestamp_utc);
}

#define SAME_SIZE(a, b) (sizeof(((lum_auth_metadata *)0)->a) == sizeof(((lum_authorization *)0)->b))
typedef char lum_check_metadata_sizes[(SAME_SIZE(customer, client_uuid) && SAME_SIZE(product, product_uuid) &&
                                       SAME_SIZE(authorization, authorization_uuid) &&
                                       SAME_SIZE(dataset, scopes.dataset) && SAME_SIZE(customer_email, scopes.email) &&
                                       SAME_SIZE(customer_sex, scopes.sex))
                                          ? 1
                                          : -1];
