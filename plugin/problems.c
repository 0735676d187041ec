/* problems.c - telling the user: warnings on standard error, and the
 * problems that keep CamTrace from enriching as asked, kept so that the
 * post-dissector shows each once per capture (see problems.h).  The
 * bottom of the plugin's chain: it needs nothing of the other files. */
#include "problems.h"

#include <stdarg.h>
#include <stdio.h>

void
camtrace_warn(const char *format, ...)
{
    va_list args;
    char *message;

    va_start(args, format);
    message = g_strdup_vprintf(format, args);
    va_end(args);
    fprintf(stderr, "camtrace: %s\n", message);
    g_free(message);
}

static struct {
    char *message; /* NULL: no problem of this kind */
    guint32 frame; /* the frame that shows it; 0: not shown yet */
} problems[CAMTRACE_PROBLEMS];

void
camtrace_problem_set(camtrace_problem kind, const char *message)
{
    if (g_strcmp0(problems[kind].message, message) == 0)
        return;
    g_free(problems[kind].message);
    problems[kind].message = g_strdup(message);
    problems[kind].frame = 0;
}

void
camtrace_problem_clear(camtrace_problem kind)
{
    g_clear_pointer(&problems[kind].message, g_free);
}

void
camtrace_report(camtrace_problem kind, const char *format, ...)
{
    va_list args;
    char *message;

    va_start(args, format);
    message = g_strdup_vprintf(format, args);
    va_end(args);
    camtrace_warn("%s", message);
    camtrace_problem_set(kind, message);
    g_free(message);
}

guint
camtrace_problems_of_frame(guint32 frame, const char *out[CAMTRACE_PROBLEMS])
{
    guint n = 0;

    for (int i = 0; i < CAMTRACE_PROBLEMS; i++) {
        if (problems[i].message == NULL)
            continue;
        if (problems[i].frame == 0)
            problems[i].frame = frame;
        if (problems[i].frame == frame)
            out[n++] = problems[i].message;
    }
    return n;
}

void
camtrace_problems_new_capture(void)
{
    /* A dead resolver gets another chance in a new capture; the other
     * problems stay, to be shown again in it. */
    camtrace_problem_clear(CAMTRACE_PROBLEM_RESOLVER);
    for (int i = 0; i < CAMTRACE_PROBLEMS; i++)
        problems[i].frame = 0;
}

void
camtrace_problems_clear_all(void)
{
    for (int i = 0; i < CAMTRACE_PROBLEMS; i++)
        camtrace_problem_clear((camtrace_problem)i);
}
