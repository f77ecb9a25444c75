#pragma once

// cudasim: __nv_bfloat16 and __half as 16-bit storage with the CUDA conversion functions the
// engine's kernels call. Conversions round to nearest even, as the device's do; NaN stays NaN.

#include <bit>
#include <cstdint>

struct __nv_bfloat16
{
    uint16_t bits;
};
struct __half
{
    uint16_t bits;
};
static_assert(sizeof(__nv_bfloat16) == 2 && sizeof(__half) == 2);

inline float __bfloat162float(__nv_bfloat16 v)
{
    return std::bit_cast<float>(uint32_t(v.bits) << 16);
}

inline __nv_bfloat16 __float2bfloat16_rn(float f)
{
    uint32_t u = std::bit_cast<uint32_t>(f);
    if ((u & 0x7FFFFFFFu) > 0x7F800000u) // NaN: keep it quiet, keep the sign
        return {static_cast<uint16_t>((u >> 16) | 0x0040u)};
    u += 0x7FFFu + ((u >> 16) & 1u);
    return {static_cast<uint16_t>(u >> 16)};
}

inline float __half2float(__half v)
{
    const uint32_t sign = uint32_t(v.bits & 0x8000u) << 16;
    const uint32_t exp = (v.bits >> 10) & 0x1Fu, mant = v.bits & 0x3FFu;
    uint32_t u;
    if (exp == 0x1F) {
        u = sign | 0x7F800000u | (mant << 13);
    } else if (exp != 0) {
        u = sign | ((exp + 112u) << 23) | (mant << 13);
    } else if (mant == 0) {
        u = sign;
    } else { // subnormal half: normalise
        int e = -1;
        uint32_t m = mant;
        do {
            ++e;
            m <<= 1;
        } while ((m & 0x400u) == 0);
        u = sign | (uint32_t(112 - e) << 23) | ((m & 0x3FFu) << 13);
    }
    return std::bit_cast<float>(u);
}

inline __half __float2half_rn(float f)
{
    const uint32_t u = std::bit_cast<uint32_t>(f);
    const uint16_t sign = static_cast<uint16_t>((u >> 16) & 0x8000u);
    const uint32_t absBits = u & 0x7FFFFFFFu;
    if (absBits > 0x7F800000u)
        return {static_cast<uint16_t>(sign | 0x7E00u)};
    if (absBits >= 0x477FF000u) // rounds to or beyond 65520: infinity
        return {static_cast<uint16_t>(sign | 0x7C00u)};
    const int32_t exp = int32_t(absBits >> 23) - 127;
    if (exp >= -14) { // normal half
        const uint32_t mant = absBits & 0x7FFFFFu;
        uint32_t h = (uint32_t(exp + 15) << 10) | (mant >> 13);
        const uint32_t rest = mant & 0x1FFFu;
        if (rest > 0x1000u || (rest == 0x1000u && (h & 1u)))
            ++h; // may carry into the exponent, which is the right answer
        return {static_cast<uint16_t>(sign | h)};
    }
    if (exp < -25)
        return {sign};
    // Subnormal half: the value in units of 2^-24, rounded to nearest even.
    const uint32_t mant = (absBits & 0x7FFFFFu) | 0x800000u;
    const int shift = -exp - 14 + 13; // 14..24 bits dropped
    uint32_t h = mant >> shift;
    const uint32_t rest = mant & ((1u << shift) - 1u), halfway = 1u << (shift - 1);
    if (rest > halfway || (rest == halfway && (h & 1u)))
        ++h;
    return {static_cast<uint16_t>(sign | h)};
}
