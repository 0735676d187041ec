# cmake -P CamTracePackageBuild.cmake: build the Debian package from a
# build configured as a package must be (CamTracePackage.cmake): system
# install, prefix /usr, no sanitizers, no tests.  Used by the `package`
# target of builds that are not configured that way, and by the
# install.package test.
#
#   -DSOURCE_DIR=  the CamTrace tree
#   -DBUILD_DIR=   the packaging build (made or reused)
#   -DOUTPUT_DIR=  where PACKAGE_FILE goes
#   -DPACKAGE_FILE= camtrace_<version>_<arch>.deb
#   -DGENERATOR= -DMAKE_PROGRAM= -DC_COMPILER= -DWERROR=  as in the caller's build
#   -DMAINTAINER= -DHOMEPAGE=  the package's fields
#   -DJOBS=        parallel jobs (default: CMAKE_BUILD_PARALLEL_LEVEL, else the cores)

foreach(var SOURCE_DIR BUILD_DIR OUTPUT_DIR PACKAGE_FILE GENERATOR C_COMPILER)
    if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
        message(FATAL_ERROR "CamTracePackageBuild: -D${var}= is needed")
    endif()
endforeach()
if(NOT DEFINED WERROR OR WERROR STREQUAL "")
    set(WERROR OFF)
endif()
if(NOT JOBS)
    if(DEFINED ENV{CMAKE_BUILD_PARALLEL_LEVEL} AND NOT "$ENV{CMAKE_BUILD_PARALLEL_LEVEL}" STREQUAL "")
        set(JOBS "$ENV{CMAKE_BUILD_PARALLEL_LEVEL}")
    else()
        cmake_host_system_information(RESULT JOBS QUERY NUMBER_OF_LOGICAL_CORES)
    endif()
endif()
# Run from make, the caller's job server is not passed on to us: the
# nested build uses its own -j instead of warning about it.
unset(ENV{MAKEFLAGS})
unset(ENV{MFLAGS})
unset(ENV{MAKELEVEL})

function(run what)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "CamTrace package: ${what} failed (${rc})")
    endif()
endfunction()

set(configure "${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${BUILD_DIR}" -G "${GENERATOR}"
    "-DCMAKE_C_COMPILER=${C_COMPILER}"
    -DCMAKE_BUILD_TYPE=RelWithDebInfo
    -DCMAKE_INSTALL_PREFIX=/usr
    -DCAMTRACE_INSTALL_SCOPE=SYSTEM
    -DCAMTRACE_SANITIZE=OFF
    "-DCAMTRACE_WERROR=${WERROR}"
    -DBUILD_TESTING=OFF)
if(MAKE_PROGRAM)
    list(APPEND configure "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
if(DEFINED MAINTAINER AND NOT MAINTAINER STREQUAL "")
    list(APPEND configure "-DCAMTRACE_PACKAGE_MAINTAINER=${MAINTAINER}")
endif()
if(DEFINED HOMEPAGE)
    list(APPEND configure "-DCAMTRACE_PACKAGE_HOMEPAGE=${HOMEPAGE}")
endif()

message(STATUS "CamTrace package: configuring ${BUILD_DIR} (SYSTEM, /usr)")
run("configuring ${BUILD_DIR}" ${configure})
run("building ${BUILD_DIR}" "${CMAKE_COMMAND}" --build "${BUILD_DIR}" --parallel "${JOBS}")
file(REMOVE "${BUILD_DIR}/${PACKAGE_FILE}")
run("cpack in ${BUILD_DIR}" "${CMAKE_COMMAND}" -E chdir "${BUILD_DIR}"
    "${CMAKE_CPACK_COMMAND}" --config "${BUILD_DIR}/CPackConfig.cmake")
if(NOT EXISTS "${BUILD_DIR}/${PACKAGE_FILE}")
    message(FATAL_ERROR "CamTrace package: cpack made no ${BUILD_DIR}/${PACKAGE_FILE}")
endif()
get_filename_component(_build "${BUILD_DIR}" ABSOLUTE)
get_filename_component(_out "${OUTPUT_DIR}" ABSOLUTE)
if(NOT _build STREQUAL _out)
    file(COPY "${BUILD_DIR}/${PACKAGE_FILE}" DESTINATION "${OUTPUT_DIR}")
endif()
message(STATUS "CamTrace package: ${OUTPUT_DIR}/${PACKAGE_FILE}")
