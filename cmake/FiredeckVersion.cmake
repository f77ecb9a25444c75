# One version for every executable and the About dialog: project(VERSION …) in the root
# CMakeLists.txt, written into the generated header <firedeck/version.h> (target
# firedeck_version). configure_file rewrites the header only when its text changes, so a
# reconfigure does not rebuild what includes it.
# The reverse-DNS application ID: the desktop file's and the AppStream component's name, the
# icon's name in the hicolor theme, and the app's QGuiApplication::desktopFileName().
set(FIREDECK_APP_ID io.github.firedeck.Firedeck CACHE STRING "Reverse-DNS application ID")
if(ENGINE_WITH_CUDA)
    set(FIREDECK_ENGINE_CUDA 1)
else()
    set(FIREDECK_ENGINE_CUDA 0)
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/version.h.in
    ${CMAKE_BINARY_DIR}/generated/firedeck/version.h @ONLY)
add_library(firedeck_version INTERFACE)
target_include_directories(firedeck_version INTERFACE ${CMAKE_BINARY_DIR}/generated)
