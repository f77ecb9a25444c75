#include <engine/jinja/chattemplate.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace engine {

namespace {

namespace fs = std::filesystem;

Result<std::string> readFile(const fs::path &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return makeError(Error::Code::Io, path.string() + ": cannot open");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad())
        return makeError(Error::Code::Io, path.string() + ": read error");
    return ss.str();
}

Result<nlohmann::ordered_json> readJson(const fs::path &path)
{
    auto text = readFile(path);
    if (!text)
        return text.error();
    auto j = nlohmann::ordered_json::parse(*text, nullptr, false);
    if (j.is_discarded())
        return makeError(Error::Code::Corrupt, path.string() + ": not valid JSON");
    if (!j.is_object())
        return makeError(Error::Code::Corrupt, path.string() + ": expected a JSON object");
    return j;
}

// bos_token / eos_token: a string, an AddedToken object {"content": ...}, or null.
Result<std::string> tokenText(const nlohmann::ordered_json &config, const char *key,
                              const std::string &file)
{
    auto it = config.find(key);
    if (it == config.end() || it->is_null())
        return std::string();
    if (it->is_string())
        return it->get<std::string>();
    if (it->is_object()) {
        auto c = it->find("content");
        if (c != it->end() && c->is_string())
            return c->get<std::string>();
    }
    return makeError(Error::Code::Corrupt,
                     file + ": field '" + key + "' must be a string or {\"content\": string}");
}

Result<jinja::Template> parseNamed(const std::string &source, const std::string &name)
{
    return jinja::Template::parse(source, name);
}

} // namespace

Result<ChatTemplate> ChatTemplate::fromSource(std::string source, std::string bosToken,
                                              std::string eosToken)
{
    auto t = jinja::Template::parse(source, "chat_template");
    if (!t)
        return t.error();
    ChatTemplate ct;
    ct.m_template = std::move(t.value());
    ct.m_bosToken = std::move(bosToken);
    ct.m_eosToken = std::move(eosToken);
    return ct;
}

Result<ChatTemplate> ChatTemplate::load(const std::string &modelDir)
{
    const fs::path dir(modelDir);
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return makeError(Error::Code::NotFound, modelDir + ": not a directory");

    ChatTemplate ct;
    std::optional<std::string> source;
    std::string sourceName;
    std::optional<std::string> toolSource;

    const fs::path configPath = dir / "tokenizer_config.json";
    if (fs::exists(configPath, ec)) {
        auto config = readJson(configPath);
        if (!config)
            return config.error();
        const std::string file = configPath.string();
        auto bos = tokenText(*config, "bos_token", file);
        if (!bos)
            return bos.error();
        auto eos = tokenText(*config, "eos_token", file);
        if (!eos)
            return eos.error();
        ct.m_bosToken = *bos;
        ct.m_eosToken = *eos;
        if (auto it = config->find("chat_template"); it != config->end() && !it->is_null()) {
            if (it->is_string()) {
                source = it->get<std::string>();
                sourceName = file + ": chat_template";
            } else if (it->is_array()) {
                std::optional<std::string> firstName;
                for (std::size_t i = 0; i < it->size(); ++i) {
                    const auto &e = (*it)[i];
                    if (!e.is_object() || !e.contains("name") || !e["name"].is_string() ||
                        !e.contains("template") || !e["template"].is_string())
                        return makeError(Error::Code::Corrupt,
                                         file + ": chat_template[" + std::to_string(i) +
                                             "] must be {\"name\": string, \"template\": string}");
                    const std::string name = e["name"].get<std::string>();
                    if (name == "default") {
                        source = e["template"].get<std::string>();
                        sourceName = file + ": chat_template 'default'";
                    } else if (name == "tool_use") {
                        toolSource = e["template"].get<std::string>();
                    }
                }
                if (!source && !toolSource)
                    return makeError(Error::Code::Unsupported,
                                     file + ": chat_template list has neither a 'default' nor a "
                                            "'tool_use' template");
            } else {
                return makeError(Error::Code::Corrupt,
                                 file + ": chat_template must be a string or a list of "
                                        "{name, template}");
            }
        }
    }

    // Newer transformers save the template beside the config; the file wins.
    const fs::path jinjaPath = dir / "chat_template.jinja";
    if (fs::exists(jinjaPath, ec)) {
        auto text = readFile(jinjaPath);
        if (!text)
            return text.error();
        source = *text;
        sourceName = jinjaPath.string();
    }

    // fireworks.json conversation_config overrides both (Fireworks custom-model convention).
    const fs::path fwPath = dir / "fireworks.json";
    if (fs::exists(fwPath, ec)) {
        auto fw = readJson(fwPath);
        if (!fw)
            return fw.error();
        const std::string file = fwPath.string();
        if (auto cc = fw->find("conversation_config"); cc != fw->end() && !cc->is_null()) {
            if (!cc->is_object())
                return makeError(Error::Code::Corrupt,
                                 file + ": conversation_config must be an object");
            auto style = cc->find("style");
            if (style == cc->end() || !style->is_string())
                return makeError(Error::Code::Corrupt,
                                 file + ": conversation_config.style is required (a string)");
            const std::string s = style->get<std::string>();
            const auto args = cc->value("args", nlohmann::ordered_json::object());
            if (!args.is_object())
                return makeError(Error::Code::Corrupt,
                                 file + ": conversation_config.args must be an object");
            if (s == "jinja") {
                auto t = args.find("template");
                if (t == args.end() || !t->is_string())
                    return makeError(Error::Code::Corrupt,
                                     file + ": conversation_config.args.template is required "
                                            "for style 'jinja'");
                source = t->get<std::string>();
                sourceName = file + ": conversation_config.args.template";
                toolSource.reset();
            } else if (s != "huggingface") {
                return makeError(Error::Code::Unsupported,
                                 file + ": conversation_config.style '" + s +
                                     "' is not supported (only 'jinja' and 'huggingface')");
            }
            if (auto sys = args.find("system"); sys != args.end() && sys->is_string())
                ct.m_systemPrompt = sys->get<std::string>();
            if (auto m = args.find("special_tokens_map"); m != args.end() && m->is_object()) {
                auto bos = tokenText(*m, "bos_token", file + ": special_tokens_map");
                auto eos = tokenText(*m, "eos_token", file + ": special_tokens_map");
                if (!bos)
                    return bos.error();
                if (!eos)
                    return eos.error();
                if (!bos->empty())
                    ct.m_bosToken = *bos;
                if (!eos->empty())
                    ct.m_eosToken = *eos;
            }
        }
    }

    if (!source && !toolSource)
        return makeError(Error::Code::Unsupported,
                         modelDir + ": the model has no chat template (no chat_template in "
                                    "tokenizer_config.json, no chat_template.jinja, no "
                                    "fireworks.json conversation_config)");
    if (source) {
        auto t = parseNamed(*source, sourceName);
        if (!t)
            return t.error();
        ct.m_template = std::move(t.value());
    }
    if (toolSource) {
        auto t = parseNamed(*toolSource, configPath.string() + ": chat_template 'tool_use'");
        if (!t)
            return t.error();
        if (!source)
            ct.m_template = t.value();
        ct.m_toolTemplate = std::move(t.value());
    }
    return ct;
}

void ChatTemplate::setFixedTime(std::optional<std::time_t> now)
{
    m_template.setFixedTime(now);
    if (m_toolTemplate)
        m_toolTemplate->setFixedTime(now);
}

Result<std::string> ChatTemplate::apply(const nlohmann::ordered_json &messages,
                                        const nlohmann::ordered_json &tools,
                                        bool addGenerationPrompt,
                                        const nlohmann::ordered_json &extraContext) const
{
    if (!messages.is_array())
        return makeError(Error::Code::InvalidArgument, "chat template: messages must be an array");
    if (!tools.is_null() && !tools.is_array())
        return makeError(Error::Code::InvalidArgument,
                         "chat template: tools must be null or an array");
    if (!extraContext.is_object() && !extraContext.is_null())
        return makeError(Error::Code::InvalidArgument,
                         "chat template: extra context must be an object");
    nlohmann::ordered_json ctx = nlohmann::ordered_json::object();
    nlohmann::ordered_json msgs = messages;
    // fireworks.json's default system prompt applies when the caller gives none.
    if (!m_systemPrompt.empty() &&
        (msgs.empty() || !msgs[0].is_object() || msgs[0].value("role", "") != "system")) {
        nlohmann::ordered_json system = nlohmann::ordered_json::object();
        system["role"] = "system";
        system["content"] = m_systemPrompt;
        msgs.insert(msgs.begin(), std::move(system));
    }
    ctx["messages"] = std::move(msgs);
    ctx["tools"] = tools;
    ctx["documents"] = nullptr;
    ctx["add_generation_prompt"] = addGenerationPrompt;
    // transformers passes special_tokens_map, which omits tokens that are not set.
    if (!m_bosToken.empty())
        ctx["bos_token"] = m_bosToken;
    if (!m_eosToken.empty())
        ctx["eos_token"] = m_eosToken;
    if (extraContext.is_object())
        for (auto it = extraContext.begin(); it != extraContext.end(); ++it)
            ctx[it.key()] = it.value();
    const jinja::Template &t = (!tools.is_null() && m_toolTemplate) ? *m_toolTemplate : m_template;
    return t.render(ctx);
}

} // namespace engine
