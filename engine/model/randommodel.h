#pragma once

// Random-weight checkpoints of any supported shape, for tests and reproducible benchmarks.

#include <engine/common/result.h>
#include <engine/safetensors/safetensors.h>

#include <cstdint>
#include <string>

namespace engine {

//! Writes `outDir`/config.json (a copy of `configJson`) and model.safetensors with weights
//! drawn from N(0, 0.02) (norm weights 1) in `dtype`, deterministic for `seed`.
Result<void> writeRandomModel(const std::string &configJson, const std::string &outDir, DType dtype,
                              uint64_t seed = 1);

} // namespace engine
