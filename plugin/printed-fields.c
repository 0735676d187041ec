/* printed-fields.c - see printed-fields.h.
 *
 * Why: "tshark -T fields" dissects with a *visible* tree, in which every
 * field of every protocol is created, and epan does not tell a
 * post-dissector which fields will be printed (output fields are not
 * primed like filter fields).  Without this, "-T fields -e ip.src" would
 * make CamTrace add all its items and send PTR queries nobody asked for.
 * tshark's own option parsing is not reachable from a plugin, so we read
 * the same argv from /proc/self/cmdline (and from it, too, whether tshark
 * makes two passes).  Anything unexpected means
 * "unknown", and the caller then behaves as for any visible tree.
 */
#include "printed-fields.h"

#include <string.h>

/* Formats whose output -e restricts to the listed fields. */
static gboolean
restricting_format(const char *format)
{
    static const char *const formats[] = {"fields", "json", "jsonraw", "ek", "pdml", NULL};

    for (size_t i = 0; formats[i] != NULL; i++) {
        if (g_strcmp0(format, formats[i]) == 0)
            return TRUE;
    }
    return FALSE;
}

GHashTable *
camtrace_printed_fields_from_args(int argc, char **argv)
{
    GHashTable *fields = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    const char *format = NULL;

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value;

        if (arg[0] != '-' || arg[1] == '-' || (arg[1] != 'T' && arg[1] != 'e'))
            continue;
        if (arg[2] != '\0')
            value = arg + 2;
        else if (i + 1 < argc)
            value = argv[++i];
        else
            continue;
        if (arg[1] == 'T')
            format = value;
        else
            g_hash_table_add(fields, g_strdup(value));
    }
    if (!restricting_format(format) || g_hash_table_size(fields) == 0) {
        g_hash_table_destroy(fields);
        return NULL;
    }
    return fields;
}

gboolean
camtrace_two_pass_from_args(int argc, char **argv)
{
    /* "-2", alone or bundled with tshark's other options that take no
     * value ("-2q", "-qV2"). */
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (arg[0] == '-' && arg[1] != '-' && arg[1] != '\0' &&
            strspn(arg + 1, "2glnpPqQSVx") == strlen(arg + 1) && strchr(arg, '2') != NULL)
            return TRUE;
    }
    return FALSE;
}

GPtrArray *
camtrace_tshark_args(void)
{
    char *cmdline = NULL;
    gsize len = 0;
    GPtrArray *args;

    if (g_strcmp0(g_get_prgname(), "tshark") != 0 ||
        !g_file_get_contents("/proc/self/cmdline", &cmdline, &len, NULL))
        return NULL;
    /* Arguments are NUL-terminated strings, one after the other. */
    args = g_ptr_array_new_with_free_func(g_free);
    for (const char *arg = cmdline; arg < cmdline + len; arg += strlen(arg) + 1)
        g_ptr_array_add(args, g_strdup(arg));
    g_free(cmdline);
    return args;
}
