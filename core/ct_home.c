/* ct_home.c - see ct_home.h. */
#include "ct_home.h"

#include <string.h>

static bool
is_set(const char *home)
{
    return home != NULL && *home != '\0';
}

bool
ct_home_parse(const char *text, char code[CT_HOME_CODE_SIZE], GError **error)
{
    char *value = g_strstrip(g_strdup(text ? text : ""));
    bool ok = true;

    code[0] = '\0';
    if (strlen(value) == 2 && g_ascii_isalpha(value[0]) && g_ascii_isalpha(value[1])) {
        code[0] = g_ascii_toupper(value[0]);
        code[1] = g_ascii_toupper(value[1]);
        code[2] = '\0';
    } else if (*value != '\0') {
        g_set_error(error, CT_ERROR, CT_ERR_INVALID,
                    "home country \"%s\": not an ISO 3166-1 alpha-2 code (such as DE or US)",
                    value);
        ok = false;
    }
    g_free(value);
    return ok;
}

ct_foreign
ct_home_foreign(const char *home, const ct_host *a, const ct_host *b)
{
    const ct_host *hosts[2] = {a, b};
    ct_foreign foreign = CT_FOREIGN_UNKNOWN;

    if (!is_set(home))
        return CT_FOREIGN_UNKNOWN;
    for (int i = 0; i < 2; i++) {
        const char *iso = hosts[i] ? hosts[i]->geo.country_iso : NULL;
        if (hosts[i] == NULL || hosts[i]->scope != CT_SCOPE_GLOBAL || iso == NULL)
            continue;
        if (strcmp(iso, home) != 0)
            return CT_FOREIGN_YES;
        foreign = CT_FOREIGN_NO;
    }
    return foreign;
}

bool
ct_home_any_global(const ct_host *a, const ct_host *b)
{
    return (a != NULL && a->scope == CT_SCOPE_GLOBAL) || (b != NULL && b->scope == CT_SCOPE_GLOBAL);
}

const char *
ct_home_foreign_text(const char *home, ct_foreign foreign, bool any_global)
{
    if (foreign != CT_FOREIGN_UNKNOWN)
        return foreign == CT_FOREIGN_YES ? "yes" : "no";
    return any_global && is_set(home) ? "unknown" : "";
}
