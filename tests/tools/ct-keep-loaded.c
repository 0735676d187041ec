/* ct-keep-loaded.c - preloaded into tshark by the sanitizer golden tests:
 * dlclose() does nothing, so plugins stay mapped until the process ends.
 *
 * Wireshark unloads its plugins before exit, and LeakSanitizer reports
 * leaks at exit: without this, frames in camtrace.so show as "<unknown
 * module>" and a leak of ours cannot be told from one of tshark's own
 * (tshark 4.0 leaks a few bytes in its -z statistics code, which the
 * tests must not blame on CamTrace).
 */
#include <dlfcn.h>

int
dlclose(void *handle)
{
    (void)handle;
    return 0;
}
