# Optional CUDA for the engine (STYLE.md §10): check_language(CUDA) decides the default of
# ENGINE_WITH_CUDA. Included from the root CMakeLists.txt because enable_language must run in
# the highest directory whose targets link CUDA objects (tests and the app link engine_core).
include(CheckLanguage)
check_language(CUDA)
if(CMAKE_CUDA_COMPILER)
    set(_firedeck_cuda_default ON)
else()
    set(_firedeck_cuda_default OFF)
endif()
option(ENGINE_WITH_CUDA "Build the engine's CUDA backend (needs nvcc)" ${_firedeck_cuda_default})
if(ENGINE_WITH_CUDA)
    if(NOT CMAKE_CUDA_COMPILER)
        message(FATAL_ERROR "ENGINE_WITH_CUDA is ON but no CUDA compiler was found")
    endif()
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
        # SASS for Ampere (80, 86), Ada (89) and Hopper (90), PTX only for 90 (forward
        # compatibility): one PTX instead of four keeps CI compile time down.
        set(CMAKE_CUDA_ARCHITECTURES 80-real 86-real 89-real 90)
    endif()
    enable_language(CUDA)
    # CMake 3.25 knows no nvcc flag for CUDA20 (TOOLCHAIN.md); the .cu files are C++17.
    set(CMAKE_CUDA_STANDARD 17)
    set(CMAKE_CUDA_STANDARD_REQUIRED ON)
    find_package(CUDAToolkit REQUIRED)
    if(NOT TARGET CUDA::cublas OR NOT TARGET CUDA::cudart_static)
        message(FATAL_ERROR "ENGINE_WITH_CUDA needs cuBLAS and the static CUDA runtime from the "
            "toolkit at ${CUDAToolkit_LIBRARY_DIR}; configure with -DENGINE_WITH_CUDA=OFF for a "
            "CPU-only engine")
    endif()
    message(STATUS "Engine CUDA backend: ON (nvcc ${CMAKE_CUDA_COMPILER_VERSION}, architectures ${CMAKE_CUDA_ARCHITECTURES})")
else()
    message(STATUS "Engine CUDA backend: OFF (no nvcc or ENGINE_WITH_CUDA=OFF): CPU-only engine")
endif()
