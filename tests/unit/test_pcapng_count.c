/* Unit tests for camtrace-capture's live packet counter (cli/pcapng-count.c):
 * pcapng files built here block by block, in either byte order, written
 * whole or in pieces as dumpcap flushes them, and damaged; and the
 * captures of tests/tools/ct-pcapgen, which writes classic pcap (counted
 * as "not pcapng", never guessed) and, converted by editcap, pcapng whose
 * count must be exactly the capture's number of packets. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "pcapng-count.h"

/* Block types (draft-ietf-opsawg-pcapng). */
enum {
    PB = 2, /* obsolete Packet Block */
    SPB = 3,
    NRB = 4,
    ISB = 5,
    EPB = 6,
    IDB = 1,
    SHB = 0x0A0D0D0A,
};

/* A file under construction: its bytes, and the end offset of every block
 * with whether it is a packet, so that the count due for any prefix of
 * the file is known. */
typedef struct {
    GByteArray *bytes;
    GArray *ends;    /* guint64: offset just past each block */
    GArray *packets; /* gboolean: is that block a packet */
    gboolean swapped;
} file_spec;

static void
spec_init(file_spec *f)
{
    f->bytes = g_byte_array_new();
    f->ends = g_array_new(FALSE, FALSE, sizeof(guint64));
    f->packets = g_array_new(FALSE, FALSE, sizeof(gboolean));
    f->swapped = FALSE;
}

static void
spec_free(file_spec *f)
{
    g_byte_array_free(f->bytes, TRUE);
    g_array_free(f->ends, TRUE);
    g_array_free(f->packets, TRUE);
}

static void
put_u32(file_spec *f, guint32 v)
{
    guint32 out = f->swapped ? GUINT32_SWAP_LE_BE(v) : v;

    g_byte_array_append(f->bytes, (const guint8 *)&out, sizeof out);
}

/* A block of type with body_len bytes of body (padded to 4), its total
 * length at both ends as the format has it. */
static void
block(file_spec *f, guint32 type, guint32 body_len)
{
    guint32 padded = (body_len + 3u) & ~3u;
    guint32 total = 12 + padded;
    gboolean packet = type == EPB || type == SPB || type == PB;
    guint64 end;

    put_u32(f, type);
    put_u32(f, total);
    for (guint32 i = 0; i < padded; i++) {
        guint8 b = (guint8)(i * 7 + 1);
        g_byte_array_append(f->bytes, &b, 1);
    }
    put_u32(f, total);
    end = f->bytes->len;
    g_array_append_val(f->ends, end);
    g_array_append_val(f->packets, packet);
}

/* A section: its header (byte-order mark, version 1.0, unknown section
 * length) in the given byte order, then an interface. */
static void
section(file_spec *f, gboolean swapped)
{
    guint32 total = 28;
    gboolean packet = FALSE;
    guint64 end;

    f->swapped = swapped;
    put_u32(f, SHB);
    put_u32(f, total);
    put_u32(f, 0x1A2B3C4D);
    put_u32(f, swapped ? 0x00000100 : 0x00010000); /* major 1, minor 0 */
    put_u32(f, 0xFFFFFFFF);
    put_u32(f, 0xFFFFFFFF);
    put_u32(f, total);
    end = f->bytes->len;
    g_array_append_val(f->ends, end);
    g_array_append_val(f->packets, packet);
    block(f, IDB, 8);
}

/* Packets in the whole blocks of the first len bytes. */
static guint64
packets_due(const file_spec *f, guint64 len)
{
    guint64 n = 0;

    for (guint i = 0; i < f->ends->len; i++) {
        if (g_array_index(f->ends, guint64, i) > len)
            break;
        n += g_array_index(f->packets, gboolean, i) ? 1 : 0;
    }
    return n;
}

static char *
temp_path(const char *name)
{
    char *dir = g_dir_make_tmp("ct-pcapng-XXXXXX", NULL);
    char *path;

    g_assert_nonnull(dir);
    path = g_build_filename(dir, name, NULL);
    g_free(dir);
    return path;
}

static void
remove_temp(char *path)
{
    char *dir = g_path_get_dirname(path);

    g_unlink(path);
    g_rmdir(dir);
    g_free(dir);
    g_free(path);
}

static void
append(int fd, const guint8 *data, gsize len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        g_assert_cmpint(n, >, 0);
        data += n;
        len -= (gsize)n;
    }
}

/* Write f to a new file in pieces of the given sizes (cycled), updating
 * the counter after each, as the progress line does while dumpcap writes:
 * after every piece the count is exactly that of the whole blocks on disk,
 * and at the end that of the file. */
static void
check_in_pieces(const file_spec *f, const gsize *sizes, gsize n_sizes)
{
    char *path = temp_path("growing.pcapng");
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    pcapng_counter pc;
    gsize written = 0;

    g_assert_cmpint(fd, >=, 0);
    pcapng_counter_init(&pc);
    for (gsize i = 0; written < f->bytes->len; i++) {
        gsize piece = MIN(sizes[i % n_sizes], f->bytes->len - written);

        append(fd, f->bytes->data + written, piece);
        written += piece;
        pcapng_counter_update(&pc, path);
        g_assert_false(pc.lost);
        g_assert_cmpuint(pc.packets, ==, packets_due(f, written));
    }
    /* Nothing new: the count stays. */
    pcapng_counter_update(&pc, path);
    g_assert_cmpuint(pc.packets, ==, packets_due(f, written));
    pcapng_counter_close(&pc);
    g_assert_cmpint(pc.fd, ==, -1);
    close(fd);
    remove_temp(path);
}

/* The counter's verdict on bytes written at once. */
static pcapng_counter
count_bytes(const guint8 *data, gsize len)
{
    char *path = temp_path("capture.pcapng");
    pcapng_counter pc;

    g_assert_true(g_file_set_contents(path, (const char *)data, (gssize)len, NULL));
    pcapng_counter_init(&pc);
    pcapng_counter_update(&pc, path);
    pcapng_counter_close(&pc);
    remove_temp(path);
    return pc;
}

/* One section of every block kind: 3 EPBs, an SPB and a PB count; the
 * SHB, IDB, NRB and ISB do not. */
static void
mixed_section(file_spec *f, gboolean swapped)
{
    section(f, swapped);
    block(f, EPB, 20 + 60);
    block(f, NRB, 16);
    block(f, EPB, 20 + 1514);
    block(f, SPB, 4 + 61); /* padded */
    block(f, PB, 20 + 42);
    block(f, EPB, 20 + 0);
    block(f, ISB, 12);
}

static void
test_whole(void)
{
    file_spec f;
    pcapng_counter pc;

    spec_init(&f);
    mixed_section(&f, FALSE);
    pc = count_bytes(f.bytes->data, f.bytes->len);
    g_assert_false(pc.lost);
    g_assert_cmpuint(pc.packets, ==, 5);
    g_assert_cmpuint(pc.offset, ==, f.bytes->len);
    spec_free(&f);
}

static void
test_swapped(void)
{
    file_spec f;
    pcapng_counter pc;

    spec_init(&f);
    mixed_section(&f, TRUE);
    pc = count_bytes(f.bytes->data, f.bytes->len);
    g_assert_false(pc.lost);
    g_assert_true(pc.swapped);
    g_assert_cmpuint(pc.packets, ==, 5);
    spec_free(&f);
}

/* A file may hold several sections, each in its own byte order. */
static void
test_sections(void)
{
    static const gsize sizes[] = {5, 64, 3};
    file_spec f;
    pcapng_counter pc;

    spec_init(&f);
    mixed_section(&f, FALSE);
    mixed_section(&f, TRUE);
    mixed_section(&f, FALSE);
    pc = count_bytes(f.bytes->data, f.bytes->len);
    g_assert_false(pc.lost);
    g_assert_cmpuint(pc.packets, ==, 15);
    check_in_pieces(&f, sizes, G_N_ELEMENTS(sizes));
    spec_free(&f);
}

/* Blocks arrive in pieces: a byte at a time, pieces that end inside a
 * block header, inside a body, exactly on a block's end. */
static void
test_pieces(void)
{
    static const gsize one[] = {1};
    static const gsize odd[] = {3, 7, 13, 1, 29};
    static const gsize blocks[] = {28, 20, 92};
    file_spec f;

    spec_init(&f);
    mixed_section(&f, FALSE);
    check_in_pieces(&f, one, G_N_ELEMENTS(one));
    check_in_pieces(&f, odd, G_N_ELEMENTS(odd));
    check_in_pieces(&f, blocks, G_N_ELEMENTS(blocks));
    spec_free(&f);

    spec_init(&f);
    mixed_section(&f, TRUE);
    check_in_pieces(&f, odd, G_N_ELEMENTS(odd));
    spec_free(&f);
}

/* More than the counter reads at once (64 KiB): blocks that straddle its
 * buffer, and packets larger than it (dumpcap's snaplen is 262144). */
static void
test_large(void)
{
    static const gsize flushes[] = {4096, 65536, 100000, 1};
    file_spec f;
    pcapng_counter pc;

    spec_init(&f);
    section(&f, FALSE);
    for (int i = 0; i < 5000; i++)
        block(&f, EPB, 20 + (guint32)(i % 97));
    block(&f, EPB, 20 + 262144);
    block(&f, EPB, 20 + 70000);
    for (int i = 0; i < 100; i++)
        block(&f, SPB, 4 + 1500);
    pc = count_bytes(f.bytes->data, f.bytes->len);
    g_assert_false(pc.lost);
    g_assert_cmpuint(pc.packets, ==, 5102);
    check_in_pieces(&f, flushes, G_N_ELEMENTS(flushes));
    spec_free(&f);
}

/* Before dumpcap creates the file there is nothing to count, and that is
 * no error; an empty file or a part of the first header neither. */
static void
test_not_yet(void)
{
    char *path = temp_path("later.pcapng");
    pcapng_counter pc;
    file_spec f;
    int fd;

    spec_init(&f);
    mixed_section(&f, FALSE);
    pcapng_counter_init(&pc);
    pcapng_counter_update(&pc, path);
    g_assert_cmpint(pc.fd, ==, -1);
    g_assert_false(pc.lost);
    g_assert_cmpuint(pc.packets, ==, 0);

    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    g_assert_cmpint(fd, >=, 0);
    pcapng_counter_update(&pc, path);
    g_assert_cmpint(pc.fd, >=, 0);
    g_assert_false(pc.lost);
    append(fd, f.bytes->data, 11);
    pcapng_counter_update(&pc, path);
    g_assert_false(pc.lost);
    g_assert_cmpuint(pc.packets, ==, 0);
    append(fd, f.bytes->data + 11, f.bytes->len - 11);
    pcapng_counter_update(&pc, path);
    g_assert_false(pc.lost);
    g_assert_cmpuint(pc.packets, ==, 5);
    pcapng_counter_close(&pc);
    close(fd);
    remove_temp(path);
    spec_free(&f);
}

/* What does not start with a Section Header Block is not pcapng: no
 * count, and nothing later brings it back. */
static void
test_bad_magic(void)
{
    static const guint8 text[] = "ts,proto,src_ip,src_port,dst_ip\r\n";
    file_spec f;
    pcapng_counter pc;
    guint8 *copy;

    pc = count_bytes(text, sizeof text - 1);
    g_assert_true(pc.lost);
    g_assert_cmpuint(pc.packets, ==, 0);

    /* A valid file whose first byte is damaged. */
    spec_init(&f);
    mixed_section(&f, FALSE);
    copy = g_memdup2(f.bytes->data, f.bytes->len);
    copy[0] ^= 0xff;
    pc = count_bytes(copy, f.bytes->len);
    g_assert_true(pc.lost);
    g_assert_cmpuint(pc.packets, ==, 0);
    g_free(copy);
    spec_free(&f);
}

/* A Section Header Block whose byte-order mark is neither order. */
static void
test_bad_byte_order(void)
{
    file_spec f;
    pcapng_counter pc;
    guint8 *copy;
    gsize second;

    spec_init(&f);
    mixed_section(&f, FALSE);
    copy = g_memdup2(f.bytes->data, f.bytes->len);
    copy[8] = 0x11;
    pc = count_bytes(copy, f.bytes->len);
    g_assert_true(pc.lost);
    g_free(copy);

    /* In a second section: the first one's packets stay counted. */
    second = f.bytes->len;
    mixed_section(&f, FALSE);
    copy = g_memdup2(f.bytes->data, f.bytes->len);
    copy[second + 8] = 0x11;
    pc = count_bytes(copy, f.bytes->len);
    g_assert_true(pc.lost);
    g_assert_cmpuint(pc.packets, ==, 5);
    g_free(copy);
    spec_free(&f);
}

/* Block lengths no writer makes: shorter than a block, not a multiple of
 * four, longer than 16 MiB.  The count stops at the blocks before. */
static void
test_bad_length(void)
{
    static const guint32 lengths[] = {0, 8, 11, 30, 16 * 1024 * 1024 + 4, 0x7FFFFFFC, 0xFFFFFFFF};
    file_spec f;

    for (gsize i = 0; i < G_N_ELEMENTS(lengths); i++) {
        pcapng_counter pc;
        gsize damaged;
        guint32 len = lengths[i];

        spec_init(&f);
        section(&f, FALSE);
        block(&f, EPB, 40);
        block(&f, EPB, 40);
        damaged = f.bytes->len;
        block(&f, EPB, 40);
        block(&f, EPB, 40);
        memcpy(f.bytes->data + damaged + 4, &len, sizeof len);
        pc = count_bytes(f.bytes->data, f.bytes->len);
        g_assert_true(pc.lost);
        g_assert_cmpuint(pc.packets, ==, 2);
        spec_free(&f);
    }
}

/* ---- captures of ct-pcapgen ------------------------------------------ */

/* Run argv to the end; false (and the test skipped) when its program is
 * not there. */
static gboolean
run(const char *const *argv)
{
    char *err = NULL;
    int status = 0;
    GError *error = NULL;

    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                      &status, &error)) {
        g_test_skip(error->message);
        g_error_free(error);
        return FALSE;
    }
    if (!g_spawn_check_wait_status(status, NULL))
        g_error("%s failed: %s", argv[0], err);
    g_free(err);
    return TRUE;
}

/* ct-pcapgen SCENARIO ... into a new file; NULL (skipped) without it. */
static char *
pcapgen(const char *const *args, const char *name)
{
    const char *tool = g_getenv("CT_PCAPGEN");
    const char *argv[12];
    char *path;
    gsize n = 0;

    if (tool == NULL) {
        g_test_skip("CT_PCAPGEN is not set");
        return NULL;
    }
    path = temp_path(name);
    argv[n++] = tool;
    for (; *args != NULL; args++)
        argv[n++] = *args;
    argv[n++] = path;
    argv[n] = NULL;
    if (!run(argv)) {
        remove_temp(path);
        return NULL;
    }
    return path;
}

/* Packets in a classic pcap, from its record headers (ct-pcapgen writes
 * little-endian, microseconds). */
static guint64
pcap_packets(const guint8 *data, gsize len)
{
    guint64 n = 0;
    gsize pos = 24;

    g_assert_cmpuint(len, >=, 24);
    g_assert_cmpint(memcmp(data, "\xd4\xc3\xb2\xa1", 4), ==, 0);
    while (pos + 16 <= len) {
        guint32 incl;

        memcpy(&incl, data + pos + 8, sizeof incl);
        incl = GUINT32_FROM_LE(incl);
        pos += 16 + incl;
        n++;
    }
    g_assert_cmpuint(pos, ==, len);
    return n;
}

/* Classic pcap is not pcapng: the counter says so rather than guess. */
static void
test_pcapgen_pcap(void)
{
    static const char *const args[] = {"sample", NULL};
    char *path = pcapgen(args, "sample.pcap");
    pcapng_counter pc;

    if (path == NULL)
        return;
    pcapng_counter_init(&pc);
    pcapng_counter_update(&pc, path);
    g_assert_true(pc.lost);
    g_assert_cmpuint(pc.packets, ==, 0);
    pcapng_counter_close(&pc);
    remove_temp(path);
}

/* The blocks of a pcapng that editcap wrote on this host (one section,
 * in our byte order), read with nothing but their lengths, so that the
 * count due after every piece is known. */
static void
spec_from_pcapng(file_spec *f, const guint8 *data, gsize len)
{
    gsize pos = 0;

    g_byte_array_append(f->bytes, data, (guint)len);
    while (pos + 8 <= len) {
        guint32 type, total;
        gboolean packet;
        guint64 end;

        memcpy(&type, data + pos, sizeof type);
        memcpy(&total, data + pos + 4, sizeof total);
        g_assert_cmpuint(total, >=, 12);
        pos += total;
        end = pos;
        packet = type == EPB || type == SPB || type == PB;
        g_array_append_val(f->ends, end);
        g_array_append_val(f->packets, packet);
    }
    g_assert_cmpuint(pos, ==, len);
}

/* ct-pcapgen's captures converted to pcapng by editcap (as dumpcap writes
 * them: SHB, IDB, EPBs): the count is exactly the capture's packets,
 * whole and after every piece while the file grows. */
static void
check_converted(const char *const *args, guint64 expect_at_least)
{
    static const gsize flushes[] = {4096, 1000, 65536, 7, 100000};
    const char *editcap = g_getenv("CT_EDITCAP");
    char *pcap = pcapgen(args, "capture.pcap");
    char *pcapng, *data = NULL;
    gsize len = 0;
    guint64 expected;
    pcapng_counter pc;
    file_spec f;

    if (pcap == NULL)
        return;
    pcapng = g_strconcat(pcap, "ng", NULL);
    if (editcap == NULL || *editcap == '\0') {
        g_test_skip("no editcap (CT_EDITCAP)");
        goto done;
    }
    {
        const char *argv[] = {editcap, "-F", "pcapng", pcap, pcapng, NULL};
        if (!run(argv))
            goto done;
    }
    g_assert_true(g_file_get_contents(pcap, &data, &len, NULL));
    expected = pcap_packets((const guint8 *)data, len);
    g_assert_cmpuint(expected, >=, expect_at_least);
    g_free(data);

    pcapng_counter_init(&pc);
    pcapng_counter_update(&pc, pcapng);
    g_assert_false(pc.lost);
    g_assert_cmpuint(pc.packets, ==, expected);
    pcapng_counter_close(&pc);

    g_assert_true(g_file_get_contents(pcapng, &data, &len, NULL));
    spec_init(&f);
    spec_from_pcapng(&f, (const guint8 *)data, len);
    g_assert_cmpuint(packets_due(&f, len), ==, expected);
    check_in_pieces(&f, flushes, G_N_ELEMENTS(flushes));
    spec_free(&f);
    g_free(data);
done:
    g_unlink(pcapng);
    g_free(pcapng);
    remove_temp(pcap);
}

static void
test_pcapgen_sample(void)
{
    static const char *const args[] = {"sample", NULL};

    check_converted(args, 100);
}

static void
test_pcapgen_names(void)
{
    static const char *const args[] = {"names", NULL};

    check_converted(args, 80);
}

static void
test_pcapgen_bench(void)
{
    static const char *const args[] = {"bench", "--packets", "20000", "--remotes", "500", NULL};

    check_converted(args, 20000);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pcapng-count/whole", test_whole);
    g_test_add_func("/pcapng-count/swapped", test_swapped);
    g_test_add_func("/pcapng-count/sections", test_sections);
    g_test_add_func("/pcapng-count/pieces", test_pieces);
    g_test_add_func("/pcapng-count/large", test_large);
    g_test_add_func("/pcapng-count/not-yet", test_not_yet);
    g_test_add_func("/pcapng-count/bad-magic", test_bad_magic);
    g_test_add_func("/pcapng-count/bad-byte-order", test_bad_byte_order);
    g_test_add_func("/pcapng-count/bad-length", test_bad_length);
    g_test_add_func("/pcapng-count/pcapgen-pcap", test_pcapgen_pcap);
    g_test_add_func("/pcapng-count/pcapgen-sample", test_pcapgen_sample);
    g_test_add_func("/pcapng-count/pcapgen-names", test_pcapgen_names);
    g_test_add_func("/pcapng-count/pcapgen-bench", test_pcapgen_bench);
    return g_test_run();
}
