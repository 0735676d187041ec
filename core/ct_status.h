/* ct_status.h - status codes shared by every CamTrace core module.
 *
 * The enum is append-only: values are stable so that tools and tests can
 * rely on them.  Runtime failures that need a path or a detail travel as a
 * GError in the CT_ERROR domain whose code is a ct_status.
 */
#ifndef CT_STATUS_H
#define CT_STATUS_H

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
    CT_OK = 0,
    CT_ERR_NOT_FOUND,    /* file does not exist */
    CT_ERR_UNREADABLE,   /* exists but cannot be opened or read */
    CT_ERR_CORRUPT,      /* not a valid MaxMind DB file */
    CT_ERR_WRONG_SCHEMA, /* valid MaxMind DB file of another kind */
    CT_ERR_NOT_A_FILE,   /* a directory or a device */
    CT_ERR_INVALID,      /* invalid argument or value */
    CT_ERR_WRITE,        /* output cannot be written */
    CT_ERR_SYSTEM,       /* the system refused a resource (a pipe, a descriptor) */
    CT_ERR_RESOLVER,     /* the DNS library (c-ares) cannot start */
} ct_status;

#define CT_ERROR (ct_error_quark())
GQuark ct_error_quark(void);

/* Static English description of a status; never NULL. */
const char *ct_strerror(ct_status status);

G_END_DECLS

#endif
