# Compiler warnings for CamTrace's own code.  CAMTRACE_WERROR (on in CI)
# turns them into errors.
option(CAMTRACE_WERROR "Treat compiler warnings as errors" OFF)

set(CAMTRACE_WARNING_FLAGS -Wall -Wextra -Wshadow -Wformat=2 -Wvla -Wstrict-prototypes
    -Wmissing-prototypes)
if(CAMTRACE_WERROR)
    list(APPEND CAMTRACE_WARNING_FLAGS -Werror)
endif()

# camtrace_target_warnings(<target>): apply the flags above to one target.
function(camtrace_target_warnings target)
    target_compile_options(${target} PRIVATE ${CAMTRACE_WARNING_FLAGS})
endfunction()

# CAMTRACE_SANITIZE builds everything with AddressSanitizer and
# UndefinedBehaviorSanitizer.  tshark itself is not instrumented, so the
# golden tests preload the sanitizer runtimes (see tests/CMakeLists.txt).
option(CAMTRACE_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(CAMTRACE_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
        -fno-omit-frame-pointer)
    add_link_options(-fsanitize=address,undefined)
endif()
