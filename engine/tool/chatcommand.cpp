// firedeck-engine chat: a conversation on the terminal with a local model (and a LoRA adapter),
// its figures after every reply; Ctrl+C stops a reply.

#include "toolcommon.h"

#include <engine/jinja/chattemplate.h>
#include <engine/model/loraadapter.h>
#include <engine/model/model.h>
#include <engine/model/modelfolder.h>
#include <engine/session/session.h>
#include <engine/tokenizer/tokenizer.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

using namespace engine;

namespace enginetool {

namespace {

class DetokenizerStream : public TokenTextStream
{
public:
    explicit DetokenizerStream(std::shared_ptr<const Tokenizer> t) : m_detok(std::move(t)) {}
    std::string push(int32_t id) override { return m_detok.push(id); }
    std::string finish() override { return m_detok.finish(); }

private:
    StreamingDetokenizer m_detok;
};

std::atomic<bool> g_cancel{false};

} // namespace

int cmdChat(const Args &a)
{
    if (a.positional.size() != 1)
        return fail("usage: firedeck-engine chat DIR [--backend auto|cpu|cuda] [--adapter DIR] "
                    "[--temperature T] [--top-p P] "
                    "[--top-k K] "
                    "[--max-tokens N] [--seed S] [--threads N] [--context N]");
    const std::string dir = a.positional[0];
    // Said before loading: a model root, an adapter or weights without a tokenizer read
    // "config.json: cannot open" (or the tokenizer's) after the weights were mapped.
    if (std::string why = whyNotAModelFolder(dir, {"DIR", "--adapter", true}); !why.empty())
        return fail(why);
    if (a.options.count("adapter"))
        if (std::string why = whyNotAnAdapterFolder(a.options.at("adapter"), "--adapter");
            !why.empty())
            return fail(why);
    auto model = Model::load(dir);
    if (!model)
        return fail(model.error());
    auto tok = Tokenizer::load(dir);
    if (!tok)
        return fail(tok.error());
    const GenerationDefaults &d = model.value()->defaults();
    // fireworks.json's conversation_config template wins over tokenizer_config.json's.
    auto tmpl = d.chatTemplate.empty()
                    ? ChatTemplate::load(dir)
                    : ChatTemplate::fromSource(
                          d.chatTemplate, d.bosToken.empty() ? tok.value()->bosToken() : d.bosToken,
                          d.eosToken.empty() ? tok.value()->eosToken() : d.eosToken);
    if (!tmpl)
        return fail(tmpl.error());
    GenerationRequest req = requestFromDefaults(d);
    double temperature = req.sampling.temperature, topP = req.sampling.topP,
           topK = req.sampling.topK, maxTokens = static_cast<double>(req.maxTokens), seed = 0,
           threads = 0, context = 0;
    std::string err;
    if (!numberOption(a, "temperature", temperature, err) || !numberOption(a, "top-p", topP, err) ||
        !numberOption(a, "top-k", topK, err) || !numberOption(a, "max-tokens", maxTokens, err) ||
        !numberOption(a, "seed", seed, err) || !numberOption(a, "threads", threads, err) ||
        !numberOption(a, "context", context, err))
        return fail(err);
    req.sampling.temperature = static_cast<float>(temperature);
    req.sampling.topP = static_cast<float>(topP);
    req.sampling.topK = static_cast<int32_t>(topK);
    req.sampling.seed = a.options.count("seed") ? static_cast<uint64_t>(seed) : freshSeed();
    req.reusePrefix = !a.options.count("seed");
    req.maxTokens = static_cast<int64_t>(maxTokens);
    if (auto eos = tok.value()->eosId())
        req.stopTokenIds.push_back(*eos);
    auto selection =
        backendFromArgs(a, model.value(), static_cast<int64_t>(context), static_cast<int>(threads));
    if (!selection)
        return fail(selection.error());
    std::fprintf(stderr, "firedeck-engine chat: %s backend (%s)\n", selection->backend->name(),
                 selection->reason.c_str());
    auto session = std::make_unique<Session>(std::move(selection->backend));
    if (a.options.count("adapter")) {
        auto adapter = LoraAdapter::load(a.options.at("adapter"), model.value()->config());
        if (!adapter)
            return fail(adapter.error());
        if (auto r = session->attachAdapter(adapter.value()); !r)
            return fail(r.error());
        // An adapter's fireworks.json defaults override the base model's.
        const GenerationDefaults &ad = adapter.value()->fireworksDefaults();
        if (ad.temperature || ad.topP || ad.topK || ad.maxTokens || !ad.stop.empty()) {
            const GenerationRequest fromAdapter = requestFromDefaults(ad);
            if (ad.temperature && !a.options.count("temperature"))
                req.sampling.temperature = fromAdapter.sampling.temperature;
            if (ad.topP && !a.options.count("top-p"))
                req.sampling.topP = fromAdapter.sampling.topP;
            if (ad.topK && !a.options.count("top-k"))
                req.sampling.topK = fromAdapter.sampling.topK;
            if (ad.maxTokens && !a.options.count("max-tokens"))
                req.maxTokens = fromAdapter.maxTokens;
            if (!ad.stop.empty())
                req.stop = ad.stop;
        }
    }
    std::signal(SIGINT, [](int) { g_cancel = true; });
    nlohmann::ordered_json messages = nlohmann::ordered_json::array();
    if (!d.systemPrompt.empty())
        messages.push_back({{"role", "system"}, {"content", d.systemPrompt}});
    const auto initial = messages;
    std::string line;
    std::fprintf(stderr, "firedeck-engine chat: %s. /reset clears the conversation, /quit exits.\n",
                 dir.c_str());
    while (std::fputs("> ", stderr), std::getline(std::cin, line)) {
        if (line == "/quit")
            break;
        if (line == "/reset") {
            messages = initial;
            continue;
        }
        if (line.empty())
            continue;
        messages.push_back({{"role", "user"}, {"content", line}});
        auto prompt = tmpl->apply(messages, nlohmann::ordered_json(), true);
        if (!prompt) {
            fail(prompt.error());
            messages.erase(messages.end() - 1);
            continue;
        }
        const std::vector<int32_t> ids = tok.value()->encode(prompt.value(), false);
        if (auto fits = checkPromptFitsModel(ids, *tok.value(), model.value()->config().vocabSize);
            !fits) {
            fail(fits.error());
            messages.erase(messages.end() - 1);
            continue;
        }
        g_cancel = false;
        auto shared = tok.value();
        auto result = session->generate(
            ids, req,
            [](const StreamEvent &e) {
                std::fwrite(e.text.data(), 1, e.text.size(), stdout);
                std::fflush(stdout);
            },
            &g_cancel, [shared] { return std::make_unique<DetokenizerStream>(shared); });
        if (!result) {
            fail(result.error());
            messages.erase(messages.end() - 1);
            continue;
        }
        const Choice &c = result->choices[0];
        std::printf("\n");
        std::fprintf(stderr,
                     "[%s, %lld prompt + %lld tokens, %.0f ms to first token, %.1f tok/s]\n",
                     finishReasonName(c.finishReason), (long long)result->usage.promptTokens,
                     (long long)result->usage.completionTokens, result->timings.timeToFirstTokenMs,
                     result->timings.decodeTokensPerSecond);
        messages.push_back({{"role", "assistant"}, {"content", c.text}});
    }
    return 0;
}

} // namespace enginetool
