#include "catalog.h"

namespace sandbox {

namespace {

Json baseModel(const char *id, const char *display, const char *description, const char *modelType,
               qint64 params, int contextLength, bool tunable, bool tools, bool vision = false,
               bool moe = false)
{
    return {{"name", std::string("accounts/fireworks/models/") + id},
            {"displayName", display},
            {"description", description},
            {"kind", "HF_BASE_MODEL"},
            {"state", "READY"},
            {"status", {{"code", "OK"}, {"message", ""}}},
            {"baseModelDetails",
             {{"worldSize", 1},
              {"checkpointFormat", "HUGGINGFACE"},
              {"parameterCount", std::to_string(params)},
              {"moe", moe},
              {"tunable", tunable},
              {"modelType", modelType}}},
            {"conversationConfig", {{"style", "jinja"}}},
            {"contextLength", contextLength},
            {"supportsTools", tools},
            {"supportsImageInput", vision},
            {"supportsLora", tunable},
            {"tunable", tunable},
            {"rlTunable", tunable},
            {"supportsServerless", true},
            {"public", true}};
}

} // namespace

std::vector<Json> catalogModels()
{
    return {
        baseModel("llama-v3p1-8b-instruct", "Llama 3.1 8B Instruct",
                  "Meta's Llama 3.1 8B, instruction-tuned.", "llama", 8030261248, 131072, true,
                  true),
        baseModel("llama-v3p1-70b-instruct", "Llama 3.1 70B Instruct",
                  "Meta's Llama 3.1 70B, instruction-tuned.", "llama", 70553706496, 131072, true,
                  true),
        baseModel("llama-v3p2-1b-instruct", "Llama 3.2 1B Instruct",
                  "Meta's Llama 3.2 1B, instruction-tuned.", "llama", 1235814400, 131072, true,
                  false),
        baseModel("llama-v3p2-3b-instruct", "Llama 3.2 3B Instruct",
                  "Meta's Llama 3.2 3B, instruction-tuned.", "llama", 3212749824, 131072, true,
                  false),
        baseModel("llama-v3p3-70b-instruct", "Llama 3.3 70B Instruct",
                  "Meta's Llama 3.3 70B, instruction-tuned.", "llama", 70553706496, 131072, true,
                  true),
        baseModel("qwen2p5-0p5b-instruct", "Qwen2.5 0.5B Instruct",
                  "Alibaba's Qwen2.5 0.5B, instruction-tuned.", "qwen2", 494032768, 32768, true,
                  true),
        baseModel("qwen3-0p6b", "Qwen3 0.6B", "Alibaba's Qwen3 0.6B with thinking mode.", "qwen3",
                  596049920, 40960, true, true),
        baseModel("qwen3-235b-a22b", "Qwen3 235B A22B", "Alibaba's Qwen3 mixture-of-experts model.",
                  "qwen3_moe", 235093634560, 131072, true, true, false, true),
        baseModel("qwen2p5-vl-32b-instruct", "Qwen2.5 VL 32B Instruct",
                  "Alibaba's vision-language Qwen2.5.", "qwen2_5_vl", 33452718336, 128000, true,
                  false, true),
        baseModel("deepseek-v3p1", "DeepSeek V3.1", "DeepSeek's V3.1 mixture-of-experts model.",
                  "deepseek_v3", 671026419200, 163840, true, true, false, true),
        baseModel("gpt-oss-120b", "gpt-oss 120B", "OpenAI's open-weight 120B reasoning model.",
                  "gpt_oss", 116829156672, 131072, true, true, false, true),
        baseModel("kimi-k2-instruct-0905", "Kimi K2 Instruct 0905",
                  "Moonshot AI's Kimi K2 mixture-of-experts model.", "kimi_k2", 1026408232448,
                  262144, false, true, false, true),
        baseModel("mixtral-8x7b-instruct", "Mixtral 8x7B Instruct",
                  "Mistral AI's Mixtral 8x7B, instruction-tuned.", "mixtral", 46702792704, 32768,
                  true, false, false, true),
    };
}

std::vector<Json> catalogShapes()
{
    auto shape = [](const char *id, const char *model, const char *preset, const char *accelerator,
                    int count, const char *precision) {
        return Json{{"name", std::string("accounts/fireworks/deploymentShapes/") + id},
                    {"displayName", id},
                    {"baseModel", std::string("accounts/fireworks/models/") + model},
                    {"acceleratorType", accelerator},
                    {"acceleratorCount", count},
                    {"precision", precision},
                    {"presetType", preset},
                    {"enableAddons", true}};
    };
    return {
        shape("llama-v3p1-8b-instruct-fast", "llama-v3p1-8b-instruct", "FAST", "NVIDIA_H100_80GB",
              1, "FP8"),
        shape("llama-v3p1-8b-instruct-throughput", "llama-v3p1-8b-instruct", "THROUGHPUT",
              "NVIDIA_H100_80GB", 1, "FP8"),
        shape("llama-v3p1-70b-instruct-fast", "llama-v3p1-70b-instruct", "FAST", "NVIDIA_H100_80GB",
              4, "FP8"),
        shape("qwen3-0p6b-minimal", "qwen3-0p6b", "MINIMAL", "NVIDIA_A100_80GB", 1, "BF16"),
    };
}

} // namespace sandbox
