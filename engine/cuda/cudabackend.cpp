#include "cudabackend.h"

#include <engine/cpu/reference.h>
#include <engine/cuda/attention.cuh>
#include <engine/cuda/cudadevice.h>
#include <engine/cuda/cudaerror.h>
#include <engine/cuda/elementwise.cuh>
#include <engine/cuda/gemv.cuh>
#include <engine/cuda/norm.cuh>
#include <engine/cuda/sampling.cuh>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#define ENGINE_CUBLAS_TRY(call)                                                                    \
    do {                                                                                           \
        const cublasStatus_t engineCublasStatus_ = (call);                                         \
        if (engineCublasStatus_ != CUBLAS_STATUS_SUCCESS)                                          \
            return makeError(                                                                      \
                engineCublasStatus_ == CUBLAS_STATUS_ALLOC_FAILED ? Error::Code::OutOfMemory       \
                                                                  : Error::Code::Device,           \
                std::string("cuBLAS: ") + cublasGetStatusString(engineCublasStatus_) +             \
                    " (" #call " at " __FILE__ ":" + std::to_string(__LINE__) + ")");              \
    } while (0)

namespace engine::cuda {

namespace {

// Split-K limits: decode uses up to 64 splits so a single query still spreads over the SMs at
// long context; prefill already has tokens × heads blocks and keeps 4 (small workspace).
constexpr int64_t kDecodeMaxSplits = 64;
constexpr int64_t kPrefillMaxSplits = 4;
constexpr size_t kAlign = 256;
constexpr size_t kCublasWorkspaceBytes = size_t(32) << 20;

template <typename T> cudaError_t deviceAlloc(T **ptr, size_t bytes)
{
    return cudaMalloc(reinterpret_cast<void **>(ptr), bytes);
}

template <typename T> cudaError_t pinnedAlloc(T **ptr, size_t bytes)
{
    return cudaMallocHost(reinterpret_cast<void **>(ptr), bytes);
}

size_t alignUp(size_t n)
{
    return (n + kAlign - 1) / kAlign * kAlign;
}

WeightType weightType(DType d)
{
    return d == DType::BF16  ? WeightType::BF16
           : d == DType::F16 ? WeightType::F16
                             : WeightType::F32;
}

cudaDataType cublasType(DType d)
{
    return d == DType::BF16 ? CUDA_R_16BF : d == DType::F16 ? CUDA_R_16F : CUDA_R_32F;
}

// Bump allocator: run once without a base to size everything, then with the allocation.
struct Carver
{
    char *base = nullptr;
    size_t cursor = 0;
    template <typename T> void take(T *&ptr, size_t count)
    {
        const size_t offset = cursor;
        cursor += alignUp(count * sizeof(T));
        ptr = base ? reinterpret_cast<T *>(base + offset) : nullptr;
    }
};

struct DeviceLayer
{
    void *qkv = nullptr, *o = nullptr, *gateUp = nullptr, *down = nullptr; // stored dtype
    float *inputNorm = nullptr, *postNorm = nullptr;                       // [hidden]
    float *qkvBias = nullptr;                 // [qDim + 2 kvDim], Qwen2
    float *qNorm = nullptr, *kNorm = nullptr; // [headDim], Qwen3
};

struct DeviceWeights
{
    void *embed = nullptr, *lmHead = nullptr; // [vocab][hidden]
    float *finalNorm = nullptr;
    std::vector<DeviceLayer> layers;
};

// Sizes (and, with a base, pointers) of the weight arena; q|k|v and gate|up are stored as one
// matrix each so a decode step reads them with one GEMV.
void carveWeights(Carver &cv, const Model &m, DeviceWeights &w)
{
    const ModelConfig &c = m.config();
    const size_t es = dtypeSize(m.weightDType());
    char *bytes = nullptr;
    cv.take(bytes, m.embedding().bytes());
    w.embed = bytes;
    if (m.lmHead().data == m.embedding().data) {
        w.lmHead = w.embed;
    } else {
        cv.take(bytes, m.lmHead().bytes());
        w.lmHead = bytes;
    }
    cv.take(w.finalNorm, static_cast<size_t>(c.hiddenSize));
    const int64_t qkvRows = (c.numHeads + 2 * c.numKvHeads) * c.headDim;
    w.layers.resize(static_cast<size_t>(c.numLayers));
    for (int64_t l = 0; l < c.numLayers; ++l) {
        DeviceLayer &d = w.layers[static_cast<size_t>(l)];
        const LayerWeights &lw = m.layers()[static_cast<size_t>(l)];
        cv.take(bytes, static_cast<size_t>(qkvRows * c.hiddenSize) * es);
        d.qkv = bytes;
        cv.take(bytes, lw.o.bytes());
        d.o = bytes;
        cv.take(bytes, static_cast<size_t>(2 * c.intermediateSize * c.hiddenSize) * es);
        d.gateUp = bytes;
        cv.take(bytes, lw.down.bytes());
        d.down = bytes;
        cv.take(d.inputNorm, static_cast<size_t>(c.hiddenSize));
        cv.take(d.postNorm, static_cast<size_t>(c.hiddenSize));
        if (lw.qBias)
            cv.take(d.qkvBias, static_cast<size_t>(qkvRows));
        if (lw.qNorm)
            cv.take(d.qNorm, static_cast<size_t>(c.headDim));
        if (lw.kNorm)
            cv.take(d.kNorm, static_cast<size_t>(c.headDim));
    }
}

struct Buffers
{
    uint16_t *kCache = nullptr, *vCache = nullptr;  // [layers][kvHeads][ctx][headDim] bf16
    float *cosTable = nullptr, *sinTable = nullptr; // [ctx][headDim / 2]
    int32_t *io = nullptr;                          // [1 + chunk]: start position, tokens
    float *x = nullptr, *xn = nullptr;              // [chunk][hidden]
    float *qkv = nullptr;                           // [chunk][qDim + 2 kvDim]
    float *att = nullptr;                           // [chunk][qDim]
    float *gu = nullptr;                            // [chunk][2 inter] gate | up
    float *act = nullptr;                           // [chunk][inter]
    uint16_t *xLowp = nullptr; // [chunk][max(hidden, inter, qDim)] bf16/f16 GEMM input
    float *logits = nullptr;   // [chunk][vocab]
    float *kept = nullptr;     // [vocab] last-token logits kept for device sampling
    float *partO = nullptr;    // attention split workspace, see AttentionArgs
    float *partM = nullptr, *partL = nullptr;
    kmath::SampleConfig *sampleConfig = nullptr;
    uint64_t *rng = nullptr; // [4]
    int32_t *counts = nullptr;
    uint8_t *seen = nullptr;
    float *work = nullptr;
    kmath::SampleResult *result = nullptr;
    char *cublasWorkspace = nullptr;
};

struct Shape
{
    int64_t h, d, half, qDim, kvDim, qkvDim, inter, vocab, layers, qHeads, kvHeads;
    explicit Shape(const ModelConfig &c)
        : h(c.hiddenSize), d(c.headDim), half(c.headDim / 2), qDim(c.numHeads * c.headDim),
          kvDim(c.numKvHeads * c.headDim), qkvDim(qDim + 2 * kvDim), inter(c.intermediateSize),
          vocab(c.vocabSize), layers(c.numLayers), qHeads(c.numHeads), kvHeads(c.numKvHeads)
    {}
};

void carveRuntime(Carver &cv, const ModelConfig &c, int64_t ctx, int64_t chunk, Buffers &b)
{
    const Shape s(c);
    const auto n = [](int64_t v) { return static_cast<size_t>(v); };
    cv.take(b.kCache, n(s.layers * s.kvDim * ctx));
    cv.take(b.vCache, n(s.layers * s.kvDim * ctx));
    cv.take(b.cosTable, n(ctx * s.half));
    cv.take(b.sinTable, n(ctx * s.half));
    cv.take(b.io, n(1 + chunk));
    cv.take(b.x, n(chunk * s.h));
    cv.take(b.xn, n(chunk * s.h));
    cv.take(b.qkv, n(chunk * s.qkvDim));
    cv.take(b.att, n(chunk * s.qDim));
    cv.take(b.gu, n(chunk * 2 * s.inter));
    cv.take(b.act, n(chunk * s.inter));
    cv.take(b.xLowp, n(chunk * std::max<int64_t>({s.h, s.inter, s.qDim})));
    cv.take(b.logits, n(chunk * s.vocab));
    cv.take(b.kept, n(s.vocab));
    int64_t len = 0, decodeSplits = 0, prefillSplits = 0;
    attentionSplits(ctx, kDecodeMaxSplits, len, decodeSplits);
    attentionSplits(ctx, kPrefillMaxSplits, len, prefillSplits);
    const int64_t slots = std::max(decodeSplits, chunk * prefillSplits) * s.qHeads;
    cv.take(b.partO, n(slots * s.d));
    cv.take(b.partM, n(slots));
    cv.take(b.partL, n(slots));
    cv.take(b.sampleConfig, 1);
    cv.take(b.rng, 4);
    cv.take(b.counts, n(s.vocab));
    cv.take(b.seen, n(s.vocab));
    cv.take(b.work, n(s.vocab));
    cv.take(b.result, 1);
    cv.take(b.cublasWorkspace, kCublasWorkspaceBytes);
}

struct DeviceLora
{
    float *a = nullptr, *b = nullptr; // A [rank][in], B [out][rank] fp32
    int64_t rank = 0, in = 0, out = 0;
    float scale = 0.f;
};

std::string gib(uint64_t bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", double(bytes) / double(1ull << 30));
    return text;
}

int64_t resolveContext(const ModelConfig &c, const CudaBackendOptions &o)
{
    return o.contextLength > 0 ? o.contextLength : std::min<int64_t>(c.maxPositions, 4096);
}

} // namespace

uint64_t estimateDeviceBytes(const Model &model, const CudaBackendOptions &options)
{
    Carver cv;
    DeviceWeights w;
    carveWeights(cv, model, w);
    Buffers b;
    carveRuntime(cv, model.config(), resolveContext(model.config(), options),
                 std::max<int64_t>(1, options.prefillChunk), b);
    return cv.cursor;
}

struct CudaBackend::Impl
{
    std::shared_ptr<const Model> model;
    std::shared_ptr<const LoraAdapter> adapter;
    std::string deviceName;
    DType dtype = DType::BF16;
    WeightType wtype = WeightType::BF16;
    int64_t ctx = 0, chunk = 0;
    int64_t decodeSplitLen = 0, decodeSplits = 0, prefillSplitLen = 0, prefillSplits = 0;
    bool graphs = true;
    // Everything below is owned and released by ~Impl; the device pointers in w, b, lora and
    // loraMid point into the three arenas. Engine thread only (Backend is not thread-safe).
    cudaStream_t stream = nullptr;
    cublasHandle_t cublas = nullptr;
    char *weightArena = nullptr, *runtimeArena = nullptr, *loraArena = nullptr;
    uint64_t weightBytes = 0, runtimeBytes = 0, loraBytes = 0;
    DeviceWeights w;
    Buffers b;
    std::vector<std::array<DeviceLora, kLoraTargetCount>> lora; // empty = no adapter
    float *loraMid = nullptr;                                   // [chunk][rank]
    int32_t *hostIo = nullptr;                                  // pinned [1 + chunk]
    float *hostLogits = nullptr;                                // pinned [vocab]
    kmath::SampleResult *hostResult = nullptr;                  // pinned
    std::vector<uint8_t> hostSeen;                              // [vocab]
    enum Mode { Logits = 0, Sample = 1 };
    cudaGraphExec_t graph[2] = {nullptr, nullptr};
    bool graphFailed = false;

    ~Impl()
    {
        dropGraphs();
        if (cublas)
            cublasDestroy(cublas);
        cudaFree(weightArena);
        cudaFree(runtimeArena);
        cudaFree(loraArena);
        cudaFreeHost(hostIo);
        cudaFreeHost(hostLogits);
        cudaFreeHost(hostResult);
        if (stream)
            cudaStreamDestroy(stream);
    }

    void dropGraphs()
    {
        for (cudaGraphExec_t &g : graph)
            if (g) {
                cudaGraphExecDestroy(g);
                g = nullptr;
            }
    }

    // Host → device on our stream. The stream is non-blocking, so plain cudaMemcpy/cudaMemset
    // (legacy default stream) would not be ordered before our kernels; a pageable source is
    // staged before the call returns, so the host buffer may change right after.
    Result<void> upload(void *dst, const void *src, size_t bytes)
    {
        ENGINE_CUDA_TRY(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyHostToDevice, stream));
        return {};
    }

    Result<void> uploadWeights()
    {
        const Model &m = *model;
        const ModelConfig &c = m.config();
        if (auto r = upload(w.embed, m.embedding().data, m.embedding().bytes()); !r)
            return r;
        if (w.lmHead != w.embed)
            if (auto r = upload(w.lmHead, m.lmHead().data, m.lmHead().bytes()); !r)
                return r;
        if (auto r = upload(w.finalNorm, m.finalNorm(), size_t(c.hiddenSize) * 4); !r)
            return r;
        const Shape s(c);
        for (int64_t l = 0; l < c.numLayers; ++l) {
            const LayerWeights &lw = m.layers()[size_t(l)];
            DeviceLayer &d = w.layers[size_t(l)];
            char *qkv = static_cast<char *>(d.qkv), *gu = static_cast<char *>(d.gateUp);
            for (auto [dst, src] :
                 {std::pair{qkv, &lw.q}, std::pair{qkv + lw.q.bytes(), &lw.k},
                  std::pair{qkv + lw.q.bytes() + lw.k.bytes(), &lw.v}, std::pair{gu, &lw.gate},
                  std::pair{gu + lw.gate.bytes(), &lw.up},
                  std::pair{static_cast<char *>(d.o), &lw.o},
                  std::pair{static_cast<char *>(d.down), &lw.down}})
                if (auto r = upload(dst, src->data, src->bytes()); !r)
                    return r;
            if (auto r = upload(d.inputNorm, lw.inputNorm, size_t(s.h) * 4); !r)
                return r;
            if (auto r = upload(d.postNorm, lw.postAttnNorm, size_t(s.h) * 4); !r)
                return r;
            if (d.qkvBias) {
                if (auto r = upload(d.qkvBias, lw.qBias, size_t(s.qDim) * 4); !r)
                    return r;
                if (auto r = upload(d.qkvBias + s.qDim, lw.kBias, size_t(s.kvDim) * 4); !r)
                    return r;
                if (auto r = upload(d.qkvBias + s.qDim + s.kvDim, lw.vBias, size_t(s.kvDim) * 4);
                    !r)
                    return r;
            }
            if (d.qNorm)
                if (auto r = upload(d.qNorm, lw.qNorm, size_t(s.d) * 4); !r)
                    return r;
            if (d.kNorm)
                if (auto r = upload(d.kNorm, lw.kNorm, size_t(s.d) * 4); !r)
                    return r;
        }
        return {};
    }

    const DeviceLora *loraFor(int64_t layer, LoraTarget t) const
    {
        if (lora.empty())
            return nullptr;
        const DeviceLora &p = lora[size_t(layer)][size_t(t)];
        return p.rank > 0 ? &p : nullptr;
    }

    // out[t][:] += scale · B (A in[t]) for one adapted projection; rows of in/out are
    // inStride/outStride floats apart. Decode (count 1) uses two GEMVs, prefill cuBLAS SGEMMs.
    Result<void> applyLora(int64_t layer, LoraTarget target, const float *in, int64_t inStride,
                           float *out, int64_t outStride, int64_t count)
    {
        const DeviceLora *p = loraFor(layer, target);
        if (!p)
            return {};
        if (count == 1) {
            if (auto r = gemv(WeightType::F32, p->a, p->rank, p->in, in, nullptr, nullptr, 1.0f,
                              loraMid, stream);
                !r)
                return r;
            return gemv(WeightType::F32, p->b, p->out, p->rank, loraMid, nullptr, out, p->scale,
                        out, stream);
        }
        const float one = 1.0f, zero = 0.0f;
        ENGINE_CUBLAS_TRY(cublasSgemm(cublas, CUBLAS_OP_T, CUBLAS_OP_N, int(p->rank), int(count),
                                      int(p->in), &one, p->a, int(p->in), in, int(inStride), &zero,
                                      loraMid, int(p->rank)));
        ENGINE_CUBLAS_TRY(cublasSgemm(cublas, CUBLAS_OP_T, CUBLAS_OP_N, int(p->out), int(count),
                                      int(p->rank), &p->scale, p->b, int(p->rank), loraMid,
                                      int(p->rank), &one, out, int(outStride)));
        return {};
    }

    // out[t][r] (row stride ldc) = Σ_k W[r][k] in[t][k] (+ out when accumulate), t < count.
    Result<void> gemm(const void *weight, int64_t rows, int64_t cols, const float *in,
                      int64_t count, float *out, int64_t ldc, bool accumulate)
    {
        const void *x = in;
        if (wtype != WeightType::F32) {
            if (auto r = convertFromF32(wtype, in, b.xLowp, count * cols, stream); !r)
                return r;
            x = b.xLowp;
        }
        const float one = 1.0f, beta = accumulate ? 1.0f : 0.0f;
        ENGINE_CUBLAS_TRY(cublasGemmEx(cublas, CUBLAS_OP_T, CUBLAS_OP_N, int(rows), int(count),
                                       int(cols), &one, weight, cublasType(dtype), int(cols), x,
                                       cublasType(dtype), int(cols), &beta, out, CUDA_R_32F,
                                       int(ldc), CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
        return {};
    }

    // Projection: GEMV for one token (bias and residual fused), GEMM otherwise.
    Result<void> project(const void *weight, int64_t rows, int64_t cols, const float *in,
                         int64_t count, float *out, int64_t ldc, const float *bias, bool accumulate)
    {
        if (count == 1)
            return gemv(wtype, weight, rows, cols, in, bias, accumulate ? out : nullptr, 1.0f, out,
                        stream);
        if (auto r = gemm(weight, rows, cols, in, count, out, ldc, accumulate); !r)
            return r;
        if (bias)
            return addBias(out, bias, count, rows, ldc, stream);
        return {};
    }

    // out = RMSNorm(b.x) ⊙ norm projected by the fused matrix `weight` (+ bias), plus each
    // target's adapter delta written at its column offset; the normed rows stay in b.xn.
    Result<void> normedProjectionWithLora(int64_t layer, const float *norm, const void *weight,
                                          int64_t rows, const float *bias, float *out,
                                          int64_t count, std::initializer_list<LoraTarget> targets,
                                          std::initializer_list<int64_t> offsets)
    {
        const Shape s(model->config());
        const float eps = static_cast<float>(model->config().rmsNormEps);
        if (auto r = rmsnorm(b.x, norm, b.xn, count, s.h, eps, stream); !r)
            return r;
        if (auto r = project(weight, rows, s.h, b.xn, count, out, rows, bias, false); !r)
            return r;
        auto offset = offsets.begin();
        for (LoraTarget t : targets)
            if (auto r = applyLora(layer, t, b.xn, s.h, out + *offset++, rows, count); !r)
                return r;
        return {};
    }

    // The layers for `count` tokens whose ids are at b.io + 1 and first position at b.io[0].
    Result<void> enqueueLayers(int64_t count)
    {
        const ModelConfig &c = model->config();
        const Shape s(c);
        const float eps = static_cast<float>(c.rmsNormEps);
        if (auto r = embed(wtype, w.embed, s.h, b.io + 1, count, b.x, stream); !r)
            return r;
        for (int64_t l = 0; l < s.layers; ++l) {
            const DeviceLayer &d = w.layers[size_t(l)];
            // Decode folds each RMSNorm into the GEMV that reads it (and SwiGLU into gate|up),
            // unless an adapter on those projections needs the normed vector itself.
            const bool decode = count == 1;
            if (decode && !loraFor(l, LoraTarget::Q) && !loraFor(l, LoraTarget::K) &&
                !loraFor(l, LoraTarget::V)) {
                if (auto r = gemvRmsNorm(wtype, d.qkv, s.qkvDim, s.h, b.x, d.inputNorm, eps,
                                         d.qkvBias, nullptr, 1.0f, b.qkv, stream);
                    !r)
                    return r;
            } else if (auto r = normedProjectionWithLora(
                           l, d.inputNorm, d.qkv, s.qkvDim, d.qkvBias, b.qkv, count,
                           {LoraTarget::Q, LoraTarget::K, LoraTarget::V},
                           {0, s.qDim, s.qDim + s.kvDim});
                       !r) {
                return r;
            }
            const int64_t cacheOffset = l * s.kvDim * ctx;
            QkvLayout layout{count, s.qkvDim, s.qHeads, s.kvHeads, s.d, ctx};
            if (auto r =
                    qkNormRopeStoreKv(b.qkv, layout, d.qNorm, d.kNorm, eps, b.cosTable, b.sinTable,
                                      b.io, b.kCache + cacheOffset, b.vCache + cacheOffset, stream);
                !r)
                return r;
            AttentionArgs a;
            a.q = b.qkv;
            a.qStride = s.qkvDim;
            a.kCache = b.kCache + cacheOffset;
            a.vCache = b.vCache + cacheOffset;
            a.ctx = ctx;
            a.tokens = count;
            a.qHeads = s.qHeads;
            a.kvHeads = s.kvHeads;
            a.headDim = s.d;
            a.window = c.slidingWindow;
            a.scale = 1.0f / std::sqrt(static_cast<float>(s.d));
            a.startPos = b.io;
            a.out = b.att;
            a.outStride = s.qDim;
            a.splitLen = count == 1 ? decodeSplitLen : prefillSplitLen;
            a.maxSplits = count == 1 ? decodeSplits : prefillSplits;
            a.partO = b.partO;
            a.partM = b.partM;
            a.partL = b.partL;
            if (auto r = attention(a, stream); !r)
                return r;
            if (auto r = project(d.o, s.h, s.qDim, b.att, count, b.x, s.h, nullptr, true); !r)
                return r;
            if (auto r = applyLora(l, LoraTarget::O, b.att, s.qDim, b.x, s.h, count); !r)
                return r;
            if (decode && !loraFor(l, LoraTarget::Gate) && !loraFor(l, LoraTarget::Up)) {
                if (auto r = gemvSwiGlu(wtype, d.gateUp, s.inter, s.h, b.x, d.postNorm, eps, b.act,
                                        stream);
                    !r)
                    return r;
            } else {
                if (auto r = normedProjectionWithLora(
                        l, d.postNorm, d.gateUp, 2 * s.inter, nullptr, b.gu, count,
                        {LoraTarget::Gate, LoraTarget::Up}, {0, s.inter});
                    !r)
                    return r;
                if (auto r = swiglu(b.gu, count, s.inter, b.act, stream); !r)
                    return r;
            }
            if (auto r = project(d.down, s.h, s.inter, b.act, count, b.x, s.h, nullptr, true); !r)
                return r;
            if (auto r = applyLora(l, LoraTarget::Down, b.act, s.inter, b.x, s.h, count); !r)
                return r;
        }
        return {};
    }

    // Final norm and output layer for rows [first, count) of b.x into b.logits (row 0 onward).
    Result<void> enqueueHead(int64_t first, int64_t count)
    {
        const ModelConfig &c = model->config();
        const Shape s(c);
        const float *x = b.x + first * s.h;
        const float eps = static_cast<float>(c.rmsNormEps);
        if (count - first == 1)
            return gemvRmsNorm(wtype, w.lmHead, s.vocab, s.h, x, w.finalNorm, eps, nullptr, nullptr,
                               1.0f, b.logits, stream);
        if (auto r = rmsnorm(x, w.finalNorm, b.xn, count - first, s.h, eps, stream); !r)
            return r;
        return project(w.lmHead, s.vocab, s.h, b.xn, count - first, b.logits, s.vocab, nullptr,
                       false);
    }

    SamplerBuffers samplerBuffers() const
    {
        SamplerBuffers sb;
        sb.config = b.sampleConfig;
        sb.rng = b.rng;
        sb.counts = b.counts;
        sb.seen = b.seen;
        sb.work = b.work;
        sb.result = b.result;
        return sb;
    }

    // One decode step: host staging (position, token) in, logits or the sampled token out.
    Result<void> enqueueDecode(Mode mode)
    {
        const Shape s(model->config());
        ENGINE_CUDA_TRY(
            cudaMemcpyAsync(b.io, hostIo, 2 * sizeof(int32_t), cudaMemcpyHostToDevice, stream));
        if (auto r = enqueueLayers(1); !r)
            return r;
        if (auto r = enqueueHead(0, 1); !r)
            return r;
        if (mode == Sample) {
            if (auto r = sampleToken(b.logits, int32_t(s.vocab), samplerBuffers(), stream); !r)
                return r;
            ENGINE_CUDA_TRY(cudaMemcpyAsync(hostResult, b.result, sizeof(kmath::SampleResult),
                                            cudaMemcpyDeviceToHost, stream));
        } else {
            ENGINE_CUDA_TRY(cudaMemcpyAsync(hostLogits, b.logits, size_t(s.vocab) * 4,
                                            cudaMemcpyDeviceToHost, stream));
        }
        return {};
    }

    Result<void> runDecode(Mode mode)
    {
        if (graphs && !graphFailed && !graph[mode]) {
            ENGINE_CUDA_TRY(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal));
            Result<void> enq = enqueueDecode(mode);
            cudaGraph_t g = nullptr;
            const cudaError_t end = cudaStreamEndCapture(stream, &g);
            if (!enq) {
                if (g)
                    cudaGraphDestroy(g);
                return enq;
            }
            if (end == cudaSuccess && cudaGraphInstantiate(&graph[mode], g, 0) == cudaSuccess) {
                cudaGraphDestroy(g);
            } else {
                // Capture is an optimisation: run eagerly from now on.
                if (g)
                    cudaGraphDestroy(g);
                (void)cudaGetLastError();
                graph[mode] = nullptr;
                graphFailed = true;
            }
        }
        if (graph[mode]) {
            ENGINE_CUDA_TRY(cudaGraphLaunch(graph[mode], stream));
        } else if (auto r = enqueueDecode(mode); !r) {
            return r;
        }
        ENGINE_CUDA_TRY(cudaStreamSynchronize(stream)); // the one sync per token
        return {};
    }

    // Batched forward over `n` tokens (prefill); logits per `allLogits`, or for the last token
    // to `logits`, or kept on the device when logits is null.
    Result<void> prefill(const int32_t *tokens, int64_t n, int64_t startPos, float *logits,
                         bool allLogits)
    {
        const int64_t vocab = model->config().vocabSize;
        for (int64_t done = 0; done < n; done += chunk) {
            const int64_t count = std::min(chunk, n - done);
            const bool last = done + count == n;
            hostIo[0] = static_cast<int32_t>(startPos + done);
            std::memcpy(hostIo + 1, tokens + done, size_t(count) * sizeof(int32_t));
            ENGINE_CUDA_TRY(cudaMemcpyAsync(b.io, hostIo, size_t(1 + count) * sizeof(int32_t),
                                            cudaMemcpyHostToDevice, stream));
            if (auto r = enqueueLayers(count); !r)
                return r;
            if (allLogits) {
                if (auto r = enqueueHead(0, count); !r)
                    return r;
                ENGINE_CUDA_TRY(cudaMemcpyAsync(logits + done * vocab, b.logits,
                                                size_t(count * vocab) * 4, cudaMemcpyDeviceToHost,
                                                stream));
            } else if (last) {
                if (auto r = enqueueHead(count - 1, count); !r)
                    return r;
                if (logits)
                    ENGINE_CUDA_TRY(cudaMemcpyAsync(hostLogits, b.logits, size_t(vocab) * 4,
                                                    cudaMemcpyDeviceToHost, stream));
                else
                    ENGINE_CUDA_TRY(cudaMemcpyAsync(b.kept, b.logits, size_t(vocab) * 4,
                                                    cudaMemcpyDeviceToDevice, stream));
            }
            // hostIo is rewritten by the next chunk, so wait for this one's copy.
            ENGINE_CUDA_TRY(cudaStreamSynchronize(stream));
        }
        if (!allLogits && logits)
            std::memcpy(logits, hostLogits, size_t(vocab) * 4);
        return {};
    }
};

CudaBackend::CudaBackend(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
CudaBackend::~CudaBackend() = default;

const Model &CudaBackend::model() const
{
    return *m_impl->model;
}
int64_t CudaBackend::contextLength() const
{
    return m_impl->ctx;
}
const LoraAdapter *CudaBackend::adapter() const
{
    return m_impl->adapter.get();
}
const std::string &CudaBackend::deviceName() const
{
    return m_impl->deviceName;
}
uint64_t CudaBackend::deviceBytes() const
{
    return m_impl->weightBytes + m_impl->runtimeBytes + m_impl->loraBytes;
}

Result<std::unique_ptr<CudaBackend>> CudaBackend::create(std::shared_ptr<const Model> model,
                                                         const CudaBackendOptions &options)
{
    if (!model)
        return makeError(Error::Code::InvalidArgument, "CudaBackend: no model");
    const ModelConfig &c = model->config();
    auto device = probeCudaDevice();
    if (!device)
        return device.error();
    const DType dt = model->weightDType();
    if (dt != DType::BF16 && dt != DType::F16 && dt != DType::F32)
        return makeError(Error::Code::Unsupported, "CUDA backend: unsupported weight dtype");
    auto sameDType = [dt](const Weight &w) { return w.dtype == dt; };
    bool uniform = sameDType(model->embedding()) && sameDType(model->lmHead());
    for (const LayerWeights &l : model->layers())
        uniform = uniform && sameDType(l.q) && sameDType(l.k) && sameDType(l.v) && sameDType(l.o) &&
                  sameDType(l.gate) && sameDType(l.up) && sameDType(l.down);
    if (!uniform)
        return makeError(Error::Code::Unsupported,
                         "CUDA backend: all matrices must share one dtype (this checkpoint mixes "
                         "them); use the CPU backend");
    if (c.headDim % 8 != 0 || c.headDim > 128 || 128 % c.headDim != 0)
        return makeError(Error::Code::Unsupported, "CUDA backend: head_dim " +
                                                       std::to_string(c.headDim) +
                                                       " is not one of 16, 32, 64, 128");
    if (c.hiddenSize > 8192 || c.headDim > 8192)
        return makeError(Error::Code::Unsupported, "CUDA backend: hidden size above 8192");

    auto impl = std::make_unique<Impl>();
    Impl &m = *impl;
    m.model = std::move(model);
    m.deviceName = device->name + " (sm_" + std::to_string(device->major) +
                   std::to_string(device->minor) + ")";
    m.dtype = dt;
    m.wtype = weightType(dt);
    m.ctx = resolveContext(c, options);
    m.chunk = std::max<int64_t>(1, options.prefillChunk);
    if (m.ctx > (int64_t(1) << 24) || m.chunk > 65535)
        return makeError(Error::Code::InvalidArgument, "CUDA backend: context or chunk too large");
    const char *env = std::getenv("FIREDECK_CUDA_GRAPHS");
    m.graphs = options.graphs && !(env && std::string(env) == "0");
    attentionSplits(m.ctx, kDecodeMaxSplits, m.decodeSplitLen, m.decodeSplits);
    attentionSplits(m.ctx, kPrefillMaxSplits, m.prefillSplitLen, m.prefillSplits);

    ENGINE_CUDA_TRY(cudaSetDevice(0));
    ENGINE_CUDA_TRY(cudaStreamCreateWithFlags(&m.stream, cudaStreamNonBlocking));

    Carver wc;
    carveWeights(wc, *m.model, m.w);
    m.weightBytes = wc.cursor;
    Carver rc;
    carveRuntime(rc, c, m.ctx, m.chunk, m.b);
    m.runtimeBytes = rc.cursor;
    if (deviceAlloc(&m.weightArena, m.weightBytes) != cudaSuccess ||
        deviceAlloc(&m.runtimeArena, m.runtimeBytes) != cudaSuccess) {
        (void)cudaGetLastError();
        return makeError(Error::Code::OutOfMemory,
                         "the model needs " + gib(m.weightBytes + m.runtimeBytes) +
                             " GiB on the GPU (" + gib(m.weightBytes) + " GiB weights, " +
                             gib(m.runtimeBytes) + " GiB cache and buffers for a context of " +
                             std::to_string(m.ctx) + " tokens); " + device->name + " has " +
                             gib(device->freeBytes) + " GiB free");
    }
    wc = Carver{m.weightArena, 0};
    carveWeights(wc, *m.model, m.w);
    rc = Carver{m.runtimeArena, 0};
    carveRuntime(rc, c, m.ctx, m.chunk, m.b);
    ENGINE_CUDA_TRY(pinnedAlloc(&m.hostIo, size_t(1 + m.chunk) * sizeof(int32_t)));
    ENGINE_CUDA_TRY(pinnedAlloc(&m.hostLogits, size_t(c.vocabSize) * sizeof(float)));
    ENGINE_CUDA_TRY(pinnedAlloc(&m.hostResult, sizeof(kmath::SampleResult)));
    m.hostSeen.assign(size_t(c.vocabSize), 0);

    if (auto r = m.uploadWeights(); !r)
        return r.error();
    std::vector<float> cosTable, sinTable;
    cpu::ref::ropeTables(c, c.dtype.value_or(dt), m.ctx, cosTable, sinTable);
    if (auto r = m.upload(m.b.cosTable, cosTable.data(), cosTable.size() * 4); !r)
        return r.error();
    if (auto r = m.upload(m.b.sinTable, sinTable.data(), sinTable.size() * 4); !r)
        return r.error();
    // Zeroed caches: a split never reads a position that was not written, but zeros keep a
    // bug from turning into NaNs that hide it.
    const size_t cacheBytes = size_t(Shape(c).layers * Shape(c).kvDim * m.ctx) * 2;
    ENGINE_CUDA_TRY(cudaMemsetAsync(m.b.kCache, 0, cacheBytes, m.stream));
    ENGINE_CUDA_TRY(cudaMemsetAsync(m.b.vCache, 0, cacheBytes, m.stream));
    ENGINE_CUDA_TRY(cudaStreamSynchronize(m.stream)); // uploads done before create returns

    if (cublasCreate(&m.cublas) != CUBLAS_STATUS_SUCCESS)
        return makeError(Error::Code::Device, "cuBLAS: cannot create a handle");
    ENGINE_CUBLAS_TRY(cublasSetStream(m.cublas, m.stream));
    // Our own workspace, so cuBLAS never allocates during a forward.
    ENGINE_CUBLAS_TRY(cublasSetWorkspace(m.cublas, m.b.cublasWorkspace, kCublasWorkspaceBytes));

    SamplingParams greedy;
    greedy.temperature = 0;
    std::unique_ptr<CudaBackend> backend(new CudaBackend(std::move(impl)));
    if (auto r = backend->resetSampler(greedy, {}, 0); !r)
        return r.error();
    return backend;
}

Result<void> CudaBackend::forward(std::span<const int32_t> tokens, int64_t startPos, float *logits,
                                  bool allLogits)
{
    Impl &m = *m_impl;
    const int64_t n = static_cast<int64_t>(tokens.size());
    const int64_t vocab = m.model->config().vocabSize;
    if (auto r = checkForwardInput(tokens, startPos, m.ctx, vocab); !r)
        return r;
    if (allLogits && !logits)
        return makeError(Error::Code::InvalidArgument, "forward: allLogits needs a buffer");
    if (n == 1 && logits && !allLogits) {
        m.hostIo[0] = static_cast<int32_t>(startPos);
        m.hostIo[1] = tokens[0];
        if (auto r = m.runDecode(Impl::Logits); !r)
            return r;
        std::memcpy(logits, m.hostLogits, size_t(vocab) * 4);
        return {};
    }
    return m.prefill(tokens.data(), n, startPos, logits, allLogits);
}

Result<void> CudaBackend::setAdapter(std::shared_ptr<const LoraAdapter> adapter)
{
    Impl &m = *m_impl;
    m.dropGraphs(); // the captured steps do or do not contain the LoRA launches
    m.lora.clear();
    cudaFree(m.loraArena);
    m.loraArena = nullptr;
    m.loraBytes = 0;
    m.adapter.reset();
    if (!adapter)
        return {};
    const ModelConfig &c = m.model->config();
    // Size, allocate, then bind and upload, as for the weights.
    for (int pass = 0; pass < 2; ++pass) {
        Carver cv{m.loraArena, 0};
        m.lora.assign(size_t(c.numLayers), {});
        for (int64_t l = 0; l < c.numLayers; ++l)
            for (int t = 0; t < kLoraTargetCount; ++t) {
                const LoraPair *p = adapter->pair(l, static_cast<LoraTarget>(t));
                if (!p)
                    continue;
                DeviceLora &d = m.lora[size_t(l)][size_t(t)];
                cv.take(d.a, p->a.size());
                cv.take(d.b, p->b.size());
                d.rank = p->rank;
                d.in = p->in;
                d.out = p->out;
                d.scale = p->scale;
                if (pass == 1) {
                    if (auto r = m.upload(d.a, p->a.data(), p->a.size() * 4); !r)
                        return r;
                    if (auto r = m.upload(d.b, p->b.data(), p->b.size() * 4); !r)
                        return r;
                }
            }
        cv.take(m.loraMid, size_t(m.chunk * std::max<int64_t>(1, adapter->rank())));
        if (pass == 0) {
            m.loraBytes = cv.cursor;
            if (deviceAlloc(&m.loraArena, m.loraBytes) != cudaSuccess) {
                (void)cudaGetLastError();
                const uint64_t wanted = m.loraBytes;
                m.lora.clear();
                m.loraArena = nullptr;
                m.loraBytes = 0;
                return makeError(Error::Code::OutOfMemory,
                                 "not enough GPU memory for the LoRA adapter (" +
                                     std::to_string(wanted >> 20) + " MiB)");
            }
        }
    }
    m.adapter = std::move(adapter);
    return {};
}

Result<void> CudaBackend::resetSampler(const SamplingParams &p, std::span<const int32_t> prompt,
                                       uint64_t seed)
{
    Impl &m = *m_impl;
    const int32_t vocab = static_cast<int32_t>(m.model->config().vocabSize);
    const kmath::SampleConfig cfg = cpu::ref::sampleConfig(p, vocab);
    std::fill(m.hostSeen.begin(), m.hostSeen.end(), 0);
    for (int32_t t : prompt)
        if (t >= 0 && t < vocab)
            m.hostSeen[size_t(t)] = 1;
    uint64_t rng[4];
    kmath::xoshiro_seed(seed, rng);
    if (auto r = m.upload(m.b.sampleConfig, &cfg, sizeof cfg); !r)
        return r;
    if (auto r = m.upload(m.b.rng, rng, sizeof rng); !r)
        return r;
    if (auto r = m.upload(m.b.seen, m.hostSeen.data(), m.hostSeen.size()); !r)
        return r;
    ENGINE_CUDA_TRY(cudaMemsetAsync(m.b.counts, 0, size_t(vocab) * sizeof(int32_t), m.stream));
    return {};
}

Result<SampledToken> CudaBackend::sampleNext(int32_t token, int64_t pos)
{
    Impl &m = *m_impl;
    const int64_t vocab = m.model->config().vocabSize;
    if (token < 0) {
        if (auto r = sampleToken(m.b.kept, int32_t(vocab), m.samplerBuffers(), m.stream); !r)
            return r.error();
        ENGINE_CUDA_TRY(cudaMemcpyAsync(m.hostResult, m.b.result, sizeof(kmath::SampleResult),
                                        cudaMemcpyDeviceToHost, m.stream));
        ENGINE_CUDA_TRY(cudaStreamSynchronize(m.stream));
    } else {
        if (token >= vocab)
            return makeError(Error::Code::InvalidArgument,
                             "token id " + std::to_string(token) + " is outside the vocabulary");
        if (pos < 0 || pos >= m.ctx)
            return makeError(Error::Code::ContextLength, "position " + std::to_string(pos) +
                                                             " exceeds the context of " +
                                                             std::to_string(m.ctx) + " tokens");
        m.hostIo[0] = static_cast<int32_t>(pos);
        m.hostIo[1] = token;
        if (auto r = m.runDecode(Impl::Sample); !r)
            return r.error();
    }
    SampledToken out;
    out.id = m.hostResult->id;
    out.logprob = m.hostResult->logprob;
    return out;
}

} // namespace engine::cuda
