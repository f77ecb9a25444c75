# Debug info goes into .dwo files beside the objects (-gsplit-dwarf) instead of into every
# executable. Each of the ~120 test executables statically links the same libraries, so with
# the debug info inside them a RelWithDebInfo build took ~20 GB (~220 MB of DWARF per test
# executable) and filled a CI machine's disk; split, the executables keep only the line tables'
# skeletons and gdb still finds everything through the .dwo files. Sanitizer and fuzz builds
# keep it inline, so their symbolizers need nothing beside the binary.
if(NOT _firedeck_sanitizers AND CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    add_compile_options($<$<COMPILE_LANGUAGE:C,CXX>:-gsplit-dwarf>)
endif()
