#pragma once

// Whether a folder a command was given is one it can load, said before loading: the load's own
// error ("config.json: cannot open") did not say that the folder was a model root, a LoRA
// adapter or weights without their tokenizer, nor what to give instead.

#include <string>

namespace engine {

//! How a command names and uses the folder it was given.
struct ModelFolderUse
{
    std::string argument = "DIR";            //!< the folder's name in the command's usage line
    std::string adapterOption = "--adapter"; //!< the option that takes a LoRA folder; "" if none
    bool needsTokenizer = true;              //!< chats need tokenizer.json; timings do not
};

//! Why `dir` is no model folder for `use`, as one sentence that starts with the argument's name
//! and says what to give instead; empty when it holds config.json (and tokenizer.json when
//! needed). Only what is there is looked at: the load says what is wrong inside the files.
std::string whyNotAModelFolder(const std::string &dir, const ModelFolderUse &use);

//! The same for a LoRA adapter's folder given with `option`: empty when it holds
//! adapter_config.json.
std::string whyNotAnAdapterFolder(const std::string &dir, const std::string &option);

} // namespace engine
