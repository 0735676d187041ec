/* printed-fields.c - see printed-fields.h.
 *
 * Why: "tshark -T fields" dissects with a *visible* tree, in which every
 * field of every protocol is created, and epan does not tell a
 * post-dissector which fields will be printed (output fields are not
 * primed like filter fields).  Without this, "-T fields -e ip.src" would
 * make CamTrace add all its items and send PTR queries nobody asked for.
 * tshark's own option parsing is not reachable from a plugin, so we read
 * the same argv from /proc/self/cmdline.  Anything unexpected means
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
camtrace_printed_fields(void)
{
    char *cmdline = NULL;
    gsize len = 0;
    GHashTable *fields;
    const char *format = NULL;

    if (g_strcmp0(g_get_prgname(), "tshark") != 0 ||
        !g_file_get_contents("/proc/self/cmdline", &cmdline, &len, NULL))
        return NULL;
    fields = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    /* Arguments are NUL-separated; the first is the program. */
    for (const char *arg = cmdline + strlen(cmdline) + 1; arg < cmdline + len;
         arg += strlen(arg) + 1) {
        const char *next = arg + strlen(arg) + 1;
        gboolean has_next = next < cmdline + len;
        const char *value = NULL;

        if (arg[0] != '-' || arg[1] == '-')
            continue;
        if (arg[1] == 'T' || arg[1] == 'e') {
            value = arg[2] != '\0' ? arg + 2 : (has_next ? next : NULL);
            if (value == NULL)
                continue;
            if (arg[1] == 'T')
                format = value;
            else
                g_hash_table_add(fields, g_strdup(value));
            if (arg[2] == '\0')
                arg = next; /* skip the value */
        }
    }
    /* format points into cmdline: decide before freeing it. */
    gboolean known = restricting_format(format) && g_hash_table_size(fields) > 0;
    g_free(cmdline);
    if (!known) {
        g_hash_table_destroy(fields);
        return NULL;
    }
    return fields;
}
