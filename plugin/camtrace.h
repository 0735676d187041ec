/* camtrace.h - entry points of the CamTrace epan adapter. */
#ifndef CAMTRACE_PLUGIN_H
#define CAMTRACE_PLUGIN_H

void proto_register_camtrace(void);

#endif
