#pragma once

// Test data helpers shared by the kernel reference tests (core/tst_kernelref.cpp) and the CUDA
// kernel tests (cuda/tst_cudakernels.cpp).

#include <engine/cpu/reference.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

namespace enginetest {

inline std::vector<float> randomVector(std::mt19937 &rng, std::size_t n, float scale = 1.0f)
{
    std::normal_distribution<float> d(0.0f, scale);
    std::vector<float> v(n);
    for (float &x : v)
        x = d(rng);
    return v;
}

//! The bf16 bit pattern of v, rounded to nearest even.
inline uint16_t bf16Bits(float v)
{
    const float r = engine::cpu::ref::roundToBf16(v);
    uint32_t u;
    std::memcpy(&u, &r, 4);
    return static_cast<uint16_t>(u >> 16);
}

} // namespace enginetest
