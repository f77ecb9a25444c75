#include "modelconfig.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace engine {

namespace {

using json = nlohmann::json;

Error bad(std::string_view file, const std::string &what)
{
    return makeError(Error::Code::Corrupt, std::string(file) + ": " + what);
}

// Reads an integer field; missing → fallback (or error when required).
Result<int64_t> intField(const json &j, const char *key, std::string_view file,
                         std::optional<int64_t> fallback)
{
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        if (fallback)
            return *fallback;
        return bad(file, std::string("missing integer field '") + key + "'");
    }
    if (!it->is_number_integer())
        return bad(file, std::string("field '") + key + "' is not an integer");
    return it->get<int64_t>();
}

Result<double> numField(const json &j, const char *key, std::string_view file,
                        std::optional<double> fallback)
{
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        if (fallback)
            return *fallback;
        return bad(file, std::string("missing number field '") + key + "'");
    }
    if (!it->is_number())
        return bad(file, std::string("field '") + key + "' is not a number");
    return it->get<double>();
}

std::optional<DType> dtypeFromTorch(const std::string &s)
{
    if (s == "float32")
        return DType::F32;
    if (s == "float16")
        return DType::F16;
    if (s == "bfloat16")
        return DType::BF16;
    return std::nullopt;
}

Result<std::vector<int32_t>> idList(const json &v, std::string_view file, const char *key)
{
    std::vector<int32_t> out;
    if (v.is_null())
        return out;
    if (v.is_number_integer()) {
        out.push_back(static_cast<int32_t>(v.get<int64_t>()));
        return out;
    }
    if (v.is_array()) {
        for (const auto &e : v) {
            if (!e.is_number_integer())
                return bad(file, std::string("'") + key + "' contains a non-integer");
            out.push_back(static_cast<int32_t>(e.get<int64_t>()));
        }
        return out;
    }
    return bad(file, std::string("'") + key + "' is neither an integer nor a list");
}

} // namespace

const char *architectureName(Architecture arch)
{
    switch (arch) {
    case Architecture::Llama:
        return "llama";
    case Architecture::Mistral:
        return "mistral";
    case Architecture::Qwen2:
        return "qwen2";
    case Architecture::Qwen3:
        return "qwen3";
    }
    return "?";
}

#define TRY_ASSIGN(lhs, expr)                                                                      \
    do {                                                                                           \
        auto r_ = (expr);                                                                          \
        if (!r_)                                                                                   \
            return r_.error();                                                                     \
        lhs = std::move(r_).value();                                                               \
    } while (0)

Result<ModelConfig> parseModelConfig(std::string_view text, std::string_view file)
{
    json j = json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return bad(file, "not a valid JSON object");
    ModelConfig c;
    auto mt = j.find("model_type");
    if (mt == j.end() || !mt->is_string())
        return bad(file, "missing string field 'model_type'");
    c.modelType = mt->get<std::string>();
    if (c.modelType == "llama")
        c.arch = Architecture::Llama;
    else if (c.modelType == "mistral")
        c.arch = Architecture::Mistral;
    else if (c.modelType == "qwen2")
        c.arch = Architecture::Qwen2;
    else if (c.modelType == "qwen3")
        c.arch = Architecture::Qwen3;
    else
        return makeError(Error::Code::Unsupported,
                         std::string(file) + ": unsupported model_type '" + c.modelType +
                             "' (supported: llama, mistral, qwen2, qwen3)");
    if (j.contains("quantization_config") && !j["quantization_config"].is_null())
        return makeError(Error::Code::Unsupported,
                         std::string(file) +
                             ": quantized checkpoints (quantization_config) are not supported");
    if (auto act = j.find("hidden_act");
        act != j.end() && act->is_string() && act->get<std::string>() != "silu")
        return makeError(Error::Code::Unsupported, std::string(file) + ": hidden_act '" +
                                                       act->get<std::string>() +
                                                       "' is not supported (silu only)");

    TRY_ASSIGN(c.hiddenSize, intField(j, "hidden_size", file, std::nullopt));
    TRY_ASSIGN(c.intermediateSize, intField(j, "intermediate_size", file, std::nullopt));
    TRY_ASSIGN(c.numLayers, intField(j, "num_hidden_layers", file, std::nullopt));
    TRY_ASSIGN(c.numHeads, intField(j, "num_attention_heads", file, std::nullopt));
    TRY_ASSIGN(c.numKvHeads, intField(j, "num_key_value_heads", file, c.numHeads));
    TRY_ASSIGN(c.vocabSize, intField(j, "vocab_size", file, std::nullopt));
    TRY_ASSIGN(c.maxPositions, intField(j, "max_position_embeddings", file, int64_t(2048)));
    TRY_ASSIGN(c.rmsNormEps, numField(j, "rms_norm_eps", file, 1e-6));
    if (c.hiddenSize <= 0 || c.intermediateSize <= 0 || c.numLayers <= 0 || c.numHeads <= 0 ||
        c.numKvHeads <= 0 || c.vocabSize <= 0 || c.maxPositions <= 0)
        return bad(file, "sizes must be positive");
    if (c.hiddenSize > (1 << 20) || c.intermediateSize > (1 << 22) || c.numLayers > 4096 ||
        c.numHeads > 4096 || c.vocabSize > (1 << 24) || c.maxPositions > (int64_t(1) << 30))
        return bad(file, "sizes are implausibly large");
    if (c.numHeads % c.numKvHeads != 0)
        return bad(file, "num_attention_heads (" + std::to_string(c.numHeads) +
                             ") is not a multiple of num_key_value_heads (" +
                             std::to_string(c.numKvHeads) + ")");
    TRY_ASSIGN(c.headDim, intField(j, "head_dim", file, c.hiddenSize / c.numHeads));
    if (c.headDim <= 0 || c.headDim % 2 != 0 || c.headDim > 1024)
        return bad(file, "head_dim " + std::to_string(c.headDim) + " must be positive and even");
    if (auto t = j.find("tie_word_embeddings"); t != j.end() && t->is_boolean())
        c.tieWordEmbeddings = t->get<bool>();
    c.qkvBias = c.arch == Architecture::Qwen2;
    if (auto b = j.find("attention_bias");
        b != j.end() && b->is_boolean() && c.arch != Architecture::Qwen2)
        c.qkvBias = b->get<bool>();
    if (auto b = j.find("mlp_bias"); b != j.end() && b->is_boolean() && b->get<bool>())
        return makeError(Error::Code::Unsupported,
                         std::string(file) + ": mlp_bias is not supported");
    c.qkNorm = c.arch == Architecture::Qwen3;

    // Sliding window: Mistral applies it whenever set; Qwen only with use_sliding_window.
    if (auto sw = j.find("sliding_window"); sw != j.end() && sw->is_number_integer()) {
        bool use = c.arch == Architecture::Mistral;
        if (auto u = j.find("use_sliding_window"); u != j.end() && u->is_boolean())
            use = u->get<bool>();
        if (use)
            c.slidingWindow = sw->get<int64_t>();
    }

    // dtype: transformers 5 writes `dtype`, 4 wrote `torch_dtype`.
    for (const char *key : {"dtype", "torch_dtype"}) {
        auto d = j.find(key);
        if (d != j.end() && d->is_string()) {
            c.dtype = dtypeFromTorch(d->get<std::string>());
            if (!c.dtype)
                return makeError(Error::Code::Unsupported,
                                 std::string(file) + ": " + key + " '" + d->get<std::string>() +
                                     "' is not supported (float32, float16, bfloat16)");
            break;
        }
    }

    // RoPE: transformers 5 puts theta and scaling in `rope_parameters`; 4 used `rope_theta` +
    // `rope_scaling`.
    json rope = json::object();
    if (auto rp = j.find("rope_parameters"); rp != j.end() && rp->is_object())
        rope = *rp;
    else if (auto rs = j.find("rope_scaling"); rs != j.end() && rs->is_object())
        rope = *rs;
    if (auto rt = j.find("rope_theta");
        rt != j.end() && rt->is_number() && !rope.contains("rope_theta"))
        rope["rope_theta"] = *rt;
    TRY_ASSIGN(c.ropeTheta, numField(rope, "rope_theta", file, 10000.0));
    std::string ropeType = "default";
    for (const char *key : {"rope_type", "type"})
        if (auto t = rope.find(key); t != rope.end() && t->is_string()) {
            ropeType = t->get<std::string>();
            break;
        }
    if (ropeType == "default") {
        c.ropeScaling.type = RopeScaling::Type::None;
    } else if (ropeType == "linear") {
        c.ropeScaling.type = RopeScaling::Type::Linear;
        TRY_ASSIGN(c.ropeScaling.factor, numField(rope, "factor", file, std::nullopt));
    } else if (ropeType == "llama3") {
        c.ropeScaling.type = RopeScaling::Type::Llama3;
        TRY_ASSIGN(c.ropeScaling.factor, numField(rope, "factor", file, std::nullopt));
        TRY_ASSIGN(c.ropeScaling.lowFreqFactor, numField(rope, "low_freq_factor", file, 1.0));
        TRY_ASSIGN(c.ropeScaling.highFreqFactor, numField(rope, "high_freq_factor", file, 4.0));
        TRY_ASSIGN(c.ropeScaling.originalMaxPositions,
                   intField(rope, "original_max_position_embeddings", file, 8192));
    } else {
        return makeError(Error::Code::Unsupported,
                         std::string(file) + ": rope type '" + ropeType +
                             "' is not supported (default, linear, llama3)");
    }
    if (c.ropeTheta <= 0 || c.ropeScaling.factor <= 0)
        return bad(file, "rope_theta and rope scaling factor must be positive");

    if (auto e = j.find("eos_token_id"); e != j.end())
        TRY_ASSIGN(c.eosTokenIds, idList(*e, file, "eos_token_id"));
    if (auto b = j.find("bos_token_id"); b != j.end() && b->is_number_integer())
        c.bosTokenId = static_cast<int32_t>(b->get<int64_t>());
    return c;
}

std::vector<ExpectedTensor> expectedTensors(const ModelConfig &c)
{
    std::vector<ExpectedTensor> t;
    const int64_t h = c.hiddenSize, q = c.numHeads * c.headDim, kv = c.numKvHeads * c.headDim;
    t.push_back({"model.embed_tokens.weight", {c.vocabSize, h}});
    for (int64_t l = 0; l < c.numLayers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        t.push_back({p + "input_layernorm.weight", {h}});
        t.push_back({p + "post_attention_layernorm.weight", {h}});
        t.push_back({p + "self_attn.q_proj.weight", {q, h}});
        t.push_back({p + "self_attn.k_proj.weight", {kv, h}});
        t.push_back({p + "self_attn.v_proj.weight", {kv, h}});
        t.push_back({p + "self_attn.o_proj.weight", {h, q}});
        if (c.qkvBias) {
            t.push_back({p + "self_attn.q_proj.bias", {q}});
            t.push_back({p + "self_attn.k_proj.bias", {kv}});
            t.push_back({p + "self_attn.v_proj.bias", {kv}});
        }
        if (c.qkNorm) {
            t.push_back({p + "self_attn.q_norm.weight", {c.headDim}});
            t.push_back({p + "self_attn.k_norm.weight", {c.headDim}});
        }
        t.push_back({p + "mlp.gate_proj.weight", {c.intermediateSize, h}});
        t.push_back({p + "mlp.up_proj.weight", {c.intermediateSize, h}});
        t.push_back({p + "mlp.down_proj.weight", {h, c.intermediateSize}});
    }
    t.push_back({"model.norm.weight", {h}});
    t.push_back({"lm_head.weight", {c.vocabSize, h}, c.tieWordEmbeddings});
    return t;
}

namespace {

// A context length asked for by a user, or a config that slipped past the plausibility limits,
// must give "far too much", never a small number wrapped around 2^64.
uint64_t saturatingMul(uint64_t a, uint64_t b)
{
    uint64_t r;
    return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}

uint64_t saturatingAdd(uint64_t a, uint64_t b)
{
    uint64_t r;
    return __builtin_add_overflow(a, b, &r) ? UINT64_MAX : r;
}

} // namespace

uint64_t MemoryEstimate::total() const
{
    return saturatingAdd(saturatingAdd(weightBytes, kvCacheBytes),
                         saturatingAdd(activationBytes, loraBytes));
}

MemoryEstimate estimateMemory(const ModelConfig &c, DType weightDType, int64_t contextLength,
                              int64_t prefillChunk)
{
    MemoryEstimate m;
    for (const ExpectedTensor &t : expectedTensors(c)) {
        if (t.optional)
            continue;
        uint64_t n = 1;
        for (int64_t d : t.shape)
            n = saturatingMul(n, static_cast<uint64_t>(std::max<int64_t>(d, 0)));
        m.weightBytes = saturatingAdd(m.weightBytes, saturatingMul(n, dtypeSize(weightDType)));
    }
    const uint64_t ctx = static_cast<uint64_t>(std::max<int64_t>(contextLength, 0));
    // f16 K and V (CpuBackendOptions::kvDType's default; the CUDA backend's cache is bf16).
    m.kvCacheBytes = saturatingMul(4ull * c.numLayers * c.numKvHeads * c.headDim, ctx);
    const uint64_t chunk = static_cast<uint64_t>(prefillChunk);
    const uint64_t q = c.numHeads * c.headDim, kv = c.numKvHeads * c.headDim;
    // Per chunk row: residual, normed, q, k, v, attention out, gate, up (see CpuBackend).
    // Per chunk row: residual, normed, q, k, v, attention out, gate, up, the GEMM output, and
    // (2 bytes) the bf16 copy of a GEMM input (see CpuBackend).
    const uint64_t widest = std::max({uint64_t(c.hiddenSize), uint64_t(c.intermediateSize), q});
    const uint64_t perRow = 2 * c.hiddenSize + q + 2 * kv + q + 2 * c.intermediateSize + widest;
    m.activationBytes = saturatingAdd(saturatingMul(chunk, perRow * sizeof(float) + widest * 2),
                                      2 * c.vocabSize * sizeof(float));
    return m;
}

Result<GenerationDefaults> parseGenerationDefaults(std::string_view genText,
                                                   std::string_view fwText, std::string_view dir)
{
    GenerationDefaults d;
    auto num = [](const json &o, const char *key, std::optional<double> &out) {
        if (auto it = o.find(key); it != o.end() && it->is_number())
            out = it->get<double>();
    };
    auto integer = [](const json &o, const char *key, std::optional<int64_t> &out) {
        if (auto it = o.find(key); it != o.end() && it->is_number_integer())
            out = it->get<int64_t>();
    };
    if (!genText.empty()) {
        const std::string file = std::string(dir) + "/generation_config.json";
        json g = json::parse(genText.begin(), genText.end(), nullptr, false);
        if (g.is_discarded() || !g.is_object())
            return bad(file, "not a valid JSON object");
        if (auto e = g.find("eos_token_id"); e != g.end())
            TRY_ASSIGN(d.eosTokenIds, idList(*e, file, "eos_token_id"));
        num(g, "temperature", d.temperature);
        num(g, "top_p", d.topP);
        num(g, "min_p", d.minP);
        num(g, "repetition_penalty", d.repetitionPenalty);
        integer(g, "top_k", d.topK);
        integer(g, "max_new_tokens", d.maxTokens);
        if (auto s = g.find("do_sample"); s != g.end() && s->is_boolean())
            d.doSample = s->get<bool>();
    }
    if (!fwText.empty()) {
        const std::string file = std::string(dir) + "/fireworks.json";
        json f = json::parse(fwText.begin(), fwText.end(), nullptr, false);
        if (f.is_discarded() || !f.is_object())
            return bad(file, "not a valid JSON object");
        if (auto df = f.find("defaults"); df != f.end() && df->is_object()) {
            num(*df, "temperature", d.temperature);
            num(*df, "top_p", d.topP);
            num(*df, "min_p", d.minP);
            num(*df, "repetition_penalty", d.repetitionPenalty);
            num(*df, "presence_penalty", d.presencePenalty);
            num(*df, "frequency_penalty", d.frequencyPenalty);
            integer(*df, "top_k", d.topK);
            integer(*df, "max_tokens", d.maxTokens);
            if (auto s = df->find("stop"); s != df->end()) {
                if (s->is_string())
                    d.stop.push_back(s->get<std::string>());
                else if (s->is_array()) {
                    for (const auto &e : *s) {
                        if (!e.is_string())
                            return bad(file, "defaults.stop contains a non-string");
                        d.stop.push_back(e.get<std::string>());
                    }
                }
            }
        }
        if (auto cc = f.find("conversation_config"); cc != f.end() && cc->is_object()) {
            auto style = cc->find("style");
            if (style == cc->end() || !style->is_string())
                return bad(file, "conversation_config.style is required");
            if (style->get<std::string>() != "jinja")
                return makeError(Error::Code::Unsupported, file + ": conversation_config.style '" +
                                                               style->get<std::string>() +
                                                               "' is not supported (jinja only)");
            if (auto args = cc->find("args"); args != cc->end() && args->is_object()) {
                if (auto t = args->find("template"); t != args->end() && t->is_string())
                    d.chatTemplate = t->get<std::string>();
                if (auto s = args->find("system"); s != args->end() && s->is_string())
                    d.systemPrompt = s->get<std::string>();
                if (auto m = args->find("special_tokens_map"); m != args->end() && m->is_object()) {
                    if (auto b = m->find("bos_token"); b != m->end() && b->is_string())
                        d.bosToken = b->get<std::string>();
                    if (auto e = m->find("eos_token"); e != m->end() && e->is_string())
                        d.eosToken = e->get<std::string>();
                }
            }
        }
    }
    return d;
}

} // namespace engine
