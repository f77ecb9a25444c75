// LoRA: the run-time adapter equals the merged weights (W + scale B A), detach restores the
// base, swap works without reloading, and bad adapters are reported by file and tensor.

#include "testutil.h"

#include <engine/cpu/cpubackend.h>
#include <engine/model/loraadapter.h>
#include <engine/safetensors/safetensorswriter.h>

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace engine;
using enginetest::goldenDir;

namespace {

std::vector<float> allLogits(cpu::CpuBackend &b, const std::vector<int32_t> &ids)
{
    std::vector<float> out(ids.size() * static_cast<std::size_t>(b.model().config().vocabSize));
    EXPECT_TRUE(b.forward(ids, 0, out.data(), true));
    return out;
}

double maxDiff(const std::vector<float> &a, const std::vector<float> &b)
{
    double m = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        m = std::max(m, std::fabs(double(a[i]) - b[i]));
    return m;
}

TEST(Lora, runtimeAdapter_equalsMergedWeights)
{
    auto base = Model::load(goldenDir("tiny-llama3-f32"));
    ASSERT_TRUE(base);
    auto adapter = LoraAdapter::load(goldenDir("tiny-llama3-lora"), base.value()->config());
    ASSERT_TRUE(adapter) << adapter.error().message;
    EXPECT_EQ(adapter.value()->rank(), 8);
    EXPECT_FLOAT_EQ(adapter.value()->scale(), 2.0f); // alpha 16 / r 8
    const auto ref = enginetest::loadReference(goldenDir("tiny-llama3-lora"));

    auto merged = adapter.value()->merge(base.value());
    // The exact mode (fp32 KV cache): the comparison with transformers is at fp32 tolerance.
    cpu::CpuBackendOptions opts{64, 2};
    opts.kvDType = DType::F32;
    opts.bf16Activations = false;
    auto mergedBackend = cpu::CpuBackend::create(merged, opts);
    auto runtime = cpu::CpuBackend::create(base.value(), opts);
    ASSERT_TRUE(mergedBackend && runtime);
    const auto baseLogits = allLogits(*runtime.value(), ref.promptIds);
    ASSERT_TRUE(runtime.value()->setAdapter(adapter.value()));
    const auto withAdapter = allLogits(*runtime.value(), ref.promptIds);
    const auto viaMerge = allLogits(*mergedBackend.value(), ref.promptIds);
    EXPECT_LT(maxDiff(withAdapter, viaMerge), 1e-4);
    EXPECT_GT(maxDiff(withAdapter, baseLogits), 1e-2); // the adapter changes the output
    EXPECT_LT(maxDiff(viaMerge, ref.allLogits), 5e-4);

    // Detach gives the base back; re-attach gives the adapter again (no reload).
    ASSERT_TRUE(runtime.value()->setAdapter(nullptr));
    EXPECT_EQ(maxDiff(allLogits(*runtime.value(), ref.promptIds), baseLogits), 0.0);
    ASSERT_TRUE(runtime.value()->setAdapter(adapter.value()));
    EXPECT_EQ(maxDiff(allLogits(*runtime.value(), ref.promptIds), withAdapter), 0.0);
}

class LoraErrors : public ::testing::Test
{
protected:
    void SetUp() override
    {
        dir = (std::filesystem::temp_directory_path() / ("fd-lora-" + std::to_string(::getpid())))
                  .string();
        std::filesystem::create_directories(dir);
        auto b = Model::load(goldenDir("tiny-llama3-f32"));
        ASSERT_TRUE(b);
        base = b.value();
    }
    void TearDown() override { std::filesystem::remove_all(dir); }
    void writeConfig(const std::string &extra = "")
    {
        std::ofstream(dir + "/adapter_config.json")
            << R"({"peft_type":"LORA","r":4,"lora_alpha":8,"target_modules":["q_proj"])" << extra
            << "}";
    }
    std::string dir;
    std::shared_ptr<const Model> base;
};

TEST_F(LoraErrors, wrongShape_namesFileAndTensor)
{
    writeConfig();
    const std::string name = "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight";
    ASSERT_TRUE(writeSafetensors(
        dir + "/adapter_model.safetensors",
        {{name, DType::F32, {4, 63}, encodeFloats(std::vector<float>(4 * 63), DType::F32)}}));
    auto a = LoraAdapter::load(dir, base->config());
    ASSERT_FALSE(a);
    EXPECT_NE(a.error().message.find("adapter_model.safetensors"), std::string::npos);
    EXPECT_NE(a.error().message.find(name), std::string::npos);
}

TEST_F(LoraErrors, missingPartner_andRsloraScale)
{
    writeConfig(R"(,"use_rslora":true)");
    const std::string a = "base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight";
    ASSERT_TRUE(writeSafetensors(
        dir + "/adapter_model.safetensors",
        {{a, DType::F32, {4, 64}, encodeFloats(std::vector<float>(4 * 64), DType::F32)}}));
    auto r = LoraAdapter::load(dir, base->config());
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("lora_B"), std::string::npos);

    const std::string b = "base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight";
    ASSERT_TRUE(writeSafetensors(
        dir + "/adapter_model.safetensors",
        {{a, DType::F32, {4, 64}, encodeFloats(std::vector<float>(4 * 64), DType::F32)},
         {b, DType::BF16, {64, 4}, encodeFloats(std::vector<float>(64 * 4), DType::BF16)}}));
    auto ok = LoraAdapter::load(dir, base->config());
    ASSERT_TRUE(ok) << ok.error().message;
    EXPECT_FLOAT_EQ(ok.value()->scale(), 8.0f / 2.0f); // alpha / sqrt(r)
}

TEST_F(LoraErrors, dora_isUnsupported)
{
    writeConfig(R"(,"use_dora":true)");
    auto r = LoraAdapter::load(dir, base->config());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Error::Code::Unsupported);
    EXPECT_NE(r.error().message.find("use_dora"), std::string::npos);
}

// Found by fuzz/fuzz_lora_adapter.cpp: lora_alpha 1e300 gave an infinite float scale, so every
// merged or run-time adapted weight became inf or NaN.
TEST_F(LoraErrors, alphaBeyondAFloatScale_isRefused)
{
    std::ofstream(dir + "/adapter_config.json") << R"({"r":2,"lora_alpha":1e300})";
    auto r = LoraAdapter::load(dir, base->config());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Error::Code::Corrupt);
    EXPECT_NE(r.error().message.find("lora_alpha"), std::string::npos);
}

} // namespace
