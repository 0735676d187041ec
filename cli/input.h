/* input.h - camtrace's input: the file, and its lines.
 *
 * Lines are split from large read(2)s with memchr and returned in place:
 * nothing is copied or allocated per line.  A line longer than the
 * longest one kept is skipped while it streams by, so memory stays
 * bounded whatever the input, and reported as too long.
 */
#ifndef CLI_INPUT_H
#define CLI_INPUT_H

#include <stdbool.h>
#include <stddef.h>

/* NULL or "-": standard input or output. */
bool is_stdio(const char *path);

/* The input's descriptor and its name for messages ("<stdin>" for
 * standard input); -1 after an error (printed). */
int input_open(const char *path, const char **name);

typedef struct {
    int fd;
    size_t max_line;
    char *buf;
    size_t cap, start, end, scanned;
    bool eof;
    bool skipping; /* inside a line already known to be too long */
    /* When set, called before a read(2) that would wait: nothing more of
     * the input is there yet (a live flow log through a pipe), so what
     * the caller holds back can go out.  Never for a regular file. */
    void (*idle)(void *data);
    void *idle_data;
} reader;

/* Lines of fd, kept up to max_line bytes (plus CR); no idle call. */
void reader_init(reader *r, int fd, size_t max_line);
void reader_free(reader *r);

/* The next line without its LF: 1, with *too_long set when it was longer
 * than any line we keep (its text is then not returned); 0 at the end;
 * -1 on a read error (errno).  The line stays valid until the next
 * call. */
int reader_next(reader *r, const char **line, size_t *len, bool *too_long);

#endif
