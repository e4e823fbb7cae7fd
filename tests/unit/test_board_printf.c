/*
 * The cortex-m4 firmware's snprintf (boards/common/printf.c built with
 * PRINTF_SMALL), run on every test board: the exact text of each format
 * the agent writes. newlib-nano's own snprintf printed "last_seq=ld" for
 * the state record, which the next boot refused.
 *
 * The formatter is included under other names, so that it cannot clash
 * with mps2-an385's own (full) copy of it in libboard.a.
 */
#include <limits.h>
#include <stdint.h>

#define PRINTF_SMALL
#define __wrap_vsnprintf small_vsnprintf
#define __wrap_snprintf small_snprintf
#define __wrap_sprintf small_sprintf
#define __wrap_vprintf small_vprintf
#define __wrap_printf small_printf
#define __wrap_fprintf small_fprintf
#define __wrap_vfprintf small_vfprintf
#include "../boards/common/printf.c"

#include "testlib.h"

static char out[128];

static void state_record_keeps_64_bit_numbers(void)
{
    int n = small_snprintf(out, sizeof out, "last_seq=%lld\npending_seq=%lld\n", (long long)-5,
                           (long long)INT64_MAX);
    CHECK_STR_EQ(out, "last_seq=-5\npending_seq=9223372036854775807\n");
    CHECK_INT_EQ(n, 44);
    small_snprintf(out, sizeof out, "%lld|%lld", (long long)INT64_MIN, 0LL);
    CHECK_STR_EQ(out, "-9223372036854775808|0");
}

static void agent_formats(void)
{
    small_snprintf(out, sizeof out, "[seq %lld] %s: report uploaded (%s, %lu bytes; %u of %d)", 42LL,
                   "a-uuid", "name.txt", (unsigned long)4294967295u, 7u, -3);
    CHECK_STR_EQ(out, "[seq 42] a-uuid: report uploaded (name.txt, 4294967295 bytes; 7 of -3)");
    small_snprintf(out, sizeof out, "%d %d %u %zu %c%%", INT_MIN, INT_MAX, UINT_MAX, (size_t)123, 'x');
    CHECK_STR_EQ(out, "-2147483648 2147483647 4294967295 123 x%");
    small_snprintf(out, sizeof out, "%s|%s", "", (const char *)NULL);
    CHECK_STR_EQ(out, "|(null)");
}

/* What PRINTF_SMALL leaves out shows in the text, and so does the rest of
   the format: the argument after it cannot be found, so it is not read
   (%s would take 255 for a pointer). */
static void left_out_directives_print_as_written(void)
{
    small_snprintf(out, sizeof out, "a %x %s %d", 255u, "next", 1);
    CHECK_STR_EQ(out, "a %x %s %d");
    small_snprintf(out, sizeof out, "%5d|%-3s|%.2s", 1, "a", "abc");
    CHECK_STR_EQ(out, "%5d|%-3s|%.2s");
    /* The whole directive, length included, and a format ending in one. */
    small_snprintf(out, sizeof out, "n=%lx %s", 255ul, "next");
    CHECK_STR_EQ(out, "n=%lx %s");
    small_snprintf(out, sizeof out, "%zx|%llo|%");
    CHECK_STR_EQ(out, "%zx|%llo|%");
    small_snprintf(out, sizeof out, "100%");
    CHECK_STR_EQ(out, "100%");
}

/* %zd is signed: (size_t)-1 read through ptrdiff_t is -1, not 4294967295
   (or 18446744073709551615) as a zero-extended size_t would print. */
static void signed_size_is_signed(void)
{
    small_snprintf(out, sizeof out, "%zd %zd %zu", (ptrdiff_t)-1, (ptrdiff_t)7, (size_t)-1);
    CHECK_STR_EQ(out, SIZE_MAX == 0xffffffffu ? "-1 7 4294967295" : "-1 7 18446744073709551615");
}

static void cuts_at_the_buffer_and_counts_everything(void)
{
    char small[8];
    int n = small_snprintf(small, sizeof small, "last_seq=%lld", 123456789LL);
    CHECK_STR_EQ(small, "last_se");
    CHECK_INT_EQ(n, 18);
    CHECK_INT_EQ(small_snprintf(NULL, 0, "%s", "abc"), 3);
}

int main(void)
{
    RUN("board_printf", state_record_keeps_64_bit_numbers);
    RUN("board_printf", agent_formats);
    RUN("board_printf", left_out_directives_print_as_written);
    RUN("board_printf", cuts_at_the_buffer_and_counts_everything);
    RUN("board_printf", signed_size_is_signed);
    return TESTS_DONE();
}
