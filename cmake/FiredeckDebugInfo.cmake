# Keeps RelWithDebInfo builds small. Each of the ~120 test executables statically links the same
# libraries; with the debug info inside each, a build took ~20 GB (~220 MB of DWARF per UI test
# executable) and filled a CI machine's disk.
#  - -gsplit-dwarf: the DWARF stays in .dwo files beside the objects; the executables keep the
#    line tables and a skeleton (gdb reads both; binutils' addr2line does not follow .dwo).
#  - the link compresses the debug sections that remain (GCC 12 always adds ~100 MB of
#    .debug_gnu_pubnames/pubtypes to split builds): a UI test executable is ~24 MB, not 234 MB.
# Sanitizer and fuzz builds keep everything inline and uncompressed: clang 14's symbolizer
# reads neither .dwo files nor zstd sections.
include(CheckLinkerFlag)
if(NOT _firedeck_sanitizers AND CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    add_compile_options($<$<COMPILE_LANGUAGE:C,CXX>:-gsplit-dwarf>)
    check_linker_flag(CXX "LINKER:--compress-debug-sections=zstd" FIREDECK_LINKER_HAS_ZSTD)
    if(FIREDECK_LINKER_HAS_ZSTD)
        add_link_options("LINKER:--compress-debug-sections=zstd")
    endif()
endif()
