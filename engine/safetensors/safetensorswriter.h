#pragma once

// Writes safetensors files (tests, the random-model generator of the firedeck-engine tool).

#include <engine/common/result.h>
#include <engine/safetensors/safetensors.h>

#include <string>
#include <vector>

namespace engine {

//! One tensor to write: raw little-endian bytes in `dtype`.
struct TensorData
{
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    std::vector<unsigned char> bytes;
};

//! Writes `tensors` to `path` in order, contiguously, with optional string metadata.
Result<void> writeSafetensors(const std::string &path, const std::vector<TensorData> &tensors);

//! fp32 → dtype bytes (round-to-nearest-even for bf16 and f16).
std::vector<unsigned char> encodeFloats(const std::vector<float> &values, DType dtype);

} // namespace engine
