// cudasim itself (engine/cuda/sim): the execution model the cudasim-labelled tests rely on.
// Warp shuffles and barriers exchange the right values, misuse a device would hang on or leave
// undefined fails the launch with a message, graph capture records values at capture time,
// and the runtime rejects what CUDA rejects.

#include <engine/cuda/common.cuh>

#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <vector>

namespace {

template <typename T> T *deviceAlloc(std::size_t n)
{
    void *p = nullptr;
    EXPECT_EQ(cudaMalloc(&p, n * sizeof(T)), cudaSuccess);
    return static_cast<T *>(p);
}

__global__ void warpSums(const float *in, float *out)
{
    const float v = in[threadIdx.x];
    const float total = engine::cuda::warp_sum(v);
    const float prefix = __shfl_up_sync(0xffffffffu, v, 1); // lane 0 keeps its own value
    out[2 * threadIdx.x] = total;
    out[2 * threadIdx.x + 1] = prefix;
}

__global__ void rotateThroughShared(const int *in, int *out)
{
    __shared__ int tile[256];
    tile[threadIdx.x] = in[blockIdx.x * blockDim.x + threadIdx.x];
    __syncthreads();
    out[blockIdx.x * blockDim.x + threadIdx.x] = tile[(threadIdx.x + 1) % blockDim.x];
}

__global__ void shuffleAfterSomeLanesExit(float *out)
{
    if (threadIdx.x % 2 == 1)
        return;
    out[threadIdx.x] = __shfl_xor_sync(0xffffffffu, 1.0f, 2);
}

__global__ void barrierInsideAWarpBranch(float *out)
{
    if (threadIdx.x < 16)
        __syncthreads();
    else
        out[threadIdx.x] = __shfl_xor_sync(0xffffffffu, 1.0f, 1);
}

__global__ void storeValue(int *out, int value)
{
    *out = value;
}

__global__ void copyOne(const int *from, int *to)
{
    *to = *from;
}

TEST(CudaSim, warpShuffles_exchangeLaneValues)
{
    std::vector<float> in(32);
    for (int i = 0; i < 32; ++i)
        in[std::size_t(i)] = float(i + 1);
    float *din = deviceAlloc<float>(32), *dout = deviceAlloc<float>(64);
    ASSERT_EQ(cudaMemcpy(din, in.data(), 32 * 4, cudaMemcpyHostToDevice), cudaSuccess);
    ENGINE_LAUNCH(1, 32, 0, nullptr, warpSums)(din, dout);
    ASSERT_EQ(cudaGetLastError(), cudaSuccess);
    std::vector<float> out(64);
    ASSERT_EQ(cudaMemcpy(out.data(), dout, 64 * 4, cudaMemcpyDeviceToHost), cudaSuccess);
    for (int i = 0; i < 32; ++i) {
        EXPECT_EQ(out[std::size_t(2 * i)], 528.0f) << "lane " << i; // 1 + ... + 32
        EXPECT_EQ(out[std::size_t(2 * i + 1)], float(i == 0 ? 1 : i)) << "lane " << i;
    }
    cudaFree(din);
    cudaFree(dout);
}

TEST(CudaSim, syncthreads_ordersSharedMemoryWithinEachBlock)
{
    const int blocks = 3, threads = 256;
    std::vector<int> in(blocks * threads);
    for (std::size_t i = 0; i < in.size(); ++i)
        in[i] = int(i) * 7;
    int *din = deviceAlloc<int>(in.size()), *dout = deviceAlloc<int>(in.size());
    ASSERT_EQ(cudaMemcpy(din, in.data(), in.size() * 4, cudaMemcpyHostToDevice), cudaSuccess);
    ENGINE_LAUNCH(blocks, threads, 0, nullptr, rotateThroughShared)(din, dout);
    std::vector<int> out(in.size());
    ASSERT_EQ(cudaMemcpy(out.data(), dout, out.size() * 4, cudaMemcpyDeviceToHost), cudaSuccess);
    for (int b = 0; b < blocks; ++b)
        for (int t = 0; t < threads; ++t)
            ASSERT_EQ(out[std::size_t(b * threads + t)],
                      in[std::size_t(b * threads + (t + 1) % threads)]);
    cudaFree(din);
    cudaFree(dout);
}

// A failed kernel poisons the context for good, as on a device, so each misuse runs in a
// child process (death test) and reports through its exit code and stderr.
TEST(CudaSimDeathTest, shuffleNamingAnExitedLane_failsTheLaunch)
{
    EXPECT_EXIT(
        {
            float *out = deviceAlloc<float>(32);
            ENGINE_LAUNCH(1, 32, 0, nullptr, shuffleAfterSomeLanesExit)(out);
            std::exit(cudaDeviceSynchronize() == cudaErrorLaunchFailure ? 0 : 1);
        },
        testing::ExitedWithCode(0), "shuffleAfterSomeLanesExit.*lane 1 of its mask has exited");
}

TEST(CudaSimDeathTest, barrierAndShuffleInOneWarp_failsTheLaunch)
{
    EXPECT_EXIT(
        {
            float *out = deviceAlloc<float>(32);
            ENGINE_LAUNCH(1, 32, 0, nullptr, barrierInsideAWarpBranch)(out);
            std::exit(cudaMemcpy(out, out, 4, cudaMemcpyDeviceToDevice) == cudaErrorLaunchFailure
                          ? 0
                          : 1);
        },
        testing::ExitedWithCode(0), "waits at __syncthreads");
}

TEST(CudaSim, launchLimits_areTheDevicesLimits)
{
    float *out = deviceAlloc<float>(32);
    ENGINE_LAUNCH(1, 2048, 0, nullptr, shuffleAfterSomeLanesExit)(out);
    EXPECT_EQ(cudaGetLastError(), cudaErrorInvalidConfiguration);
    ENGINE_LAUNCH(0, 32, 0, nullptr, shuffleAfterSomeLanesExit)(out);
    EXPECT_EQ(cudaGetLastError(), cudaErrorInvalidConfiguration);
    ENGINE_LAUNCH(1, 32, 64 * 1024, nullptr, shuffleAfterSomeLanesExit)(out);
    EXPECT_EQ(cudaGetLastError(), cudaErrorInvalidValue);
    EXPECT_EQ(cudaGetLastError(), cudaSuccess); // reading the error clears it
    cudaFree(out);
}

TEST(CudaSim, graphReplay_usesCapturedArgumentsAndCurrentMemory)
{
    cudaStream_t stream = nullptr;
    ASSERT_EQ(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), cudaSuccess);
    int *d = deviceAlloc<int>(2);
    int *pinned = nullptr;
    ASSERT_EQ(cudaMallocHost(reinterpret_cast<void **>(&pinned), 2 * sizeof(int)), cudaSuccess);
    int value = 5;
    ASSERT_EQ(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal), cudaSuccess);
    ENGINE_LAUNCH(1, 1, 0, stream, storeValue)(d, value); // 5 is baked in
    ASSERT_EQ(cudaMemcpyAsync(d + 1, pinned, 4, cudaMemcpyHostToDevice, stream), cudaSuccess);
    ENGINE_LAUNCH(1, 1, 0, stream, copyOne)(d + 1, d + 1);
    // Nothing ran while capturing.
    EXPECT_EQ(cudaMemcpy(pinned + 1, d, 4, cudaMemcpyDeviceToHost),
              cudaErrorStreamCaptureUnsupported);
    cudaGraph_t graph = nullptr;
    EXPECT_EQ(cudaStreamEndCapture(stream, &graph), cudaErrorStreamCaptureInvalidated);
    EXPECT_EQ(graph, nullptr);
    (void)cudaGetLastError();

    ASSERT_EQ(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal), cudaSuccess);
    ENGINE_LAUNCH(1, 1, 0, stream, storeValue)(d, value);
    ASSERT_EQ(cudaMemcpyAsync(d + 1, pinned, 4, cudaMemcpyHostToDevice, stream), cudaSuccess);
    ASSERT_EQ(cudaStreamEndCapture(stream, &graph), cudaSuccess);
    cudaGraphExec_t exec = nullptr;
    ASSERT_EQ(cudaGraphInstantiate(&exec, graph, 0), cudaSuccess);
    value = 9;
    pinned[0] = 42;
    ASSERT_EQ(cudaGraphLaunch(exec, stream), cudaSuccess);
    ASSERT_EQ(cudaStreamSynchronize(stream), cudaSuccess);
    int out[2] = {};
    ASSERT_EQ(cudaMemcpy(out, d, sizeof out, cudaMemcpyDeviceToHost), cudaSuccess);
    EXPECT_EQ(out[0], 5);  // the argument as captured, not the variable's new value
    EXPECT_EQ(out[1], 42); // the copy reads the pinned buffer when the graph runs
    cudaGraphExecDestroy(exec);
    cudaGraphDestroy(graph);
    cudaFreeHost(pinned);
    cudaFree(d);
    cudaStreamDestroy(stream);
}

TEST(CudaSim, memory_isBoundedUncleanAndChecked)
{
    size_t freeBytes = 0, totalBytes = 0;
    ASSERT_EQ(cudaMemGetInfo(&freeBytes, &totalBytes), cudaSuccess);
    void *huge = nullptr;
    EXPECT_EQ(cudaMalloc(&huge, totalBytes + 1), cudaErrorMemoryAllocation);
    EXPECT_EQ(cudaGetLastError(), cudaErrorMemoryAllocation);
    float *d = deviceAlloc<float>(4);
    float host[4] = {};
    ASSERT_EQ(cudaMemcpy(host, d, sizeof host, cudaMemcpyDeviceToHost), cudaSuccess);
    EXPECT_TRUE(std::isnan(host[0])) << "fresh device memory should read as garbage (NaN)";
    // Past the end of the allocation: the copy is refused instead of corrupting the heap.
    EXPECT_EQ(cudaMemcpy(d, host, 64 * sizeof(float), cudaMemcpyHostToDevice),
              cudaErrorInvalidValue);
    EXPECT_EQ(cudaFree(host), cudaErrorInvalidDevicePointer);
    (void)cudaGetLastError();
    cudaFree(d);
}

TEST(CudaSim, cublasGemmEx_followsColumnMajorConventions)
{
    // C[m=3, n=2] = A^T B with A stored [k=4, m=3] (lda 4) and B [k=4, n=2] (ldb 4), like the
    // engine's W·x for row-major W.
    const int m = 3, n = 2, k = 4;
    std::vector<float> a(std::size_t(k * m)), b(std::size_t(k * n)), c(std::size_t(m * n), 1.0f);
    for (std::size_t i = 0; i < a.size(); ++i)
        a[i] = float(i) * 0.5f - 2.0f;
    for (std::size_t i = 0; i < b.size(); ++i)
        b[i] = float(i % 3) - 1.0f;
    float *da = deviceAlloc<float>(a.size()), *db = deviceAlloc<float>(b.size()),
          *dc = deviceAlloc<float>(c.size());
    cudaMemcpy(da, a.data(), a.size() * 4, cudaMemcpyHostToDevice);
    cudaMemcpy(db, b.data(), b.size() * 4, cudaMemcpyHostToDevice);
    cudaMemcpy(dc, c.data(), c.size() * 4, cudaMemcpyHostToDevice);
    cublasHandle_t h = nullptr;
    ASSERT_EQ(cublasCreate(&h), CUBLAS_STATUS_SUCCESS);
    const float alpha = 2.0f, beta = 1.0f;
    ASSERT_EQ(cublasGemmEx(h, CUBLAS_OP_T, CUBLAS_OP_N, m, n, k, &alpha, da, CUDA_R_32F, k, db,
                           CUDA_R_32F, k, &beta, dc, CUDA_R_32F, m, CUBLAS_COMPUTE_32F,
                           CUBLAS_GEMM_DEFAULT),
              CUBLAS_STATUS_SUCCESS);
    std::vector<float> got(c.size());
    cudaMemcpy(got.data(), dc, got.size() * 4, cudaMemcpyDeviceToHost);
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < m; ++i) {
            float want = 1.0f;
            for (int l = 0; l < k; ++l)
                want += alpha * a[std::size_t(l + i * k)] * b[std::size_t(l + j * k)];
            EXPECT_FLOAT_EQ(got[std::size_t(i + j * m)], want) << i << "," << j;
        }
    EXPECT_EQ(cublasGemmEx(h, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &alpha, da, CUDA_R_32F, 1, db,
                           CUDA_R_32F, k, &beta, dc, CUDA_R_32F, m, CUBLAS_COMPUTE_32F,
                           CUBLAS_GEMM_DEFAULT),
              CUBLAS_STATUS_INVALID_VALUE); // lda < m
    cublasDestroy(h);
    cudaFree(da);
    cudaFree(db);
    cudaFree(dc);
}

} // namespace
