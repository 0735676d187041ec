/* messages.c - see messages.h.
 *
 * Plain stdio on stderr, unbuffered as stderr is: a message must be out
 * before a child's own lines that follow it, and before the exit.
 */
#include "messages.h"

#include <stdio.h>

void
msg_verror(const char *fmt, va_list ap)
{
    fputs(CLI_PROG ": ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void
msg_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    msg_verror(fmt, ap);
    va_end(ap);
}

void
msg_info(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    msg_verror(fmt, ap);
    va_end(ap);
}

void
msg_warning(const char *fmt, ...)
{
    va_list ap;

    fputs(CLI_PROG ": warning: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void
msg_usage_hint(void)
{
    fputs("Try '" CLI_PROG " --help' for more information.\n", stderr);
}

int
msg_usage_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    msg_verror(fmt, ap);
    va_end(ap);
    msg_usage_hint();
    return CLI_EXIT_USAGE;
}
