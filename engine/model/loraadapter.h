#pragma once

// A PEFT LoRA adapter (adapter_config.json + adapter_model.safetensors) validated against a
// base model's config. It is applied on top of the base weights at run time
// (y = W x + scale * B (A x)), so it can be attached, detached and swapped without reloading.

#include <engine/common/result.h>
#include <engine/model/model.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace engine {

//! The seven projections a LoRA adapter can target.
enum class LoraTarget { Q, K, V, O, Gate, Up, Down };
inline constexpr int kLoraTargetCount = 7;

//! One adapted projection: A [rank, in] and B [out, rank] in fp32.
struct LoraPair
{
    std::vector<float> a, b;
    int64_t rank = 0, in = 0, out = 0;
    float scale = 0.f;
    bool present() const { return rank > 0; }
};

//! A loaded adapter; immutable and shareable between sessions.
class LoraAdapter
{
public:
    //! Loads `dir` and checks every tensor against `base` (names the file and tensor on error).
    static Result<std::shared_ptr<const LoraAdapter>> load(const std::string &dir,
                                                           const ModelConfig &base);

    const std::string &dir() const { return m_dir; }
    int64_t rank() const { return m_rank; }
    float scale() const { return m_scale; }
    //! The pair for `layer`/`target`, or nullptr when the adapter leaves it alone.
    const LoraPair *pair(int64_t layer, LoraTarget target) const;
    uint64_t bytes() const;
    GenerationDefaults fireworksDefaults() const { return m_defaults; }

    //! A copy of `base` with every adapted matrix replaced by W + scale * B A (fp32).
    std::shared_ptr<const Model> merge(std::shared_ptr<const Model> base) const;

private:
    std::string m_dir;
    int64_t m_rank = 0;
    float m_scale = 0.f;
    std::vector<std::array<LoraPair, kLoraTargetCount>> m_layers;
    GenerationDefaults m_defaults;
};

} // namespace engine
