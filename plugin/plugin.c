/* plugin.c - the symbols Wireshark's plugin loader looks for.
 *
 * Kept apart from the dissector: Wireshark 4.0 and 4.2 read
 * plugin_version/plugin_want_* and call plugin_register(); 4.4 and later
 * also call plugin_describe() (see ws-compat.h).
 */
#define WS_BUILD_DLL
#include <wireshark.h>
#include <epan/proto.h>

#include "camtrace.h"
#include "ws-compat.h"

#if CT_WS_AT_LEAST(4, 4)
#include <wsutil/plugins.h>
#endif

WS_DLL_PUBLIC_DEF const char plugin_version[] = CAMTRACE_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

void
plugin_register(void)
{
    static proto_plugin plug;

    plug.register_protoinfo = proto_register_camtrace;
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
