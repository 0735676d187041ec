/* ct_args.c - see ct_args.h. */
#include "ct_args.h"

#include <string.h>

bool
ct_args_parse(const char *arg, const char *prefix, const char *const *formats, ct_args *out,
              GError **error)
{
    size_t prefix_len = strlen(prefix);
    const char *rest = arg + prefix_len;

    out->format = 0;
    out->filter = NULL;
    if (strncmp(arg, prefix, prefix_len) != 0 || (*rest != '\0' && *rest != ',')) {
        char *choices = g_strjoinv("|,", (char **)formats);
        g_set_error(error, CT_ERROR, CT_ERR_INVALID, "invalid \"-z %s\": use -z %s[,%s][,FILTER]",
                    arg, prefix, choices);
        g_free(choices);
        return false;
    }
    if (*rest == '\0')
        return true;
    rest++;
    for (int i = 0; formats[i] != NULL; i++) {
        size_t len = strlen(formats[i]);
        if (strncmp(rest, formats[i], len) == 0 && (rest[len] == '\0' || rest[len] == ',')) {
            out->format = i;
            rest += len;
            if (*rest == ',')
                out->filter = rest + 1;
            return true;
        }
    }
    out->filter = rest;
    return true;
}
