/* replay.c - run a fuzz target on stored inputs, without libFuzzer.
 *
 *   fuzz_<name>_replay PATH...
 *
 * Each PATH is a file or a directory; a directory contributes its regular
 * files (not recursively, hidden files skipped) in byte order of their
 * names, so a run is the same everywhere.  Every input is copied into a
 * buffer of exactly its size, so that a sanitizer build catches a read one
 * byte too far, and handed to LLVMFuzzerTestOneInput().  A failed CHECK
 * aborts, which fails the ctest test; the last "replay:" line on stderr
 * names the input.  Exit status 1 when a path cannot be read or there was
 * no input at all (a corpus that went missing must not pass silently).
 */
#include <glib.h>
#include <string.h>

#include "fuzz.h"

static int
compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Run one file; false if it cannot be read. */
static bool
run_file(const char *path)
{
    gchar *contents = NULL;
    gsize len = 0;
    GError *error = NULL;
    uint8_t *copy;

    if (!g_file_get_contents(path, &contents, &len, &error)) {
        fprintf(stderr, "replay: %s\n", error->message);
        g_error_free(error);
        return false;
    }
    fprintf(stderr, "replay: %s (%zu bytes)\n", path, (size_t)len);
    /* malloc(0) may return NULL; the target must not read it anyway. */
    copy = malloc(len ? len : 1);
    CHECK(copy != NULL);
    memcpy(copy, contents, len);
    g_free(contents);
    LLVMFuzzerTestOneInput(copy, len);
    free(copy);
    return true;
}

/* Run every regular file of dir in name order; *n counts them. */
static bool
run_dir(const char *dir, size_t *n)
{
    GError *error = NULL;
    GDir *d = g_dir_open(dir, 0, &error);
    GPtrArray *paths;
    const char *name;
    bool ok = true;

    if (d == NULL) {
        fprintf(stderr, "replay: %s\n", error->message);
        g_error_free(error);
        return false;
    }
    paths = g_ptr_array_new_with_free_func(g_free);
    while ((name = g_dir_read_name(d)) != NULL) {
        char *path = g_build_filename(dir, name, NULL);
        if (name[0] != '.' && g_file_test(path, G_FILE_TEST_IS_REGULAR))
            g_ptr_array_add(paths, path);
        else
            g_free(path);
    }
    g_dir_close(d);
    qsort(paths->pdata, paths->len, sizeof(char *), compare_names);
    for (guint i = 0; i < paths->len && ok; i++) {
        ok = run_file(paths->pdata[i]);
        *n += ok;
    }
    g_ptr_array_free(paths, TRUE);
    return ok;
}

int
main(int argc, char **argv)
{
    size_t n = 0;
    bool ok = true;

    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE-OR-DIRECTORY...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc && ok; i++) {
        if (g_file_test(argv[i], G_FILE_TEST_IS_DIR)) {
            ok = run_dir(argv[i], &n);
        } else {
            ok = run_file(argv[i]);
            n += ok;
        }
    }
    printf("%zu inputs ran\n", n);
    if (ok && n == 0)
        fprintf(stderr, "replay: no input found\n");
    return ok && n > 0 ? 0 : 1;
}
