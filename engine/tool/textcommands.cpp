// firedeck-engine tokenize, detokenize and template: the tokenizer and the chat template on
// their own, stdin to stdout.

#include "toolcommon.h"

#include <engine/jinja/chattemplate.h>
#include <engine/tokenizer/tokenizer.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <vector>

using namespace engine;

namespace enginetool {

int cmdTokenize(const Args &a)
{
    if (a.positional.size() != 1)
        return fail("usage: firedeck-engine tokenize DIR < text");
    auto tok = Tokenizer::load(a.positional[0]);
    if (!tok)
        return fail(tok.error());
    const bool special =
        !(a.options.count("add-special-tokens") && a.options.at("add-special-tokens") == "false");
    std::printf("%s\n", nlohmann::json(tok.value()->encode(readStdin(), special)).dump().c_str());
    return 0;
}

int cmdDetokenize(const Args &a)
{
    if (a.positional.size() != 1)
        return fail("usage: firedeck-engine detokenize DIR < [ids]");
    auto tok = Tokenizer::load(a.positional[0]);
    if (!tok)
        return fail(tok.error());
    auto j = nlohmann::json::parse(readStdin(), nullptr, false);
    if (j.is_discarded() || !j.is_array())
        return fail("stdin: expected a JSON array of token ids");
    std::vector<int32_t> ids;
    for (const auto &v : j) {
        if (!v.is_number_integer() || v.get<int64_t>() < 0 ||
            v.get<int64_t>() >= tok.value()->vocabSize())
            return fail("stdin: " + v.dump() + " is not a token id (0.." +
                        std::to_string(tok.value()->vocabSize() - 1) + ")");
        ids.push_back(static_cast<int32_t>(v.get<int64_t>()));
    }
    std::fwrite(tok.value()->decode(ids).data(), 1, tok.value()->decode(ids).size(), stdout);
    return 0;
}

int cmdTemplate(const Args &a)
{
    if (a.positional.size() != 1)
        return fail("usage: firedeck-engine template DIR < conversation.json");
    auto tmpl = ChatTemplate::load(a.positional[0]);
    if (!tmpl)
        return fail(tmpl.error());
    auto j = nlohmann::ordered_json::parse(readStdin(), nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("messages") || !j["messages"].is_array())
        return fail("stdin: expected {\"messages\": [...], \"tools\": [...], "
                    "\"add_generation_prompt\": true}");
    const nlohmann::ordered_json tools =
        j.contains("tools") ? j["tools"] : nlohmann::ordered_json();
    const bool addGen = !j.contains("add_generation_prompt") ||
                        !j["add_generation_prompt"].is_boolean() ||
                        j["add_generation_prompt"].get<bool>();
    auto out = tmpl->apply(j["messages"], tools, addGen);
    if (!out)
        return fail(out.error());
    std::fwrite(out->data(), 1, out->size(), stdout);
    return 0;
}

} // namespace enginetool
