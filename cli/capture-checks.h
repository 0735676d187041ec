/* capture-checks.h - what camtrace-capture checks before a run starts.
 *
 * Everything that can be checked is checked before capturing: a missing
 * plugin found after ten minutes of capture wastes them, and an error
 * that names the file and the reason beats a tshark diagnostic.
 */
#ifndef CLI_CAPTURE_CHECKS_H
#define CLI_CAPTURE_CHECKS_H

#include <stdbool.h>

#include "process.h"

/* Does tshark load the CamTrace plugin?  false after saying why not and
 * what to do. */
bool check_plugin(const program *tshark);

/* Can tshark read path: a regular file that starts like pcap, pcapng or
 * gzip?  false after saying why not. */
bool check_capture_file(const char *path);

#endif
