/* exporters.h - the statistics that count CamTrace's flows, each a leaf
 * on counter.h and state.h; plugin.c registers them. */
#ifndef CAMTRACE_EXPORTERS_H
#define CAMTRACE_EXPORTERS_H

/* flows.c: tshark -z camtrace,flows, the flow export. */
void camtrace_flows_register(void);
/* devices.c: tshark -z camtrace,devices, who each local device talks to. */
void camtrace_devices_register(void);
/* flow-table.c: Statistics > CamTrace Flows (tshark -z camtrace,flowtable). */
void camtrace_flow_table_register(void);

#endif
