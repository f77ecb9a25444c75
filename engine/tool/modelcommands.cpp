// firedeck-engine eval-logits and make-random-model: the commands that compare the engine with
// transformers and make models of a real shape for benchmarks.

#include "toolcommon.h"

#include <engine/model/model.h>
#include <engine/model/modelfolder.h>
#include <engine/model/randommodel.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <span>
#include <vector>

using namespace engine;

namespace enginetool {

// eval-logits: the logits of every prompt position (raw little-endian f32 [positions][vocab]
// to --out) and the greedy continuation (JSON on stdout), for comparisons with transformers
// (tests/engine/gpu/compare_transformers.py).
int cmdEvalLogits(const Args &a)
{
    if (a.positional.size() != 1 || !a.options.count("tokens") || !a.options.count("out"))
        return fail("usage: firedeck-engine eval-logits DIR --tokens 1,2,3 --out FILE "
                    "[--greedy N] [--backend auto|cpu|cuda] [--threads N]");
    std::vector<int32_t> prompt;
    const std::string &list = a.options.at("tokens");
    for (std::size_t at = 0; at < list.size();) {
        const std::size_t comma = std::min(list.find(',', at), list.size());
        char *end = nullptr;
        const long v = std::strtol(list.c_str() + at, &end, 10);
        if (end != list.c_str() + comma)
            return fail("--tokens expects comma-separated ids, got '" + list + "'");
        prompt.push_back(static_cast<int32_t>(v));
        at = comma + 1;
    }
    double greedySteps = 0, threads = 0;
    std::string err;
    if (!numberOption(a, "greedy", greedySteps, err) || !numberOption(a, "threads", threads, err))
        return fail(err);
    if (std::string why = whyNotAModelFolder(a.positional[0], {"DIR", "", false}); !why.empty())
        return fail(why);
    auto model = Model::load(a.positional[0]);
    if (!model)
        return fail(model.error());
    const int64_t vocab = model.value()->config().vocabSize;
    const int64_t ctx = static_cast<int64_t>(prompt.size() + greedySteps) + 1;
    auto selection = backendFromArgs(a, model.value(), ctx, static_cast<int>(threads));
    if (!selection)
        return fail(selection.error());
    Backend &b = *selection->backend;
    std::vector<float> logits(prompt.size() * static_cast<std::size_t>(vocab));
    if (auto r = b.forward(prompt, 0, logits.data(), true); !r)
        return fail(r.error());
    FILE *f = std::fopen(a.options.at("out").c_str(), "wb");
    if (!f || std::fwrite(logits.data(), sizeof(float), logits.size(), f) != logits.size())
        return fail("cannot write " + a.options.at("out"));
    std::fclose(f);
    std::vector<float> last(logits.end() - vocab, logits.end());
    nlohmann::json greedy = nlohmann::json::array();
    int64_t pos = static_cast<int64_t>(prompt.size());
    for (int64_t s = 0; s < static_cast<int64_t>(greedySteps); ++s) {
        const int32_t next =
            static_cast<int32_t>(std::max_element(last.begin(), last.end()) - last.begin());
        greedy.push_back(next);
        if (auto r = b.forward(std::span<const int32_t>(&next, 1), pos++, last.data(), false); !r)
            return fail(r.error());
    }
    nlohmann::json out = {{"backend", b.name()},
                          {"reason", selection->reason},
                          {"positions", prompt.size()},
                          {"vocab", vocab},
                          {"greedy", greedy}};
    std::printf("%s\n", out.dump().c_str());
    return 0;
}

int cmdMakeRandomModel(const Args &a)
{
    if (a.positional.size() != 2)
        return fail("usage: firedeck-engine make-random-model CONFIG_DIR OUT_DIR [--dtype "
                    "bf16|f16|f32] [--seed S]");
    const std::string dtypeName = a.options.count("dtype") ? a.options.at("dtype") : "bf16";
    DType dtype;
    if (dtypeName == "bf16")
        dtype = DType::BF16;
    else if (dtypeName == "f16")
        dtype = DType::F16;
    else if (dtypeName == "f32")
        dtype = DType::F32;
    else
        return fail("--dtype must be bf16, f16 or f32, got '" + dtypeName + "'");
    double seed = 1;
    std::string err;
    if (!numberOption(a, "seed", seed, err))
        return fail(err);
    auto cfg = readTextFile(a.positional[0] + "/config.json");
    if (!cfg)
        return fail(cfg.error());
    // Random weights over a real model's: OUT_DIR given as the model's own folder (or a typo of
    // it) replaced its config.json and model.safetensors without a word.
    std::error_code ec;
    for (const auto &entry : std::filesystem::directory_iterator(a.positional[1], ec)) {
        const std::string name = entry.path().filename().string();
        if (name.size() > 12 &&
            (name.ends_with(".safetensors") || name.ends_with(".safetensors.index.json")))
            return fail(a.positional[1] + " already holds model weights (" + name +
                        "); give a new folder (delete the weights first to replace them)");
    }
    if (auto r = writeRandomModel(cfg.value(), a.positional[1], dtype, static_cast<uint64_t>(seed));
        !r)
        return fail(r.error());
    std::printf("wrote %s/model.safetensors\n", a.positional[1].c_str());
    return 0;
}

} // namespace enginetool
