/* ct_args.c - see ct_args.h. */
#include "ct_args.h"

#include <string.h>

static bool
usage(const char *arg, const char *prefix, const char *const *formats, ct_args *out, GError **error)
{
    char *choices = g_strjoinv("|,", (char **)formats);

    out->format = 0;
    out->filter = out->value = NULL;
    out->value_len = 0;
    g_set_error(error, CT_ERROR, CT_ERR_INVALID, "invalid \"-z %s\": use -z %s[,%s][,FILTER]", arg,
                prefix, choices);
    g_free(choices);
    return false;
}

bool
ct_args_parse(const char *arg, const char *prefix, const char *const *formats, ct_args *out,
              GError **error)
{
    size_t prefix_len = strlen(prefix);
    const char *rest = arg + prefix_len;

    out->format = 0;
    out->filter = NULL;
    out->value = NULL;
    out->value_len = 0;
    if (strncmp(arg, prefix, prefix_len) != 0 || (*rest != '\0' && *rest != ','))
        return usage(arg, prefix, formats, out, error);
    if (*rest == '\0')
        return true;
    rest++;
    for (int i = 0; formats[i] != NULL; i++) {
        const char *equals = strchr(formats[i], '=');
        size_t len = equals ? (size_t)(equals - formats[i]) + 1 : strlen(formats[i]);

        if (strncmp(rest, formats[i], len) != 0)
            continue;
        if (equals != NULL) {
            const char *comma = strchr(rest + len, ',');
            out->value = rest + len;
            out->value_len = comma ? (size_t)(comma - out->value) : strlen(out->value);
            if (out->value_len == 0)
                return usage(arg, prefix, formats, out, error);
            rest = out->value + out->value_len;
        } else if (rest[len] == '\0' || rest[len] == ',') {
            rest += len;
        } else {
            continue;
        }
        out->format = i;
        if (*rest == ',')
            out->filter = rest + 1;
        return true;
    }
    out->filter = rest;
    return true;
}
