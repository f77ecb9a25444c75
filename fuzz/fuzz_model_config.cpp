// libFuzzer target for a local model folder's JSON files as the engine reads them:
// engine::parseModelConfig (config.json), then the tensors and memory it implies
// (expectedTensors, estimateMemory), and engine::parseGenerationDefaults
// (generation_config.json + fireworks.json). Input: config.json NUL generation_config.json NUL
// fireworks.json (missing parts are empty). Besides "no crash, no sanitizer report": an accepted
// config has positive sizes within the parser's limits and every refusal has a message.

#include <engine/model/modelconfig.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    std::string_view rest(reinterpret_cast<const char *>(data), size);
    std::string_view parts[3];
    for (int i = 0; i < 3; ++i) {
        const std::size_t nul = i < 2 ? rest.find('\0') : std::string_view::npos;
        parts[i] = rest.substr(0, nul);
        rest = nul == std::string_view::npos ? std::string_view() : rest.substr(nul + 1);
    }
    auto config = engine::parseModelConfig(parts[0], "config.json");
    if (config) {
        const engine::ModelConfig &c = config.value();
        if (c.hiddenSize <= 0 || c.numLayers <= 0 || c.numLayers > 4096 || c.numHeads <= 0 ||
            c.numKvHeads <= 0 || c.headDim <= 0 || c.vocabSize <= 0)
            std::abort();
        // The tensor list grows with num_hidden_layers (at most 4096): only small ones here,
        // so that a run stays fast.
        if (c.numLayers <= 64) {
            const auto tensors = engine::expectedTensors(c);
            if (tensors.empty())
                std::abort();
            for (const engine::DType d : {engine::DType::BF16, engine::DType::F32}) {
                const auto m = engine::estimateMemory(c, d, c.maxPositions, 256);
                (void)m.total();
            }
        }
    } else if (config.error().message.empty()) {
        std::abort();
    }
    auto defaults = engine::parseGenerationDefaults(parts[1], parts[2], "model");
    if (!defaults && defaults.error().message.empty())
        std::abort();
    return 0;
}
