// The checks of a `messages` list (and of its content parts, tool calls and tool schema),
// shared by every format: SFT rows, RFT prompts, DPO input and outputs, batch request bodies.

#include "rowchecker_p.h"

namespace dataset::detail {

namespace {

using simdjson::dom::element_type;

std::string at(std::string_view path, std::size_t i)
{
    std::string s(path);
    s += '[';
    s += std::to_string(i);
    s += ']';
    return s;
}

std::string join(std::string_view path, std::string_view key)
{
    std::string s(path);
    s += '.';
    s += key;
    return s;
}

bool get(const simdjson::dom::object &o, std::string_view key, simdjson::dom::element &out)
{
    return o.at_key(key).get(out) == simdjson::SUCCESS;
}

bool blankText(std::string_view s)
{
    for (char c : s)
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return false;
    return true;
}

const char *kindOf(const simdjson::dom::element &e)
{
    switch (e.type()) {
    case element_type::ARRAY:
        return "a list";
    case element_type::OBJECT:
        return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
        return "a number";
    case element_type::STRING:
        return "a string";
    case element_type::BOOL:
        return "true/false";
    case element_type::NULL_VALUE:
        return "null";
    }
    return "a value";
}

std::string quoted(std::string_view s)
{
    return "'" + std::string(s.substr(0, 40)) + (s.size() > 40 ? "…'" : "'");
}

} // namespace

void RowChecker::checkMessages(Element messages, std::string_view path, Mode mode)
{
    simdjson::dom::array list;
    if (messages.get_array().get(list) != simdjson::SUCCESS) {
        error(Rule::WrongType, std::string(path),
              "'" + std::string(path) + "' must be a list of messages, not " + kindOf(messages));
        return;
    }
    if (list.size() == 0) {
        error(Rule::EmptyMessages, std::string(path), "'" + std::string(path) + "' is empty");
        return;
    }
    const bool roleOrder = mode == Mode::Train || mode == Mode::Prompt || mode == Mode::DpoInput;
    std::size_t i = 0;
    std::string_view previous; // role of the previous non-system message
    bool previousHadToolCalls = false;
    // The previous message's role could not be read (missing, not a string, misspelt): that
    // message already has its error, and the order around it is unknown, so the next one is
    // not also blamed for it ("starts with an assistant message" after a 'usr' message).
    bool previousUnknown = false;
    // Some message's role could not be read: it may be the assistant turn ('bot'), so "no
    // assistant message" would be the same cause reported twice.
    bool anyUnknown = false;
    bool sawAssistant = false;
    bool sawConversation = false;
    std::string_view lastRole;
    std::size_t lastIndex = 0;
    for (Element m : list) {
        const std::string where = at(path, i);
        Object message;
        lastRole = {};
        lastIndex = i;
        if (m.get_object().get(message) != simdjson::SUCCESS) {
            error(Rule::WrongType, where,
                  "each message must be an object, not " + std::string(kindOf(m)));
            sawConversation = true;
            previousUnknown = true;
            anyUnknown = true;
            ++i;
            continue;
        }
        Element roleElement;
        std::string_view role;
        if (!get(message, "role", roleElement)) {
            error(Rule::MissingField, join(where, "role"), "missing required field 'role'");
        } else if (roleElement.get_string().get(role) != simdjson::SUCCESS) {
            error(Rule::WrongType, join(where, "role"),
                  std::string("'role' must be a string, not ") + kindOf(roleElement));
        } else if (role != "system" && role != "user" && role != "assistant" && role != "tool") {
            error(Rule::InvalidRole, join(where, "role"),
                  "role " + quoted(role) + " is not one of system, user, assistant, tool");
            role = {};
        }
        lastRole = role;
        if (role == "system" && i != 0)
            error(Rule::SystemNotFirst, join(where, "role"),
                  "a system message may only be the first message");
        if (mode == Mode::Output && !role.empty() && role != "assistant")
            error(Rule::DpoOutput, join(where, "role"),
                  "'" + std::string(path) + "' may hold only the final assistant turn; this is a " +
                      std::string(role) + " message");

        Element calls;
        const bool hasToolCalls = get(message, "tool_calls", calls) && !calls.is_null();
        if (hasToolCalls)
            checkToolCalls(calls, join(where, "tool_calls"));
        Element content;
        const bool hasContent = get(message, "content", content) && !content.is_null();
        const bool toolCallsOnly = role == "assistant" && hasToolCalls;
        if (!hasContent) {
            if (!toolCallsOnly || mode == Mode::Prompt)
                error(Rule::MissingContent, join(where, "content"),
                      "missing required field 'content'");
        } else {
            checkContent(content, join(where, "content"), toolCallsOnly);
        }
        Element weight;
        if (get(message, "weight", weight)) {
            double w = -1;
            if (weight.get_double().get(w) != simdjson::SUCCESS || (w != 0.0 && w != 1.0))
                error(Rule::MessageWeight, join(where, "weight"),
                      "a message 'weight' must be 0 or 1");
        }
        Element reasoning;
        if (get(message, "reasoning_content", reasoning) && !reasoning.is_null() &&
            !reasoning.is_string())
            error(Rule::WrongType, join(where, "reasoning_content"),
                  std::string("'reasoning_content' must be a string, not ") + kindOf(reasoning));

        if (roleOrder && !role.empty() && role != "system" && !previousUnknown) {
            if (!sawConversation && role != "user")
                m_sink.add(Rule::RoleOrder, *m_record, join(where, "role"),
                           "the conversation starts with " +
                               std::string(role == "assistant" ? "an " : "a ") + std::string(role) +
                               " message; it should start with a user message (after an "
                               "optional system message)");
            else if (role == previous && (role == "user" || role == "assistant"))
                m_sink.add(Rule::RoleOrder, *m_record, join(where, "role"),
                           "two " + std::string(role) + " messages in a row (" + at(path, i - 1) +
                               " and " + where + ")");
            else if (role == "tool" &&
                     !(previous == "tool" || (previous == "assistant" && previousHadToolCalls)))
                m_sink.add(Rule::RoleOrder, *m_record, join(where, "role"),
                           "a tool message must follow an assistant message with 'tool_calls'");
            sawConversation = true;
        }
        if (role.empty()) {
            sawConversation = true;
            previousUnknown = true;
            anyUnknown = true;
        } else if (role != "system") {
            previous = role;
            previousHadToolCalls = hasToolCalls;
            previousUnknown = false;
        }
        if (role == "assistant")
            sawAssistant = true;
        ++i;
    }
    const std::string last = at(path, lastIndex);
    switch (mode) {
    case Mode::Train:
        if (!sawAssistant && !anyUnknown)
            error(Rule::NoAssistant, std::string(path),
                  "'" + std::string(path) + "' has no assistant message to train on");
        else if (!lastRole.empty() && lastRole != "assistant")
            m_sink.add(Rule::FinalTurn, *m_record, join(last, "role"),
                       "the last message is a " + std::string(lastRole) +
                           " message; nothing after the last assistant message is trained on");
        break;
    case Mode::Prompt:
        if (lastRole == "assistant")
            m_sink.add(Rule::FinalTurn, *m_record, join(last, "role"),
                       "the last message is the assistant's; an RFT / evaluation row is a "
                       "prompt that the model answers");
        break;
    case Mode::DpoInput:
        if (lastRole == "assistant")
            m_sink.add(Rule::FinalTurn, *m_record, join(last, "role"),
                       "the prompt ends with an assistant message; DPO is single-turn: the "
                       "answers go in preferred_output / non_preferred_output");
        break;
    case Mode::Output:
    case Mode::Batch:
        break;
    }
}

void RowChecker::checkContent(Element content, const std::string &path, bool toolCallsOnly)
{
    std::string_view text;
    if (content.get_string().get(text) == simdjson::SUCCESS) {
        if (!toolCallsOnly && blankText(text))
            m_sink.add(Rule::EmptyContent, *m_record, path,
                       text.empty() ? "the message content is empty"
                                    : "the message content is only whitespace");
        return;
    }
    simdjson::dom::array parts;
    if (content.get_array().get(parts) != simdjson::SUCCESS) {
        error(Rule::WrongType, path,
              std::string("'content' must be a string or a list of parts, not ") + kindOf(content));
        return;
    }
    if (parts.size() == 0 && !toolCallsOnly)
        m_sink.add(Rule::EmptyContent, *m_record, path, "the message content is an empty list");
    std::size_t j = 0;
    for (Element part : parts) {
        const std::string where = at(path, j++);
        Object partObject;
        std::string_view type;
        Element typeElement;
        if (part.get_object().get(partObject) != simdjson::SUCCESS ||
            !get(partObject, "type", typeElement) ||
            typeElement.get_string().get(type) != simdjson::SUCCESS) {
            error(Rule::ContentPart, where,
                  "a content part must be an object with a string 'type' (text or image_url)");
            continue;
        }
        if (type == "text") {
            Element textElement;
            std::string_view partText;
            if (!get(partObject, "text", textElement) ||
                textElement.get_string().get(partText) != simdjson::SUCCESS)
                error(Rule::ContentPart, join(where, "text"), "a text part needs a string 'text'");
            else if (blankText(partText))
                m_sink.add(Rule::EmptyContent, *m_record, join(where, "text"),
                           "the text part is empty or only whitespace");
        } else if (type == "image_url") {
            if (m_format != Format::SftVision) {
                error(Rule::ImageInTextFormat, where,
                      "an image part, but the file is checked as " +
                          std::string(formatDisplayName(m_format)) +
                          "; images need the SFT vision format");
                continue;
            }
            Element image;
            Element url;
            std::string_view urlText;
            Object imageObject;
            if (!get(partObject, "image_url", image) ||
                image.get_object().get(imageObject) != simdjson::SUCCESS ||
                !get(imageObject, "url", url) ||
                url.get_string().get(urlText) != simdjson::SUCCESS) {
                error(Rule::ContentPart, join(where, "image_url"),
                      "an image part needs 'image_url': {\"url\": \"data:image/...\"}");
                continue;
            }
            const std::string urlPath = join(where, "image_url.url");
            if (urlText.starts_with("http://") || urlText.starts_with("https://")) {
                error(Rule::BadImageUrl, urlPath,
                      "plain http(s) image URLs are refused; embed the image as "
                      "data:image/png;base64,…");
            } else if (!urlText.starts_with("data:image/png;base64,") &&
                       !urlText.starts_with("data:image/jpeg;base64,") &&
                       !urlText.starts_with("data:image/jpg;base64,")) {
                error(Rule::BadImageUrl, urlPath,
                      "the image must be a base64 data URI of a PNG or JPEG "
                      "(data:image/png;base64,… or data:image/jpeg;base64,…), not " +
                          quoted(urlText));
            }
        } else {
            error(Rule::ContentPart, join(where, "type"),
                  "unknown content part type " + quoted(type) + " (text or image_url)");
        }
    }
}

void RowChecker::checkToolCalls(Element calls, const std::string &path)
{
    simdjson::dom::array list;
    if (calls.get_array().get(list) != simdjson::SUCCESS) {
        error(Rule::ToolCalls, path,
              std::string("'tool_calls' must be a list, not ") + kindOf(calls));
        return;
    }
    std::size_t j = 0;
    for (Element call : list) {
        const std::string where = at(path, j++);
        Object callObject;
        Element function;
        Object functionObject;
        if (call.get_object().get(callObject) != simdjson::SUCCESS ||
            !get(callObject, "function", function) ||
            function.get_object().get(functionObject) != simdjson::SUCCESS) {
            error(Rule::ToolCalls, where,
                  "a tool call must be {\"type\": \"function\", \"function\": {\"name\", "
                  "\"arguments\"}}");
            continue;
        }
        Element name;
        std::string_view nameText;
        if (!get(functionObject, "name", name) ||
            name.get_string().get(nameText) != simdjson::SUCCESS || nameText.empty())
            error(Rule::ToolCalls, join(where, "function.name"),
                  "a tool call needs the function's 'name'");
        Element arguments;
        std::string_view argumentsText;
        if (!get(functionObject, "arguments", arguments)) {
            error(Rule::ToolCalls, join(where, "function.arguments"),
                  "a tool call needs 'arguments' (a JSON string)");
        } else if (arguments.get_string().get(argumentsText) != simdjson::SUCCESS) {
            error(Rule::ToolCalls, join(where, "function.arguments"),
                  std::string("'arguments' must be a JSON string, not ") + kindOf(arguments));
        } else {
            Element parsed;
            if (m_argumentsParser.parse(argumentsText.data(), argumentsText.size(), true)
                    .get(parsed) != simdjson::SUCCESS)
                m_sink.add(Rule::ToolArguments, *m_record, join(where, "function.arguments"),
                           "'arguments' is not valid JSON");
        }
    }
}

void RowChecker::checkTools(Element tools, std::string_view path)
{
    simdjson::dom::array list;
    if (tools.get_array().get(list) != simdjson::SUCCESS) {
        error(Rule::Tools, std::string(path),
              std::string("'tools' must be a list of function schemas, not ") + kindOf(tools));
        return;
    }
    std::size_t j = 0;
    for (Element tool : list) {
        const std::string where = at(path, j++);
        Object toolObject;
        Element function;
        Object functionObject;
        Element name;
        std::string_view nameText;
        if (tool.get_object().get(toolObject) != simdjson::SUCCESS ||
            !get(toolObject, "function", function) ||
            function.get_object().get(functionObject) != simdjson::SUCCESS) {
            error(Rule::Tools, where,
                  "a tool must be {\"type\": \"function\", \"function\": {\"name\", "
                  "\"description\", \"parameters\"}}");
        } else if (!get(functionObject, "name", name) ||
                   name.get_string().get(nameText) != simdjson::SUCCESS || nameText.empty()) {
            error(Rule::Tools, join(where, "function.name"), "a tool needs the function's 'name'");
        }
    }
}

} // namespace dataset::detail
