/* plugin.c - the symbols Wireshark's plugin loader looks for, and the
 * one place that registers every part of the plugin.
 *
 * Wireshark 4.0 and 4.2 read plugin_version/plugin_want_* and call
 * plugin_register(); 4.4 and later also call plugin_describe() (see
 * ws-compat.h).  The parts, from the bottom of the chain up: state.c
 * (settings, databases, resolver, names), packet-camtrace.c (the
 * protocol, its fields and preferences, the post-dissector), counter.c
 * (the "camtrace" tap), and the exporters, which use those and never
 * each other.
 */
#define WS_BUILD_DLL
#include <wireshark.h>
#include <epan/proto.h>

#include "counter.h"
#include "exporters.h"
#include "packet-camtrace.h"
#include "state.h"
#include "ws-compat.h"

#if CT_WS_AT_LEAST(4, 4)
#include <wsutil/plugins.h>
#endif

WS_DLL_PUBLIC_DEF const char plugin_version[] = CAMTRACE_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

/* Init routines run in the order registered: the state's before the
 * post-dissector's. */
static void
register_camtrace(void)
{
    camtrace_state_register();
    camtrace_dissector_register();
    camtrace_counter_register();
    camtrace_flows_register();
    camtrace_devices_register();
    camtrace_flow_table_register();
}

void
plugin_register(void)
{
    static proto_plugin plug;

    plug.register_protoinfo = register_camtrace;
    plug.register_handoff = NULL; /* nothing to hand off: a post-dissector */
    proto_register_plugin(&plug);
}

#if CT_WS_AT_LEAST(4, 4)
WS_DLL_PUBLIC uint32_t plugin_describe(void);

uint32_t
plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR;
}
#endif
