#pragma once

// A loaded decoder-only transformer: its config, generation defaults, and views of its weights
// inside memory-mapped safetensors files (or owned buffers, for merged models).

#include <engine/common/result.h>
#include <engine/model/modelconfig.h>
#include <engine/safetensors/safetensors.h>

#include <memory>
#include <string>
#include <vector>

namespace engine {

//! A 2-D weight matrix [rows, cols], row-major, in its stored dtype.
struct Weight
{
    DType dtype = DType::F32;
    const void *data = nullptr;
    int64_t rows = 0;
    int64_t cols = 0;
    uint64_t bytes() const { return static_cast<uint64_t>(rows * cols) * dtypeSize(dtype); }
};

//! One decoder layer. Norm weights and biases are small and kept as fp32 copies.
struct LayerWeights
{
    const float *inputNorm = nullptr, *postAttnNorm = nullptr;
    const float *qBias = nullptr, *kBias = nullptr, *vBias = nullptr; //!< Qwen2 only
    const float *qNorm = nullptr, *kNorm = nullptr;                   //!< Qwen3 only
    Weight q, k, v, o, gate, up, down;
};

//! Options for Model::load.
struct LoadOptions
{
    //! Context length the memory estimate is computed for (0 = min(config max, 4096)).
    int64_t contextLength = 0;
};

//! An immutable loaded model; share it between sessions with std::shared_ptr.
class Model
{
public:
    //! Loads a Hugging Face model folder (config.json, safetensors single or sharded,
    //! generation_config.json and fireworks.json when present). Weights are mmapped.
    static Result<std::shared_ptr<const Model>> load(const std::string &dir);

    //! Memory a load of `dir` will need, from config.json and the safetensors headers only.
    static Result<MemoryEstimate> estimate(const std::string &dir, int64_t contextLength);

    //! A model whose matrices are owned fp32 copies of `base`'s; used to build merged
    //! (base + LoRA) models. Keeps `base` alive for the small shared buffers.
    static std::shared_ptr<Model> cloneAsF32(std::shared_ptr<const Model> base);

    const ModelConfig &config() const { return m_config; }
    const GenerationDefaults &defaults() const { return m_defaults; }
    const std::string &dir() const { return m_dir; }
    //! The dtype of the matrices (the first matrix's; mixed files are allowed).
    DType weightDType() const { return m_embed.dtype; }
    //! Bytes of all matrices read per decoded token (layers + output layer).
    uint64_t weightBytesPerToken() const;

    const Weight &embedding() const { return m_embed; }
    const Weight &lmHead() const { return m_lmHead; }
    const float *finalNorm() const { return m_finalNorm; }
    const std::vector<LayerWeights> &layers() const { return m_layers; }
    std::vector<LayerWeights> &mutableLayers() { return m_layers; }
    //! Keeps `buffer` alive as long as the model; returns its data.
    float *adopt(std::vector<float> buffer);

private:
    Model() = default;
    ModelConfig m_config;
    GenerationDefaults m_defaults;
    std::string m_dir;
    Weight m_embed, m_lmHead;
    const float *m_finalNorm = nullptr;
    std::vector<LayerWeights> m_layers;
    std::vector<std::shared_ptr<SafetensorsFile>> m_files;
    std::vector<std::vector<float>> m_owned;
    std::shared_ptr<const Model> m_base;
};

//! Converts `count` elements of `dtype` at `src` to fp32.
void convertToF32(DType dtype, const void *src, float *dst, uint64_t count);

} // namespace engine
