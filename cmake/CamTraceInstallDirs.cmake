# Where `cmake --install` puts the plugin and its data.
#
# Wireshark loads plugins from a personal folder
# (~/.local/lib/wireshark/plugins/<major.minor>/epan) and a global one
# (pkg-config wireshark plugindir, .../epan).  It ignores the personal
# folder when run as root, so a root install goes to the global one.
# CAMTRACE_INSTALL_SCOPE chooses explicitly: USER, SYSTEM or AUTO (root
# at configure time means SYSTEM).

set(CAMTRACE_INSTALL_SCOPE "AUTO" CACHE STRING "Plugin install scope: AUTO, USER or SYSTEM")
set_property(CACHE CAMTRACE_INSTALL_SCOPE PROPERTY STRINGS AUTO USER SYSTEM)

set(_scope "${CAMTRACE_INSTALL_SCOPE}")
if(_scope STREQUAL "AUTO")
    execute_process(COMMAND id -u OUTPUT_VARIABLE _uid OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(_uid STREQUAL "0")
        set(_scope "SYSTEM")
    else()
        set(_scope "USER")
    endif()
endif()
if(NOT _scope MATCHES "^(USER|SYSTEM)$")
    message(FATAL_ERROR "CAMTRACE_INSTALL_SCOPE must be AUTO, USER or SYSTEM, not ${_scope}")
endif()
set(CAMTRACE_RESOLVED_SCOPE "${_scope}")

# The system-wide data folder is compiled into the plugin as a search path.
set(CAMTRACE_SYSTEM_DATADIR "${CMAKE_INSTALL_FULL_DATADIR}/camtrace")

# Install rules belong to the component "camtrace" unless they say
# otherwise; the databases are "databases", which the Debian package leaves
# out (CamTracePackage.cmake).  Folders are made 0755 whatever the umask.
set(CMAKE_INSTALL_DEFAULT_COMPONENT_NAME camtrace)
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
