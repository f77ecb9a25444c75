#include "datasetvalidator.h"

#include <sandbox/apirequest.h>

#include <QRegularExpression>

namespace sandbox {

const char *datasetKindName(DatasetValidation::Kind kind)
{
    switch (kind) {
    case DatasetValidation::Kind::Sft:
        return "SFT";
    case DatasetValidation::Kind::Dpo:
        return "DPO";
    case DatasetValidation::Kind::Rft:
        return "RFT";
    case DatasetValidation::Kind::Batch:
        return "batch";
    case DatasetValidation::Kind::Unknown:
        return "unknown";
    }
    return "unknown";
}

namespace {

using Kind = DatasetValidation::Kind;

struct LineError
{
    QString message;
};

QString fieldError(const QString &what, int line)
{
    return QStringLiteral("%1 on line %2").arg(what).arg(line);
}

// Content may be a string or, for vision data, an array of text/image parts.
std::optional<QString> checkContent(const Json &content, const QString &where, int line)
{
    if (content.is_string())
        return std::nullopt;
    if (!content.is_array())
        return fieldError(
            QStringLiteral("field '%1.content' must be a string or a list of parts").arg(where),
            line);
    static const QRegularExpression dataUri(QStringLiteral("^data:image/(png|jpeg|jpg);base64,"));
    for (std::size_t i = 0; i < content.size(); ++i) {
        const Json &part = content[i];
        const QString partWhere = QStringLiteral("%1.content[%2]").arg(where).arg(i);
        if (!part.is_object() || !part.contains("type") || !part["type"].is_string())
            return fieldError(QStringLiteral("field '%1' needs a string 'type'").arg(partWhere),
                              line);
        const std::string type = part["type"];
        if (type == "text") {
            if (!part.contains("text") || !part["text"].is_string())
                return fieldError(QStringLiteral("field '%1.text' must be a string").arg(partWhere),
                                  line);
        } else if (type == "image_url") {
            const Json url = part.contains("image_url") && part["image_url"].is_object()
                                 ? part["image_url"].value("url", Json())
                                 : Json();
            if (!url.is_string() || !dataUri.match(toQ(url.get<std::string>())).hasMatch())
                return fieldError(
                    QStringLiteral("field '%1.image_url.url' must be a base64 data URI "
                                   "(data:image/png|jpeg|jpg;base64,...)")
                        .arg(partWhere),
                    line);
        } else {
            return fieldError(
                QStringLiteral("field '%1.type' has unknown value '%2'").arg(partWhere, toQ(type)),
                line);
        }
    }
    return std::nullopt;
}

// The platform's estimatedTokenCount without its tokenizer: about 4 bytes of text a token,
// and 4 tokens of chat template around each message. Every text the model reads counts: a
// string content, the text parts of a list content (an image's tokens depend on the model
// and are left out) and the name and arguments of tool calls; counting string contents only
// reported about 4 tokens for each message of a vision or tool-calling dataset.
qint64 estimatedTokens(const Json &message)
{
    // By reference: a content may be a megabyte of base64 image.
    auto stringSize = [](const Json &object, const char *key) -> std::size_t {
        const auto it = object.find(key);
        return it != object.end() && it->is_string() ? it->get_ref<const std::string &>().size()
                                                     : 0;
    };
    std::size_t bytes = stringSize(message, "content");
    const auto content = message.find("content");
    if (content != message.end() && content->is_array())
        for (const Json &part : *content)
            if (part.is_object())
                bytes += stringSize(part, "text");
    const auto calls = message.find("tool_calls");
    if (calls != message.end() && calls->is_array())
        for (const Json &call : *calls) {
            const auto function = call.is_object() ? call.find("function") : call.end();
            if (function != call.end() && function->is_object())
                bytes += stringSize(*function, "name") + stringSize(*function, "arguments");
        }
    return qint64(bytes / 4) + 4;
}

std::optional<QString> checkMessages(const Json &messages, const QString &where, int line,
                                     bool needAssistant, qint64 &tokens)
{
    if (!messages.is_array())
        return fieldError(QStringLiteral("field '%1' must be a list").arg(where), line);
    if (messages.empty())
        return fieldError(QStringLiteral("field '%1' is empty").arg(where), line);
    bool sawAssistant = false;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const Json &m = messages[i];
        const QString mw = QStringLiteral("%1[%2]").arg(where).arg(i);
        if (!m.is_object())
            return fieldError(QStringLiteral("'%1' must be an object").arg(mw), line);
        if (!m.contains("role") || !m["role"].is_string())
            return fieldError(QStringLiteral("missing required field '%1.role'").arg(mw), line);
        const std::string role = m["role"];
        if (role != "system" && role != "user" && role != "assistant" && role != "tool")
            return fieldError(
                QStringLiteral("field '%1.role' has invalid value '%2' (expected system, user, "
                               "assistant or tool)")
                    .arg(mw, toQ(role)),
                line);
        if (role == "system" && i != 0)
            return fieldError(
                QStringLiteral("'%1' is a system message; only the first message may be one")
                    .arg(mw),
                line);
        const bool hasToolCalls =
            m.contains("tool_calls") && m["tool_calls"].is_array() && !m["tool_calls"].empty();
        if (!m.contains("content") || m["content"].is_null()) {
            if (!(role == "assistant" && hasToolCalls))
                return fieldError(QStringLiteral("missing required field '%1.content'").arg(mw),
                                  line);
        } else if (auto e = checkContent(m["content"], mw, line)) {
            return e;
        }
        tokens += estimatedTokens(m);
        if (m.contains("weight")) {
            const Json &w = m["weight"];
            if (!w.is_number() || (w.get<double>() != 0.0 && w.get<double>() != 1.0))
                return fieldError(QStringLiteral("field '%1.weight' must be 0 or 1").arg(mw), line);
        }
        if (role == "assistant")
            sawAssistant = true;
    }
    if (needAssistant && !sawAssistant)
        return fieldError(
            QStringLiteral("'%1' has no assistant message (nothing to train on)").arg(where), line);
    return std::nullopt;
}

Kind detectKind(const Json &row)
{
    if (row.contains("custom_id") || row.contains("body"))
        return Kind::Batch;
    if (row.contains("input") || row.contains("preferred_output") ||
        row.contains("non_preferred_output"))
        return Kind::Dpo;
    if (row.contains("messages") && row["messages"].is_array() && !row["messages"].empty() &&
        row["messages"].back().is_object() &&
        // A Json default: value("role", "") throws when "role" is not a string (a crash of the
        // sandbox on upload validation, found by fuzz_sandbox_dataset).
        row["messages"].back().value("role", Json()) == "assistant")
        return Kind::Sft;
    if (row.contains("messages"))
        return Kind::Rft;
    return Kind::Unknown;
}

} // namespace

DatasetValidation validateDatasetJsonl(const QByteArray &content, Kind declared)
{
    DatasetValidation v;
    qint64 turns = 0;
    int line = 0;
    int rowsWithWeight = 0;
    QSet<QString> customIds;
    auto fail = [&](const QString &message, int at) {
        v.ok = false;
        v.error = message;
        v.errorLine = at;
        return v;
    };
    qsizetype pos = 0;
    while (pos < content.size()) {
        qsizetype nl = content.indexOf('\n', pos);
        if (nl < 0)
            nl = content.size();
        const QByteArray raw = content.mid(pos, nl - pos).trimmed();
        pos = nl + 1;
        ++line;
        if (raw.isEmpty())
            continue;
        const Json row = Json::parse(raw.constBegin(), raw.constEnd(), nullptr, false);
        if (row.is_discarded())
            return fail(QStringLiteral("invalid JSON on line %1").arg(line), line);
        if (!row.is_object())
            return fail(QStringLiteral("line %1 is not a JSON object").arg(line), line);
        const Kind kind = detectKind(row);
        if (v.kind == Kind::Unknown) {
            if (kind == Kind::Unknown)
                return fail(
                    QStringLiteral("missing required field 'messages' on line %1").arg(line), line);
            v.kind = declared == Kind::Unknown ? kind : declared;
        }
        // This stand-in's rule for a file that mixes chat rows and prompt-only rows, which the
        // platform's documentation does not give: any prompt-only row makes it RFT's (rows
        // read as chat so far are valid prompts too), so it is recorded as RL. Firedeck's
        // wizard decides by the majority of rows instead (dataset::detectFormat) and says
        // which rule it applied, and the kind recorded here when the two differ.
        if (v.kind == Kind::Sft && kind == Kind::Rft && declared == Kind::Unknown)
            v.kind = Kind::Rft;
        // A row that looks like another kind is checked as the file's kind, so the error
        // names the field that is missing for that kind.
        switch (v.kind) {
        case Kind::Sft: {
            if (!row.contains("messages"))
                return fail(
                    QStringLiteral("missing required field 'messages' on line %1").arg(line), line);
            if (auto e = checkMessages(row["messages"], QStringLiteral("messages"), line, true,
                                       v.estimatedTokenCount))
                return fail(*e, line);
            turns += qint64(row["messages"].size());
            if (row.contains("weight")) {
                if (!row["weight"].is_number())
                    return fail(fieldError(QStringLiteral("field 'weight' must be a number"), line),
                                line);
                ++rowsWithWeight;
            }
            break;
        }
        case Kind::Dpo: {
            if (!row.contains("input") || !row["input"].is_object())
                return fail(QStringLiteral("missing required field 'input' on line %1").arg(line),
                            line);
            if (!row["input"].contains("messages"))
                return fail(
                    QStringLiteral("missing required field 'input.messages' on line %1").arg(line),
                    line);
            if (auto e = checkMessages(row["input"]["messages"], QStringLiteral("input.messages"),
                                       line, false, v.estimatedTokenCount))
                return fail(*e, line);
            for (const char *key : {"preferred_output", "non_preferred_output"}) {
                if (!row.contains(key))
                    return fail(QStringLiteral("missing required field '%1' on line %2")
                                    .arg(QLatin1String(key))
                                    .arg(line),
                                line);
                const Json &out = row[key];
                if (auto e =
                        checkMessages(out, QLatin1String(key), line, true, v.estimatedTokenCount))
                    return fail(*e, line);
                if (out.back().value("role", "") != "assistant")
                    return fail(fieldError(QStringLiteral("'%1' must end with an assistant message")
                                               .arg(QLatin1String(key)),
                                           line),
                                line);
            }
            turns += qint64(row["input"]["messages"].size()) + 1;
            break;
        }
        case Kind::Rft: {
            if (!row.contains("messages"))
                return fail(
                    QStringLiteral("missing required field 'messages' on line %1").arg(line), line);
            if (auto e = checkMessages(row["messages"], QStringLiteral("messages"), line, false,
                                       v.estimatedTokenCount))
                return fail(*e, line);
            turns += qint64(row["messages"].size());
            break;
        }
        case Kind::Batch: {
            if (!row.contains("custom_id") || !row["custom_id"].is_string())
                return fail(
                    QStringLiteral("missing required field 'custom_id' on line %1").arg(line),
                    line);
            const QString id = toQ(row["custom_id"].get<std::string>());
            if (customIds.contains(id))
                return fail(fieldError(QStringLiteral("duplicate custom_id '%1'").arg(id), line),
                            line);
            customIds.insert(id);
            if (!row.contains("body") || !row["body"].is_object())
                return fail(QStringLiteral("missing required field 'body' on line %1").arg(line),
                            line);
            if (!row["body"].contains("messages"))
                return fail(
                    QStringLiteral("missing required field 'body.messages' on line %1").arg(line),
                    line);
            if (auto e = checkMessages(row["body"]["messages"], QStringLiteral("body.messages"),
                                       line, false, v.estimatedTokenCount))
                return fail(*e, line);
            break;
        }
        case Kind::Unknown:
            break;
        }
        ++v.exampleCount;
    }
    if (v.exampleCount == 0)
        return fail(QStringLiteral("the file has no rows"), 0);
    if (rowsWithWeight > 0 && rowsWithWeight != v.exampleCount)
        return fail(
            QStringLiteral("field 'weight' is on %1 of %2 rows; it must be on every row or none")
                .arg(rowsWithWeight)
                .arg(v.exampleCount),
            0);
    if (v.kind != Kind::Batch && v.exampleCount < 3)
        return fail(QStringLiteral("a training dataset needs at least 3 examples; this one has %1")
                        .arg(v.exampleCount),
                    0);
    v.averageTurnCount = v.exampleCount ? double(turns) / double(v.exampleCount) : 0;
    v.ok = true;
    return v;
}

} // namespace sandbox
