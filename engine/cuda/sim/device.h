#pragma once

// cudasim: what device code sees. Kernels compile as ordinary C++ functions; a launch runs
// every block of the grid, one after another, and the threads of a block on fibers (see
// blockscheduler.h) that switch only at __syncthreads and warp shuffles, so shared memory,
// barriers and shuffles behave as on a device and their misuse is caught.

#include <engine/cuda/sim/halftypes.h>
#include <engine/cuda/sim/runtime.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __align__(n) __attribute__((aligned(n)))
// Fibers of one block run on one OS thread and blocks run one at a time, so a function-local
// static per OS thread is exactly one block's shared memory.
#define __shared__ static thread_local

namespace cudasim {

//! What one CUDA thread knows about itself; the fiber scheduler keeps it current.
struct ThreadContext
{
    dim3 threadIndex, blockIndex, blockSize, gridSize;
};
const ThreadContext &thread();

void syncthreads();
//! Exchanges `bytes` of `value` across the lanes in `mask`: lane L receives the value of lane
//! sourceLane(L) (its own value when sourceLane is out of range, as __shfl_up_sync does).
void warpExchange(unsigned mask, const void *value, void *result, std::size_t bytes,
                  int (*sourceLane)(int lane, int arg), int arg);
//! The block's dynamic shared memory (the launch's third parameter).
void *dynamicShared();
//! Fails the running launch with `reason` (device code breaking a rule a GPU would fault on);
//! the calling thread does not continue.
[[noreturn]] void failLaunch(const std::string &reason);

struct LaunchConfig
{
    dim3 grid, block;
    std::size_t sharedBytes;
    cudaStream_t stream;
    const char *kernelName;
};
//! Checks the configuration like a device would and runs (or records) the grid.
void launch(const LaunchConfig &config, std::function<void()> threadBody);

template <typename... Params> struct KernelLaunch
{
    LaunchConfig config;
    void (*kernel)(Params...);
    template <typename... Args> void operator()(Args &&...args) const
    {
        // Arguments are converted to the parameter types and copied now, as a launch (and a
        // graph capture) does: later changes to the caller's variables do not reach the kernel.
        std::tuple<std::decay_t<Params>...> values(std::forward<Args>(args)...);
        launch(config, [k = kernel, values]() { std::apply(k, values); });
    }
};

template <typename... Params>
KernelLaunch<Params...> makeLaunch(dim3 grid, dim3 block, std::size_t sharedBytes,
                                   cudaStream_t stream, const char *name, void (*kernel)(Params...))
{
    return {{grid, block, sharedBytes, stream, name}, kernel};
}

inline int xorLane(int lane, int mask)
{
    return lane ^ mask;
}
inline int upLane(int lane, int delta)
{
    return lane - delta;
}

template <typename T> T shuffle(unsigned mask, T v, int (*source)(int, int), int arg)
{
    static_assert(std::is_trivially_copyable_v<T> && sizeof(T) <= 8);
    T out;
    warpExchange(mask, &v, &out, sizeof(T), source, arg);
    return out;
}

} // namespace cudasim

#define threadIdx (::cudasim::thread().threadIndex)
#define blockIdx (::cudasim::thread().blockIndex)
#define blockDim (::cudasim::thread().blockSize)
#define gridDim (::cudasim::thread().gridSize)

// CUDA's global min/max for mixed integer and float arguments.
template <typename A, typename B> std::common_type_t<A, B> min(A a, B b)
{
    return b < a ? b : a;
}
template <typename A, typename B> std::common_type_t<A, B> max(A a, B b)
{
    return a < b ? b : a;
}

inline void __syncthreads()
{
    ::cudasim::syncthreads();
}

//! Converges the lanes in `mask` (a shuffle that exchanges nothing).
inline void __syncwarp(unsigned mask = 0xffffffffu)
{
    const int token = 0;
    int out = 0;
    ::cudasim::warpExchange(mask, &token, &out, sizeof token, ::cudasim::xorLane, 0);
}

template <typename T> T __shfl_xor_sync(unsigned mask, T v, int laneMask, int = 32)
{
    return ::cudasim::shuffle(mask, v, ::cudasim::xorLane, laneMask);
}
template <typename T> T __shfl_up_sync(unsigned mask, T v, unsigned delta, int = 32)
{
    return ::cudasim::shuffle(mask, v, ::cudasim::upLane, int(delta));
}

// Fibers never interleave between two sync points, so a read-modify-write is atomic.
template <typename T> T atomicAdd(T *address, T value)
{
    const T old = *address;
    *address = old + value;
    return old;
}

template <typename T> T __ldg(const T *p)
{
    return *p;
}

inline unsigned int __float_as_uint(float f)
{
    return std::bit_cast<unsigned int>(f);
}
inline float rsqrtf(float x)
{
    return 1.0f / std::sqrt(x);
}

//! `kernel<<<grid, block, shared, stream>>>(args)` written so that it also compiles as C++.
#define ENGINE_LAUNCH(grid, block, shared, stream, ...)                                            \
    ::cudasim::makeLaunch(grid, block, shared, stream, #__VA_ARGS__, __VA_ARGS__)
//! `extern __shared__ T name[]`: the launch's dynamic shared memory.
#define ENGINE_DYNAMIC_SHARED(T, name) T *const name = static_cast<T *>(::cudasim::dynamicShared())
