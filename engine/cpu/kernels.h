#pragma once

// CPU kernels of the forward pass. Matrix weights stay in their stored dtype (f32, f16, bf16)
// and are widened to fp32 on the fly; all accumulation is fp32. The dot-product kernel is
// picked once at run time (AVX-512, AVX2+FMA+F16C, or portable scalar).

#include <engine/cpu/threadpool.h>
#include <engine/model/model.h>

#include <cstdint>

namespace engine::cpu {

//! Dot product of one weight row in its stored dtype with an fp32 vector.
using DotFn = float (*)(const void *w, const float *x, int64_t n);

//! Four dot products of one weight row with x, x + stride, x + 2 stride, x + 3 stride: the
//! row is loaded and widened once for four tokens (prefill).
using Dot4Fn = void (*)(const void *w, const float *x, int64_t stride, int64_t n, float *out4);

//! The dot kernels of one instruction set.
struct DotKernels
{
    const char *isa = "scalar";
    DotFn f32 = nullptr, f16 = nullptr, bf16 = nullptr;
    Dot4Fn f32x4 = nullptr, f16x4 = nullptr, bf16x4 = nullptr;
    DotFn forDType(DType d) const { return d == DType::F32 ? f32 : d == DType::F16 ? f16 : bf16; }
    Dot4Fn forDType4(DType d) const
    {
        return d == DType::F32 ? f32x4 : d == DType::F16 ? f16x4 : bf16x4;
    }
};

//! The best kernels this CPU supports; FIREDECK_ENGINE_ISA=scalar|avx2|avx512 narrows the choice.
const DotKernels &bestDotKernels();
//! Kernels for a named ISA ("scalar", "avx2", "avx512"), or nullptr if the CPU lacks it.
const DotKernels *dotKernelsFor(const char *isa);

//! out[t][r] = sum_k W[r][k] * x[t][k] for t < tokens; rows split across the pool.
void matmul(ThreadPool &pool, const DotKernels &k, const Weight &w, const float *x, int64_t tokens,
            float *out);

//! out = x / rms(x) * weight over n elements.
void rmsnorm(const float *x, const float *weight, float *out, int64_t n, float eps);

} // namespace engine::cpu
