/* pcapng-count.c - see pcapng-count.h.
 *
 * The file is read block by block (pcapng: IETF draft-ietf-opsawg-pcapng):
 * every block starts with its type and total length, so counting needs
 * eight bytes of each and never the packet data.  Section Header Blocks
 * set the byte order (a file may hold sections of either); Enhanced (6),
 * Simple (3) and obsolete Packet (2) Blocks count.  Anything we cannot
 * follow (another format, a byte-order mark that is neither order, a
 * length that no writer makes) stops the count rather than guess: the
 * progress line then shows no number.
 */
#include "pcapng-count.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PCAPNG_SHB 0x0A0D0D0Au
#define PCAPNG_BOM 0x1A2B3C4Du
/* Larger than any block dumpcap writes (snaplen 262144): garbage. */
#define PCAPNG_BLOCK_MAX (16u * 1024 * 1024)

static guint32
read_u32(const unsigned char *p, bool swapped)
{
    guint32 v;

    memcpy(&v, p, sizeof v);
    return swapped ? GUINT32_SWAP_LE_BE(v) : v;
}

void
pcapng_counter_init(pcapng_counter *pc)
{
    memset(pc, 0, sizeof *pc);
    pc->fd = -1;
}

void
pcapng_counter_close(pcapng_counter *pc)
{
    if (pc->fd >= 0)
        close(pc->fd);
    pc->fd = -1;
}

void
pcapng_counter_update(pcapng_counter *pc, const char *path)
{
    unsigned char buf[64 * 1024];
    struct stat st;

    if (pc->lost)
        return;
    if (pc->fd < 0 && (pc->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return;
    if (fstat(pc->fd, &st) != 0)
        return;
    for (;;) {
        ssize_t n = pread(pc->fd, buf, sizeof buf, (off_t)pc->offset);
        size_t pos = 0;

        while (n > 0 && pos + 12 <= (size_t)n) {
            guint32 type = read_u32(buf + pos, false);
            guint32 len;

            if (type == PCAPNG_SHB) {
                guint32 bom = read_u32(buf + pos + 8, false);
                if (bom != PCAPNG_BOM && bom != GUINT32_SWAP_LE_BE(PCAPNG_BOM)) {
                    pc->lost = true;
                    return;
                }
                pc->swapped = bom != PCAPNG_BOM;
            } else if (pc->offset + pos == 0) {
                pc->lost = true; /* not pcapng */
                return;
            }
            type = read_u32(buf + pos, pc->swapped);
            len = read_u32(buf + pos + 4, pc->swapped);
            if (len < 12 || len % 4 != 0 || len > PCAPNG_BLOCK_MAX) {
                pc->lost = true;
                return;
            }
            if (pc->offset + pos + len > (guint64)st.st_size)
                break; /* not all written yet */
            if (type == 6 || type == 3 || type == 2)
                pc->packets++;
            pos += len;
        }
        if (pos == 0)
            return;
        pc->offset += pos;
    }
}
