// Encode/decode throughput on ~1 MB of the corpus text. Not a test (timings are not asserted):
//   build-<name>/tests/engine/tokenizer/tokenizer_bench <modelDir> [bytes]

#include <engine/tokenizer/tokenizer.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s <modelDir> [bytes]\n", argv[0]);
        return 2;
    }
    const std::size_t target = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : (1u << 20);
    auto tok = engine::Tokenizer::load(argv[1]);
    if (!tok) {
        std::fprintf(stderr, "%s\n", tok.error().message.c_str());
        return 1;
    }
    std::string corpus;
    for (const auto &e :
         std::filesystem::directory_iterator(FIREDECK_TEST_DATA_DIR "/tokenizer/corpus")) {
        std::ifstream in(e.path(), std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        corpus += ss.str() + "\n";
    }
    std::string text;
    while (text.size() < target)
        text += corpus;
    text.resize(target);
    // Do not cut a UTF-8 character in half at the end.
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80)
        text.pop_back();
    if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0)
        text.pop_back();
    for (int run = 0; run < 2; ++run) {
        const auto t0 = std::chrono::steady_clock::now();
        const auto ids = (*tok)->encode(text);
        const auto t1 = std::chrono::steady_clock::now();
        const std::string back = (*tok)->decode(ids);
        const auto t2 = std::chrono::steady_clock::now();
        std::printf("%s run %d: %zu bytes -> %zu tokens, encode %.1f ms, decode %.1f ms\n",
                    std::filesystem::path(argv[1]).parent_path().filename().c_str(), run,
                    text.size(), ids.size(),
                    std::chrono::duration<double, std::milli>(t1 - t0).count(),
                    std::chrono::duration<double, std::milli>(t2 - t1).count());
    }
    return 0;
}
