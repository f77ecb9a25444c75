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
    const std::string cmd = std::string(FIREDECK_ENGINE_TOOL) + " " + args + " 2>&1";
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

TEST(Tool, makeRandomModelThenBench_reportsThroughputAndBandwidth)
{
    const auto dir =
        std::filesystem::temp_directory_path() / ("fd-tool-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir / "cfg");
    std::ofstream(dir / "cfg" / "config.json")
        << R"({"model_type":"qwen2","hidden_size":64,"intermediate_size":128,"num_hidden_layers":2,
              "num_attention_heads":4,"num_key_value_heads":2,"vocab_size":300,"max_position_embeddings":128,
              "tie_word_embeddings":true})";
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

} // namespace
