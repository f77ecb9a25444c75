// Element-wise ops of the forward pass: embedding gather, SwiGLU, bias add (Qwen2 q/k/v in
// prefill; decode fuses the bias into gemv) and the fp32 → bf16/f16 conversion feeding the
// cuBLAS prefill GEMMs.
//   embed: table [vocab][cols] bf16/f16/f32, tokens [count] int32 (device), out [count][cols]
//     fp32. CPU reference: convertToF32 of the row (engine/model/model.h).
//   swiglu: gu [tokens][2·inter] fp32 → out [tokens][inter] fp32, kmath::silu_mul (shared with
//     engine::cpu::ref::swiglu).
//   addBias / convertFromF32: trivial; checked through the prefill end-to-end comparison.
// Grid-stride loops with one element per thread per step: these ops move a few MB at most
// per token, so they are launch-bound, not bandwidth-bound. sm_80+.

#include "elementwise.cuh"

#include "common.cuh"

namespace engine::cuda {

namespace {
constexpr int kThreads = 256;
unsigned blocksFor(int64_t n)
{
    const int64_t b = (n + kThreads - 1) / kThreads;
    return static_cast<unsigned>(b < 65535 * 8 ? b : 65535 * 8);
}
} // namespace

template <typename T>
static __global__ void embed_kernel(const T *__restrict__ table, int64_t cols,
                                    const int32_t *__restrict__ tokens, int64_t count,
                                    float *__restrict__ out)
{
    const int64_t n = count * cols;
    for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n;
         i += int64_t(gridDim.x) * blockDim.x) {
        const int64_t t = i / cols, c = i - t * cols;
        out[i] = to_f32(table[int64_t(tokens[t]) * cols + c]);
    }
}

Result<void> embed(WeightType type, const void *table, int64_t cols, const int32_t *tokens,
                   int64_t count, float *out, cudaStream_t stream)
{
    const unsigned blocks = blocksFor(count * cols);
    switch (type) {
    case WeightType::BF16:
        ENGINE_LAUNCH(blocks, kThreads, 0, stream, embed_kernel<__nv_bfloat16>)
        (static_cast<const __nv_bfloat16 *>(table), cols, tokens, count, out);
        break;
    case WeightType::F16:
        ENGINE_LAUNCH(blocks, kThreads, 0, stream, embed_kernel<__half>)
        (static_cast<const __half *>(table), cols, tokens, count, out);
        break;
    case WeightType::F32:
        ENGINE_LAUNCH(blocks, kThreads, 0, stream, embed_kernel<float>)
        (static_cast<const float *>(table), cols, tokens, count, out);
        break;
    }
    ENGINE_CUDA_CHECK_LAUNCH();
    return {};
}

static __global__ void swiglu_kernel(const float *__restrict__ gu, int64_t tokens, int64_t inter,
                                     float *__restrict__ out)
{
    const int64_t n = tokens * inter;
    for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n;
         i += int64_t(gridDim.x) * blockDim.x) {
        const int64_t t = i / inter, c = i - t * inter;
        const float *row = gu + t * 2 * inter;
        out[i] = kmath::silu_mul(row[c], row[inter + c]);
    }
}

Result<void> swiglu(const float *gu, int64_t tokens, int64_t inter, float *out, cudaStream_t stream)
{
    ENGINE_LAUNCH(blocksFor(tokens * inter), kThreads, 0, stream, swiglu_kernel)
    (gu, tokens, inter, out);
    ENGINE_CUDA_CHECK_LAUNCH();
    return {};
}

static __global__ void add_bias_kernel(float *x, const float *__restrict__ bias, int64_t tokens,
                                       int64_t n, int64_t rowStride)
{
    const int64_t total = tokens * n;
    for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < total;
         i += int64_t(gridDim.x) * blockDim.x) {
        const int64_t t = i / n, c = i - t * n;
        x[t * rowStride + c] += bias[c];
    }
}

Result<void> addBias(float *x, const float *bias, int64_t tokens, int64_t n, int64_t rowStride,
                     cudaStream_t stream)
{
    ENGINE_LAUNCH(blocksFor(tokens * n), kThreads, 0, stream, add_bias_kernel)
    (x, bias, tokens, n, rowStride);
    ENGINE_CUDA_CHECK_LAUNCH();
    return {};
}

template <typename T>
static __global__ void convert_kernel(const float *__restrict__ src, T *__restrict__ dst, int64_t n)
{
    for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n;
         i += int64_t(gridDim.x) * blockDim.x)
        dst[i] = from_f32<T>(src[i]);
}

Result<void> convertFromF32(WeightType type, const float *src, void *dst, int64_t count,
                            cudaStream_t stream)
{
    const unsigned blocks = blocksFor(count);
    if (type == WeightType::BF16)
        ENGINE_LAUNCH(blocks, kThreads, 0, stream, convert_kernel<__nv_bfloat16>)
        (src, static_cast<__nv_bfloat16 *>(dst), count);
    else if (type == WeightType::F16)
        ENGINE_LAUNCH(blocks, kThreads, 0, stream, convert_kernel<__half>)
        (src, static_cast<__half *>(dst), count);
    else
        return makeError(Error::Code::InvalidArgument, "convertFromF32: F32 needs no conversion");
    ENGINE_CUDA_CHECK_LAUNCH();
    return {};
}

} // namespace engine::cuda
