/* capture-export.h - camtrace-capture's outputs from a capture: the
 * plugin's flow export through tshark (flows.jsonl), the same flows as
 * CSV (enriched.csv), and the databases tshark answered from.
 */
#ifndef CLI_CAPTURE_EXPORT_H
#define CLI_CAPTURE_EXPORT_H

#include <stdbool.h>

#include "process.h"

/* jsonl from one tshark run on pcap (`tshark -q -r PCAP -z
 * camtrace,flows,jsonl`): its standard output, as is.  false after an
 * error or a signal (printed); jsonl is then not there. */
bool export_flows(const program *tshark, const char *pcap, const char *jsonl);

/* csv from jsonl: the flow export's columns, byte for byte what
 * `tshark -z camtrace,flows` writes.  false after an error or a signal
 * (printed); csv is then not there. */
bool write_csv(const char *jsonl, const char *csv);

/* The databases the plugin answered from, as its camtrace.databases field
 * says on the first IP packet among the capture's first 1000 ("ASN
 * GeoLite2-ASN built ..., City ..."); NULL when tshark does not say (no IP
 * packet there).  g_free. */
char *databases_used(const program *tshark, const char *pcap);

#endif
