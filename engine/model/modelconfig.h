#pragma once

// Model hyper-parameters read from a Hugging Face config.json (transformers 4 and 5 layouts),
// the tensor table they imply, and the memory a loaded model will need.

#include <engine/common/result.h>
#include <engine/safetensors/safetensors.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace engine {

//! Decoder families the engine runs; they differ only in the details flagged in ModelConfig.
enum class Architecture { Llama, Mistral, Qwen2, Qwen3 };
const char *architectureName(Architecture arch);

//! RoPE frequency scaling (`rope_scaling` / `rope_parameters`).
struct RopeScaling
{
    enum class Type { None, Linear, Llama3 };
    Type type = Type::None;
    double factor = 1.0;
    double lowFreqFactor = 1.0;
    double highFreqFactor = 4.0;
    int64_t originalMaxPositions = 8192;
};

//! Everything the forward pass needs from config.json.
struct ModelConfig
{
    Architecture arch = Architecture::Llama;
    std::string modelType;
    int64_t hiddenSize = 0;
    int64_t intermediateSize = 0;
    int64_t numLayers = 0;
    int64_t numHeads = 0;
    int64_t numKvHeads = 0;
    int64_t headDim = 0;
    int64_t vocabSize = 0;
    int64_t maxPositions = 0;
    double rmsNormEps = 1e-6;
    double ropeTheta = 10000.0;
    RopeScaling ropeScaling;
    bool tieWordEmbeddings = false;
    bool qkvBias = false;       //!< Qwen2: q/k/v projections carry a bias
    bool qkNorm = false;        //!< Qwen3: RMSNorm over each q and k head before RoPE
    int64_t slidingWindow = 0;  //!< 0 = full attention
    std::optional<DType> dtype; //!< `dtype` / `torch_dtype`, when given
    std::vector<int32_t> eosTokenIds;
    std::optional<int32_t> bosTokenId;
};

//! Parses config.json text; `fileName` names the file in errors.
Result<ModelConfig> parseModelConfig(std::string_view json, std::string_view fileName);

//! Name and shape of one tensor the architecture expects.
struct ExpectedTensor
{
    std::string name;
    std::vector<int64_t> shape;
    bool optional = false; //!< lm_head.weight when embeddings are tied
};

//! The tensors a checkpoint of this config must contain, with their shapes.
std::vector<ExpectedTensor> expectedTensors(const ModelConfig &config);

//! Bytes a model will use, computed before anything is allocated.
struct MemoryEstimate
{
    uint64_t weightBytes = 0;     //!< mapped weights (file-backed, read-only)
    uint64_t kvCacheBytes = 0;    //!< f16 K and V for every layer and position (CPU default)
    uint64_t activationBytes = 0; //!< scratch buffers for one prefill chunk plus logits
    uint64_t loraBytes = 0;       //!< fp32 adapter matrices, when one is attached
    uint64_t total() const;       //!< saturates at UINT64_MAX instead of wrapping
};

//! Estimate for `contextLength` positions and `weightDType` weights.
MemoryEstimate estimateMemory(const ModelConfig &config, DType weightDType, int64_t contextLength,
                              int64_t prefillChunk = 256);

//! Sampling defaults and stop conditions from generation_config.json and fireworks.json.
struct GenerationDefaults
{
    std::vector<int32_t> eosTokenIds;
    std::optional<double> temperature, topP, minP, repetitionPenalty, presencePenalty,
        frequencyPenalty;
    std::optional<int64_t> topK, maxTokens;
    std::optional<bool> doSample;
    std::vector<std::string> stop;
    //! fireworks.json conversation_config (jinja template, system prompt, special tokens).
    std::string chatTemplate, systemPrompt, bosToken, eosToken;
};

//! Reads generation_config.json (may be empty) then fireworks.json (may be empty) which wins.
Result<GenerationDefaults> parseGenerationDefaults(std::string_view generationConfigJson,
                                                   std::string_view fireworksJson,
                                                   std::string_view dirForErrors);

} // namespace engine
