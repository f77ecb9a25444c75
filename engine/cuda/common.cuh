#pragma once

// Device helpers shared by the engine's CUDA kernels: element loads/stores for the weight
// dtypes, 16-byte vector unpacking, and warp/block reductions. Host code never includes this
// (except cudasim's C++ build of the kernels).

#include <engine/cuda/cudaerror.h>
#include <engine/cuda/kernelmath.h>

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cstdint>
#include <cstring>

#if !defined(ENGINE_CUDA_SIM)
// Launch and dynamic shared memory spelled so that the same sources also build as C++ against
// cudasim (engine/cuda/sim), which runs them on the CPU in tests.
#define ENGINE_LAUNCH(grid, block, shared, stream, ...) __VA_ARGS__<<<grid, block, shared, stream>>>
#define ENGINE_DYNAMIC_SHARED(T, name) extern __shared__ T name[]
#endif

namespace engine::cuda {

static __device__ __forceinline__ float to_f32(float v)
{
    return v;
}
static __device__ __forceinline__ float to_f32(__nv_bfloat16 v)
{
    return __bfloat162float(v);
}
static __device__ __forceinline__ float to_f32(__half v)
{
    return __half2float(v);
}

template <typename T> static __device__ __forceinline__ T from_f32(float v);
template <> __device__ __forceinline__ float from_f32<float>(float v)
{
    return v;
}
template <> __device__ __forceinline__ __nv_bfloat16 from_f32<__nv_bfloat16>(float v)
{
    return __float2bfloat16_rn(v);
}
template <> __device__ __forceinline__ __half from_f32<__half>(float v)
{
    return __float2half_rn(v);
}

//! Elements of T in one 16-byte load.
template <typename T> inline constexpr int kVec16 = 16 / static_cast<int>(sizeof(T));

//! Widens the kVec16<T> elements packed in one uint4 to fp32.
template <typename T> static __device__ __forceinline__ void unpack16(const uint4 &raw, float *out)
{
    // memcpy, not a pointer cast: reading a uint4 through T* breaks strict aliasing, and GCC
    // (cudasim's build) does miscompile that; nvcc turns this into plain register moves.
    T e[kVec16<T>];
    memcpy(e, &raw, sizeof e);
#pragma unroll
    for (int i = 0; i < kVec16<T>; ++i)
        out[i] = to_f32(e[i]);
}

//! Read-only, L1-bypassing 16-byte load for data streamed once (weights).
static __device__ __forceinline__ uint4 load_stream16(const void *p)
{
    return __ldg(reinterpret_cast<const uint4 *>(p));
}

static __device__ __forceinline__ float warp_sum(float v)
{
#pragma unroll
    for (int o = 16; o > 0; o >>= 1)
        v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

static __device__ __forceinline__ float warp_max(float v)
{
#pragma unroll
    for (int o = 16; o > 0; o >>= 1)
        v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

//! Block-wide sum; every thread gets the result. `scratch` holds 32 floats. Deterministic:
//! fixed shuffle tree, then warp totals in warp order.
static __device__ __forceinline__ float block_sum(float v, float *scratch)
{
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nWarps = (blockDim.x + 31) >> 5;
    v = warp_sum(v);
    __syncthreads(); // scratch may still be read by a previous reduction
    if (lane == 0)
        scratch[warp] = v;
    __syncthreads();
    v = lane < nWarps ? scratch[lane] : 0.0f;
    return warp_sum(v);
}

static __device__ __forceinline__ float block_max(float v, float *scratch)
{
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nWarps = (blockDim.x + 31) >> 5;
    v = warp_max(v);
    __syncthreads();
    if (lane == 0)
        scratch[warp] = v;
    __syncthreads();
    v = lane < nWarps ? scratch[lane] : -INFINITY;
    return warp_max(v);
}

} // namespace engine::cuda
