#pragma once

// ENGINE_CUDA_TRY: turns a failed CUDA runtime call into an engine::Error carrying the call,
// the CUDA message and file:line (STYLE.md §4). Usable from .cpp and .cu files alike; the
// enclosing function must return an engine::Result.

#include <engine/common/result.h>

#include <cuda_runtime_api.h>

#include <string>

namespace engine::cuda::detail {

inline Error cudaFailure(cudaError_t status, const char *call, const char *file, int line)
{
    const Error::Code code =
        status == cudaErrorMemoryAllocation ? Error::Code::OutOfMemory : Error::Code::Device;
    return makeError(code, std::string(cudaGetErrorString(status)) + " (" + call + " at " + file +
                               ":" + std::to_string(line) + ")");
}

} // namespace engine::cuda::detail

#define ENGINE_CUDA_TRY(call)                                                                      \
    do {                                                                                           \
        const cudaError_t engineCudaStatus_ = (call);                                              \
        if (engineCudaStatus_ != cudaSuccess)                                                      \
            return ::engine::cuda::detail::cudaFailure(engineCudaStatus_, #call, __FILE__,         \
                                                       __LINE__);                                  \
    } while (0)

//! Checks the last kernel launch (a bad configuration shows up here, not at the <<<>>>).
#define ENGINE_CUDA_CHECK_LAUNCH() ENGINE_CUDA_TRY(cudaGetLastError())
