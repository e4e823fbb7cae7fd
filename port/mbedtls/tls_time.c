/*
 * port/mbedtls/tls_time.c - mbedtls_platform_gmtime_r for certificate
 * validity checks (MBEDTLS_PLATFORM_GMTIME_R_ALT, hosted builds).
 *
 * Why not libc's gmtime_r: glibc's runs tzset() on its first call, which
 * reads /etc/localtime through fopen and allocates (about 4.6 KiB in five
 * blocks) from the libc heap; and UTC needs no time zone. Integer
 * arithmetic only: days to a civil date by eras of 400 years counted from
 * a March 1st, so that the leap day ends each year (H. Hinnant's method).
 */
/* build_info.h reads our config and a board's MBEDTLS_USER_CONFIG_FILE. */
#include "mbedtls/build_info.h"

#if defined(MBEDTLS_PLATFORM_GMTIME_R_ALT)
#include <stdint.h>
#include <time.h>

#include "mbedtls/platform_util.h"

struct tm *mbedtls_platform_gmtime_r(const mbedtls_time_t *tt, struct tm *tm_buf)
{
    int64_t t = (int64_t)*tt, days = t / 86400, secs = t % 86400;
    int64_t z, era, day_of_era, year_of_era, day_of_year, mp, year;

    if (secs < 0) { /* floor division before 1970 */
        secs += 86400;
        days--;
    }
    z = days + 719468; /* days since 0000-03-01 */
    era = (z >= 0 ? z : z - 146096) / 146097;
    day_of_era = z - era * 146097;
    year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    mp = (5 * day_of_year + 2) / 153; /* 0 = March */
    year = year_of_era + era * 400 + (mp >= 10);
    if (year - 1900 < INT32_MIN + 1 || year - 1900 > INT32_MAX - 1) return NULL;

    tm_buf->tm_sec = (int)(secs % 60);
    tm_buf->tm_min = (int)(secs / 60 % 60);
    tm_buf->tm_hour = (int)(secs / 3600);
    tm_buf->tm_mday = (int)(day_of_year - (153 * mp + 2) / 5 + 1);
    tm_buf->tm_mon = (int)(mp < 10 ? mp + 2 : mp - 10);
    tm_buf->tm_year = (int)(year - 1900);
    tm_buf->tm_wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
    tm_buf->tm_yday = (int)(mp >= 10 ? day_of_year - 306 : day_of_year + 59 + ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0));
    tm_buf->tm_isdst = 0;
    return tm_buf;
}
#else
typedef int lum_tls_time_unused; /* ISO C: a translation unit is not empty */
#endif
