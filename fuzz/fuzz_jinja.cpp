// libFuzzer entry: parse and render arbitrary template source with a small context and tight
// limits. Any crash, sanitizer report or exception escaping the API is a bug.

#include <engine/jinja/template.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view source(reinterpret_cast<const char *>(data), size);
    auto t = engine::jinja::Template::parse(source, "fuzz");
    if (!t)
        return 0;
    static const nlohmann::ordered_json context = nlohmann::ordered_json::parse(R"({
        "messages": [{"role": "system", "content": "sys"},
                     {"role": "user", "content": "hi <think>x</think>"},
                     {"role": "assistant", "content": "ok", "tool_calls": [
                         {"function": {"name": "f", "arguments": {"a": 1}}}]}],
        "tools": [{"type": "function", "function": {"name": "f", "parameters": {}}}],
        "add_generation_prompt": true, "bos_token": "<s>", "eos_token": "</s>"})");
    engine::jinja::RenderLimits limits;
    limits.maxOutputBytes = 1 << 16;
    limits.maxSteps = 200000;
    (void)t->render(context, limits);
    return 0;
}
