// Causal attention over the bf16 KV cache with split-K (flash-decoding).
//   q: [tokens][qStride] fp32 (head h at h·D); K/V cache: [kvHeads][ctx][D] bf16 (one layer);
//   out: [tokens][outStride] fp32. GQA: query head h reads kv head h / (qHeads / kvHeads).
//   D ∈ {16, 32, 64, 128}. Mistral's sliding window is honoured. sm_80+, no arch paths.
// CPU references: engine::cpu::ref::attentionSplit (the same split + combine, via
// kmath::split_combine_factors) and engine::cpu::ref::attention (plain softmax), both checked
// against each other and, through the golden models, against the CPU backend.
//
// Pass 1, attention_split_kernel: grid (kvHeads · head tiles, maxSplits, tokens), 128 threads.
// A block owns one kv head, up to 8 of its query heads (so each K/V row is read once for the
// whole GQA group) and `splitLen` key positions, walked in tiles of 128 keys with an online
// softmax. Scores: one key per thread, the K row read with 16-byte loads (8 bf16) and dotted
// with all the group's queries held in shared memory. Softmax: one warp per head over the tile.
// P·V: thread d of a key slice reads V[j][d], so a warp reads contiguous V rows (coalesced).
// Pass 2, attention_combine_kernel: one block per (token, head) merges the splits with the
// shared kmath::split_combine_factors.
//
// Prefill with tensor cores, attention_prefill_kernel (several query tokens, head_dim a
// multiple of 16, the cache length a multiple of 32): WMMA bf16 16x16x16 with fp32
// accumulation. A block owns 64 query rows of one head (4 warps × 16) and walks the keys its
// rows can see in tiles of 32, twice: pass 1 computes S = (scale·Q)·Kᵀ and each row's softmax
// maximum and sum; pass 2 recomputes S and accumulates P·V with P = exp(s − max) / sum
// rounded to bf16. Two passes instead of an online rescale because WMMA does not expose which
// accumulator elements a lane holds. K and V fragments load straight from the bf16 cache
// (rows of head_dim elements, 32-byte aligned); Q (scaled, bf16), S and P live in shared
// memory (32.5 KiB for head_dim 128).

#include "attention.cuh"

#include "common.cuh"

#include <mma.h>

namespace engine::cuda {

namespace {
constexpr int kThreads = 128; // = keys per tile
constexpr int kHeadTile = 8;  // query heads per block (registers: one accumulator each)
constexpr int kMaxHeadDim = 128;
constexpr int kPrefillRows = 64; // query rows per block: 4 warps × 16
constexpr int kPrefillKeys = 32; // keys per tile
constexpr int kPrefillThreads = 128;
} // namespace

void attentionSplits(int64_t ctx, int64_t maxSplits, int64_t &splitLen, int64_t &splits)
{
    const int64_t want = (ctx + maxSplits - 1) / maxSplits;
    splitLen = (want + kThreads - 1) / kThreads * kThreads;
    splits = (ctx + splitLen - 1) / splitLen;
}

static __global__ void __launch_bounds__(kThreads)
    attention_split_kernel(AttentionArgs a, const __nv_bfloat16 *__restrict__ kCache,
                           const __nv_bfloat16 *__restrict__ vCache)
{
    __shared__ float sq[kHeadTile][kMaxHeadDim];
    __shared__ float sp[kHeadTile][kThreads];
    __shared__ float sAlpha[kHeadTile];
    __shared__ float sRun[kHeadTile][2]; // running max, sum
    __shared__ float sRed[kHeadTile][kThreads];
    const int D = static_cast<int>(a.headDim);
    const int64_t group = a.qHeads / a.kvHeads;
    const int64_t tiles = (group + kHeadTile - 1) / kHeadTile;
    const int64_t kvh = blockIdx.x / tiles, tile = blockIdx.x % tiles;
    const int64_t h0 = kvh * group + tile * kHeadTile;
    const int g = static_cast<int>(min(int64_t(kHeadTile), group - tile * kHeadTile));
    const int64_t split = blockIdx.y, t = blockIdx.z;
    const int64_t pos = int64_t(a.startPos[0]) + t;
    const int64_t first = a.window > 0 ? max(int64_t(0), pos - a.window + 1) : 0;
    const int64_t kb = max(split * a.splitLen, first),
                  ke = min(split * a.splitLen + a.splitLen, pos + 1);
    const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
    const int64_t part0 = (t * a.qHeads + h0) * a.maxSplits + split;
    if (kb >= ke) { // nothing to attend to in this split: mark it empty for the combine
        if (tid < g) {
            a.partM[part0 + tid * a.maxSplits] = -INFINITY;
            a.partL[part0 + tid * a.maxSplits] = 0.0f;
        }
        return;
    }
    for (int i = tid; i < g * D; i += kThreads)
        sq[i / D][i % D] = a.q[t * a.qStride + (h0 + i / D) * D + i % D] * a.scale;
    const __nv_bfloat16 *kBase = kCache + kvh * a.ctx * D;
    const __nv_bfloat16 *vBase = vCache + kvh * a.ctx * D;
    // P·V layout: thread = (key slice, dim); 128 / D key slices walk the tile's keys.
    const int d = tid % D, slice = tid / D, nSlices = kThreads / D;
    float acc[kHeadTile];
#pragma unroll
    for (int h = 0; h < kHeadTile; ++h)
        acc[h] = 0.0f;
    __syncthreads();
    for (int64_t tb = kb; tb < ke; tb += kThreads) {
        const int n = static_cast<int>(min(int64_t(kThreads), ke - tb));
        // Scores for key tb + tid.
        if (tid < n) {
            const __nv_bfloat16 *kr = kBase + (tb + tid) * D;
            float s[kHeadTile];
#pragma unroll
            for (int h = 0; h < kHeadTile; ++h)
                s[h] = 0.0f;
            for (int c = 0; c < D; c += 8) {
                float kv[8];
                unpack16<__nv_bfloat16>(*reinterpret_cast<const uint4 *>(kr + c), kv);
#pragma unroll
                for (int h = 0; h < kHeadTile; ++h)
                    if (h < g)
#pragma unroll
                        for (int e = 0; e < 8; ++e)
                            s[h] = fmaf(sq[h][c + e], kv[e], s[h]);
            }
#pragma unroll
            for (int h = 0; h < kHeadTile; ++h)
                if (h < g)
                    sp[h][tid] = s[h];
        }
        __syncthreads();
        // Online softmax: warp w updates heads w, w + 4, ... over this tile; the running max
        // and sum per head live in shared memory (sRun) between tiles.
        for (int h = warp; h < g; h += kThreads / 32) {
            float tm = -INFINITY;
            for (int j = lane; j < n; j += 32)
                tm = fmaxf(tm, sp[h][j]);
            tm = warp_max(tm);
            const float mPrev = tb == kb ? -INFINITY : sRun[h][0];
            const float mNew = fmaxf(mPrev, tm);
            float ts = 0.0f;
            for (int j = lane; j < n; j += 32) {
                const float p = expf(sp[h][j] - mNew);
                sp[h][j] = p;
                ts += p;
            }
            ts = warp_sum(ts);
            if (lane == 0) {
                const float alpha = tb == kb ? 0.0f : expf(mPrev - mNew);
                sAlpha[h] = alpha;
                sRun[h][0] = mNew;
                sRun[h][1] = (tb == kb ? 0.0f : sRun[h][1]) * alpha + ts;
            }
        }
        __syncthreads();
        // P·V for this tile.
#pragma unroll
        for (int h = 0; h < kHeadTile; ++h)
            if (h < g)
                acc[h] *= sAlpha[h];
        for (int j = slice; j < n; j += nSlices) {
            const float v = __bfloat162float(vBase[(tb + j) * D + d]);
#pragma unroll
            for (int h = 0; h < kHeadTile; ++h)
                if (h < g)
                    acc[h] = fmaf(sp[h][j], v, acc[h]);
        }
        __syncthreads(); // sp and sAlpha are rewritten by the next tile
    }
    // Reduce the key slices and write the unnormalised partial output, max and sum.
#pragma unroll
    for (int h = 0; h < kHeadTile; ++h)
        if (h < g)
            sRed[h][tid] = acc[h];
    __syncthreads();
    if (slice == 0) {
#pragma unroll
        for (int h = 0; h < kHeadTile; ++h)
            if (h < g) {
                float o = 0.0f;
                for (int sl = 0; sl < nSlices; ++sl)
                    o += sRed[h][sl * D + d];
                a.partO[(part0 + h * a.maxSplits) * D + d] = o;
                if (d == 0) {
                    a.partM[part0 + h * a.maxSplits] = sRun[h][0];
                    a.partL[part0 + h * a.maxSplits] = sRun[h][1];
                }
            }
    }
}

// grid tokens · qHeads, block headDim threads (at least one warp); dynamic shared memory
// holds the splits' maxima, sums and factors.
static __global__ void attention_combine_kernel(AttentionArgs a)
{
    ENGINE_DYNAMIC_SHARED(float, smem);
    const int64_t t = blockIdx.x / a.qHeads, h = blockIdx.x % a.qHeads;
    const int64_t pos = int64_t(a.startPos[0]) + t;
    const int n = static_cast<int>(min(a.maxSplits, (pos + a.splitLen) / a.splitLen));
    float *sm = smem, *sl = smem + a.maxSplits, *factor = smem + 2 * a.maxSplits;
    const int64_t base = (t * a.qHeads + h) * a.maxSplits;
    for (int s = threadIdx.x; s < n; s += blockDim.x) {
        sm[s] = a.partM[base + s];
        sl[s] = a.partL[base + s];
    }
    __syncthreads();
    if (threadIdx.x == 0)
        kmath::split_combine_factors(sm, sl, n, factor);
    __syncthreads();
    const int D = static_cast<int>(a.headDim);
    for (int d = threadIdx.x; d < D; d += blockDim.x) {
        float o = 0.0f;
        for (int s = 0; s < n; ++s)
            if (factor[s] != 0.0f) // empty splits never wrote partO
                o = fmaf(factor[s], a.partO[(base + s) * D + d], o);
        a.out[t * a.outStride + h * D + d] = o;
    }
}

// S for keys [kb, kb + 32) of this warp's 16 rows into sS (row-major, 32 columns).
template <int D>
static __device__ void prefill_scores(const __nv_bfloat16 *sQ, const __nv_bfloat16 *kBase,
                                      int64_t kb, float *sS, int warp)
{
    using namespace nvcuda;
#pragma unroll
    for (int n = 0; n < kPrefillKeys / 16; ++n) {
        wmma::fragment<wmma::accumulator, 16, 16, 16, float> s;
        wmma::fill_fragment(s, 0.0f);
#pragma unroll
        for (int k = 0; k < D / 16; ++k) {
            wmma::fragment<wmma::matrix_a, 16, 16, 16, __nv_bfloat16, wmma::row_major> qa;
            wmma::fragment<wmma::matrix_b, 16, 16, 16, __nv_bfloat16, wmma::col_major> kt;
            wmma::load_matrix_sync(qa, sQ + warp * 16 * D + k * 16, D);
            wmma::load_matrix_sync(kt, kBase + (kb + n * 16) * D + k * 16, D);
            wmma::mma_sync(s, qa, kt, s);
        }
        wmma::store_matrix_sync(sS + warp * 16 * kPrefillKeys + n * 16, s, kPrefillKeys,
                                wmma::mem_row_major);
    }
}

// grid (ceil(tokens / 64), qHeads), 128 threads.
template <int D>
static __global__ void __launch_bounds__(kPrefillThreads)
    attention_prefill_kernel(AttentionArgs a, const __nv_bfloat16 *__restrict__ kCache,
                             const __nv_bfloat16 *__restrict__ vCache)
{
    using namespace nvcuda;
    __shared__ __align__(32) __nv_bfloat16 sQ[kPrefillRows * D];
    __shared__ __align__(32) float sS[kPrefillRows * kPrefillKeys];
    __shared__ __align__(32) __nv_bfloat16 sP[kPrefillRows * kPrefillKeys];
    __shared__ __align__(32) float sOut[kPrefillThreads / 32][16 * 16];
    __shared__ float sMax[kPrefillRows], sSum[kPrefillRows];
    const int tid = threadIdx.x, warp = tid >> 5, lane = tid & 31;
    const int64_t t0 = int64_t(blockIdx.x) * kPrefillRows, h = blockIdx.y;
    const int64_t kvh = h / (a.qHeads / a.kvHeads);
    const int64_t start = a.startPos[0];
    const int rows = static_cast<int>(min(int64_t(kPrefillRows), a.tokens - t0));
    // The keys any of the block's rows sees: from the first row's window start to the last row.
    const int64_t kEnd = start + t0 + rows;
    const int64_t firstKey = a.window > 0 ? max(int64_t(0), start + t0 - a.window + 1) : 0;
    const int64_t kBegin = firstKey / kPrefillKeys * kPrefillKeys;
    for (int i = tid; i < kPrefillRows * D; i += kPrefillThreads) {
        const int r = i / D, c = i % D;
        const float v = r < rows ? a.q[(t0 + r) * a.qStride + h * D + c] * a.scale : 0.0f;
        sQ[i] = __float2bfloat16_rn(v);
    }
    if (tid < kPrefillRows) {
        sMax[tid] = -INFINITY;
        sSum[tid] = 0.0f;
    }
    __syncthreads();
    const __nv_bfloat16 *kBase = kCache + kvh * a.ctx * D;
    const __nv_bfloat16 *vBase = vCache + kvh * a.ctx * D;
    // Row tid's visible keys: [first, pos]; rows past `tokens` see none.
    const int64_t rowPos = start + t0 + tid;
    const int64_t rowFirst = a.window > 0 ? rowPos - a.window + 1 : 0;
    const auto visible = [&](int64_t key) {
        return tid < rows && key <= rowPos && key >= rowFirst;
    };

    // Pass 1: each row's maximum and sum of exp(s − max), online over the tiles.
    for (int64_t kb = kBegin; kb < kEnd; kb += kPrefillKeys) {
        prefill_scores<D>(sQ, kBase, kb, sS, warp);
        __syncthreads();
        if (tid < kPrefillRows) {
            const float *s = sS + tid * kPrefillKeys;
            float tileMax = -INFINITY;
            for (int j = 0; j < kPrefillKeys; ++j)
                if (visible(kb + j))
                    tileMax = fmaxf(tileMax, s[j]);
            if (tileMax > -INFINITY) {
                const float m = fmaxf(sMax[tid], tileMax);
                float l = sSum[tid] * expf(sMax[tid] - m);
                for (int j = 0; j < kPrefillKeys; ++j)
                    if (visible(kb + j))
                        l += expf(s[j] - m);
                sMax[tid] = m;
                sSum[tid] = l;
            }
        }
        __syncthreads();
    }

    // Pass 2: O = Σ P·V with the final maximum and sum.
    wmma::fragment<wmma::accumulator, 16, 16, 16, float> o[D / 16];
#pragma unroll
    for (int n = 0; n < D / 16; ++n)
        wmma::fill_fragment(o[n], 0.0f);
    for (int64_t kb = kBegin; kb < kEnd; kb += kPrefillKeys) {
        prefill_scores<D>(sQ, kBase, kb, sS, warp);
        __syncthreads();
        if (tid < kPrefillRows) {
            const float m = sMax[tid], inv = sSum[tid] > 0.0f ? 1.0f / sSum[tid] : 0.0f;
            for (int j = 0; j < kPrefillKeys; ++j) {
                const float p = visible(kb + j) ? expf(sS[tid * kPrefillKeys + j] - m) * inv : 0.0f;
                sP[tid * kPrefillKeys + j] = __float2bfloat16_rn(p);
            }
        }
        __syncthreads();
#pragma unroll
        for (int ks = 0; ks < kPrefillKeys / 16; ++ks) {
            wmma::fragment<wmma::matrix_a, 16, 16, 16, __nv_bfloat16, wmma::row_major> pa;
            wmma::load_matrix_sync(pa, sP + warp * 16 * kPrefillKeys + ks * 16, kPrefillKeys);
#pragma unroll
            for (int n = 0; n < D / 16; ++n) {
                wmma::fragment<wmma::matrix_b, 16, 16, 16, __nv_bfloat16, wmma::row_major> vb;
                wmma::load_matrix_sync(vb, vBase + (kb + ks * 16) * D + n * 16, D);
                wmma::mma_sync(o[n], pa, vb, o[n]);
            }
        }
        __syncthreads(); // sS and sP are rewritten by the next tile
    }

    // Out, through a per-warp 16x16 staging tile so rows past `tokens` are not written.
    float *stage = sOut[warp];
#pragma unroll
    for (int n = 0; n < D / 16; ++n) {
        wmma::store_matrix_sync(stage, o[n], 16, wmma::mem_row_major);
        __syncwarp();
        for (int i = lane; i < 16 * 16; i += 32) {
            const int r = warp * 16 + i / 16;
            if (r < rows)
                a.out[(t0 + r) * a.outStride + h * D + n * 16 + i % 16] = stage[i];
        }
        __syncwarp();
    }
}

template <int D> static Result<void> launchPrefill(const AttentionArgs &a, cudaStream_t stream)
{
    const dim3 grid(static_cast<unsigned>((a.tokens + kPrefillRows - 1) / kPrefillRows),
                    static_cast<unsigned>(a.qHeads));
    ENGINE_LAUNCH(grid, kPrefillThreads, 0, stream, attention_prefill_kernel<D>)
    (a, static_cast<const __nv_bfloat16 *>(a.kCache), static_cast<const __nv_bfloat16 *>(a.vCache));
    ENGINE_CUDA_CHECK_LAUNCH();
    return {};
}

bool attentionUsesTensorCores(const AttentionArgs &a)
{
    const bool aligned = reinterpret_cast<uintptr_t>(a.kCache) % 32 == 0 &&
                         reinterpret_cast<uintptr_t>(a.vCache) % 32 == 0;
    return a.tokens > 1 && a.headDim % 16 == 0 && a.headDim <= kMaxHeadDim &&
           a.ctx % kPrefillKeys == 0 && aligned && a.qHeads <= 65535;
}

Result<void> attention(const AttentionArgs &a, cudaStream_t stream)
{
    if (a.headDim <= 0 || a.headDim > kMaxHeadDim || kThreads % a.headDim != 0 ||
        a.headDim % 8 != 0)
        return makeError(Error::Code::Unsupported, "CUDA attention: head_dim " +
                                                       std::to_string(a.headDim) +
                                                       " is not one of 16, 32, 64, 128");
    if (a.kvHeads <= 0 || a.qHeads % a.kvHeads != 0 || a.tokens <= 0 || a.tokens > 65535 ||
        a.splitLen % kThreads != 0 || a.maxSplits <= 0 || a.maxSplits > 65535)
        return makeError(Error::Code::InvalidArgument, "CUDA attention: bad shape");
    if (attentionUsesTensorCores(a)) {
        switch (a.headDim) {
        case 16:
            return launchPrefill<16>(a, stream);
        case 32:
            return launchPrefill<32>(a, stream);
        case 64:
            return launchPrefill<64>(a, stream);
        case 128:
            return launchPrefill<128>(a, stream);
        }
    }
    const int64_t group = a.qHeads / a.kvHeads;
    const int64_t tiles = (group + kHeadTile - 1) / kHeadTile;
    const dim3 grid(static_cast<unsigned>(a.kvHeads * tiles), static_cast<unsigned>(a.maxSplits),
                    static_cast<unsigned>(a.tokens));
    ENGINE_LAUNCH(grid, kThreads, 0, stream, attention_split_kernel)
    (a, static_cast<const __nv_bfloat16 *>(a.kCache), static_cast<const __nv_bfloat16 *>(a.vCache));
    ENGINE_CUDA_CHECK_LAUNCH();
    const size_t shared = size_t(3) * static_cast<size_t>(a.maxSplits) * sizeof(float);
    const unsigned threads = static_cast<unsigned>(a.headDim < 32 ? 32 : a.headDim);
    ENGINE_LAUNCH(static_cast<unsigned>(a.tokens * a.qHeads), threads, shared, stream,
                  attention_combine_kernel)
    (a);
    ENGINE_CUDA_CHECK_LAUNCH();
    return {};
}

} // namespace engine::cuda
