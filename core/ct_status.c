#include "ct_status.h"

/* The quark string is a name, not an expression. */
// clang-format off
G_DEFINE_QUARK(camtrace-error-quark, ct_error)
// clang-format on

const char *
ct_strerror(ct_status status)
{
    switch (status) {
    case CT_OK:
        return "success";
    case CT_ERR_NOT_FOUND:
        return "file not found";
    case CT_ERR_UNREADABLE:
        return "file cannot be read";
    case CT_ERR_CORRUPT:
        return "not a valid MaxMind DB file";
    case CT_ERR_WRONG_SCHEMA:
        return "MaxMind DB of an unexpected kind";
    case CT_ERR_NOT_A_FILE:
        return "not a regular file";
    case CT_ERR_INVALID:
        return "invalid value";
    case CT_ERR_WRITE:
        return "output cannot be written";
    case CT_ERR_SYSTEM:
        return "system resource unavailable";
    case CT_ERR_RESOLVER:
        return "DNS resolver cannot start";
    }
    return "unknown status";
}
