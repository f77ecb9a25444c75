// Token sampling on the GPU, so only the chosen id (and its logprob) crosses to the host.
//   logits [vocab] fp32 → SampleResult {id, logprob}; counts [vocab] int32, seen [vocab] u8.
//   Semantics of engine::Sampler (sampler/sampler.h): repetition penalty over prompt + output,
//   presence/frequency over the output, temperature (<= 0: greedy, exact argmax with the
//   lowest index winning ties), then top-k, top-p, min-p, and a draw from the survivors.
//   CPU reference: engine::cpu::ref::sample (engine/cpu/reference.cpp), which runs the same
//   algorithm sequentially with the same kmath helpers; it is tested against engine::Sampler.
// Differences from engine::Sampler, by design: the survivors are found by radix selection
// (no sort), weights are fixed-point exp(l - max) · 2^31 (exact integer sums in any order), and
// the draw walks the survivors in vocabulary order. The distribution is the same; the token a
// given seed draws is not the CPU sampler's (it is the CPU reference's, up to expf rounding).
// sm_80+, no arch-specific paths.
//
// One block of 1024 threads. The greedy path is two coalesced passes over the logits (argmax +
// raw max, then the log-sum-exp). The filters give thread i a contiguous slice of the
// vocabulary so that the index-order scans (ties at the top-k / top-p cut, the draw) are one
// block-wide prefix sum.
// Radix selection: four passes of an 8-bit digit histogram in shared memory (counts for top-k,
// fixed-point mass for top-p). At 150k tokens this is ~10 passes over 600 KB, from L2.

#include "sampling.cuh"

#include "common.cuh"

namespace engine::cuda {

namespace {
constexpr int kThreads = 1024;
}

// Exclusive prefix sum over the block (thread order); `total` gets the sum. scratch: 32 u64.
static __device__ __forceinline__ uint64_t block_exclusive_scan(uint64_t v, uint64_t *scratch,
                                                                uint64_t &total)
{
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    uint64_t inc = v;
#pragma unroll
    for (int o = 1; o < 32; o <<= 1) {
        const uint64_t n = __shfl_up_sync(0xffffffffu, inc, o);
        if (lane >= o)
            inc += n;
    }
    __syncthreads();
    if (lane == 31)
        scratch[warp] = inc;
    __syncthreads();
    if (warp == 0) {
        uint64_t w = scratch[lane];
#pragma unroll
        for (int o = 1; o < 32; o <<= 1) {
            const uint64_t n = __shfl_up_sync(0xffffffffu, w, o);
            if (lane >= o)
                w += n;
        }
        scratch[lane] = w; // inclusive over warps
    }
    __syncthreads();
    total = scratch[31];
    const uint64_t before = warp > 0 ? scratch[warp - 1] : 0;
    return before + inc - v;
}

struct Best
{
    float v;
    int32_t i;
};
static __device__ __forceinline__ Best better(Best a, Best b)
{
    return (b.v > a.v || (b.v == a.v && b.i < a.i)) ? b : a;
}

// Block-wide radix selection, 8 bits a pass from the top, over the keys (kmath::ordered_key)
// of this thread's slice work[b, e): the key at which the weights, summed from the largest key
// down, first reach `need`. `above` gets the weight strictly above that key. `weight(key, i)`
// is element i's weight (0 leaves it out).
template <typename Weight>
static __device__ uint32_t radix_select_from_top(const float *work, int32_t b, int32_t e,
                                                 uint64_t need, Weight weight,
                                                 unsigned long long *hist, uint32_t &sBin,
                                                 uint64_t &sAbove, uint64_t &above)
{
    const int tid = threadIdx.x;
    uint32_t prefix = 0, mask = 0;
    above = 0;
    for (int shift = 24; shift >= 0; shift -= 8) {
        if (tid < 256)
            hist[tid] = 0;
        __syncthreads();
        for (int32_t i = b; i < e; ++i) {
            const uint32_t key = kmath::ordered_key(work[i]);
            if ((key & mask) == prefix)
                if (const uint64_t w = weight(key, i))
                    atomicAdd(&hist[(key >> shift) & 255u], static_cast<unsigned long long>(w));
        }
        __syncthreads();
        if (tid == 0) {
            unsigned long long a = above;
            sBin = static_cast<uint32_t>(kmath::pick_bin_from_top<unsigned long long>(
                hist, static_cast<unsigned long long>(need), a));
            sAbove = a;
        }
        __syncthreads();
        prefix |= sBin << shift;
        mask |= 0xFFu << shift;
        above = sAbove;
    }
    return prefix;
}

static __global__ void __launch_bounds__(kThreads)
    sample_kernel(const float *__restrict__ logits, SamplerBuffers buf)
{
    __shared__ float fscratch[32];
    __shared__ uint64_t uscratch[32];
    __shared__ unsigned long long hist[256];
    __shared__ Best bestScratch[32];
    __shared__ uint32_t sBin;
    __shared__ uint64_t sAbove, sTarget;
    __shared__ int32_t sCut, sChosen;

    const kmath::SampleConfig c = *buf.config;
    const int32_t V = c.vocab, tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
    const int32_t per = (V + kThreads - 1) / kThreads;
    const int32_t b = min(V, tid * per), e = min(V, b + per);

    // One coalesced pass (thread i reads i, i + 1024, ...): the raw maximum for the logprob,
    // the penalised and temperature-scaled logits (greedy keeps them unscaled: same argmax)
    // and the argmax. Order does not matter for these; the scans below need index order and
    // use per-thread slices instead, after the barrier inside the reductions.
    float mx = -INFINITY;
    Best best{-INFINITY, V};
    for (int32_t i = tid; i < V; i += kThreads) {
        const float raw = logits[i];
        mx = fmaxf(mx, raw);
        const float l = kmath::penalized_logit(raw, buf.seen[i] != 0, buf.counts[i], c.repetition,
                                               c.presence, c.frequency);
        const float w = c.greedy ? l : l * c.invTemperature;
        buf.work[i] = w;
        best = better(best, Best{w, i});
    }
    mx = block_max(mx, fscratch);
    float se = 0.0f;
    for (int32_t i = tid; i < V; i += kThreads)
        se += expf(logits[i] - mx);
    const float lse = mx + logf(block_sum(se, fscratch));
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) {
        const Best other{__shfl_xor_sync(0xffffffffu, best.v, o),
                         __shfl_xor_sync(0xffffffffu, best.i, o)};
        best = better(best, other);
    }
    if (lane == 0)
        bestScratch[warp] = best;
    __syncthreads();
    if (tid == 0) {
        Best all = bestScratch[0];
        for (int w = 1; w < kThreads / 32; ++w)
            all = better(all, bestScratch[w]);
        sChosen = all.i;
    }
    __syncthreads();

    if (!c.greedy) {
        const float M = buf.work[sChosen]; // the maximum scaled logit
        // Top-k: radix-select the k-th largest key, then the index of the last tie that fits.
        const bool useK = c.topK > 0 && c.topK < V;
        uint32_t kKey = 0;
        int32_t kCut = V;
        if (useK) {
            uint64_t above = 0;
            kKey = radix_select_from_top(
                buf.work, b, e, uint64_t(c.topK), [](uint32_t, int32_t) { return uint64_t(1); },
                hist, sBin, sAbove, above);
            const uint64_t tiesNeeded = uint64_t(c.topK) - above; // >= 1
            uint64_t ties = 0;
            for (int32_t i = b; i < e; ++i)
                ties += kmath::ordered_key(buf.work[i]) == kKey;
            uint64_t total;
            const uint64_t before = block_exclusive_scan(ties, uscratch, total);
            if (before < tiesNeeded && before + ties >= tiesNeeded) {
                uint64_t seenTies = before;
                for (int32_t i = b; i < e; ++i)
                    if (kmath::ordered_key(buf.work[i]) == kKey && ++seenTies == tiesNeeded) {
                        sCut = i;
                        break;
                    }
            }
            __syncthreads();
            kCut = sCut;
        }
        // Mass of the top-k survivors.
        uint64_t mass = 0;
        for (int32_t i = b; i < e; ++i)
            if (kmath::keep_above(kmath::ordered_key(buf.work[i]), i, useK, kKey, kCut))
                mass += kmath::fixed_weight(buf.work[i], M);
        uint64_t massK;
        (void)block_exclusive_scan(mass, uscratch, massK);

        // Top-p: the smallest prefix (descending) whose mass reaches ceil(topP · massK).
        const bool useP = c.topP < 1.0f;
        uint32_t pKey = 0;
        int32_t pCut = V;
        if (useP) {
            uint64_t need = static_cast<uint64_t>(ceil(double(c.topP) * double(massK)));
            need = need < 1 ? 1 : need;
            uint64_t above = 0;
            pKey = radix_select_from_top(
                buf.work, b, e, need,
                [&](uint32_t key, int32_t i) {
                    return kmath::keep_above(key, i, useK, kKey, kCut)
                               ? uint64_t(kmath::fixed_weight(buf.work[i], M))
                               : uint64_t(0);
                },
                hist, sBin, sAbove, above);
            uint64_t tieMass = 0;
            for (int32_t i = b; i < e; ++i) {
                const uint32_t key = kmath::ordered_key(buf.work[i]);
                if (key == pKey && kmath::keep_above(key, i, useK, kKey, kCut))
                    tieMass += kmath::fixed_weight(buf.work[i], M);
            }
            uint64_t total;
            const uint64_t before = above + block_exclusive_scan(tieMass, uscratch, total);
            if (before < need && before + tieMass >= need) {
                uint64_t cum = before;
                for (int32_t i = b; i < e; ++i) {
                    const uint32_t key = kmath::ordered_key(buf.work[i]);
                    if (key == pKey && kmath::keep_above(key, i, useK, kKey, kCut)) {
                        cum += kmath::fixed_weight(buf.work[i], M);
                        if (cum >= need) {
                            sCut = i;
                            break;
                        }
                    }
                }
            }
            __syncthreads();
            pCut = sCut;
        }
        // Min-p relative to the top token (weight 2^31), then the draw in index order.
        const double minWeight = double(c.minP) * kmath::kWeightOne;
        uint64_t kept = 0;
        for (int32_t i = b; i < e; ++i) {
            const uint32_t key = kmath::ordered_key(buf.work[i]);
            const uint32_t w = kmath::fixed_weight(buf.work[i], M);
            if (kmath::keep_above(key, i, useK, kKey, kCut) &&
                kmath::keep_above(key, i, useP, pKey, pCut) && double(w) >= minWeight)
                kept += w;
        }
        uint64_t keptTotal;
        const uint64_t before = block_exclusive_scan(kept, uscratch, keptTotal);
        if (tid == 0) {
            const double u = kmath::xoshiro_uniform(buf.rng);
            uint64_t target = static_cast<uint64_t>(u * double(keptTotal));
            sTarget = target >= keptTotal ? keptTotal - 1 : target;
        }
        __syncthreads();
        const uint64_t target = sTarget;
        if (before <= target && target < before + kept) {
            uint64_t cum = before;
            for (int32_t i = b; i < e; ++i) {
                const uint32_t key = kmath::ordered_key(buf.work[i]);
                const uint32_t w = kmath::fixed_weight(buf.work[i], M);
                if (kmath::keep_above(key, i, useK, kKey, kCut) &&
                    kmath::keep_above(key, i, useP, pKey, pCut) && double(w) >= minWeight) {
                    cum += w;
                    if (cum > target) {
                        sChosen = i;
                        break;
                    }
                }
            }
        }
        __syncthreads();
    }
    if (tid == 0) {
        const int32_t id = sChosen;
        buf.result->id = id;
        buf.result->logprob = logits[id] - lse;
        buf.counts[id] += 1;
        buf.seen[id] = 1;
        if (buf.nextToken)
            *buf.nextToken = id;
    }
}

Result<void> sampleToken(const float *logits, int32_t vocab, const SamplerBuffers &buffers,
                         cudaStream_t stream)
{
    if (vocab <= 0 || !logits || !buffers.config || !buffers.rng || !buffers.counts ||
        !buffers.seen || !buffers.work || !buffers.result)
        return makeError(Error::Code::InvalidArgument, "sampleToken: missing buffer");
    ENGINE_LAUNCH(1, kThreads, 0, stream, sample_kernel)(logits, buffers);
    ENGINE_CUDA_CHECK_LAUNCH();
    return {};
}

} // namespace engine::cuda
