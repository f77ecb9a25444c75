// libFuzzer target: arbitrary bytes as tokenizer.json; when they load, encode and decode a few
// inputs. See engine/tokenizer/README.md for how to build and run it.

#include <engine/tokenizer/tokenizer.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    auto tok = engine::Tokenizer::fromJson(input);
    if (!tok.ok())
        return 0;
    for (std::string_view text :
         {std::string_view("hello world <s> 12345 \xC3\xA9\xF0\x9F\x91\x8D"),
          input.substr(0, 256)}) {
        const auto ids = (*tok)->encode(text, true);
        (void)(*tok)->decode(ids, false);
        engine::StreamingDetokenizer stream(*tok);
        for (int32_t id : ids)
            (void)stream.push(id);
        (void)stream.finish();
    }
    return 0;
}
