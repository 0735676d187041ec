/* pcapng-count.h - packets written so far to a growing pcapng file.
 *
 * camtrace-capture's progress line counts the packet blocks dumpcap has
 * put on disk (it flushes about once a second), so the number shown is
 * what the capture file holds, never an estimate.  Each update reads on
 * from where the last one stopped and counts only whole blocks; a block
 * still being written is counted by a later update.
 */
#ifndef CLI_PCAPNG_COUNT_H
#define CLI_PCAPNG_COUNT_H

#include <stdbool.h>

#include <glib.h>

typedef struct {
    int fd;          /* -1 until the file exists */
    guint64 offset;  /* of the first block not yet counted */
    guint64 packets; /* Enhanced, Simple and obsolete Packet Blocks */
    bool swapped;    /* the current section's byte order is not ours */
    bool lost;       /* not pcapng, or a block we cannot follow: no count */
} pcapng_counter;

void pcapng_counter_init(pcapng_counter *pc);
/* Count the blocks completed in path since the last call.  A file that
 * does not exist yet is no error: it is opened when it appears. */
void pcapng_counter_update(pcapng_counter *pc, const char *path);
void pcapng_counter_close(pcapng_counter *pc);

#endif
