/* packet-camtrace.h - the CamTrace protocol and post-dissector. */
#ifndef CAMTRACE_PACKET_CAMTRACE_H
#define CAMTRACE_PACKET_CAMTRACE_H

/* Register the protocol, its fields and preferences, and the
 * post-dissector.  The first registration: the rest hangs off it. */
void camtrace_dissector_register(void);

#endif
