/*
 * boards/common/printf.c - C99 printf formats for the bare-metal boards.
 *
 * Debian's newlib (libnewlib-arm-none-eabi 3.3, newlib-nano included) is
 * built without C99 printf formats: "%lld" prints "ld" and "%zu" prints "zu",
 * each throwing the arguments after it off by one. The boards link with
 * -Wl,--wrap for the printf family, so calls land here: a small C99
 * formatter (flags, width, precision, hh/h/l/ll/j/z/t lengths, d i u o x X c
 * s p %; no floating point, which nothing here uses) in front of newlib's
 * stdio. Who needs it:
 *   mps2-an385  the unit tests format canned HTTP responses (Content-Length:
 *               %zu); every printf-family function is wrapped.
 *   cortex-m4   the agent firmware writes its state record with "%lld"
 *               (examples/agent/state.c): with newlib-nano's snprintf it
 *               would save "last_seq=ld", which the next boot refuses.
 *               snprintf and vsnprintf are wrapped; it is also a third the
 *               size of newlib-nano's printf core.
 *
 * PRINTF_SMALL (the cortex-m4 firmware, whose flash is counted): only what
 * the agent formats: d i u c s %, lengths l ll z, no flags, width or
 * precision. In either mode a directive it does not know (%f, or %x when
 * small) is printed as written, and so is the rest of the format: the
 * output shows the gap instead of misreading the arguments after it.
 *
 * The SDK itself never formats with printf (make size checks that).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int __wrap_vsnprintf(char *out, size_t cap, const char *fmt, va_list ap);
int __wrap_snprintf(char *out, size_t cap, const char *fmt, ...);
int __wrap_sprintf(char *out, const char *fmt, ...);
int __wrap_vprintf(const char *fmt, va_list ap);
int __wrap_printf(const char *fmt, ...);
int __wrap_fprintf(FILE *f, const char *fmt, ...);
int __wrap_vfprintf(FILE *f, const char *fmt, va_list ap);

/* The string formatters are marked used: only the linker's --wrap refers to
   them, after an LTO link would already have dropped them. */

typedef struct sink {
    char *out;
    size_t cap, n; /* n counts every byte, also those past cap */
} sink;

static void put(sink *s, char c)
{
    if (s->n + 1 < s->cap) s->out[s->n] = c;
    s->n++;
}

static void pad(sink *s, char c, int count)
{
    while (count-- > 0) put(s, c);
}

enum { F_LEFT = 1, F_PLUS = 2, F_SPACE = 4, F_ALT = 8, F_ZERO = 16 };

static void put_int(sink *s, uintmax_t v, int neg, unsigned base, int upper, int flags, int width,
                    int prec)
{
    char digits[32];
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int nd = 0, len, zeros = 0;
    char sign = neg ? '-' : (flags & F_PLUS) ? '+' : (flags & F_SPACE) ? ' ' : 0;
    const char *prefix = "";

    while (v != 0) {
        digits[nd++] = set[v % base];
        v /= base;
    }
    if (prec < 0) prec = 1;
    else flags &= ~F_ZERO; /* a precision turns the 0 flag off */
    if (nd < prec) zeros = prec - nd;
    if ((flags & F_ALT) && base == 16 && nd > 0) prefix = upper ? "0X" : "0x";
    if ((flags & F_ALT) && base == 8 && zeros == 0) zeros = 1;
    len = nd + zeros + (sign ? 1 : 0) + (int)strlen(prefix);
    if ((flags & F_ZERO) && !(flags & F_LEFT) && width > len) {
        zeros += width - len;
        len = width;
    }
    if (!(flags & F_LEFT)) pad(s, ' ', width - len);
    if (sign) put(s, sign);
    while (*prefix) put(s, *prefix++);
    pad(s, '0', zeros);
    while (nd > 0) put(s, digits[--nd]);
    if (flags & F_LEFT) pad(s, ' ', width - len);
}

__attribute__((used)) int __wrap_vsnprintf(char *out, size_t cap, const char *fmt, va_list ap)
{
    sink s = {out, cap, 0};
    va_list args;
    int verbatim = 0; /* after a directive we do not know: its argument's type is unknown */

    va_copy(args, ap);
    while (*fmt) {
        int flags = 0, width = 0, prec = -1;
        char len = 0; /* 'H' hh, 'h', 'l', 'L' ll, 'j', 'z', 't' */
        const char *directive = fmt;
        if (*fmt != '%' || verbatim) {
            put(&s, *fmt++);
            continue;
        }
        fmt++;
#if !defined(PRINTF_SMALL)
        for (;; fmt++) {
            if (*fmt == '-') flags |= F_LEFT;
            else if (*fmt == '+') flags |= F_PLUS;
            else if (*fmt == ' ') flags |= F_SPACE;
            else if (*fmt == '#') flags |= F_ALT;
            else if (*fmt == '0') flags |= F_ZERO;
            else break;
        }
        if (*fmt == '*') {
            width = va_arg(args, int);
            if (width < 0) {
                flags |= F_LEFT;
                width = -width;
            }
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
        }
        if (*fmt == '.') {
            fmt++;
            prec = 0;
            if (*fmt == '*') {
                prec = va_arg(args, int);
                fmt++;
            } else {
                while (*fmt >= '0' && *fmt <= '9') prec = prec * 10 + (*fmt++ - '0');
            }
        }
        if (fmt[0] == 'h' && fmt[1] == 'h') len = 'H', fmt += 2;
        else if (fmt[0] == 'l' && fmt[1] == 'l') len = 'L', fmt += 2;
        else if (*fmt == 'h' || *fmt == 'l' || *fmt == 'j' || *fmt == 'z' || *fmt == 't') len = *fmt++;
#else
        if (fmt[0] == 'l' && fmt[1] == 'l') len = 'L', fmt += 2;
        else if (*fmt == 'l' || *fmt == 'z') len = *fmt++;
#endif

        switch (*fmt) {
        case 'd':
        case 'i': {
            intmax_t v;
            switch (len) {
            case 'L': v = va_arg(args, long long); break;
            case 'l': v = va_arg(args, long); break;
            case 'j': v = va_arg(args, intmax_t); break;
            case 'z': v = va_arg(args, ptrdiff_t); break; /* size_t's signed twin: same width here */
            case 't': v = va_arg(args, ptrdiff_t); break;
            case 'h': v = (short)va_arg(args, int); break;
            case 'H': v = (signed char)va_arg(args, int); break;
            default: v = va_arg(args, int); break;
            }
            put_int(&s, v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v, v < 0, 10, 0, flags, width, prec);
            break;
        }
        case 'u':
#if !defined(PRINTF_SMALL)
        case 'o':
        case 'x':
        case 'X':
#endif
        {
            uintmax_t v;
            switch (len) {
            case 'L': v = va_arg(args, unsigned long long); break;
            case 'l': v = va_arg(args, unsigned long); break;
            case 'j': v = va_arg(args, uintmax_t); break;
            case 'z': v = va_arg(args, size_t); break;
            case 't': v = (uintmax_t)va_arg(args, ptrdiff_t); break;
            case 'h': v = (unsigned short)va_arg(args, unsigned); break;
            case 'H': v = (unsigned char)va_arg(args, unsigned); break;
            default: v = va_arg(args, unsigned); break;
            }
            put_int(&s, v, 0, *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16, *fmt == 'X',
                    flags & ~(F_PLUS | F_SPACE), width, prec);
            break;
        }
#if !defined(PRINTF_SMALL)
        case 'p':
            put_int(&s, (uintptr_t)va_arg(args, void *), 0, 16, 0, flags | F_ALT, width, prec);
            break;
#endif
        case 'c':
            if (!(flags & F_LEFT)) pad(&s, ' ', width - 1);
            put(&s, (char)va_arg(args, int));
            if (flags & F_LEFT) pad(&s, ' ', width - 1);
            break;
        case 's': {
            const char *str = va_arg(args, const char *);
            int n = 0;
            if (str == NULL) str = "(null)";
            int i;
            while (str[n] != '\0' && (prec < 0 || n < prec)) n++;
            if (!(flags & F_LEFT)) pad(&s, ' ', width - n);
            for (i = 0; i < n; i++) put(&s, str[i]);
            if (flags & F_LEFT) pad(&s, ' ', width - n);
            break;
        }
        case '%':
            put(&s, '%');
            break;
        default:
            /* Floating point or unknown: show the directive, and the rest of
               the format as written, since the arguments after it can no
               longer be found. */
            while (directive < fmt) put(&s, *directive++);
            if (*fmt) put(&s, *fmt);
            verbatim = 1;
            break;
        }
        if (*fmt) fmt++;
    }
    va_end(args);
    if (cap > 0) out[s.n < cap ? s.n : cap - 1] = '\0';
    return (int)s.n;
}

__attribute__((used)) int __wrap_snprintf(char *out, size_t cap, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = __wrap_vsnprintf(out, cap, fmt, ap);
    va_end(ap);
    return n;
}

__attribute__((used)) int __wrap_sprintf(char *out, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = __wrap_vsnprintf(out, SIZE_MAX, fmt, ap);
    va_end(ap);
    return n;
}

/* Formats into a line buffer, then hands it to newlib's stdio. */
int __wrap_vfprintf(FILE *f, const char *fmt, va_list ap)
{
    char buf[1024];
    int n = __wrap_vsnprintf(buf, sizeof buf, fmt, ap);
    fputs(buf, f);
    return n;
}

int __wrap_vprintf(const char *fmt, va_list ap)
{
    return __wrap_vfprintf(stdout, fmt, ap);
}

int __wrap_printf(const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = __wrap_vfprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}

int __wrap_fprintf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = __wrap_vfprintf(f, fmt, ap);
    va_end(ap);
    return n;
}
