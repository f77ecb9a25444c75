#include "randommodel.h"

#include <engine/model/modelconfig.h>
#include <engine/safetensors/safetensorswriter.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

namespace engine {

Result<void> writeRandomModel(const std::string &configJson, const std::string &outDir, DType dtype,
                              uint64_t seed)
{
    auto config = parseModelConfig(configJson, "config.json");
    if (!config)
        return config.error();
    std::error_code ec;
    std::filesystem::create_directories(outDir, ec);
    if (ec)
        return makeError(Error::Code::Io, outDir + ": cannot create folder: " + ec.message());
    {
        std::ofstream cfg(outDir + "/config.json", std::ios::trunc);
        cfg << configJson;
        if (!cfg)
            return makeError(Error::Code::Io, outDir + "/config.json: write failed");
    }
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> normal(0.0f, 0.02f);
    std::vector<TensorData> tensors;
    for (const ExpectedTensor &e : expectedTensors(config.value())) {
        if (e.optional)
            continue;
        uint64_t n = 1;
        for (int64_t d : e.shape)
            n *= static_cast<uint64_t>(d);
        std::vector<float> values(n);
        const bool isNorm = e.name.find("norm") != std::string::npos;
        for (float &v : values)
            v = isNorm ? 1.0f + normal(rng) : normal(rng);
        tensors.push_back({e.name, dtype, e.shape, encodeFloats(values, dtype)});
    }
    return writeSafetensors(outDir + "/model.safetensors", tensors);
}

} // namespace engine
