#pragma once

// A model's chat template plus the special tokens it refers to, applied the way transformers'
// apply_chat_template does (messages, tools, add_generation_prompt, bos/eos tokens).

#include <engine/common/result.h>
#include <engine/jinja/template.h>

#include <nlohmann/json.hpp>

#include <ctime>
#include <optional>
#include <string>

namespace engine {

//! A model's chat template (tokenizer_config.json "chat_template", string or named list) with
//! its bos/eos tokens, rendered the way transformers' apply_chat_template does.
class ChatTemplate
{
public:
    //! Reads modelDir/tokenizer_config.json (chat_template string or [{name, template}]),
    //! modelDir/chat_template.jinja (wins over the config's string, as in newer
    //! transformers) and modelDir/fireworks.json conversation_config (wins over both).
    //! Unsupported when the model has no chat template.
    static Result<ChatTemplate> load(const std::string &modelDir);
    static Result<ChatTemplate> fromSource(std::string source, std::string bosToken,
                                           std::string eosToken);

    //! Renders `messages` (array of {role, content, ...}); `tools` is null or an array. Keys
    //! of `extraContext` (e.g. enable_thinking) become template variables too.
    Result<std::string>
    apply(const nlohmann::ordered_json &messages, const nlohmann::ordered_json &tools,
          bool addGenerationPrompt,
          const nlohmann::ordered_json &extraContext = nlohmann::ordered_json::object()) const;

    //! Makes strftime_now() deterministic (tests); see jinja::Template::setFixedTime.
    void setFixedTime(std::optional<std::time_t> now);

    const std::string &bosToken() const { return m_bosToken; }
    const std::string &eosToken() const { return m_eosToken; }
    //! fireworks.json conversation_config.args.system, "" if none.
    const std::string &defaultSystemPrompt() const { return m_systemPrompt; }

private:
    jinja::Template m_template;
    std::optional<jinja::Template> m_toolTemplate; //!< named "tool_use", used when tools given
    std::string m_bosToken;
    std::string m_eosToken;
    std::string m_systemPrompt;
};

} // namespace engine
