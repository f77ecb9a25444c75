# Sanitizer and fuzzing builds. Both instrument every C/C++ target of the build folder, so use
# them in a folder of their own (scripts/sanitize: build-sanitize, scripts/fuzz: build-fuzz).
#
#   -DFIREDECK_SANITIZE=address,undefined   the whole tree with these sanitizers (gcc or clang);
#                                           UBSan findings abort, so a ctest run fails on them.
#   -DFIREDECK_FUZZ=ON                      clang only: the libFuzzer targets in fuzz/ with ASan
#                                           and UBSan; libraries get coverage instrumentation.
# CUDA sources are left alone (nvcc has no such flags).
set(FIREDECK_SANITIZE "" CACHE STRING "Sanitizers for every C/C++ target, e.g. address,undefined")
option(FIREDECK_FUZZ "Build the libFuzzer targets in fuzz/ (clang only)" OFF)

set(_firedeck_sanitizers "${FIREDECK_SANITIZE}")
if(FIREDECK_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
        message(FATAL_ERROR "FIREDECK_FUZZ needs clang (CC=clang CXX=clang++); scripts/fuzz does this")
    endif()
    if(NOT _firedeck_sanitizers)
        set(_firedeck_sanitizers "address,undefined")
    endif()
    # Coverage for libFuzzer in every library; only the fuzz_* executables link libFuzzer.
    add_compile_options($<$<COMPILE_LANGUAGE:C,CXX>:-fsanitize=fuzzer-no-link>)
endif()
if(_firedeck_sanitizers)
    add_compile_options(
        $<$<COMPILE_LANGUAGE:C,CXX>:-fsanitize=${_firedeck_sanitizers}>
        $<$<COMPILE_LANGUAGE:C,CXX>:-fno-omit-frame-pointer>
        $<$<COMPILE_LANGUAGE:C,CXX>:-fno-sanitize-recover=undefined>)
    add_link_options(-fsanitize=${_firedeck_sanitizers})
endif()
