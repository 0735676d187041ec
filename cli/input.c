/* input.c - see input.h.
 *
 * The buffer holds the longest line kept (plus CR and LF) and a whole
 * read: a line is always contiguous, and the part of the buffer already
 * searched for LF is never searched again.  The unread rest moves to the
 * front only when a read needs the room.
 */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "messages.h"

#define READ_CHUNK (1024 * 1024)

bool
is_stdio(const char *path)
{
    return path == NULL || strcmp(path, "-") == 0;
}

int
input_open(const char *path, const char **name)
{
    struct stat st;
    int fd;

    if (is_stdio(path)) {
        *name = "<stdin>";
        return STDIN_FILENO;
    }
    *name = path;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        msg_error("cannot read %s: %s", path, g_strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        msg_error("cannot read %s: %s", path, g_strerror(EISDIR));
        close(fd);
        return -1;
    }
    return fd;
}

void
reader_init(reader *r, int fd, size_t max_line)
{
    memset(r, 0, sizeof *r);
    r->fd = fd;
    r->max_line = max_line;
    /* Room for the longest line (plus CR and LF) and a full read. */
    r->cap = max_line + 2 + READ_CHUNK;
    r->buf = g_malloc(r->cap);
}

void
reader_free(reader *r)
{
    g_free(r->buf);
    r->buf = NULL;
}

int
reader_next(reader *r, const char **line, size_t *len, bool *too_long)
{
    for (;;) {
        char *nl = memchr(r->buf + r->scanned, '\n', r->end - r->scanned);
        ssize_t n;

        if (nl != NULL) {
            *line = r->buf + r->start;
            *len = (size_t)(nl - *line);
            *too_long = r->skipping;
            r->skipping = false;
            r->start = r->scanned = (size_t)(nl + 1 - r->buf);
            return 1;
        }
        r->scanned = r->end;
        if (r->end - r->start > r->max_line + 1) {
            /* Too long even if it ends in CR: drop it as it streams by. */
            r->skipping = true;
            r->start = r->scanned = r->end = 0;
        }
        if (r->eof) {
            if (r->end == r->start && !r->skipping)
                return 0;
            /* A last line without LF. */
            *line = r->buf + r->start;
            *len = r->end - r->start;
            *too_long = r->skipping;
            r->skipping = false;
            r->start = r->scanned = r->end;
            return 1;
        }
        if (r->start > 0) {
            memmove(r->buf, r->buf + r->start, r->end - r->start);
            r->end -= r->start;
            r->scanned = r->end;
            r->start = 0;
        }
        if (r->idle != NULL) {
            struct pollfd ready = {.fd = r->fd, .events = POLLIN};
            if (poll(&ready, 1, 0) == 0)
                r->idle(r->idle_data);
        }
        n = read(r->fd, r->buf + r->end, r->cap - r->end);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (n == 0)
            r->eof = true;
        r->end += (size_t)n;
    }
}
