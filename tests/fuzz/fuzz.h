/* fuzz.h - what every fuzz target of tests/fuzz/ shares.
 *
 * Each fuzz_<name>.c defines LLVMFuzzerTestOneInput() and is linked either
 * with libFuzzer (clang, CAMTRACE_FUZZ=ON, tools/fuzz.sh) or with replay.c,
 * which runs it on the committed corpus under ctest (any compiler).
 *
 * A target states properties of the code under test, not only "does not
 * crash": CHECK() aborts with the failed condition, which libFuzzer reports
 * as a crash and keeps the input, and which fails the replay test.  CHECK
 * is not assert(): it stays on in release builds.
 *
 * The UTF-8 validator here is our own (Unicode 15, table 3-7), so that the
 * targets do not judge the core by the same GLib calls the core uses.
 */
#ifndef CT_FUZZ_H
#define CT_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* Length of the well-formed UTF-8 sequence at p (at most end - p bytes),
 * 0 if there is none.  A NUL byte is U+0000, a one-byte sequence; *cp
 * receives the code point. */
static inline size_t
fuzz_utf8_char(const uint8_t *p, const uint8_t *end, uint32_t *cp)
{
    uint8_t c = p[0], lo = 0x80, hi = 0xbf;
    size_t n;
    uint32_t v;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        v = c & 0x1fu;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        v = c & 0x0fu;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        v = c & 0x07u;
    } else {
        return 0;
    }
    if (c == 0xe0)
        lo = 0xa0;
    else if (c == 0xed)
        hi = 0x9f;
    else if (c == 0xf0)
        lo = 0x90;
    else if (c == 0xf4)
        hi = 0x8f;
    if ((size_t)(end - p) < n || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if (p[i] < 0x80 || p[i] > 0xbf)
            return 0;
        v = v << 6 | (p[i] & 0x3fu);
    }
    *cp = v;
    return n;
}

/* Is text (len bytes) well-formed UTF-8?  With allow_nul false, a NUL
 * byte fails it too. */
static inline bool
fuzz_utf8_valid(const char *text, size_t len, bool allow_nul)
{
    const uint8_t *p = (const uint8_t *)text, *end = p + len;

    while (p < end) {
        uint32_t cp;
        size_t n = fuzz_utf8_char(p, end, &cp);
        if (n == 0 || (cp == 0 && !allow_nul))
            return false;
        p += n;
    }
    return true;
}

/* Does text (valid UTF-8) hold a C0 control, DEL or a C1 control? */
static inline bool
fuzz_has_control(const char *text, size_t len)
{
    const uint8_t *p = (const uint8_t *)text, *end = p + len;

    while (p < end) {
        uint32_t cp;
        size_t n = fuzz_utf8_char(p, end, &cp);
        if (n == 0)
            return true; /* not text at all */
        if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
            return true;
        p += n;
    }
    return false;
}

#endif
