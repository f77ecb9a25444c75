#include "cudadevice.h"

#include <engine/cuda/cudaerror.h>

#include <algorithm>

#include <cuda_runtime_api.h>

namespace engine::cuda {

Result<CudaDeviceInfo> probeCudaDevice()
{
    int count = 0;
    // Without a driver this returns cudaErrorInsufficientDriver (not cudaErrorNoDevice): any
    // error means no usable device (TOOLCHAIN.md, "CUDA").
    const cudaError_t status = cudaGetDeviceCount(&count);
    if (status != cudaSuccess) {
        (void)cudaGetLastError(); // clear the sticky error so later calls start clean
        // cudart's words for a machine without NVIDIA's driver ("CUDA driver version is
        // insufficient for CUDA runtime version") read as "update your driver" to someone who
        // has no NVIDIA GPU at all: the two common cases in plain words, others in cudart's.
        std::string words = cudaGetErrorString(status);
        if (status == cudaErrorInsufficientDriver)
            words = "no NVIDIA driver found, or it is older than CUDA 13 needs";
        else if (status == cudaErrorNoDevice)
            words = "no NVIDIA GPU found";
        return makeError(Error::Code::Device, "no CUDA device: " + words);
    }
    if (count == 0)
        return makeError(Error::Code::Device, "no CUDA device: the driver reports none");
    CudaDeviceInfo info;
    cudaDeviceProp prop{};
    if (cudaGetDeviceProperties(&prop, 0) != cudaSuccess)
        return makeError(Error::Code::Device, "no CUDA device: cannot read device 0's properties");
    info.name = prop.name;
    info.major = prop.major;
    info.minor = prop.minor;
    info.multiprocessors = prop.multiProcessorCount;
    if (prop.major < 8)
        return makeError(Error::Code::Unsupported,
                         "CUDA device " + info.name + " has compute capability " +
                             std::to_string(prop.major) + "." + std::to_string(prop.minor) +
                             "; the engine is built for 8.0 and newer");
    size_t freeBytes = 0, totalBytes = 0;
    if (cudaSetDevice(0) != cudaSuccess || cudaMemGetInfo(&freeBytes, &totalBytes) != cudaSuccess)
        return makeError(Error::Code::Device,
                         "CUDA device " + info.name + ": cannot query free memory");
    info.freeBytes = freeBytes;
    info.totalBytes = totalBytes;
    return info;
}

Result<double> measureDeviceCopyBandwidth(size_t bytes)
{
    void *src = nullptr, *dst = nullptr;
    cudaEvent_t start = nullptr, stop = nullptr;
    auto cleanup = [&] {
        cudaFree(src);
        cudaFree(dst);
        if (start)
            cudaEventDestroy(start);
        if (stop)
            cudaEventDestroy(stop);
    };
    auto measure = [&]() -> Result<double> {
        ENGINE_CUDA_TRY(cudaMalloc(&src, bytes));
        ENGINE_CUDA_TRY(cudaMalloc(&dst, bytes));
        ENGINE_CUDA_TRY(cudaMemset(src, 1, bytes));
        ENGINE_CUDA_TRY(cudaEventCreate(&start));
        ENGINE_CUDA_TRY(cudaEventCreate(&stop));
        ENGINE_CUDA_TRY(cudaMemcpy(dst, src, bytes, cudaMemcpyDeviceToDevice)); // warm-up
        float bestMs = 1e30f;
        for (int i = 0; i < 20; ++i) {
            ENGINE_CUDA_TRY(cudaEventRecord(start));
            ENGINE_CUDA_TRY(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice));
            ENGINE_CUDA_TRY(cudaEventRecord(stop));
            ENGINE_CUDA_TRY(cudaEventSynchronize(stop));
            float ms = 0;
            ENGINE_CUDA_TRY(cudaEventElapsedTime(&ms, start, stop));
            bestMs = std::min(bestMs, ms);
        }
        return 2.0 * double(bytes) / (double(bestMs) / 1000.0);
    };
    Result<double> r = measure();
    cleanup();
    return r;
}

} // namespace engine::cuda
