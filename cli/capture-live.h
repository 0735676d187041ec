/* capture-live.h - the live capture: dumpcap on one interface until it
 * stops, with a progress line and errors explained in terms of what to do.
 */
#ifndef CLI_CAPTURE_LIVE_H
#define CLI_CAPTURE_LIVE_H

#include <stdbool.h>

#include <glib.h>

#include "process.h"

/* How to get capture rights on Debian, on stderr: the unusable_hint of
 * dumpcap's program. */
void permission_hint(void);

/* The interface to capture on, checked against `dumpcap -D`: wanted, or
 * the first one listed when NULL; NULL after an error (printed).
 * g_free. */
char *choose_interface(const program *dumpcap, const char *wanted);

/* Capture on iface into path (pcapng) until duration seconds or count
 * packets (0: no limit; none at all: until SIGINT or SIGTERM, which are
 * passed on to dumpcap as SIGINT so that it closes the file).  false
 * after an error (printed). */
bool capture_live(const program *dumpcap, const char *iface, guint64 duration, guint64 count,
                  const char *path);

#endif
