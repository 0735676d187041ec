/* plugin.c - the symbols Wireshark's plugin loader looks for.
 *
 * Kept apart from the dissector so that the only version-dependent code is
 * here: Wireshark 4.0 reads plugin_version/plugin_want_* and calls
 * plugin_register(); 4.2 and later also call plugin_describe(), declared
 * by <wsutil/plugins.h> together with WS_PLUGIN_DESC_DISSECTOR.
 */
#define WS_BUILD_DLL
#include <wireshark.h>
#include <epan/proto.h>

#if defined(__has_include)
#if __has_include(<wsutil/plugins.h>)
#include <wsutil/plugins.h>
#endif
#endif

#include "camtrace.h"

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

#ifdef WS_PLUGIN_DESC_DISSECTOR
WS_DLL_PUBLIC uint32_t plugin_describe(void);

uint32_t
plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR;
}
#endif
