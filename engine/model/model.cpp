#include "model.h"

#include <nlohmann/json.hpp>

#include <cstring>
#include <filesystem>
#include <map>

namespace engine {

namespace fs = std::filesystem;

namespace {

float bf16ToF32(uint16_t v)
{
    const uint32_t bits = static_cast<uint32_t>(v) << 16;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

float f16ToF32(uint16_t h)
{
    const uint32_t sign = (h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1F;
    uint32_t mant = h & 0x3FF;
    uint32_t bits;
    if (exp == 0) {
        if (mant == 0) {
            bits = sign;
        } else { // subnormal: renormalise
            exp = 127 - 15 + 1;
            while ((mant & 0x400) == 0) {
                mant <<= 1;
                --exp;
            }
            mant &= 0x3FF;
            bits = sign | (exp << 23) | (mant << 13);
        }
    } else if (exp == 31) {
        bits = sign | 0x7F800000u | (mant << 13);
    } else {
        bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
    }
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

std::string shapeString(const std::vector<int64_t> &s)
{
    std::string out = "[";
    for (std::size_t i = 0; i < s.size(); ++i)
        out += (i ? ", " : "") + std::to_string(s[i]);
    return out + "]";
}

// Where each tensor lives: single file or the index of a sharded checkpoint.
Result<std::map<std::string, std::string>> tensorFiles(const std::string &dir,
                                                       std::vector<std::string> &files)
{
    std::map<std::string, std::string> where;
    const std::string index = dir + "/model.safetensors.index.json";
    const std::string single = dir + "/model.safetensors";
    if (fs::exists(index)) {
        auto text = readTextFile(index);
        if (!text)
            return text.error();
        auto j = nlohmann::json::parse(text.value(), nullptr, false);
        if (j.is_discarded() || !j.is_object() || !j.contains("weight_map") ||
            !j["weight_map"].is_object())
            return makeError(Error::Code::Corrupt,
                             index + ": not a JSON object with a 'weight_map' object");
        for (auto it = j["weight_map"].begin(); it != j["weight_map"].end(); ++it) {
            if (!it.value().is_string())
                return makeError(Error::Code::Corrupt,
                                 index + ": weight_map['" + it.key() + "'] is not a file name");
            const std::string f = it.value().get<std::string>();
            if (f.find('/') != std::string::npos || f.find("..") != std::string::npos)
                return makeError(Error::Code::Corrupt,
                                 index + ": weight_map['" + it.key() +
                                     "'] names a file outside the folder: " + f);
            where[it.key()] = f;
            if (std::find(files.begin(), files.end(), f) == files.end())
                files.push_back(f);
        }
        return where;
    }
    if (fs::exists(single)) {
        files.push_back("model.safetensors");
        return where; // empty map: everything in the single file
    }
    return makeError(Error::Code::NotFound,
                     dir + ": no model.safetensors or model.safetensors.index.json in the folder");
}

struct LoadedConfig
{
    ModelConfig config;
    GenerationDefaults defaults;
};

Result<LoadedConfig> loadConfigs(const std::string &dir)
{
    if (!fs::is_directory(dir))
        return makeError(Error::Code::NotFound, dir + ": not a folder");
    auto text = readTextFile(dir + "/config.json");
    if (!text)
        return text.error();
    auto config = parseModelConfig(text.value(), dir + "/config.json");
    if (!config)
        return config.error();
    std::string gen, fw;
    if (fs::exists(dir + "/generation_config.json")) {
        auto g = readTextFile(dir + "/generation_config.json");
        if (!g)
            return g.error();
        gen = std::move(g).value();
    }
    if (fs::exists(dir + "/fireworks.json")) {
        auto f = readTextFile(dir + "/fireworks.json");
        if (!f)
            return f.error();
        fw = std::move(f).value();
    }
    auto defaults = parseGenerationDefaults(gen, fw, dir);
    if (!defaults)
        return defaults.error();
    if (defaults->eosTokenIds.empty())
        defaults->eosTokenIds = config->eosTokenIds;
    return LoadedConfig{std::move(config).value(), std::move(defaults).value()};
}

} // namespace

void convertToF32(DType dtype, const void *src, float *dst, uint64_t count)
{
    switch (dtype) {
    case DType::F32:
        std::memcpy(dst, src, count * 4);
        return;
    case DType::BF16: {
        const auto *s = static_cast<const uint16_t *>(src);
        for (uint64_t i = 0; i < count; ++i)
            dst[i] = bf16ToF32(s[i]);
        return;
    }
    case DType::F16: {
        const auto *s = static_cast<const uint16_t *>(src);
        for (uint64_t i = 0; i < count; ++i)
            dst[i] = f16ToF32(s[i]);
        return;
    }
    default: // callers only pass compute dtypes (checked at load)
        std::memset(dst, 0, count * sizeof(float));
        return;
    }
}

Result<std::shared_ptr<const Model>> Model::load(const std::string &dir)
{
    auto cfg = loadConfigs(dir);
    if (!cfg)
        return cfg.error();
    std::shared_ptr<Model> model(new Model());
    model->m_dir = dir;
    model->m_config = cfg->config;
    model->m_defaults = cfg->defaults;
    const ModelConfig &c = model->m_config;

    std::vector<std::string> fileNames;
    auto where = tensorFiles(dir, fileNames);
    if (!where)
        return where.error();
    std::map<std::string, std::shared_ptr<SafetensorsFile>> files;
    for (const std::string &f : fileNames) {
        auto file = SafetensorsFile::open(dir + "/" + f);
        if (!file)
            return file.error();
        files[f] = file.value();
        model->m_files.push_back(file.value());
    }
    auto fileFor = [&](const std::string &name) -> std::shared_ptr<SafetensorsFile> {
        if (where->empty())
            return files.begin()->second;
        auto it = where->find(name);
        return it == where->end() ? nullptr : files[it->second];
    };

    std::map<std::string, TensorView> views;
    for (const ExpectedTensor &e : expectedTensors(c)) {
        auto file = fileFor(e.name);
        if (!file || !file->contains(e.name)) {
            if (e.optional)
                continue;
            return makeError(Error::Code::NotFound,
                             (file ? file->path() : dir + "/model.safetensors.index.json") +
                                 ": tensor '" + e.name + "' is missing");
        }
        auto view = file->tensor(e.name);
        if (!view)
            return view.error();
        if (!isComputeDType(view->dtype))
            return makeError(Error::Code::Unsupported, file->path() + ": tensor '" + e.name +
                                                           "' has dtype " + dtypeName(view->dtype) +
                                                           " (supported: F32, F16, BF16)");
        if (view->shape != e.shape)
            return makeError(Error::Code::Corrupt, file->path() + ": tensor '" + e.name +
                                                       "' has shape " + shapeString(view->shape) +
                                                       ", config.json implies " +
                                                       shapeString(e.shape));
        views[e.name] = view.value();
    }
    auto matrix = [&](const std::string &name) {
        const TensorView &v = views.at(name);
        return Weight{v.dtype, v.data, v.shape[0], v.shape[1]};
    };
    auto vec = [&](const std::string &name) -> const float * {
        const TensorView &v = views.at(name);
        std::vector<float> buf(v.elementCount());
        convertToF32(v.dtype, v.data, buf.data(), buf.size());
        return model->adopt(std::move(buf));
    };
    model->m_embed = matrix("model.embed_tokens.weight");
    model->m_lmHead = views.count("lm_head.weight") ? matrix("lm_head.weight") : model->m_embed;
    model->m_finalNorm = vec("model.norm.weight");
    for (int64_t l = 0; l < c.numLayers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        LayerWeights w;
        w.inputNorm = vec(p + "input_layernorm.weight");
        w.postAttnNorm = vec(p + "post_attention_layernorm.weight");
        w.q = matrix(p + "self_attn.q_proj.weight");
        w.k = matrix(p + "self_attn.k_proj.weight");
        w.v = matrix(p + "self_attn.v_proj.weight");
        w.o = matrix(p + "self_attn.o_proj.weight");
        if (c.qkvBias) {
            w.qBias = vec(p + "self_attn.q_proj.bias");
            w.kBias = vec(p + "self_attn.k_proj.bias");
            w.vBias = vec(p + "self_attn.v_proj.bias");
        }
        if (c.qkNorm) {
            w.qNorm = vec(p + "self_attn.q_norm.weight");
            w.kNorm = vec(p + "self_attn.k_norm.weight");
        }
        w.gate = matrix(p + "mlp.gate_proj.weight");
        w.up = matrix(p + "mlp.up_proj.weight");
        w.down = matrix(p + "mlp.down_proj.weight");
        model->m_layers.push_back(w);
    }
    return std::shared_ptr<const Model>(std::move(model));
}

Result<MemoryEstimate> Model::estimate(const std::string &dir, int64_t contextLength)
{
    auto cfg = loadConfigs(dir);
    if (!cfg)
        return cfg.error();
    std::vector<std::string> fileNames;
    auto where = tensorFiles(dir, fileNames);
    if (!where)
        return where.error();
    // The dtype comes from the first file's header (read without mapping the whole file).
    DType dtype = cfg->config.dtype.value_or(DType::BF16);
    auto file = SafetensorsFile::open(dir + "/" + fileNames.front());
    if (!file)
        return file.error();
    if (!file.value()->header().tensors.empty())
        dtype = file.value()->header().tensors.front().dtype;
    if (contextLength <= 0)
        contextLength = std::min<int64_t>(cfg->config.maxPositions, 4096);
    return estimateMemory(cfg->config, dtype, contextLength);
}

std::shared_ptr<Model> Model::cloneAsF32(std::shared_ptr<const Model> basePtr)
{
    const Model &base = *basePtr;
    std::shared_ptr<Model> m(new Model());
    m->m_config = base.m_config;
    m->m_defaults = base.m_defaults;
    m->m_dir = base.m_dir;
    m->m_files = base.m_files;
    m->m_finalNorm = base.m_finalNorm;
    m->m_base = basePtr;
    m->m_owned.reserve(base.m_layers.size() * 8 + 2);
    auto copy = [&](const Weight &w) {
        std::vector<float> buf(static_cast<std::size_t>(w.rows * w.cols));
        convertToF32(w.dtype, w.data, buf.data(), buf.size());
        return Weight{DType::F32, m->adopt(std::move(buf)), w.rows, w.cols};
    };
    m->m_embed = copy(base.m_embed);
    m->m_lmHead = base.m_lmHead.data == base.m_embed.data ? m->m_embed : copy(base.m_lmHead);
    m->m_layers = base.m_layers; // norms and biases stay shared with the base's buffers
    for (LayerWeights &l : m->m_layers)
        for (Weight *w : {&l.q, &l.k, &l.v, &l.o, &l.gate, &l.up, &l.down})
            *w = copy(*w);
    return m;
}

uint64_t Model::weightBytesPerToken() const
{
    uint64_t total =
        m_lmHead.bytes() + static_cast<uint64_t>(m_embed.cols) * dtypeSize(m_embed.dtype);
    for (const LayerWeights &l : m_layers)
        total += l.q.bytes() + l.k.bytes() + l.v.bytes() + l.o.bytes() + l.gate.bytes() +
                 l.up.bytes() + l.down.bytes();
    return total;
}

float *Model::adopt(std::vector<float> buffer)
{
    m_owned.push_back(std::move(buffer));
    return m_owned.back().data();
}

} // namespace engine
