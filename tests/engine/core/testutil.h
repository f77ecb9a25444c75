#pragma once

// Helpers shared by the engine core tests: data paths and reading golden references.

#include <engine/model/model.h>
#include <engine/model/randommodel.h>
#include <engine/safetensors/safetensors.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace enginetest {

//! The config.json of a random-weight Llama for tests of what the engine does rather than its
//! numbers: hidden size 32, `layers` layers, a vocabulary of 64 whose last token ends a reply.
inline std::string tinyLlamaConfig(int layers)
{
    return R"({"architectures":["LlamaForCausalLM"],"model_type":"llama","hidden_size":32,)"
           R"("intermediate_size":64,"num_hidden_layers":)" +
           std::to_string(layers) +
           R"(,"num_attention_heads":4,"num_key_value_heads":2,"vocab_size":64,)"
           R"("max_position_embeddings":64,"rms_norm_eps":1e-5,"rope_theta":10000.0,)"
           R"("tie_word_embeddings":true,"eos_token_id":63,"torch_dtype":"float32"})";
}

//! Writes tinyLlamaConfig(layers) with random weights (seed 7, f32) into `dir` and loads it;
//! null with `error` set when either fails.
inline std::shared_ptr<const engine::Model> writeTinyLlama(const std::string &dir, int layers,
                                                           std::string *error)
{
    if (auto written =
            engine::writeRandomModel(tinyLlamaConfig(layers), dir, engine::DType::F32, 7);
        !written) {
        *error = written.error().message;
        return nullptr;
    }
    auto model = engine::Model::load(dir);
    if (!model) {
        *error = model.error().message;
        return nullptr;
    }
    return model.value();
}

inline std::string goldenDir(const std::string &name)
{
    return std::string(FIREDECK_TEST_DATA_DIR) + "/golden/" + name;
}

struct Reference
{
    std::vector<int32_t> promptIds;
    std::vector<float> logitsLast;
    std::vector<int32_t> greedy;
    std::vector<float> allLogits; //!< [positions][vocab]
    int64_t positions = 0, vocab = 0;
};

inline Reference loadReference(const std::string &dir)
{
    Reference r;
    auto text = engine::readTextFile(dir + "/reference.json");
    auto j = nlohmann::json::parse(text.value());
    r.promptIds = j["prompt_ids"].get<std::vector<int32_t>>();
    r.logitsLast = j["logits_last"].get<std::vector<float>>();
    for (const char *key : {"greedy_32", "greedy_tokens"})
        if (j.contains(key))
            r.greedy = j[key].get<std::vector<int32_t>>();
    auto file = engine::SafetensorsFile::open(dir + "/reference-logits.safetensors");
    auto view = file.value()->tensor("logits");
    r.positions = view->shape[0];
    r.vocab = view->shape[1];
    r.allLogits.assign(static_cast<const float *>(view->data),
                       static_cast<const float *>(view->data) + r.positions * r.vocab);
    return r;
}

} // namespace enginetest
