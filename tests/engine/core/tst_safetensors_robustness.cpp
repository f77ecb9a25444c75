// Runs the corrupt corpus plus bounded random mutations (fixed seed) of valid files through
// the header parser. This executable compiles the parser itself with
// -fsanitize=address,undefined, so any out-of-bounds read or UB fails the test.

#include <engine/safetensors/safetensors.h>

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

using namespace engine;

namespace {

std::vector<std::byte> readBytes(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    std::vector<char> c((std::istreambuf_iterator<char>(in)), {});
    std::vector<std::byte> b(c.size());
    if (!c.empty())
        std::memcpy(b.data(), c.data(), c.size());
    return b;
}

// Parses a copy sized exactly to the input, so reads past the end hit ASan's redzone.
bool parseExact(const std::vector<std::byte> &b)
{
    std::unique_ptr<std::byte[]> copy(new std::byte[b.size() ? b.size() : 1]);
    if (!b.empty())
        std::memcpy(copy.get(), b.data(), b.size());
    auto r = parseSafetensorsHeader(std::span<const std::byte>(copy.get(), b.size()), b.size(),
                                    "mutant");
    if (r) {
        for (const TensorInfo &t : r->tensors)
            EXPECT_LE(t.end, b.size() - r->dataOffset);
    }
    return r.ok();
}

TEST(SafetensorsRobustness, corruptCorpus_neverCrashes)
{
    int files = 0;
    for (const auto &e :
         std::filesystem::directory_iterator(std::string(FIREDECK_TEST_DATA_DIR) + "/engine/bad")) {
        if (e.path().extension() != ".safetensors")
            continue;
        EXPECT_FALSE(parseExact(readBytes(e.path()))) << e.path();
        ++files;
    }
    EXPECT_GE(files, 20);
}

TEST(SafetensorsRobustness, randomMutations_neverCrash)
{
    std::mt19937_64 rng(20261122);
    std::vector<std::vector<std::byte>> seeds;
    for (const char *m : {"tiny-llama3-f32/model.safetensors", "tiny-qwen2-bf16/model.safetensors",
                          "tiny-llama3-lora/adapter_model.safetensors"})
        seeds.push_back(readBytes(std::string(FIREDECK_TEST_DATA_DIR) + "/golden/" + m));
    for (const auto &s : seeds)
        ASSERT_TRUE(parseExact(s));
    int accepted = 0;
    for (int iter = 0; iter < 3000; ++iter) {
        std::vector<std::byte> b = seeds[iter % seeds.size()];
        uint64_t headerLen = 0;
        for (int i = 7; i >= 0; --i)
            headerLen =
                (headerLen << 8) | std::to_integer<uint64_t>(b[static_cast<std::size_t>(i)]);
        const std::size_t headerEnd = std::min<std::size_t>(b.size(), 8 + headerLen);
        const int edits = 1 + static_cast<int>(rng() % 8);
        for (int e = 0; e < edits; ++e) {
            const std::size_t at =
                rng() % std::min(headerEnd, b.size()); // the length and the JSON header
            switch (rng() % 5) {
            case 0:
                b[at] = static_cast<std::byte>(rng());
                break; // byte flip
            case 1:
                b[at] = static_cast<std::byte>("0123456789,[]{}\":-"[rng() % 18]);
                break;
            case 2:
                b.erase(b.begin() + static_cast<std::ptrdiff_t>(at));
                break; // delete
            case 3:
                b.insert(b.begin() + static_cast<std::ptrdiff_t>(at),
                         static_cast<std::byte>(rng()));
                break;
            case 4:
                b.resize(rng() % (b.size() + 1));
                break; // truncate
            }
            if (b.empty())
                break;
        }
        accepted += parseExact(b);
    }
    // Most mutants are invalid; a few (a digit changed into an equal-length valid one) pass.
    EXPECT_LT(accepted, 3000);
    // Fully random buffers too.
    for (int iter = 0; iter < 500; ++iter) {
        std::vector<std::byte> b(rng() % 256);
        for (auto &x : b)
            x = static_cast<std::byte>(rng());
        if (b.size() >= 8)
            b[1] = b[2] = b[3] = b[4] = b[5] = b[6] = b[7] = std::byte{0};
        parseExact(b);
    }
}

} // namespace
