// engine.jinja_robustness_asan: the broken-template corpus (tests/data/jinja/bad), the good
// templates, and seeded random mutations of both go through parse + render with ASan and
// UBSan compiled in. Every input must yield output or an engine::Error, never a crash.

#include <engine/jinja/template.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

std::string readFile(const fs::path &p)
{
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

const nlohmann::ordered_json &context()
{
    static const nlohmann::ordered_json ctx = nlohmann::ordered_json::parse(R"({
        "messages": [{"role": "system", "content": "sys"},
                     {"role": "user", "content": "hi <think>x</think> there"},
                     {"role": "assistant", "content": "", "reasoning_content": "r",
                      "tool_calls": [{"function": {"name": "f", "arguments": {"a": [1, 2.5]}}}]},
                     {"role": "tool", "content": "{\"ok\": true}"}],
        "tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object", "properties": {"a": {"type": "array"}}}}}],
        "add_generation_prompt": true, "bos_token": "<s>", "eos_token": "</s>"})");
    return ctx;
}

struct Stats
{
    int parsed = 0, rendered = 0, parseErrors = 0, renderErrors = 0;
};

void run(const std::string &src, Stats &stats)
{
    auto t = engine::jinja::Template::parse(src, "fuzz");
    if (!t) {
        ++stats.parseErrors;
        if (t.error().message.empty()) {
            std::fprintf(stderr, "empty parse error message\n");
            std::abort();
        }
        return;
    }
    ++stats.parsed;
    engine::jinja::RenderLimits limits;
    limits.maxOutputBytes = 1 << 16;
    limits.maxSteps = 100'000;
    auto out = t->render(context(), limits);
    if (out)
        ++stats.rendered;
    else
        ++stats.renderErrors;
}

const char *const kFragments[] = {"{{",         "}}",
                                  "{%",         "%}",
                                  "{#",         "#}",
                                  "-",          "+",
                                  "{%-",        "-%}",
                                  " if ",       " for ",
                                  " in ",       "endif",
                                  "endfor",     "macro",
                                  "endmacro",   "set",
                                  "namespace(", ")",
                                  "(",          "[",
                                  "]",          "{",
                                  "}",          "'",
                                  "\"",         "\\",
                                  "|tojson",    "|length",
                                  "loop.",      "caller()",
                                  "messages",   "[::-1]",
                                  "**",         "//",
                                  "%",          " is ",
                                  " not ",      "raise_exception(",
                                  "recursive",  "loop(",
                                  "\n",         "\xff",
                                  "\xc3",       "9999999999999999999999",
                                  "1e308",      "range(",
                                  "* 99999",    "~",
                                  "call",       "endcall",
                                  "raw"};

std::string mutate(std::string s, std::mt19937 &rng)
{
    const int edits = 1 + static_cast<int>(rng() % 6);
    for (int e = 0; e < edits; ++e) {
        const std::size_t pos = s.empty() ? 0 : rng() % (s.size() + 1);
        switch (rng() % 5) {
        case 0: // delete a span
            if (!s.empty() && pos < s.size())
                s.erase(pos, 1 + rng() % std::min<std::size_t>(16, s.size() - pos));
            break;
        case 1: // insert a Jinja fragment
            s.insert(pos, kFragments[rng() % (sizeof kFragments / sizeof *kFragments)]);
            break;
        case 2: // flip a byte
            if (!s.empty() && pos < s.size())
                s[pos] = static_cast<char>(rng() & 0xff);
            break;
        case 3: { // duplicate a span
            if (!s.empty() && pos < s.size()) {
                const std::size_t len = 1 + rng() % std::min<std::size_t>(64, s.size() - pos);
                s.insert(pos, s.substr(pos, len));
            }
            break;
        }
        default: // truncate
            s.resize(pos);
        }
    }
    return s;
}

} // namespace

int main()
{
    const fs::path data = fs::path(FIREDECK_TEST_DATA_DIR) / "jinja";
    std::vector<std::string> bad, seeds;
    for (const auto &e : fs::directory_iterator(data / "bad"))
        bad.push_back(readFile(e.path()));
    for (const auto &e : fs::directory_iterator(data / "templates"))
        seeds.push_back(readFile(e.path()));
    if (bad.size() < 10 || seeds.empty()) {
        std::fprintf(stderr, "corpus missing: %zu bad templates, %zu seeds\n", bad.size(),
                     seeds.size());
        return 1;
    }
    Stats corpus;
    for (const auto &s : bad)
        run(s, corpus);
    // Every template in bad/ must be refused, at parse or at render time.
    if (corpus.rendered != 0) {
        std::fprintf(stderr, "%d templates in tests/data/jinja/bad rendered without error\n",
                     corpus.rendered);
        return 1;
    }
    Stats good;
    for (const auto &s : seeds)
        run(s, good);
    // The seeds are valid templates; with this context only the Mistral one refuses (it
    // rejects tool messages on purpose).
    if (good.parseErrors != 0 || good.rendered < static_cast<int>(seeds.size()) - 1) {
        std::fprintf(stderr, "good templates: %d parse errors, %d of %zu rendered\n",
                     good.parseErrors, good.rendered, seeds.size());
        return 1;
    }
    std::mt19937 rng(20240726); // fixed seed: the run is reproducible
    Stats mutated;
    std::vector<std::string> pool = seeds;
    pool.insert(pool.end(), bad.begin(), bad.end());
    for (int i = 0; i < 3000; ++i)
        run(mutate(pool[rng() % pool.size()], rng), mutated);
    std::printf("corpus: %zu bad refused; mutations: %d parsed (%d rendered, %d render errors), "
                "%d parse errors\n",
                bad.size(), mutated.parsed, mutated.rendered, mutated.renderErrors,
                mutated.parseErrors);
    return 0;
}
