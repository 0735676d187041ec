# The Debian package: `cmake --build build --target package` makes
# camtrace_<version>_<arch>.deb in the build folder (CPack's DEB generator).
#
# A package is a system install with prefix /usr: the plugin in the global
# plugin folder of the Wireshark it was built against, the CamTrace profile
# in Wireshark's global profiles folder, the two commands in /usr/bin, their
# man pages in /usr/share/man/man1.  Those folders are the ones
# CAMTRACE_INSTALL_SCOPE=SYSTEM gives (CamTraceInstallDirs.cmake and the
# install rules next to each target); the package reuses them unchanged.
# The prefix is compiled in too (the data folder the plugin and `camtrace`
# search, /usr/share/camtrace), so a build is packaged as it is only when it
# was configured that way:
#
#   cmake -S . -B build -DCAMTRACE_INSTALL_SCOPE=SYSTEM -DCMAKE_INSTALL_PREFIX=/usr
#
# Any other build (a personal one, /usr/local, a sanitizer build) gets a
# `package` target that configures and builds such a build in
# <build>/package-build (no tests, the same compiler and warning settings;
# cmake/CamTracePackageBuild.cmake) and copies its package into <build>.
# Either way the package is the same.
#
# Depends: the exact libwireshark the plugin links, by its Debian package
# (libwireshark<soname>, from dpkg -S) and the release series it was built
# for (>= X.Y.Z, << X.Y+1~): Wireshark loads plugins only from the folder
# of its own X.Y, and its plugin ABI changes between series, so a package
# built for 4.4 refuses to install next to 4.0.  dpkg-shlibdeps adds the
# libraries every file links; `tshark | wireshark` is what loads the plugin.
# The MaxMind databases are not in the package: they are no part of this
# tree (tools/fetch-geolite2.sh fetches them, under MaxMind's licence) and
# change on their own schedule.

find_program(CAMTRACE_DPKG dpkg)
find_program(CAMTRACE_DPKG_DEB dpkg-deb)
if(NOT CAMTRACE_DPKG OR NOT CAMTRACE_DPKG_DEB)
    message(STATUS "CamTrace: no dpkg here, so no package target")
    return()
endif()

set(CAMTRACE_PACKAGE_MAINTAINER
    "CamTrace maintainers <maintainers@users.noreply.r-seed-4f6e48d3.example>"
    CACHE STRING "Maintainer field of the Debian package")
set(CAMTRACE_PACKAGE_HOMEPAGE "" CACHE STRING
    "Homepage field of the Debian package (left out when empty)")

execute_process(COMMAND "${CAMTRACE_DPKG}" --print-architecture
    OUTPUT_VARIABLE CAMTRACE_PACKAGE_ARCH OUTPUT_STRIP_TRAILING_WHITESPACE)
# Debian's file name (CPACK_DEBIAN_FILE_NAME DEB-DEFAULT, no release).
set(CAMTRACE_PACKAGE_FILE "camtrace_${PROJECT_VERSION}_${CAMTRACE_PACKAGE_ARCH}.deb")

get_filename_component(_prefix "${CMAKE_INSTALL_PREFIX}" ABSOLUTE)
if(CAMTRACE_RESOLVED_SCOPE STREQUAL "SYSTEM" AND _prefix STREQUAL "/usr"
   AND NOT CAMTRACE_SANITIZE)
    set(CAMTRACE_PACKAGE_DIRECT ON)
else()
    set(CAMTRACE_PACKAGE_DIRECT OFF)
endif()

if(NOT CAMTRACE_PACKAGE_DIRECT)
    set(_package_build "${CMAKE_BINARY_DIR}/package-build")
    message(STATUS "CamTrace: package target builds a SYSTEM /usr copy in ${_package_build}")
    add_custom_target(package
        COMMAND "${CMAKE_COMMAND}"
            "-DSOURCE_DIR=${PROJECT_SOURCE_DIR}"
            "-DBUILD_DIR=${_package_build}"
            "-DOUTPUT_DIR=${CMAKE_BINARY_DIR}"
            "-DPACKAGE_FILE=${CAMTRACE_PACKAGE_FILE}"
            "-DGENERATOR=${CMAKE_GENERATOR}"
            "-DMAKE_PROGRAM=${CMAKE_MAKE_PROGRAM}"
            "-DC_COMPILER=${CMAKE_C_COMPILER}"
            "-DWERROR=${CAMTRACE_WERROR}"
            "-DMAINTAINER=${CAMTRACE_PACKAGE_MAINTAINER}"
            "-DHOMEPAGE=${CAMTRACE_PACKAGE_HOMEPAGE}"
            -P "${CMAKE_CURRENT_LIST_DIR}/CamTracePackageBuild.cmake"
        USES_TERMINAL
        VERBATIM)
    return()
endif()

# CPack reads file types with file(1); dpkg-shlibdeps is in dpkg-dev.
foreach(_tool file dpkg-shlibdeps)
    find_program(_found_${_tool} ${_tool})
    if(NOT _found_${_tool})
        message(WARNING "CamTrace package: ${_tool} is missing, so the package target will fail "
            "(tools/install-deps.sh installs it)")
    endif()
endforeach()

# The libwireshark the plugin links: its soname and the Debian package
# that ships it.
set(_libwireshark "")
foreach(_lib IN LISTS WIRESHARK_LINK_LIBRARIES)
    get_filename_component(_name "${_lib}" NAME)
    if(_name STREQUAL "libwireshark.so")
        set(_libwireshark "${_lib}")
    endif()
endforeach()
if(NOT _libwireshark)
    message(FATAL_ERROR "CamTrace package: libwireshark.so is not among the libraries "
        "pkg-config gives (${WIRESHARK_LINK_LIBRARIES})")
endif()
execute_process(COMMAND "${CMAKE_OBJDUMP}" -p "${_libwireshark}"
    OUTPUT_VARIABLE _dynamic RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0 OR NOT _dynamic MATCHES "SONAME +libwireshark\\.so\\.([0-9]+)")
    message(FATAL_ERROR "CamTrace package: no soname in ${_libwireshark} (objdump: ${_rc})")
endif()
set(CAMTRACE_LIBWIRESHARK_SONAME "libwireshark.so.${CMAKE_MATCH_1}")
set(_libwireshark_package "libwireshark${CMAKE_MATCH_1}")
get_filename_component(_libdir "${_libwireshark}" DIRECTORY)
execute_process(COMMAND "${CAMTRACE_DPKG}" -S "${_libdir}/${CAMTRACE_LIBWIRESHARK_SONAME}"
    OUTPUT_VARIABLE _owner RESULT_VARIABLE _rc ERROR_QUIET)
if(_rc EQUAL 0 AND _owner MATCHES "^([a-z0-9][a-z0-9.+-]*)(:[a-z0-9-]+)?: ")
    set(_libwireshark_package "${CMAKE_MATCH_1}")
else()
    message(WARNING "CamTrace package: dpkg does not know ${_libdir}/"
        "${CAMTRACE_LIBWIRESHARK_SONAME}; assuming Debian's name, ${_libwireshark_package}")
endif()

if(NOT WIRESHARK_VERSION MATCHES "^([0-9]+)\\.([0-9]+)\\.[0-9]+")
    message(FATAL_ERROR "CamTrace package: cannot read Wireshark's version from '${WIRESHARK_VERSION}'")
endif()
set(_ws_major "${CMAKE_MATCH_1}")
set(_ws_minor "${CMAKE_MATCH_2}")
math(EXPR _next_minor "${_ws_minor} + 1")
# "~" sorts before anything: no 4.1 pre-release either.
set(CAMTRACE_PACKAGE_WIRESHARK_DEPENDS
    "${_libwireshark_package} (>= ${WIRESHARK_VERSION}), ${_libwireshark_package} (<< ${_ws_major}.${_next_minor}~)")
message(STATUS "CamTrace: package ${CAMTRACE_PACKAGE_FILE} for ${CAMTRACE_PACKAGE_WIRESHARK_DEPENDS}")

# Values are written to CPackConfig.cmake as they are here.
set(CPACK_VERBATIM_VARIABLES ON)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME camtrace)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "CamTrace")
set(CPACK_PACKAGE_CONTACT "${CAMTRACE_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Wireshark plugin: names, AS, location and scope of IP addresses")
# Wrapped as Debian wants it; CPack marks the blank line as " .".
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"CamTrace adds to every IPv4 and IPv6 packet what its addresses are: the
name the device asked for (from the DNS answers, TLS and QUIC server names
and HTTP Host headers in the capture itself, else reverse DNS), the
autonomous system and organization that own them, their country, region
and city, and whether they are public at all (private, loopback,
multicast, ...). tshark exports every flow, or who each local device talks
to, enriched the same way.

This package has the plugin for Wireshark ${_ws_major}.${_ws_minor}, the CamTrace
configuration profile, and two commands: camtrace, which enriches JSON
Lines flow logs, and camtrace-capture, which captures with dumpcap and
writes every flow, enriched, as CSV. The MaxMind databases (GeoLite2,
GeoIP2 or DB-IP) that the AS and location come from are not included.")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CAMTRACE_PACKAGE_MAINTAINER}")
if(CAMTRACE_PACKAGE_HOMEPAGE)
    set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${CAMTRACE_PACKAGE_HOMEPAGE}")
endif()
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE "${CAMTRACE_PACKAGE_ARCH}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${CAMTRACE_PACKAGE_WIRESHARK_DEPENDS}, tshark | wireshark")
# Databases from Debian's geoipupdate land in /var/lib/GeoIP, a folder
# CamTrace searches.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "geoipupdate")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
# The install rules use absolute folders (Wireshark's plugin folder is not
# under every prefix), so CPack stages through DESTDIR.
set(CPACK_SET_DESTDIR ON)
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
# Everything but the databases (component "databases", data/CMakeLists.txt).
set(CPACK_INSTALL_CMAKE_PROJECTS "${CMAKE_BINARY_DIR};CamTrace;camtrace;/")
# `make package_source` comes with CPack: the tracked files, nothing built.
set(CPACK_SOURCE_GENERATOR TXZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\.git/" "/\\.git$" "/build[^/]*/" "/results/" "\\.mmdb$" "\\.tgz$")
include(CPack)
