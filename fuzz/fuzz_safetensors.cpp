// libFuzzer target for the safetensors header parser (clang, -DFIREDECK_FUZZ=ON).

#include <engine/safetensors/safetensors.h>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    auto r = engine::parseSafetensorsHeader(
        std::span<const std::byte>(reinterpret_cast<const std::byte *>(data), size), size, "fuzz");
    (void)r;
    return 0;
}
