// Safetensors header parser and mapped file: valid files parse, every corrupt file is
// rejected with a message that says what is wrong.

#include <engine/safetensors/safetensors.h>
#include <engine/safetensors/safetensorswriter.h>

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace engine;

namespace {

std::vector<std::byte> readBytes(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::vector<char> c((std::istreambuf_iterator<char>(in)), {});
    std::vector<std::byte> b(c.size());
    std::memcpy(b.data(), c.data(), c.size());
    return b;
}

Result<SafetensorsHeader> parse(const std::vector<std::byte> &b)
{
    return parseSafetensorsHeader(b, b.size(), "test.safetensors");
}

TEST(Safetensors, writtenFile_roundTrips)
{
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("fd-st-roundtrip-" + std::to_string(::getpid()) + ".safetensors"))
                                 .string();
    std::vector<TensorData> t{
        {"w", DType::BF16, {2, 3}, encodeFloats({1, 2, 3, 4, 5, 6}, DType::BF16)},
        {"b", DType::F32, {2}, encodeFloats({0.5f, -1}, DType::F32)},
        {"empty", DType::F16, {0}, {}}};
    ASSERT_TRUE(writeSafetensors(path, t));
    auto f = SafetensorsFile::open(path);
    ASSERT_TRUE(f) << f.error().message;
    auto w = f.value()->tensor("w");
    ASSERT_TRUE(w);
    EXPECT_EQ(w->shape, (std::vector<int64_t>{2, 3}));
    EXPECT_EQ(w->dtype, DType::BF16);
    EXPECT_EQ(static_cast<const uint16_t *>(w->data)[5], 0x40C0); // 6.0 in bf16
    auto b = f.value()->tensor("b");
    EXPECT_EQ(static_cast<const float *>(b->data)[1], -1.f);
    EXPECT_EQ(f.value()->header().metadata.at("format"), "pt");
    auto missing = f.value()->tensor("nope");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("'nope'"), std::string::npos);
    std::filesystem::remove(path);
}

TEST(Safetensors, goldenModel_parses)
{
    auto f = SafetensorsFile::open(std::string(FIREDECK_TEST_DATA_DIR) +
                                   "/golden/tiny-qwen3-bf16/model.safetensors");
    ASSERT_TRUE(f) << f.error().message;
    EXPECT_EQ(f.value()->header().tensors.size(), 24u);
}

struct BadCase
{
    const char *file;
    const char *expect; // substring of the error message
};

class SafetensorsBad : public ::testing::TestWithParam<BadCase>
{
};

TEST_P(SafetensorsBad, corruptFile_isRejectedWithReason)
{
    const BadCase &c = GetParam();
    const std::string path = std::string(FIREDECK_TEST_DATA_DIR) + "/engine/bad/" + c.file;
    auto viaParse = parse(readBytes(path));
    ASSERT_FALSE(viaParse) << c.file;
    EXPECT_NE(viaParse.error().message.find(c.expect), std::string::npos)
        << viaParse.error().message;
    auto viaOpen = SafetensorsFile::open(path);
    ASSERT_FALSE(viaOpen);
    EXPECT_NE(viaOpen.error().message.find(c.file), std::string::npos) << viaOpen.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Corpus, SafetensorsBad,
    ::testing::Values(
        BadCase{"short-file.safetensors", "shorter than"},
        BadCase{"huge-header-length.safetensors", "exceeds"},
        BadCase{"header-past-eof.safetensors", "past the end"},
        BadCase{"bad-json.safetensors", "not valid JSON"}, BadCase{"bad-utf8.safetensors", "UTF-8"},
        BadCase{"not-object.safetensors", "not a JSON object"},
        BadCase{"offset-out-of-file.safetensors", "past the end of the data"},
        BadCase{"begin-after-end.safetensors", "begin"},
        BadCase{"size-mismatch.safetensors", "need 12"}, BadCase{"overlap.safetensors", "overlaps"},
        BadCase{"hole.safetensors", "hole"}, BadCase{"trailing-bytes.safetensors", "trailing"},
        BadCase{"unknown-dtype.safetensors", "unsupported dtype Q4"},
        BadCase{"negative-shape.safetensors", "non-negative"},
        BadCase{"shape-overflow.safetensors", "too large"},
        BadCase{"missing-offsets.safetensors", "data_offsets"},
        BadCase{"float-offset.safetensors", "data offset"},
        BadCase{"metadata-not-string.safetensors", "__metadata__.x"},
        BadCase{"entry-not-object.safetensors", "not an object"},
        BadCase{"truncated-header.safetensors", "not valid JSON"}),
    [](const auto &info) {
        std::string n = info.param.file;
        n = n.substr(0, n.find('.'));
        std::replace(n.begin(), n.end(), '-', '_');
        return n;
    });

TEST(Safetensors, corpusDirectory_hasEveryCase)
{
    int n = 0;
    for (const auto &e :
         std::filesystem::directory_iterator(std::string(FIREDECK_TEST_DATA_DIR) + "/engine/bad"))
        n += e.path().extension() == ".safetensors";
    EXPECT_EQ(n, 20);
}

} // namespace
