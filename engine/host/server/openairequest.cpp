#include "openairequest.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace engineserver {

QByteArray ApiError::body() const
{
    auto orNull = [](const QString &s) { return s.isEmpty() ? QJsonValue() : QJsonValue(s); };
    const QJsonObject e{{QStringLiteral("message"), message},
                        {QStringLiteral("type"), type},
                        {QStringLiteral("param"), orNull(param)},
                        {QStringLiteral("code"), orNull(code)}};
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), e}}).toJson(QJsonDocument::Compact);
}

ApiError ApiError::invalid(const QString &param, const QString &message)
{
    ApiError e;
    e.param = param;
    e.message = message;
    return e;
}

namespace {

using Error = std::optional<ApiError>;

//! A field this server cannot honour, in OpenAI's own words and codes for a parameter or a
//! value a model does not take ("Unsupported parameter: …", unsupported_parameter /
//! unsupported_value), so a client that handles those from OpenAI handles these too.
ApiError unsupported(const QString &param, const QString &message, bool value)
{
    ApiError e = ApiError::invalid(param, message);
    e.code = value ? QStringLiteral("unsupported_value") : QStringLiteral("unsupported_parameter");
    return e;
}

//! Whether a request field is there with a meaning (absent, null and an empty list are not).
bool given(const QJsonValue &v)
{
    return !v.isUndefined() && !v.isNull() && !(v.isArray() && v.toArray().isEmpty());
}

//! A number field within [lo, hi] (`openLow`: lo itself excluded), into `out`.
Error number(const QJsonObject &in, const char *key, double lo, double hi,
             std::optional<double> &out, bool openLow = false)
{
    const QString k = QLatin1String(key);
    const QJsonValue v = in.value(k);
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    if (!v.isDouble())
        return ApiError::invalid(k, QStringLiteral("'%1' must be a number").arg(k));
    const double d = v.toDouble();
    if (!std::isfinite(d) || d < lo || d > hi || (openLow && d == lo))
        return ApiError::invalid(
            k, QStringLiteral("'%1' must be %2 %3 and at most %4")
                   .arg(k, openLow ? QStringLiteral("above") : QStringLiteral("at least"))
                   .arg(lo)
                   .arg(hi));
    out = d;
    return std::nullopt;
}

//! An integer field within [lo, hi], into `out`.
Error integer(const QJsonObject &in, const char *key, double lo, double hi,
              std::optional<double> &out)
{
    const QString k = QLatin1String(key);
    const QJsonValue v = in.value(k);
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    if (!v.isDouble() || std::trunc(v.toDouble()) != v.toDouble())
        return ApiError::invalid(k, QStringLiteral("'%1' must be an integer").arg(k));
    if (v.toDouble() < lo || v.toDouble() > hi)
        return ApiError::invalid(k, QStringLiteral("'%1' must be between %2 and %3")
                                        .arg(k)
                                        .arg(lo, 0, 'f', 0)
                                        .arg(hi, 0, 'f', 0));
    out = v.toDouble();
    return std::nullopt;
}

//! A message's content: a string, or a list of {"type":"text","text":...} parts.
Error messageText(const QJsonValue &content, const QString &param, QString &out)
{
    if (content.isString()) {
        out = content.toString();
        return std::nullopt;
    }
    if (content.isNull() || content.isUndefined()) {
        out.clear();
        return std::nullopt;
    }
    if (!content.isArray())
        return ApiError::invalid(param, QStringLiteral("'%1' must be a string or a list of text "
                                                       "parts")
                                            .arg(param));
    for (const QJsonValue &part : content.toArray()) {
        const QJsonObject p = part.toObject();
        if (p.value(QLatin1String("type")).toString() != QLatin1String("text") ||
            !p.value(QLatin1String("text")).isString())
            return ApiError::invalid(param, QStringLiteral("'%1' may hold only text parts: this "
                                                           "server's models read text")
                                                .arg(param));
        out += p.value(QLatin1String("text")).toString();
    }
    return std::nullopt;
}

Error parseMessages(const QJsonObject &in, QList<enginehost::ChatMessage> &out)
{
    const QJsonValue messages = in.value(QLatin1String("messages"));
    if (!messages.isArray() || messages.toArray().isEmpty())
        return ApiError::invalid(QStringLiteral("messages"),
                                 QStringLiteral("'messages' must be a non-empty list"));
    const QJsonArray list = messages.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString param = QStringLiteral("messages[%1]").arg(i);
        const QJsonObject m = list[i].toObject();
        if (!list[i].isObject())
            return ApiError::invalid(param, QStringLiteral("'%1' must be an object").arg(param));
        QString role = m.value(QLatin1String("role")).toString();
        if (role == QLatin1String("tool") || role == QLatin1String("function"))
            return unsupported(param + QStringLiteral(".role"),
                               QStringLiteral("Unsupported value: '%1.role' does not support "
                                              "'%2' with the local server: its models do not "
                                              "call tools, so there are no tool results to send.")
                                   .arg(param, role),
                               true);
        for (const char *key : {"tool_calls", "function_call"})
            if (given(m.value(QLatin1String(key))))
                return unsupported(param + QLatin1Char('.') + QLatin1String(key),
                                   QStringLiteral("Unsupported parameter: '%1.%2' is not "
                                                  "supported by the local server: its models "
                                                  "do not call tools.")
                                       .arg(param, QLatin1String(key)),
                                   false);
        if (role == QLatin1String("developer"))
            role = QStringLiteral("system"); // OpenAI's newer name for the system role
        if (role != QLatin1String("system") && role != QLatin1String("user") &&
            role != QLatin1String("assistant"))
            return ApiError::invalid(param + QStringLiteral(".role"),
                                     QStringLiteral("'%1.role' must be system, developer, user or "
                                                    "assistant")
                                         .arg(param));
        enginehost::ChatMessage message;
        message.role = role;
        if (auto e = messageText(m.value(QLatin1String("content")),
                                 param + QStringLiteral(".content"), message.content))
            return e;
        out.append(message);
    }
    return std::nullopt;
}

Error parsePrompt(const QJsonObject &in, QString &out)
{
    const QJsonValue prompt = in.value(QLatin1String("prompt"));
    if (prompt.isString()) {
        out = prompt.toString();
        return std::nullopt;
    }
    // The client libraries also send a one-element list.
    if (prompt.isArray() && prompt.toArray().size() == 1 && prompt.toArray().first().isString()) {
        out = prompt.toArray().first().toString();
        return std::nullopt;
    }
    return ApiError::invalid(QStringLiteral("prompt"),
                             QStringLiteral("'prompt' must be a string (or a list of one string)"));
}

Error parseStop(const QJsonObject &in, QStringList &out)
{
    const QJsonValue stop = in.value(QLatin1String("stop"));
    if (stop.isUndefined() || stop.isNull())
        return std::nullopt;
    if (stop.isString()) {
        out = {stop.toString()};
        return std::nullopt;
    }
    if (stop.isArray() && stop.toArray().size() <= 4) {
        for (const QJsonValue &s : stop.toArray()) {
            if (!s.isString())
                break;
            out << s.toString();
        }
        if (out.size() == stop.toArray().size())
            return std::nullopt;
    }
    return ApiError::invalid(
        QStringLiteral("stop"),
        QStringLiteral("'stop' must be a string or a list of up to 4 strings"));
}

Error parseParams(const QJsonObject &in, enginehost::GenerationParams &p)
{
    std::optional<double> v;
    if (auto e = number(in, "temperature", 0, 2, p.temperature))
        return e;
    if (auto e = number(in, "top_p", 0, 1, p.topP, true))
        return e;
    if (auto e = number(in, "min_p", 0, 1, p.minP))
        return e;
    if (auto e = number(in, "presence_penalty", -2, 2, p.presencePenalty))
        return e;
    if (auto e = number(in, "frequency_penalty", -2, 2, p.frequencyPenalty))
        return e;
    if (auto e = number(in, "repetition_penalty", 0, 10, p.repetitionPenalty, true))
        return e;
    if (auto e = integer(in, "top_k", -1, 1e9, v))
        return e;
    if (v && *v > 0) // -1 and 0 mean "no top-k", as in vLLM
        p.topK = int(*v);
    v.reset();
    // max_completion_tokens is the newer name; either works.
    for (const char *key : {"max_tokens", "max_completion_tokens"})
        if (auto e = integer(in, key, 1, 1e9, v))
            return e;
    if (v)
        p.maxTokens = qint64(*v);
    v.reset();
    if (auto e = integer(in, "seed", -9007199254740991.0, 9007199254740991.0, v))
        return e;
    if (v)
        p.seed = quint64(qint64(*v));
    // Fireworks' field: "truncate" (its default, and the engine's) ends the reply at the context;
    // "error" refuses a prompt whose max_tokens would pass it, as OpenAI always does.
    const QJsonValue overflow = in.value(QLatin1String("context_length_exceeded_behavior"));
    if (!overflow.isUndefined() && !overflow.isNull()) {
        const QString behavior = overflow.toString();
        if (behavior != QLatin1String("truncate") && behavior != QLatin1String("error"))
            return ApiError::invalid(QStringLiteral("context_length_exceeded_behavior"),
                                     QStringLiteral("'context_length_exceeded_behavior' must be "
                                                    "\"truncate\" or \"error\""));
        p.refuseOverContext = behavior == QLatin1String("error");
    }
    return parseStop(in, p.stop);
}

//! Chat: `logprobs` (bool) and `top_logprobs` (0..20, only with logprobs); completions:
//! `logprobs` as a number of alternatives (0..5), as OpenAI's two APIs define them.
Error parseLogprobs(const QJsonObject &in, bool chat, CompletionRequest &out)
{
    const QJsonValue logprobs = in.value(QLatin1String("logprobs"));
    std::optional<double> top;
    if (chat) {
        if (!logprobs.isUndefined() && !logprobs.isNull() && !logprobs.isBool())
            return ApiError::invalid(QStringLiteral("logprobs"),
                                     QStringLiteral("'logprobs' must be true or false"));
        if (auto e = integer(in, "top_logprobs", 0, 20, top))
            return e;
        out.logprobs = logprobs.toBool();
        if (top && !out.logprobs)
            return ApiError::invalid(QStringLiteral("top_logprobs"),
                                     QStringLiteral("'top_logprobs' needs 'logprobs': true"));
    } else {
        if (auto e = integer(in, "logprobs", 0, 5, top))
            return e;
        out.logprobs = top.has_value();
    }
    out.topLogprobs = int(top.value_or(0));
    // The engine reports the chosen token with its alternatives: at least one is asked for.
    if (out.logprobs)
        out.generation.topLogprobs = std::max(1, out.topLogprobs);
    return std::nullopt;
}

//! A count within OpenAI's range [1, max] that this server takes only as 1 (n, best_of): it
//! generates one `each` per request.
Error onlyOne(const QJsonObject &in, const char *key, double max, const char *each)
{
    std::optional<double> count;
    if (auto e = integer(in, key, 1, max, count))
        return e;
    if (!count || *count == 1)
        return std::nullopt;
    const QString name = QLatin1String(key);
    return unsupported(name,
                       QStringLiteral("Unsupported value: '%1' does not support %2 with the "
                                      "local server. Only %1=1 is supported: it generates one "
                                      "%3 per request.")
                           .arg(name)
                           .arg(*count, 0, 'f', 0)
                           .arg(QLatin1String(each)),
                       true);
}

//! Fields whose meaning this server cannot honour: refused by name rather than ignored, since
//! a client that asked for several choices or for tool calls would misread a plain answer.
Error refuseUnsupported(const QJsonObject &in)
{
    if (auto e = onlyOne(in, "n", 128, "choice"))
        return e;
    const QString noTools = QStringLiteral("Unsupported parameter: '%1' is not supported by the "
                                           "local server: its models do not call tools "
                                           "(function calling).");
    // functions and function_call are the deprecated names of tools and tool_choice.
    for (const char *key : {"tools", "functions"})
        if (given(in.value(QLatin1String(key))))
            return unsupported(QLatin1String(key), noTools.arg(QLatin1String(key)), false);
    for (const char *key : {"tool_choice", "function_call"}) {
        const QJsonValue choice = in.value(QLatin1String(key));
        if (given(choice) && choice != QJsonValue(QStringLiteral("none")))
            return unsupported(QLatin1String(key), noTools.arg(QLatin1String(key)), false);
    }
    // JSON mode and structured outputs: a client would parse whatever text came back.
    const QJsonValue format = in.value(QLatin1String("response_format"));
    if (given(format)) {
        const QString type = format.toObject().value(QLatin1String("type")).toString();
        if (type != QLatin1String("text"))
            return unsupported(QStringLiteral("response_format"),
                               QStringLiteral("Unsupported value: 'response_format' of type '%1' "
                                              "is not supported by the local server: it does "
                                              "not constrain replies to JSON. Ask for JSON in "
                                              "the prompt, or leave response_format out.")
                                   .arg(type),
                               true);
    }
    const QJsonValue bias = in.value(QLatin1String("logit_bias"));
    if (given(bias) && !(bias.isObject() && bias.toObject().isEmpty()))
        return unsupported(QStringLiteral("logit_bias"),
                           QStringLiteral("Unsupported parameter: 'logit_bias' is not supported "
                                          "by the local server: it samples without token "
                                          "biases."),
                           false);
    // The legacy completions' extras: the prompt echoed back, several candidates, a suffix.
    if (in.value(QLatin1String("echo")).toBool())
        return unsupported(QStringLiteral("echo"),
                           QStringLiteral("Unsupported value: 'echo' is not supported by the "
                                          "local server: it returns the completion without "
                                          "the prompt."),
                           true);
    if (auto e = onlyOne(in, "best_of", 20, "candidate"))
        return e;
    const QJsonValue suffix = in.value(QLatin1String("suffix"));
    if (given(suffix) && suffix != QJsonValue(QString()))
        return unsupported(QStringLiteral("suffix"),
                           QStringLiteral("Unsupported parameter: 'suffix' is not supported by "
                                          "the local server: it does not fill in the middle."),
                           false);
    return std::nullopt;
}

} // namespace

std::optional<CompletionRequest> parseCompletionRequest(const QByteArray &body, bool chat,
                                                        ApiError *error)
{
    auto fail = [error](ApiError e) {
        *error = std::move(e);
        return std::nullopt;
    };
    // "not valid JSON: illegal value at offset 0" for no body at all (curl -X POST, a client that
    // sent none) did not say what was wrong.
    if (body.trimmed().isEmpty())
        return fail(ApiError::invalid(
            {}, QStringLiteral("the request body is empty: send the request as a JSON object "
                               "(Content-Type: application/json)")));
    QJsonParseError parse;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parse);
    if (parse.error != QJsonParseError::NoError || !doc.isObject())
        return fail(ApiError::invalid(
            {}, parse.error != QJsonParseError::NoError
                    ? QStringLiteral("the request body is not valid JSON: %1 at offset %2")
                          .arg(parse.errorString())
                          .arg(parse.offset)
                    : QStringLiteral("the request body must be a JSON object")));
    const QJsonObject in = doc.object();
    CompletionRequest out;
    out.chat = chat;
    const QJsonValue model = in.value(QLatin1String("model"));
    if (!model.isString() || model.toString().isEmpty())
        return fail(ApiError::invalid(QStringLiteral("model"),
                                      QStringLiteral("'model' is required: one of the ids that "
                                                     "GET /v1/models lists")));
    out.model = model.toString();
    const QJsonValue stream = in.value(QLatin1String("stream"));
    if (!stream.isUndefined() && !stream.isNull() && !stream.isBool())
        return fail(ApiError::invalid(QStringLiteral("stream"),
                                      QStringLiteral("'stream' must be true or false")));
    out.stream = stream.toBool();
    const QJsonValue options = in.value(QLatin1String("stream_options"));
    if (!options.isUndefined() && !options.isNull()) {
        if (!options.isObject())
            return fail(ApiError::invalid(QStringLiteral("stream_options"),
                                          QStringLiteral("'stream_options' must be an object")));
        if (!out.stream)
            return fail(ApiError::invalid(QStringLiteral("stream_options"),
                                          QStringLiteral("'stream_options' is allowed only with "
                                                         "'stream': true")));
        out.includeUsage = options.toObject().value(QLatin1String("include_usage")).toBool();
    }
    if (auto e = refuseUnsupported(in))
        return fail(*e);
    if (auto e = parseLogprobs(in, chat, out))
        return fail(*e);
    enginehost::GenerationRequest &g = out.generation;
    if (chat) {
        if (auto e = parseMessages(in, g.messages))
            return fail(*e);
        const QJsonValue kwargs = in.value(QLatin1String("chat_template_kwargs"));
        if (!kwargs.isUndefined() && !kwargs.isNull()) {
            if (!kwargs.isObject())
                return fail(ApiError::invalid(QStringLiteral("chat_template_kwargs"),
                                              QStringLiteral("'chat_template_kwargs' must be an "
                                                             "object")));
            g.templateKwargs = kwargs.toObject().toVariantMap();
        }
    } else {
        if (auto e = parsePrompt(in, g.rawPrompt))
            return fail(*e);
        g.usesRawPrompt = true;
    }
    if (auto e = parseParams(in, g.params))
        return fail(*e);
    return out;
}

} // namespace engineserver
