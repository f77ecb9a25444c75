// libFuzzer target for a PEFT LoRA adapter folder as the engine loads it (engine::LoraAdapter::
// load: adapter_config.json, the optional fireworks.json and adapter_model.safetensors, checked
// against a small base model). Input: adapter_config.json NUL fireworks.json NUL
// adapter_model.safetensors; the files are written to a temporary folder (no fireworks.json when
// that part is empty). Besides "no crash, no sanitizer report": every refusal has a message, and
// an accepted adapter has a positive rank and a finite scale.

#include <engine/model/loraadapter.h>
#include <engine/model/modelconfig.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <unistd.h>

namespace {

struct TempDir
{
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("fuzz_lora_adapter." + std::to_string(::getpid()));
    TempDir() { std::filesystem::create_directories(path); }
    ~TempDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
};

void writeFile(const std::filesystem::path &path, std::string_view bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    // One folder per process, removed when it exits.
    static const TempDir temp;
    const std::filesystem::path &dir = temp.path;
    static const engine::ModelConfig base = [] {
        engine::ModelConfig c;
        c.hiddenSize = 8;
        c.intermediateSize = 16;
        c.numLayers = 2;
        c.numHeads = 2;
        c.numKvHeads = 1;
        c.headDim = 4;
        c.vocabSize = 32;
        c.maxPositions = 64;
        return c;
    }();

    std::string_view rest(reinterpret_cast<const char *>(data), size);
    std::string_view parts[3];
    for (int i = 0; i < 3; ++i) {
        const std::size_t nul = i < 2 ? rest.find('\0') : std::string_view::npos;
        parts[i] = rest.substr(0, nul);
        rest = nul == std::string_view::npos ? std::string_view() : rest.substr(nul + 1);
    }
    writeFile(dir / "adapter_config.json", parts[0]);
    std::error_code ignored;
    std::filesystem::remove(dir / "fireworks.json", ignored);
    if (!parts[1].empty())
        writeFile(dir / "fireworks.json", parts[1]);
    writeFile(dir / "adapter_model.safetensors", parts[2]);

    auto adapter = engine::LoraAdapter::load(dir.string(), base);
    if (!adapter) {
        if (adapter.error().message.empty())
            std::abort();
        if (std::getenv("FUZZ_VERBOSE")) // why a seed is refused, when writing one
            std::fprintf(stderr, "refused: %s\n", adapter.error().message.c_str());
        return 0;
    }
    const auto &a = *adapter.value();
    if (a.rank() <= 0 || !std::isfinite(a.scale()))
        std::abort();
    (void)a.bytes();
    return 0;
}
