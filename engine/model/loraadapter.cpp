#include "loraadapter.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>
#include <regex>

namespace engine {

namespace {

int targetIndex(const std::string &module)
{
    static const char *names[] = {"q_proj",    "k_proj",  "v_proj",   "o_proj",
                                  "gate_proj", "up_proj", "down_proj"};
    for (int i = 0; i < kLoraTargetCount; ++i)
        if (module == names[i])
            return i;
    return -1;
}

} // namespace

Result<std::shared_ptr<const LoraAdapter>> LoraAdapter::load(const std::string &dir,
                                                             const ModelConfig &base)
{
    const std::string cfgPath = dir + "/adapter_config.json";
    auto text = readTextFile(cfgPath);
    if (!text)
        return text.error();
    auto j = nlohmann::json::parse(text.value(), nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return makeError(Error::Code::Corrupt, cfgPath + ": not a valid JSON object");
    auto unsupported = [&](const std::string &what) {
        return makeError(Error::Code::Unsupported, cfgPath + ": " + what);
    };
    const std::string peftType = j.contains("peft_type") && j["peft_type"].is_string()
                                     ? j["peft_type"].get<std::string>()
                                     : "LORA";
    if (peftType != "LORA")
        return unsupported("peft_type '" + peftType + "' is not supported (LORA only)");
    if (!j.contains("r") || !j["r"].is_number_integer() || j["r"].get<int64_t>() <= 0)
        return makeError(Error::Code::Corrupt, cfgPath + ": 'r' must be a positive integer");
    if (!j.contains("lora_alpha") || !j["lora_alpha"].is_number())
        return makeError(Error::Code::Corrupt, cfgPath + ": 'lora_alpha' must be a number");
    for (const char *flag : {"use_dora", "fan_in_fan_out", "use_qalora"})
        if (j.contains(flag) && j[flag].is_boolean() && j[flag].get<bool>())
            return unsupported(std::string(flag) + " adapters are not supported");
    for (const char *pattern : {"rank_pattern", "alpha_pattern"})
        if (j.contains(pattern) && j[pattern].is_object() && !j[pattern].empty())
            return unsupported(std::string(pattern) +
                               " (per-module rank or alpha) is not supported");
    if (j.contains("bias") && j["bias"].is_string() && j["bias"].get<std::string>() != "none")
        return unsupported("bias '" + j["bias"].get<std::string>() +
                           "' is not supported (none only)");
    if (j.contains("modules_to_save") && j["modules_to_save"].is_array() &&
        !j["modules_to_save"].empty())
        return unsupported("modules_to_save is not supported");

    std::shared_ptr<LoraAdapter> adapter(new LoraAdapter());
    adapter->m_dir = dir;
    adapter->m_rank = j["r"].get<int64_t>();
    const double alpha = j["lora_alpha"].get<double>();
    const bool rslora =
        j.contains("use_rslora") && j["use_rslora"].is_boolean() && j["use_rslora"].get<bool>();
    const double scale = rslora ? alpha / std::sqrt(double(adapter->m_rank))
                                : alpha / double(adapter->m_rank);
    // A float scale: a larger one would be infinite and turn every merged weight into inf/NaN.
    if (!(std::fabs(scale) <= double(std::numeric_limits<float>::max())))
        return makeError(Error::Code::Corrupt,
                         cfgPath + ": 'lora_alpha' / 'r' is out of range for a scale");
    adapter->m_scale = static_cast<float>(scale);
    adapter->m_layers.resize(static_cast<std::size_t>(base.numLayers));

    if (std::filesystem::exists(dir + "/fireworks.json")) {
        auto fw = readTextFile(dir + "/fireworks.json");
        if (!fw)
            return fw.error();
        auto d = parseGenerationDefaults({}, fw.value(), dir);
        if (!d)
            return d.error();
        adapter->m_defaults = std::move(d).value();
    }

    const std::string path = dir + "/adapter_model.safetensors";
    auto file = SafetensorsFile::open(path);
    if (!file)
        return file.error();
    static const std::regex re(
        R"(^base_model\.model\.model\.layers\.(\d+)\.(self_attn|mlp)\.(q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj)\.lora_([AB])\.weight$)");
    const int64_t h = base.hiddenSize, q = base.numHeads * base.headDim,
                  kv = base.numKvHeads * base.headDim, im = base.intermediateSize;
    const int64_t ins[] = {h, h, h, q, h, h, im};
    const int64_t outs[] = {q, kv, kv, h, im, im, h};
    int count = 0;
    for (const TensorInfo &t : file.value()->header().tensors) {
        std::smatch m;
        if (!std::regex_match(t.name, m, re))
            return makeError(Error::Code::Unsupported,
                             path + ": tensor '" + t.name +
                                 "' is not a LoRA A/B matrix of a decoder projection");
        long layer = -1;
        const std::string digits = m[1].str();
        if (std::from_chars(digits.data(), digits.data() + digits.size(), layer).ec != std::errc())
            layer = -1; // too many digits: reported as out of range below
        if (layer < 0 || layer >= base.numLayers)
            return makeError(Error::Code::Corrupt, path + ": tensor '" + t.name + "' names layer " +
                                                       m[1].str() + " but the base model has " +
                                                       std::to_string(base.numLayers));
        const int target = targetIndex(m[3].str());
        const bool isA = m[4].str() == "A";
        const int64_t r = adapter->m_rank;
        const std::vector<int64_t> expect =
            isA ? std::vector<int64_t>{r, ins[target]} : std::vector<int64_t>{outs[target], r};
        if (t.shape != expect)
            return makeError(Error::Code::Corrupt,
                             path + ": tensor '" + t.name + "' has shape [" +
                                 (t.shape.size() == 2 ? std::to_string(t.shape[0]) + ", " +
                                                            std::to_string(t.shape[1])
                                                      : std::string("?")) +
                                 "], expected [" + std::to_string(expect[0]) + ", " +
                                 std::to_string(expect[1]) + "] (r " + std::to_string(r) + ")");
        if (!isComputeDType(t.dtype))
            return makeError(Error::Code::Unsupported, path + ": tensor '" + t.name +
                                                           "' has dtype " + dtypeName(t.dtype) +
                                                           " (supported: F32, F16, BF16)");
        auto view = file.value()->tensor(t.name);
        if (!view)
            return view.error();
        LoraPair &p =
            adapter->m_layers[static_cast<std::size_t>(layer)][static_cast<std::size_t>(target)];
        std::vector<float> &dst = isA ? p.a : p.b;
        dst.resize(view->elementCount());
        convertToF32(view->dtype, view->data, dst.data(), dst.size());
        p.in = ins[target];
        p.out = outs[target];
        p.scale = adapter->m_scale;
        ++count;
    }
    for (std::size_t l = 0; l < adapter->m_layers.size(); ++l)
        for (int t = 0; t < kLoraTargetCount; ++t) {
            LoraPair &p = adapter->m_layers[l][static_cast<std::size_t>(t)];
            if (p.a.empty() != p.b.empty())
                return makeError(Error::Code::Corrupt,
                                 path + ": layer " + std::to_string(l) + " has lora_" +
                                     (p.a.empty() ? "B but no lora_A" : "A but no lora_B"));
            if (!p.a.empty())
                p.rank = adapter->m_rank;
        }
    if (count == 0)
        return makeError(Error::Code::Corrupt, path + ": contains no LoRA tensors");
    return std::shared_ptr<const LoraAdapter>(std::move(adapter));
}

const LoraPair *LoraAdapter::pair(int64_t layer, LoraTarget target) const
{
    const LoraPair &p = m_layers[static_cast<std::size_t>(layer)][static_cast<std::size_t>(target)];
    return p.present() ? &p : nullptr;
}

uint64_t LoraAdapter::bytes() const
{
    uint64_t n = 0;
    for (const auto &layer : m_layers)
        for (const LoraPair &p : layer)
            n += (p.a.size() + p.b.size()) * sizeof(float);
    return n;
}

std::shared_ptr<const Model> LoraAdapter::merge(std::shared_ptr<const Model> base) const
{
    std::shared_ptr<Model> merged = Model::cloneAsF32(std::move(base));
    for (std::size_t l = 0; l < merged->mutableLayers().size(); ++l) {
        LayerWeights &lw = merged->mutableLayers()[l];
        Weight *ws[] = {&lw.q, &lw.k, &lw.v, &lw.o, &lw.gate, &lw.up, &lw.down};
        for (int t = 0; t < kLoraTargetCount; ++t) {
            const LoraPair *p = pair(static_cast<int64_t>(l), static_cast<LoraTarget>(t));
            if (!p)
                continue;
            // The clone owns these fp32 buffers, so writing through the const pointer is safe.
            float *w = const_cast<float *>(static_cast<const float *>(ws[t]->data));
            for (int64_t o = 0; o < p->out; ++o)
                for (int64_t i = 0; i < p->in; ++i) {
                    double acc = 0;
                    for (int64_t r = 0; r < p->rank; ++r)
                        acc += double(p->b[o * p->rank + r]) * p->a[r * p->in + i];
                    w[o * p->in + i] += static_cast<float>(p->scale * acc);
                }
        }
    }
    return merged;
}

} // namespace engine
