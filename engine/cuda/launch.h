#pragma once

// Types the kernel launchers (*.cuh) share with host code. Kept to C++17 so nvcc can compile
// it (engine headers that use C++20, such as safetensors.h, stay out of .cu files).

#include <engine/common/result.h>

#include <cstdint>

namespace engine::cuda {

//! Element type of a weight matrix on the device; the launchers dispatch on it once.
enum class WeightType { F32, F16, BF16 };

} // namespace engine::cuda
