# One helper per kind of test, so every test gets the same flags, labels and environment.
#
#   firedeck_add_qt_test(<layer> <unit> SOURCES ... LIBS ... [LABELS ...] [TIMEOUT s])
#       Qt Test executable tst_<unit>, CTest name <layer>.<unit>, label <layer>,
#       QT_QPA_PLATFORM=offscreen.
#   firedeck_add_gtest(<layer> <unit> SOURCES ... LIBS ... [LABELS ...] [TIMEOUT s])
#       GoogleTest executable, same naming; no Qt.
set(FIREDECK_TEST_DATA_DIR ${CMAKE_SOURCE_DIR}/tests/data)
set(FIREDECK_SHARED_DIR ${CMAKE_SOURCE_DIR}/../shared)

function(_firedeck_test_common name layer)
    cmake_parse_arguments(T "" "TIMEOUT" "LABELS" ${ARGN})
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 300)
    endif()
    # Sanitized code runs several times slower (ASan's allocator maps and poisons every large
    # buffer), so a sanitizer build (scripts/sanitize) gives each test five times as long.
    if(FIREDECK_SANITIZE OR FIREDECK_FUZZ)
        math(EXPR T_TIMEOUT "${T_TIMEOUT} * 5")
    endif()
    set_tests_properties(${name} PROPERTIES
        LABELS "${layer};${T_LABELS}"
        TIMEOUT ${T_TIMEOUT}
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;FIREDECK_TEST_DATA=${FIREDECK_TEST_DATA_DIR};QT_LOGGING_RULES=*.debug=false")
endfunction()

function(firedeck_add_qt_test layer unit)
    cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    set(exe tst_${layer}_${unit})
    add_executable(${exe} ${T_SOURCES})
    target_link_libraries(${exe} PRIVATE Qt6::Test ${T_LIBS})
    target_compile_definitions(${exe} PRIVATE
        FIREDECK_TEST_DATA_DIR="${FIREDECK_TEST_DATA_DIR}"
        FIREDECK_SHARED_DIR="${FIREDECK_SHARED_DIR}")
    target_include_directories(${exe} PRIVATE ${CMAKE_SOURCE_DIR}/tests)
    firedeck_set_warnings(${exe})
    # A Qt test's own code only drives the libraries, which keep the build's optimisation:
    # compiled at -O0 it builds 1.4-4.2 s faster per file (-O2: 6.0-9.6 s), which is what a
    # cold CI build spends most of its time on. The engine's GoogleTest suites keep -O2: some
    # compute references in the test itself.
    if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
        target_compile_options(${exe} PRIVATE -O0)
    endif()
    add_test(NAME ${layer}.${unit} COMMAND ${exe})
    _firedeck_test_common(${layer}.${unit} ${layer} LABELS ${T_LABELS} TIMEOUT ${T_TIMEOUT})
endfunction()

function(firedeck_add_gtest layer unit)
    cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    set(exe tst_${layer}_${unit})
    add_executable(${exe} ${T_SOURCES})
    set_target_properties(${exe} PROPERTIES AUTOMOC OFF)
    target_link_libraries(${exe} PRIVATE GTest::gtest GTest::gtest_main ${T_LIBS})
    target_compile_definitions(${exe} PRIVATE
        FIREDECK_TEST_DATA_DIR="${FIREDECK_TEST_DATA_DIR}"
        FIREDECK_SHARED_DIR="${FIREDECK_SHARED_DIR}")
    target_include_directories(${exe} PRIVATE ${CMAKE_SOURCE_DIR}/tests)
    firedeck_set_warnings(${exe})
    add_test(NAME ${layer}.${unit} COMMAND ${exe})
    _firedeck_test_common(${layer}.${unit} ${layer} LABELS ${T_LABELS} TIMEOUT ${T_TIMEOUT})
endfunction()
