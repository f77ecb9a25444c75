#include "rowchecker_p.h"

namespace dataset::detail {

namespace {

using simdjson::dom::element_type;

bool get(const simdjson::dom::object &o, std::string_view key, simdjson::dom::element &out)
{
    return o.at_key(key).get(out) == simdjson::SUCCESS;
}

std::string typeName(element_type t)
{
    switch (t) {
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

// What a person can look for in the line; simdjson's own words ("Problem while parsing an atom
// starting with the letter 'n'") for the rest, lower-cased to follow "invalid JSON: ".
std::string invalidJsonReason(simdjson::error_code err)
{
    switch (err) {
    case simdjson::UNCLOSED_STRING:
        return "a string is opened but never closed (the line is cut off, or a value holds a "
               "line break that is not written as \\n)";
    case simdjson::TAPE_ERROR:
        return "the brackets and commas do not fit together (a ',', '}' or ']' missing or too "
               "many)";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR:
        return "a word outside double quotes that is not true, false or null";
    case simdjson::NUMBER_ERROR:
        return "a number JSON does not allow (a leading zero or +, a trailing dot)";
    case simdjson::STRING_ERROR:
        return "a backslash in a string that does not start an escape (\\\", \\\\, \\n, "
               "\\t, \\u…)";
    default:
        break;
    }
    std::string text = simdjson::error_message(err);
    if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z' &&
        !(text.size() > 1 && text[1] >= 'A' && text[1] <= 'Z'))
        text[0] = char(text[0] - 'A' + 'a');
    return text;
}

} // namespace

namespace {

//! k of a field that starts "messages[k]", or -1.
int messageIndex(std::string_view field)
{
    constexpr std::string_view prefix = "messages[";
    if (field.substr(0, prefix.size()) != prefix)
        return -1;
    std::size_t k = 0, i = prefix.size();
    for (; i < field.size() && field[i] >= '0' && field[i] <= '9' && k < 1000; ++i)
        k = k * 10 + std::size_t(field[i] - '0');
    if (i == prefix.size() || i >= field.size() || field[i] != ']')
        return -1;
    return int(k);
}

} // namespace

std::string withCsvColumn(const Record &record, std::string field)
{
    const int k = messageIndex(field);
    if (k < 0 || std::size_t(k) >= record.messageColumns.size() ||
        record.messageColumns[std::size_t(k)].empty())
        return field;
    const std::string from(record.messageColumns[std::size_t(k)]);
    // Only a CSV row has a row number; a prompt/completion line names its key.
    return field + (record.row ? " (CSV column '" + from + "')" : " (from '" + from + "')");
}

bool inMissingCsvColumn(const Record &record, std::string_view field)
{
    const int k = messageIndex(field);
    return k >= 0 && std::size_t(k) < record.messageColumnMissing.size() &&
           record.messageColumnMissing[std::size_t(k)];
}

void Sink::add(Rule rule, uint64_t line, uint64_t offset, std::string field, std::string message,
               uint64_t row)
{
    uint64_t &n = m_report.ruleCounts[std::size_t(rule)];
    ++n;
    const Severity severity = ruleSeverity(rule);
    if (severity == Severity::Error) {
        ++m_report.errors;
        rowError = true;
    } else if (severity == Severity::Warning) {
        ++m_report.warnings;
    }
    if (n <= m_cap) {
        m_report.problems.push_back(
            {rule, line, offset, std::move(field), std::move(message), row});
        if (onStored)
            onStored(m_report.problems.back());
    }
}

std::size_t firstInvalidUtf8(const char *data, std::size_t size)
{
    const auto *s = reinterpret_cast<const unsigned char *>(data);
    std::size_t i = 0;
    while (i < size) {
        const unsigned char c = s[i];
        std::size_t n = 0;
        uint32_t min = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3, min = 0x10000;
        } else {
            return i;
        }
        uint32_t cp = c & (0x3F >> n);
        for (std::size_t k = 1; k <= n; ++k) {
            if (i + k >= size || (s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += n + 1;
    }
    return size;
}

void RowChecker::error(Rule rule, std::string field, std::string message)
{
    m_sink.add(rule, *m_record, std::move(field), std::move(message));
}

bool RowChecker::collect(const Record &record, Evidence &ev)
{
    Element doc;
    if (m_parser.parse(record.data, record.size, false).get(doc) != simdjson::SUCCESS)
        return false;
    Object row;
    if (doc.get_object().get(row) != simdjson::SUCCESS)
        return false;
    collectFrom(row, ev);
    return true;
}

void RowChecker::collectFrom(const Object &row, Evidence &ev)
{
    ++ev.objects;
    Element v;
    const bool hasDpo = get(row, "input", v) || get(row, "preferred_output", v) ||
                        get(row, "non_preferred_output", v);
    if (hasDpo)
        ++ev.dpo;
    if (get(row, "custom_id", v) || get(row, "body", v))
        ++ev.batch;
    if (get(row, "ground_truth", v))
        ++ev.groundTruth;
    if (get(row, "weight", v))
        ++ev.rowWeight;
    Element tools;
    Element input;
    if (get(row, "tools", tools) || (get(row, "input", input) && input.is_object() &&
                                     get(input.get_object().value_unsafe(), "tools", tools)))
        ++ev.tools;
    simdjson::dom::array messages;
    if (!get(row, "messages", v) || v.get_array().get(messages) != simdjson::SUCCESS)
        return;
    ++ev.messages;
    bool images = false, toolCalls = false;
    std::string_view lastRole;
    for (Element m : messages) {
        Object mo;
        if (m.get_object().get(mo) != simdjson::SUCCESS)
            continue;
        Element x;
        lastRole = {};
        if (get(mo, "role", x) && x.get_string().get(lastRole) != simdjson::SUCCESS)
            lastRole = {};
        if (get(mo, "tool_calls", x) && x.is_array())
            toolCalls = true;
        simdjson::dom::array parts;
        if (get(mo, "content", x) && x.get_array().get(parts) == simdjson::SUCCESS) {
            for (Element part : parts) {
                std::string_view type;
                if (part.is_object() && part["type"].get_string().get(type) == simdjson::SUCCESS &&
                    type == "image_url")
                    images = true;
            }
        }
    }
    ev.images += images;
    ev.toolCalls += toolCalls;
    if (lastRole == "assistant")
        ++ev.endsWithAssistant;
    else if (messages.size() > 0)
        ++ev.endsWithOther;
}

RowChecker::Outcome RowChecker::check(const Record &record, Evidence &evidence)
{
    m_record = &record;
    Element doc;
    const auto err = m_parser.parse(record.data, record.size, false).get(doc);
    if (err == simdjson::UTF8_ERROR) {
        const std::size_t at = firstInvalidUtf8(record.data, record.size);
        error(Rule::BadUtf8, "",
              "the line is not valid UTF-8 (byte " + std::to_string(at + 1) + " of the line)");
        return {};
    }
    if (err != simdjson::SUCCESS) {
        error(Rule::InvalidJson, "", "invalid JSON: " + invalidJsonReason(err));
        return {};
    }
    Object row;
    if (doc.get_object().get(row) != simdjson::SUCCESS) {
        error(Rule::NotObject, "", "the line is " + typeName(doc.type()) + ", not a JSON object");
        return {};
    }
    collectFrom(row, evidence);
    checkRow(row);
    return {true};
}

void RowChecker::checkRow(const Object &row)
{
    switch (m_format) {
    case Format::SftChat:
    case Format::SftVision:
    case Format::Unknown:
        checkSft(row);
        break;
    case Format::Dpo:
        checkDpo(row);
        break;
    case Format::Rft:
        checkRft(row);
        break;
    case Format::Batch:
        checkBatch(row);
        break;
    }
}

void RowChecker::checkSft(const Object &row)
{
    Element messages;
    if (!get(row, "messages", messages)) {
        error(Rule::MissingField, "messages", "missing required field 'messages'");
    } else {
        checkMessages(messages, "messages", Mode::Train);
    }
    Element tools;
    if (get(row, "tools", tools))
        checkTools(tools, "tools");
    Element weight;
    if (get(row, "weight", weight)) {
        ++m_rowsWithWeight;
        if (!weight.is_number())
            error(Rule::RowWeight, "weight",
                  "the row 'weight' must be a number, not " + typeName(weight.type()));
    } else if (m_firstLineWithoutWeight == 0) {
        m_firstLineWithoutWeight = m_record->line;
        m_firstOffsetWithoutWeight = m_record->offset;
    }
}

void RowChecker::checkDpo(const Object &row)
{
    Element input;
    Object inputObject;
    if (!get(row, "input", input)) {
        error(Rule::MissingField, "input", "missing required field 'input'");
    } else if (input.get_object().get(inputObject) != simdjson::SUCCESS) {
        error(Rule::WrongType, "input",
              "'input' must be an object with 'messages', not " + typeName(input.type()));
    } else {
        Element messages;
        if (!get(inputObject, "messages", messages))
            error(Rule::MissingField, "input.messages", "missing required field 'input.messages'");
        else
            checkMessages(messages, "input.messages", Mode::DpoInput);
        Element tools;
        if (get(inputObject, "tools", tools))
            checkTools(tools, "input.tools");
    }
    Element outputs[2];
    const char *keys[2] = {"preferred_output", "non_preferred_output"};
    bool both = true;
    for (int i = 0; i < 2; ++i) {
        if (!get(row, keys[i], outputs[i])) {
            error(Rule::MissingField, keys[i],
                  std::string("missing required field '") + keys[i] + "'");
            both = false;
        } else {
            checkMessages(outputs[i], keys[i], Mode::Output);
        }
    }
    if (both && simdjson::minify(outputs[0]) == simdjson::minify(outputs[1]))
        m_sink.add(Rule::DpoIdentical, *m_record, "non_preferred_output",
                   "the preferred and non-preferred outputs are identical; the pair teaches "
                   "nothing");
}

void RowChecker::checkRft(const Object &row)
{
    Element messages;
    if (!get(row, "messages", messages))
        error(Rule::MissingField, "messages", "missing required field 'messages'");
    else
        checkMessages(messages, "messages", Mode::Prompt);
    Element tools;
    if (get(row, "tools", tools))
        checkTools(tools, "tools");
}

void RowChecker::checkBatch(const Object &row)
{
    Element id;
    std::string_view idText;
    if (!get(row, "custom_id", id)) {
        error(Rule::MissingField, "custom_id", "missing required field 'custom_id'");
    } else if (id.get_string().get(idText) != simdjson::SUCCESS) {
        error(Rule::WrongType, "custom_id",
              "'custom_id' must be a string, not " + typeName(id.type()));
    } else {
        const uint32_t line = uint32_t(std::min<uint64_t>(m_record->line, UINT32_MAX));
        if (const uint32_t first = m_customIds.insert(LineHashTable::hashBytes(idText), line))
            error(Rule::DuplicateCustomId, "custom_id",
                  "custom_id '" + std::string(idText.substr(0, 80)) + "' is already used on line " +
                      std::to_string(first));
    }
    Element body;
    Object bodyObject;
    if (!get(row, "body", body)) {
        error(Rule::MissingField, "body", "missing required field 'body'");
        return;
    }
    if (body.get_object().get(bodyObject) != simdjson::SUCCESS) {
        error(Rule::WrongType, "body",
              "'body' must be a chat-completions request object, not " + typeName(body.type()));
        return;
    }
    Element messages;
    if (!get(bodyObject, "messages", messages))
        error(Rule::MissingField, "body.messages", "missing required field 'body.messages'");
    else
        checkMessages(messages, "body.messages", Mode::Batch);
    Element model;
    if (get(bodyObject, "model", model))
        m_sink.add(Rule::BatchModel, *m_record, "body.model",
                   "'body.model' is ignored: the batch job's model answers every request");
}

void RowChecker::finish(uint64_t objects)
{
    if ((m_format == Format::SftChat || m_format == Format::SftVision) && m_rowsWithWeight > 0 &&
        m_rowsWithWeight < objects)
        m_sink.add(Rule::RowWeight, m_firstLineWithoutWeight, m_firstOffsetWithoutWeight, "weight",
                   "the row 'weight' is on " + groupThousands(m_rowsWithWeight) + " of " +
                       groupThousands(objects) +
                       " rows; it must be on every row or none (this is the first row "
                       "without it)");
}

} // namespace dataset::detail
