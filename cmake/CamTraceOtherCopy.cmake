# CamTraceOtherCopy.cmake - run by `cmake --install` once the plugin is
# installed: when another camtrace.so is installed in the other scope's
# plugin folder for this Wireshark major.minor, say which copy Wireshark
# will load and the command that removes the other.
#
# Wireshark scans its global plugin folder first and then, unless it runs
# as root, the personal one (~/.local/lib/wireshark/plugins/X.Y/epan); a
# plugin found again in the personal folder is not loaded, and every run
# warns "The plugin 'camtrace.so' was found in multiple directories".  So
# the global copy always wins.
#
# Input variables:
#   CT_SCOPE            USER or SYSTEM, the scope just installed
#   CT_INSTALLED        the camtrace.so just installed
#   CT_GLOBAL_DIR       Wireshark's global plugin folder (.../X.Y/epan)
#   CT_PERSONAL_SUBDIR  the personal plugin folder, relative to a home
#   CT_HOMES            (optional) home folders whose personal folders a
#                       SYSTEM install looks in; default: $HOME, /root and
#                       every /home/*
# It can also run on its own (cmake -DCT_SCOPE=... -P CamTraceOtherCopy.cmake).

cmake_policy(VERSION 3.18)

foreach(_v CT_SCOPE CT_INSTALLED CT_GLOBAL_DIR CT_PERSONAL_SUBDIR)
    if(NOT DEFINED ${_v})
        message(FATAL_ERROR "CamTraceOtherCopy.cmake needs ${_v}")
    endif()
endforeach()

# A staged install (DESTDIR, packaging) is not where Wireshark looks.
if(NOT "$ENV{DESTDIR}" STREQUAL "")
    return()
endif()

execute_process(COMMAND id -u OUTPUT_VARIABLE _ct_uid OUTPUT_STRIP_TRAILING_WHITESPACE)
set(_ct_sudo "sudo ")
if(_ct_uid STREQUAL "0")
    set(_ct_sudo "")
endif()
set(_ct_warning "and every tshark and Wireshark run warns \"The plugin 'camtrace.so' was found in multiple directories\"")

if(CT_SCOPE STREQUAL "USER")
    set(_ct_other "${CT_GLOBAL_DIR}/camtrace.so")
    if(EXISTS "${_ct_other}" AND NOT _ct_other STREQUAL CT_INSTALLED)
        if(_ct_uid STREQUAL "0")
            set(_ct_why "Wireshark run as root loads only the global folder")
        else()
            set(_ct_why "the global folder comes first, ${_ct_warning}")
        endif()
        message(NOTICE "camtrace: install: another camtrace.so is installed system-wide: ${_ct_other}
  Wireshark loads that copy, not the one just installed (${CT_INSTALLED}):
  ${_ct_why}.
  To load the one just installed, remove the system-wide copy:
      ${_ct_sudo}rm ${_ct_other}
  (or keep it and remove the personal one: rm ${CT_INSTALLED})")
    endif()
elseif(CT_SCOPE STREQUAL "SYSTEM")
    if(NOT DEFINED CT_HOMES)
        file(GLOB CT_HOMES LIST_DIRECTORIES true "/home/*")
        list(PREPEND CT_HOMES "$ENV{HOME}" "/root")
    endif()
    set(_ct_found "")
    foreach(_home IN LISTS CT_HOMES)
        if(_home STREQUAL "")
            continue()
        endif()
        set(_ct_other "${_home}/${CT_PERSONAL_SUBDIR}/camtrace.so")
        get_filename_component(_ct_real "${_ct_other}" REALPATH)
        if(EXISTS "${_ct_other}" AND NOT _ct_real IN_LIST _ct_found)
            list(APPEND _ct_found "${_ct_real}")
            message(NOTICE "camtrace: install: another camtrace.so is installed in a personal plugin folder: ${_ct_other}
  Wireshark loads the one just installed (${CT_INSTALLED}): the global folder comes
  first, so the personal copy is never loaded, ${_ct_warning}.
  Remove the personal copy:
      rm ${_ct_other}")
        endif()
    endforeach()
else()
    message(FATAL_ERROR "CamTraceOtherCopy.cmake: CT_SCOPE must be USER or SYSTEM, not ${CT_SCOPE}")
endif()
