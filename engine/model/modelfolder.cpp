#include "modelfolder.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <vector>

namespace engine {

namespace fs = std::filesystem;

namespace {

//! Model folders (with config.json) below `dir`, relative to it and sorted; at most `limit`,
//! from the first few thousand entries (a home folder given by mistake is not searched whole).
std::vector<std::string> modelFoldersBelow(const fs::path &dir, std::size_t limit)
{
    std::vector<std::string> found;
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    for (int looked = 0;
         !ec && it != fs::recursive_directory_iterator() && looked < 4000 && found.size() < limit;
         it.increment(ec), ++looked) {
        std::error_code typeError;
        if (it->is_directory(typeError) && fs::exists(it->path() / "config.json", typeError))
            found.push_back(fs::relative(it->path(), dir, typeError).generic_string());
    }
    std::sort(found.begin(), found.end());
    return found;
}

//! The "base_model_name_or_path" an adapter_config.json names, or "" when it names none.
std::string adapterBase(const fs::path &config)
{
    std::ifstream in(config);
    const auto j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_object() && j.contains("base_model_name_or_path") &&
        j["base_model_name_or_path"].is_string())
        return j["base_model_name_or_path"].get<std::string>();
    return {};
}

//! "does not exist" / "is a file" for a path that is no folder, or "".
std::string whyNotAFolder(const std::string &dir, const std::string &argument, const char *holds)
{
    std::error_code ec;
    const fs::file_status status = fs::status(dir, ec);
    if (!fs::exists(status))
        return argument + ": " + dir + " does not exist";
    if (!fs::is_directory(status))
        return argument + ": " + dir + " is a file; give the folder that holds " + holds;
    return {};
}

} // namespace

std::string whyNotAModelFolder(const std::string &dir, const ModelFolderUse &use)
{
    if (std::string why = whyNotAFolder(dir, use.argument, "config.json"); !why.empty())
        return why;
    const fs::path path(dir);
    std::error_code ec;
    if (fs::exists(path / "config.json", ec)) {
        if (!use.needsTokenizer || fs::exists(path / "tokenizer.json", ec))
            return {};
        return use.argument + ": " + dir +
               " has the weights but no tokenizer.json; copy tokenizer.json and "
               "tokenizer_config.json from where the model came from (its Hugging Face "
               "repository) into it";
    }
    if (fs::exists(path / "adapter_config.json", ec)) {
        const std::string base = adapterBase(path / "adapter_config.json");
        std::string text = use.argument + ": " + dir +
                           " is a LoRA adapter; give its base model's folder as " + use.argument;
        if (!use.adapterOption.empty())
            text += " and this one as " + use.adapterOption;
        if (!base.empty())
            text += " (its adapter_config.json names the base \"" + base + "\")";
        if (use.adapterOption.empty())
            text += "; this command runs base models alone";
        return text;
    }
    std::string text = use.argument + ": " + dir +
                       " holds no config.json; give a model folder (one with config.json and "
                       ".safetensors weights)";
    const std::vector<std::string> below = modelFoldersBelow(path, 6);
    if (!below.empty()) {
        text += ", such as one below it: ";
        for (std::size_t i = 0; i < below.size() && i < 5; ++i)
            text += (i ? ", " : "") + below[i];
        if (below.size() > 5)
            text += ", …";
    }
    return text;
}

std::string whyNotAnAdapterFolder(const std::string &dir, const std::string &option)
{
    if (std::string why = whyNotAFolder(dir, option, "adapter_config.json"); !why.empty())
        return why;
    std::error_code ec;
    if (fs::exists(fs::path(dir) / "adapter_config.json", ec))
        return {};
    return option + ": " + dir +
           " holds no adapter_config.json; give the folder of a LoRA adapter "
           "(adapter_config.json and adapter_model.safetensors)";
}

} // namespace engine
