#include "inference.h"

#include "apiclient.h"
#include "detail/collection.h"

#include <QDateTime>
#include <QJsonDocument>

#include <algorithm>

namespace client {

using namespace detail;

namespace {

void putSampling(QJsonObject &o, const SamplingOptions &s)
{
    if (s.maxTokens)
        o.insert(QStringLiteral("max_tokens"), *s.maxTokens);
    if (s.temperature)
        o.insert(QStringLiteral("temperature"), *s.temperature);
    if (s.topP)
        o.insert(QStringLiteral("top_p"), *s.topP);
    if (s.topK)
        o.insert(QStringLiteral("top_k"), *s.topK);
    if (s.minP)
        o.insert(QStringLiteral("min_p"), *s.minP);
    if (s.repetitionPenalty)
        o.insert(QStringLiteral("repetition_penalty"), *s.repetitionPenalty);
    if (s.presencePenalty)
        o.insert(QStringLiteral("presence_penalty"), *s.presencePenalty);
    if (s.frequencyPenalty)
        o.insert(QStringLiteral("frequency_penalty"), *s.frequencyPenalty);
    if (s.seed)
        o.insert(QStringLiteral("seed"), double(*s.seed));
    if (s.n)
        o.insert(QStringLiteral("n"), *s.n);
    if (!s.stop.isEmpty())
        o.insert(QStringLiteral("stop"), QJsonArray::fromStringList(s.stop));
    if (s.topLogprobs) {
        o.insert(QStringLiteral("logprobs"), true);
        o.insert(QStringLiteral("top_logprobs"), std::clamp(*s.topLogprobs, 0, kMaxTopLogprobs));
    }
    for (auto it = s.extra.begin(); it != s.extra.end(); ++it)
        o.insert(it.key(), it.value());
}

//! A chat choice's logprobs.content[] (OpenAI's shape: token, logprob, top_logprobs[]).
QList<TokenLogprob> readTokenLogprobs(const JsonReader &choice)
{
    QList<TokenLogprob> tokens;
    if (!choice.has("logprobs"))
        return tokens;
    choice.object("logprobs").forEach("content", [&](const JsonReader &t) {
        TokenLogprob tl;
        tl.token = t.str("token");
        tl.logprob = t.number("logprob");
        t.forEach("top_logprobs", [&](const JsonReader &alt) {
            tl.top.append({alt.str("token"), alt.number("logprob")});
        });
        tokens.append(tl);
    });
    return tokens;
}

Choice readChoice(const JsonReader &c, bool chat)
{
    Choice choice;
    choice.index = c.int32("index");
    if (chat) {
        const JsonReader m = c.object("message");
        choice.text = m.str("content");
        choice.reasoningContent = m.str("reasoning_content");
        const QByteArray calls = m.raw("tool_calls");
        if (!calls.isEmpty())
            choice.toolCalls = QJsonDocument::fromJson(calls).array();
    } else {
        choice.text = c.str("text");
    }
    choice.finishReason = c.str("finish_reason");
    return choice;
}

std::optional<Usage> readUsage(const JsonReader &r)
{
    if (!r.has("usage"))
        return std::nullopt;
    const JsonReader u = r.object("usage");
    return Usage{u.int32("prompt_tokens"), u.int32("completion_tokens"), u.int32("total_tokens")};
}

Completion readCompletion(const JsonReader &r, bool chat)
{
    Completion c;
    c.id = r.str("id");
    c.model = r.str("model");
    c.created = r.int64("created");
    r.forEach("choices",
              [&](const JsonReader &choice) { c.choices.append(readChoice(choice, chat)); });
    c.usage = readUsage(r);
    c.raw = QByteArray::fromStdString(r.json().dump());
    return c;
}

ApiError validateModel(const QString &model)
{
    return invalidArgument(model.isEmpty() ? QStringLiteral("model is required") : QString());
}

} // namespace

QString inferenceModel(const QString &model, const QString &deployment)
{
    return deployment.isEmpty() ? model : model + QLatin1Char('#') + deployment;
}

QString inferenceDeployment(const QString &modelString)
{
    const qsizetype hash = modelString.indexOf(QLatin1Char('#'));
    return hash < 0 ? QString() : modelString.mid(hash + 1);
}

QString inferenceModelOf(const QString &modelString)
{
    return modelString.section(QLatin1Char('#'), 0, 0);
}

QJsonArray chatMessagesJson(const QList<ChatMessage> &list)
{
    QJsonArray messages;
    for (const ChatMessage &m : list) {
        QJsonObject mo;
        mo.insert(QStringLiteral("role"), m.role);
        if (m.content.isNull() && !m.toolCalls.isEmpty())
            mo.insert(QStringLiteral("content"), QJsonValue::Null);
        else
            mo.insert(QStringLiteral("content"), m.content);
        if (!m.reasoningContent.isEmpty())
            mo.insert(QStringLiteral("reasoning_content"), m.reasoningContent);
        if (!m.toolCalls.isEmpty())
            mo.insert(QStringLiteral("tool_calls"), m.toolCalls);
        if (!m.toolCallId.isEmpty())
            mo.insert(QStringLiteral("tool_call_id"), m.toolCallId);
        messages.append(mo);
    }
    return messages;
}

QList<ChatMessage> chatMessagesFromJson(const QJsonArray &messages)
{
    QList<ChatMessage> out;
    for (const QJsonValue &v : messages) {
        const QJsonObject o = v.toObject();
        ChatMessage m;
        m.role = o.value(QStringLiteral("role")).toString();
        if (m.role.isEmpty())
            continue;
        m.content = o.value(QStringLiteral("content")).toString();
        m.reasoningContent = o.value(QStringLiteral("reasoning_content")).toString();
        m.toolCalls = o.value(QStringLiteral("tool_calls")).toArray();
        m.toolCallId = o.value(QStringLiteral("tool_call_id")).toString();
        out.append(m);
    }
    return out;
}

namespace {

// A JSON value as a Python literal (json.dumps-like strings are valid Python strings).
QString pythonLiteral(const QJsonValue &v, int indent)
{
    const QString pad(indent + 4, QLatin1Char(' '));
    const QString end(indent, QLatin1Char(' '));
    switch (v.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QStringLiteral("None");
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("True") : QStringLiteral("False");
    case QJsonValue::Double: // JSON's shortest form is Python's too (0.05, not
                             // 0.05000000000000000277)
    case QJsonValue::String: {
        const QByteArray quoted = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
        return QString::fromUtf8(quoted.mid(1, quoted.size() - 2));
    }
    case QJsonValue::Array: {
        const QJsonArray a = v.toArray();
        if (a.isEmpty())
            return QStringLiteral("[]");
        QStringList items;
        for (const QJsonValue &item : a)
            items << pad + pythonLiteral(item, indent + 4);
        return QStringLiteral("[\n") + items.join(QStringLiteral(",\n")) + QStringLiteral(",\n") +
               end + QLatin1Char(']');
    }
    case QJsonValue::Object: {
        const QJsonObject o = v.toObject();
        if (o.isEmpty())
            return QStringLiteral("{}");
        QStringList items;
        for (auto it = o.begin(); it != o.end(); ++it)
            items << pad + pythonLiteral(it.key(), 0) + QStringLiteral(": ") +
                         pythonLiteral(it.value(), indent + 4);
        return QStringLiteral("{\n") + items.join(QStringLiteral(",\n")) + QStringLiteral(",\n") +
               end + QLatin1Char('}');
    }
    }
    return QStringLiteral("None");
}

} // namespace

QString chatPythonCommand(const QUrl &endpoint, const QByteArray &body)
{
    // The openai package appends /chat/completions to base_url itself.
    QString base = endpoint.toString(QUrl::FullyEncoded);
    const QString tail = QStringLiteral("/chat/completions");
    if (base.endsWith(tail))
        base.chop(tail.size());
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    // Arguments the openai package's create() takes by name; the rest go in extra_body.
    static const QStringList named{QStringLiteral("model"),
                                   QStringLiteral("messages"),
                                   QStringLiteral("stream"),
                                   QStringLiteral("max_tokens"),
                                   QStringLiteral("temperature"),
                                   QStringLiteral("top_p"),
                                   QStringLiteral("presence_penalty"),
                                   QStringLiteral("frequency_penalty"),
                                   QStringLiteral("seed"),
                                   QStringLiteral("n"),
                                   QStringLiteral("stop"),
                                   QStringLiteral("logprobs"),
                                   QStringLiteral("top_logprobs"),
                                   QStringLiteral("tools")};
    QStringList lines{QStringLiteral("import os"), QStringLiteral("from openai import OpenAI"),
                      QString(),
                      QStringLiteral("client = OpenAI(base_url=%1, "
                                     "api_key=os.environ[\"FIREWORKS_API_KEY\"])")
                          .arg(pythonLiteral(base, 0)),
                      QStringLiteral("response = client.chat.completions.create(")};
    QJsonObject extra;
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (named.contains(it.key()))
            lines << QStringLiteral("    %1=%2,").arg(it.key(), pythonLiteral(it.value(), 4));
        else
            extra.insert(it.key(), it.value());
    }
    if (!extra.isEmpty())
        lines << QStringLiteral("    extra_body=%1,").arg(pythonLiteral(extra, 4));
    lines << QStringLiteral(")");
    if (o.value(QStringLiteral("stream")).toBool())
        lines << QStringLiteral("for chunk in response:")
              << QStringLiteral("    if chunk.choices and chunk.choices[0].delta.content:")
              << QStringLiteral("        print(chunk.choices[0].delta.content, end=\"\", "
                                "flush=True)")
              << QStringLiteral("print()");
    else
        lines << QStringLiteral("print(response.choices[0].message.content)");
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QByteArray InferenceClient::chatBody(const ChatRequest &request, bool stream)
{
    QJsonObject o;
    o.insert(QStringLiteral("model"), request.model);
    o.insert(QStringLiteral("messages"), chatMessagesJson(request.messages));
    if (!request.tools.isEmpty())
        o.insert(QStringLiteral("tools"), request.tools);
    if (!request.chatTemplateKwargs.isEmpty())
        o.insert(QStringLiteral("chat_template_kwargs"), request.chatTemplateKwargs);
    if (stream)
        o.insert(QStringLiteral("stream"), true);
    putSampling(o, request.sampling);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray InferenceClient::completionBody(const CompletionRequest &request, bool stream)
{
    QJsonObject o;
    o.insert(QStringLiteral("model"), request.model);
    o.insert(QStringLiteral("prompt"), request.prompt);
    if (stream)
        o.insert(QStringLiteral("stream"), true);
    putSampling(o, request.sampling);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

PendingCall<QList<InferenceModel>> *InferenceClient::listModels()
{
    return m_api->call<QList<InferenceModel>>(
        m_api->makeRequest("GET", QStringLiteral("/inference/v1/models")), [](const JsonReader &r) {
            QList<InferenceModel> out;
            r.forEach("data", [&](const JsonReader &m) {
                out.append({m.str("id"), m.str("owned_by"), m.int64("created")});
            });
            return out;
        });
}

PendingCall<Completion> *InferenceClient::chat(const ChatRequest &request)
{
    if (request.model.isEmpty())
        return PendingCall<Completion>::failed(validateModel(request.model), m_api);
    if (request.messages.isEmpty())
        return PendingCall<Completion>::failed(invalidArgument(QStringLiteral("messages is empty")),
                                               m_api);
    auto r = m_api->makeJsonRequest("POST", QStringLiteral("/inference/v1/chat/completions"),
                                    chatBody(request, false));
    r.idempotent = false; // generation is billed and not repeatable
    r.timeoutMs = std::max(r.timeoutMs, 300000);
    return m_api->call<Completion>(r, [](const JsonReader &j) { return readCompletion(j, true); });
}

HttpRequest InferenceClient::chatRequest(const ChatRequest &request, bool stream) const
{
    auto r = m_api->makeJsonRequest("POST", QStringLiteral("/inference/v1/chat/completions"),
                                    chatBody(request, stream));
    r.streaming = stream;
    r.idempotent = false;
    r.timeoutMs = std::max(r.timeoutMs, 300000);
    return r;
}

CompletionStream *InferenceClient::chatStream(const ChatRequest &request)
{
    const HttpRequest r = chatRequest(request, true);
    if (request.model.isEmpty() || request.messages.isEmpty()) {
        auto *s = new CompletionStream(nullptr, true, m_api);
        s->finishWith(invalidArgument(request.model.isEmpty()
                                          ? QStringLiteral("model is required")
                                          : QStringLiteral("messages is empty")));
        return s;
    }
    return new CompletionStream(m_api->send(r), true, m_api);
}

PendingCall<Completion> *InferenceClient::complete(const CompletionRequest &request)
{
    if (request.model.isEmpty())
        return PendingCall<Completion>::failed(validateModel(request.model), m_api);
    auto r = m_api->makeJsonRequest("POST", QStringLiteral("/inference/v1/completions"),
                                    completionBody(request, false));
    r.idempotent = false;
    r.timeoutMs = std::max(r.timeoutMs, 300000);
    return m_api->call<Completion>(r, [](const JsonReader &j) { return readCompletion(j, false); });
}

CompletionStream *InferenceClient::completeStream(const CompletionRequest &request)
{
    if (request.model.isEmpty()) {
        auto *s = new CompletionStream(nullptr, false, m_api);
        s->finishWith(validateModel(request.model));
        return s;
    }
    auto r = m_api->makeJsonRequest("POST", QStringLiteral("/inference/v1/completions"),
                                    completionBody(request, true));
    r.streaming = true;
    r.idempotent = false;
    r.timeoutMs = std::max(r.timeoutMs, 300000);
    return new CompletionStream(m_api->send(r), false, m_api);
}

CompletionStream::CompletionStream(TransportReply *reply, bool chat, QObject *parent)
    : PendingCall<Completion>(reply, {}, parent), m_chat(chat),
      m_startMs(QDateTime::currentMSecsSinceEpoch())
{
    if (reply)
        connect(reply, &TransportReply::chunkReceived, this, &CompletionStream::onChunk);
}

void CompletionStream::onChunk(const QByteArray &chunk)
{
    if (m_done || isFinished())
        return;
    const QList<SseEvent> events = m_parser.feed(chunk);
    for (const SseEvent &e : events) {
        if (!handleEvent(e)) {
            m_done = true;
            if (reply() && m_streamError) // an error event ends the stream for good
                reply()->abort();
            return;
        }
    }
    if (m_parser.hasError()) {
        m_streamError = ApiError::make(ApiError::Kind::Decode, m_parser.errorString());
        m_done = true;
        if (reply())
            reply()->abort();
    }
}

void CompletionStream::onReplyFinished(const HttpResponse &response)
{
    finishWith(finalResult(response));
}

Result<Completion> CompletionStream::finalResult(const HttpResponse &response)
{
    if (m_streamError)
        return *m_streamError;
    if (!response.transportError && (response.status < 200 || response.status >= 300))
        return errorFromResponse(response);
    if (response.transportError && !m_done)
        return *response.transportError;
    if (!m_done) {
        // No [DONE]: accept a stream whose choices all finished, reject a truncated one.
        const bool allFinished =
            !m_completion.choices.isEmpty() &&
            std::all_of(m_completion.choices.begin(), m_completion.choices.end(),
                        [](const Choice &c) { return !c.finishReason.isEmpty(); });
        if (!allFinished)
            return ApiError::make(
                ApiError::Kind::Network,
                QStringLiteral("The stream ended before the answer was complete"));
    }
    return m_completion;
}

bool CompletionStream::handleEvent(const SseEvent &event)
{
    if (event.data == "[DONE]")
        return false;
    Result<bool> ran = runDecoder(
        [&] {
            const Json doc = Json::parse(event.data.constBegin(), event.data.constEnd());
            const JsonReader r(doc, "$");
            if (r.has("error")) {
                const JsonReader e = doc["error"].is_object() ? r.object("error") : r;
                QString message = doc["error"].is_string() ? r.str("error") : e.str("message");
                // An error event without a message still says something (fuzz finding: it was
                // an error with no text at all).
                if (message.trimmed().isEmpty())
                    message = QStringLiteral("The server ended the stream with an error: %1")
                                  .arg(QString::fromUtf8(event.data.left(500)));
                ApiError err = ApiError::make(ApiError::Kind::Server, message);
                // Its code, when the event names one, says whose fault it is (a prompt over the
                // context, a model that cannot serve it) and so whether asking again may help.
                if (doc["error"].is_object() && doc["error"].contains("code") &&
                    doc["error"]["code"].is_string()) {
                    err.grpcCode = e.str("code");
                    err.kind = apiErrorKindForGrpc(err.grpcCode);
                }
                err.rawBody = event.data;
                m_streamError = err;
                return;
            }
            if (m_completion.id.isEmpty()) {
                m_completion.id = r.str("id");
                m_completion.model = r.str("model");
                m_completion.created = r.int64("created");
            }
            if (auto usage = readUsage(r))
                m_completion.usage = usage;
            r.forEach("choices", [&](const JsonReader &c) {
                CompletionDelta d;
                d.index = c.int32("index");
                if (m_chat) {
                    const JsonReader delta = c.object("delta");
                    d.text = delta.str("content");
                    d.reasoningContent = delta.str("reasoning_content");
                    d.logprobs = readTokenLogprobs(c);
                } else {
                    d.text = c.str("text");
                }
                d.finishReason = c.str("finish_reason");
                if (d.index < 0 || d.index > 1024) // n is at most 128 on the platform
                    c.fail("index", "choice index out of range");
                while (m_completion.choices.size() <= d.index)
                    m_completion.choices.append(
                        Choice{int(m_completion.choices.size()), {}, {}, {}, {}});
                Choice &choice = m_completion.choices[d.index];
                choice.text += d.text;
                choice.reasoningContent += d.reasoningContent;
                if (!d.finishReason.isEmpty())
                    choice.finishReason = d.finishReason;
                if (m_firstTokenSeconds < 0 && (!d.text.isEmpty() || !d.reasoningContent.isEmpty()))
                    m_firstTokenSeconds =
                        (QDateTime::currentMSecsSinceEpoch() - m_startMs) / 1000.0;
                Q_EMIT deltaReceived(d);
            });
        },
        "stream event");
    if (!ran.ok()) {
        m_streamError = ran.error();
        return false;
    }
    return !m_streamError;
}

} // namespace client
