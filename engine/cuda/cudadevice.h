#pragma once

// Whether a usable CUDA device is present, and how much room it has. Safe to call on a machine
// without a driver: cudart is linked statically and any error reads as "no CUDA device".

#include <engine/common/result.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace engine::cuda {

//! The device CudaBackend would run on (device 0).
struct CudaDeviceInfo
{
    int index = 0;
    std::string name;
    int major = 0, minor = 0; //!< compute capability
    int multiprocessors = 0;
    uint64_t freeBytes = 0, totalBytes = 0;
};

//! Device 0, or an error whose message says why there is none (for the fallback reason).
Result<CudaDeviceInfo> probeCudaDevice();

//! Device-to-device copy bandwidth of a `bytes` buffer on device 0, in bytes per second,
//! counting read + write (as CUDA's bandwidthTest does); best of 20 copies after a warm-up.
//! Allocates and frees its buffers (bench use only, never on the token path).
Result<double> measureDeviceCopyBandwidth(size_t bytes);

} // namespace engine::cuda
