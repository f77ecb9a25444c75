// Loading errors name the file and tensor: missing files, shape mismatches, missing tensors,
// sharded indexes, bad token ids.

#include "testutil.h"

#include <engine/cpu/cpubackend.h>
#include <engine/model/model.h>
#include <engine/model/randommodel.h>
#include <engine/safetensors/safetensorswriter.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace engine;
namespace fs = std::filesystem;

namespace {

const char *kConfig =
    R"({"model_type":"qwen2","hidden_size":16,"intermediate_size":32,"num_hidden_layers":1,
"num_attention_heads":2,"num_key_value_heads":1,"vocab_size":20,"max_position_embeddings":32,"tie_word_embeddings":true})";

class Errors : public ::testing::Test
{
protected:
    void SetUp() override
    {
        dir = (fs::temp_directory_path() / ("fd-err-" + std::to_string(::getpid()))).string();
        fs::remove_all(dir);
        ASSERT_TRUE(writeRandomModel(kConfig, dir, DType::BF16));
    }
    void TearDown() override { fs::remove_all(dir); }
    std::string dir;
};

TEST_F(Errors, validRandomModel_loads)
{
    auto m = Model::load(dir);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m.value()->weightDType(), DType::BF16);
    auto e = Model::estimate(dir, 32);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->kvCacheBytes, 2ull * 1 * 1 * 8 * 32 * 2); // f16 K and V
}

TEST_F(Errors, missingFolderAndFiles)
{
    auto a = Model::load(dir + "/nope");
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().code, Error::Code::NotFound);
    fs::remove(dir + "/model.safetensors");
    auto b = Model::load(dir);
    ASSERT_FALSE(b);
    EXPECT_NE(b.error().message.find("model.safetensors"), std::string::npos);
    fs::remove(dir + "/config.json");
    auto c = Model::load(dir);
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().message.find("config.json"), std::string::npos);
}

TEST_F(Errors, shapeMismatch_namesFileTensorAndShapes)
{
    std::ofstream(dir + "/config.json") << std::string(kConfig).replace(
        std::string(kConfig).find("\"intermediate_size\":32"), 22, "\"intermediate_size\":48");
    auto m = Model::load(dir);
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().code, Error::Code::Corrupt);
    EXPECT_NE(m.error().message.find("model.safetensors"), std::string::npos) << m.error().message;
    EXPECT_NE(m.error().message.find("mlp."), std::string::npos) << m.error().message;
    EXPECT_NE(m.error().message.find("[48, 16]"), std::string::npos) << m.error().message;
}

TEST_F(Errors, missingTensor_isNamed)
{
    std::ofstream(dir + "/config.json")
        << std::string(kConfig).replace(std::string(kConfig).find("true"), 4, "false");
    auto m = Model::load(dir);
    ASSERT_FALSE(m);
    EXPECT_NE(m.error().message.find("lm_head.weight"), std::string::npos) << m.error().message;
}

TEST_F(Errors, shardedIndex_loadsAndReportsMissingShard)
{
    // Split the single file into two shards with an index.
    auto single = SafetensorsFile::open(dir + "/model.safetensors");
    ASSERT_TRUE(single);
    std::vector<TensorData> a, b;
    nlohmann::json map;
    int i = 0;
    for (const TensorInfo &t : single.value()->header().tensors) {
        auto v = single.value()->tensor(t.name);
        const auto *p = static_cast<const unsigned char *>(v->data);
        TensorData d{t.name, t.dtype, t.shape,
                     std::vector<unsigned char>(p, p + (t.end - t.begin))};
        const bool first = i++ % 2 == 0;
        (first ? a : b).push_back(d);
        map[t.name] =
            first ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
    }
    single = Error{};
    fs::remove(dir + "/model.safetensors");
    ASSERT_TRUE(writeSafetensors(dir + "/model-00001-of-00002.safetensors", a));
    ASSERT_TRUE(writeSafetensors(dir + "/model-00002-of-00002.safetensors", b));
    std::ofstream(dir + "/model.safetensors.index.json")
        << nlohmann::json{{"weight_map", map}}.dump();
    auto m = Model::load(dir);
    ASSERT_TRUE(m) << m.error().message;
    fs::remove(dir + "/model-00002-of-00002.safetensors");
    auto missing = Model::load(dir);
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("model-00002-of-00002.safetensors"), std::string::npos);
}

TEST_F(Errors, nonFloatTensor_isUnsupportedAndNamed)
{
    // Rewrite the checkpoint with the final norm stored as I32 and an unused I64 buffer.
    auto single = SafetensorsFile::open(dir + "/model.safetensors");
    ASSERT_TRUE(single);
    std::vector<TensorData> tensors;
    for (const TensorInfo &t : single.value()->header().tensors) {
        auto v = single.value()->tensor(t.name);
        const auto *p = static_cast<const unsigned char *>(v->data);
        TensorData d{t.name, t.dtype, t.shape,
                     std::vector<unsigned char>(p, p + (t.end - t.begin))};
        if (t.name == "model.norm.weight") {
            d.dtype = DType::I32;
            d.bytes.resize(static_cast<std::size_t>(t.shape[0]) * 4);
        }
        tensors.push_back(d);
    }
    tensors.push_back({"rotary.inv_freq_ids", DType::I64, {2}, std::vector<unsigned char>(16)});
    single = Error{};
    ASSERT_TRUE(writeSafetensors(dir + "/model.safetensors", tensors));
    auto m = Model::load(dir);
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().code, Error::Code::Unsupported);
    EXPECT_NE(m.error().message.find("model.norm.weight"), std::string::npos) << m.error().message;
    EXPECT_NE(m.error().message.find("I32"), std::string::npos) << m.error().message;
}

TEST_F(Errors, tokenOutsideVocabulary_isRejected)
{
    auto m = Model::load(dir);
    ASSERT_TRUE(m);
    auto b = cpu::CpuBackend::create(m.value(), {16, 1});
    ASSERT_TRUE(b);
    std::vector<float> logits(20);
    const std::vector<int32_t> ids{1, 20};
    auto r = b.value()->forward(ids, 0, logits.data(), false);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("token id 20"), std::string::npos);
    const std::vector<int32_t> ok{1};
    auto past = b.value()->forward(ok, 16, logits.data(), false);
    ASSERT_FALSE(past);
    EXPECT_EQ(past.error().code, Error::Code::ContextLength);
}

} // namespace
