#pragma once

// Helpers for the gpu-labelled tests: device detection and RAII device buffers.

#include <engine/cuda/cudadevice.h>

#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include <vector>

namespace enginetest {

//! True when a CUDA device is usable; the tests GTEST_SKIP() otherwise.
inline bool cudaDeviceAvailable()
{
    static const bool available = bool(engine::cuda::probeCudaDevice());
    return available;
}

#define SKIP_WITHOUT_CUDA_DEVICE()                                                                 \
    do {                                                                                           \
        if (!enginetest::cudaDeviceAvailable())                                                    \
            GTEST_SKIP() << engine::cuda::probeCudaDevice().error().message;                       \
    } while (0)

template <typename T> class DeviceBuffer
{
public:
    explicit DeviceBuffer(std::size_t count) : m_count(count)
    {
        EXPECT_EQ(cudaMalloc(reinterpret_cast<void **>(&m_ptr), count * sizeof(T) + 16),
                  cudaSuccess);
    }
    explicit DeviceBuffer(const std::vector<T> &host) : DeviceBuffer(host.size()) { upload(host); }
    ~DeviceBuffer() { cudaFree(m_ptr); }
    DeviceBuffer(const DeviceBuffer &) = delete;
    DeviceBuffer &operator=(const DeviceBuffer &) = delete;
    T *get() const { return m_ptr; }
    void upload(const std::vector<T> &host)
    {
        EXPECT_EQ(cudaMemcpy(m_ptr, host.data(), host.size() * sizeof(T), cudaMemcpyHostToDevice),
                  cudaSuccess);
    }
    std::vector<T> download() const
    {
        std::vector<T> host(m_count);
        EXPECT_EQ(cudaDeviceSynchronize(), cudaSuccess);
        EXPECT_EQ(cudaMemcpy(host.data(), m_ptr, m_count * sizeof(T), cudaMemcpyDeviceToHost),
                  cudaSuccess);
        return host;
    }

private:
    T *m_ptr = nullptr;
    std::size_t m_count = 0;
};

} // namespace enginetest
