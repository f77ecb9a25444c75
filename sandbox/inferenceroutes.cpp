// The inference routes (/inference/v1/...): the model list and chat and text completions,
// streamed or not.
#include "collectionnames.h"
#include "platformservice.h"
#include "platformservice_p.h"

#include <sandbox/collectionschema.h>

#include <QDir>
#include <QFileInfo>

namespace sandbox {

using namespace detail;

InferenceTarget PlatformService::inferenceTarget(const QString &account, const QString &id,
                                                 const Json &body) const
{
    InferenceTarget target;
    target.modelName = QStringLiteral("accounts/%1/models/%2").arg(account, id);
    target.model = body;
    const QString dir = filesDir(collections::models, account, id);
    if (QFileInfo::exists(QDir(dir).filePath(QStringLiteral("config.json"))) ||
        QFileInfo::exists(QDir(dir).filePath(QStringLiteral("adapter_config.json"))))
        target.localDir = dir;
    return target;
}

ApiResponse PlatformService::handleInference(const ApiRequest &request, const QString &route,
                                             StreamSink *sink)
{
    if (route == QLatin1String("/v1/models")) {
        if (request.method != "GET")
            return ApiResponse::inferenceError("UNIMPLEMENTED",
                                               QStringLiteral("use GET on /models"));
        // Only what can answer here: the catalog stays in the REST models collection (base
        // models for fine-tuning), but a catalog model without weights is not listed.
        Json data = Json::array();
        for (const QString &account : {QStringLiteral("fireworks"), m_options.accountId})
            for (const auto &m :
                 m_store.list(collections::models, account, QStringLiteral("name"), 0, INT_MAX))
                if (m.body.value("state", "") == "READY" &&
                    m_backend->unavailableReason(inferenceTarget(account, m.id, m.body)).isEmpty())
                    data.push_back({{"id", m.body.value("name", "")},
                                    {"object", "model"},
                                    {"owned_by", toS(account)},
                                    {"created", m.createTime.toSecsSinceEpoch()}});
        return ApiResponse::json({{"object", "list"}, {"data", data}});
    }
    const bool chat = route == QLatin1String("/v1/chat/completions");
    if (!chat && route != QLatin1String("/v1/completions"))
        return ApiResponse::inferenceError(
            "NOT_FOUND", QStringLiteral("no inference route %1").arg(request.path));
    if (request.method != "POST")
        return ApiResponse::inferenceError("UNIMPLEMENTED",
                                           QStringLiteral("use POST on %1").arg(request.path));
    const Json in = Json::parse(request.body.constBegin(), request.body.constEnd(), nullptr, false);
    if (in.is_discarded() || !in.is_object())
        return ApiResponse::inferenceError(
            "INVALID_ARGUMENT", QStringLiteral("the request body must be a JSON object"));
    if (!in.contains("model") || !in["model"].is_string() || in["model"].get<std::string>().empty())
        return ApiResponse::inferenceError("INVALID_ARGUMENT",
                                           QStringLiteral("missing required field 'model'"));
    if (chat) {
        if (!in.contains("messages") || !in["messages"].is_array() || in["messages"].empty())
            return ApiResponse::inferenceError(
                "INVALID_ARGUMENT", QStringLiteral("field 'messages' must be a non-empty list"));
        for (std::size_t i = 0; i < in["messages"].size(); ++i) {
            const Json &m = in["messages"][i];
            if (!m.is_object() || !m.contains("role") || !m["role"].is_string())
                return ApiResponse::inferenceError(
                    "INVALID_ARGUMENT",
                    QStringLiteral("field 'messages[%1].role' is required").arg(i));
        }
    } else if (!in.contains("prompt")) {
        return ApiResponse::inferenceError("INVALID_ARGUMENT",
                                           QStringLiteral("missing required field 'prompt'"));
    }
    for (const char *key : {"max_tokens", "n", "top_k"})
        if (in.contains(key) && !valueMatches(in[key], FieldKind::Int32))
            return ApiResponse::inferenceError(
                "INVALID_ARGUMENT",
                QStringLiteral("field '%1' must be an integer").arg(QLatin1String(key)));
    for (const char *key : {"temperature", "top_p", "min_p"})
        if (in.contains(key) && !in[key].is_number())
            return ApiResponse::inferenceError(
                "INVALID_ARGUMENT",
                QStringLiteral("field '%1' must be a number").arg(QLatin1String(key)));
    if (in.contains("temperature") &&
        (in["temperature"].get<double>() < 0 || in["temperature"].get<double>() > 2))
        return ApiResponse::inferenceError(
            "INVALID_ARGUMENT", QStringLiteral("field 'temperature' must be between 0 and 2"));
    if (in.contains("context_length_exceeded_behavior") &&
        !in["context_length_exceeded_behavior"].is_null() &&
        in["context_length_exceeded_behavior"] != "truncate" &&
        in["context_length_exceeded_behavior"] != "error")
        return ApiResponse::inferenceError(
            "INVALID_ARGUMENT", QStringLiteral("field 'context_length_exceeded_behavior' must be "
                                               "\"truncate\" or \"error\""));

    // Model strings: accounts/a/models/m, optionally "#accounts/a/deployments/d" (or shorthands).
    QString modelText = toQ(in["model"].get<std::string>());
    QString deployment;
    if (const qsizetype hash = modelText.indexOf(QLatin1Char('#')); hash >= 0) {
        deployment = modelText.mid(hash + 1);
        modelText = modelText.left(hash);
        if (!deployment.startsWith(QLatin1String("accounts/"))) {
            const QStringList p = deployment.split(QLatin1Char('/'));
            if (p.size() == 2)
                deployment = QStringLiteral("accounts/%1/deployments/%2").arg(p[0], p[1]);
        }
    }
    if (!modelText.startsWith(QLatin1String("accounts/"))) {
        const QStringList p = modelText.split(QLatin1Char('/'));
        if (p.size() == 2)
            modelText = QStringLiteral("accounts/%1/models/%2").arg(p[0], p[1]);
    }
    const QStringList parts = modelText.split(QLatin1Char('/'));
    auto model = parts.size() == 4 && parts[2] == collections::models
                     ? m_store.get(collections::models, parts[1], parts[3])
                     : std::nullopt;
    if (!model || (parts[1] != m_options.accountId && parts[1] != QLatin1String("fireworks")))
        return ApiResponse::inferenceError(
            "NOT_FOUND",
            QStringLiteral("model \"%1\" not found").arg(toQ(in["model"].get<std::string>())));
    if (!deployment.isEmpty()) {
        const QStringList d = deployment.split(QLatin1Char('/'));
        auto dep = d.size() == 4 ? m_store.get(collections::deployments, d[1], d[3]) : std::nullopt;
        if (!dep)
            return ApiResponse::inferenceError(
                "NOT_FOUND", QStringLiteral("deployment \"%1\" not found").arg(deployment));
        if (dep->body.value("state", "") != "READY")
            return ApiResponse::inferenceError(
                "FAILED_PRECONDITION", QStringLiteral("deployment \"%1\" is %2, not READY")
                                           .arg(deployment, toQ(dep->body.value("state", ""))));
    }
    const InferenceTarget target = inferenceTarget(parts[1], parts[3], model->body);
    if (const QString why = m_backend->unavailableReason(target); !why.isEmpty())
        return ApiResponse::inferenceError("FAILED_PRECONDITION", why);

    const std::string id = toS(QStringLiteral("cmpl-") + randomId() + randomId());
    const qint64 created = QDateTime::currentSecsSinceEpoch();
    const std::string object = chat ? "chat.completion" : "text_completion";
    GenerationFailure failure;
    if (in.value("stream", false)) {
        sink->begin();
        bool firstForChoice[128] = {};
        bool clientGone = false;
        auto onDelta = [&](const GeneratedDelta &d) {
            Json choice = {
                {"index", d.index},
                {"finish_reason", d.finishReason.isEmpty() ? Json() : Json(toS(d.finishReason))}};
            if (chat) {
                Json delta = {{"content", toS(d.text)}};
                if (d.index >= 0 && d.index < 128 && !firstForChoice[d.index]) {
                    delta["role"] = "assistant";
                    firstForChoice[d.index] = true;
                }
                choice["delta"] = delta;
            } else {
                choice["text"] = toS(d.text);
            }
            Json chunk = {{"id", id},
                          {"object", chat ? "chat.completion.chunk" : "text_completion"},
                          {"created", created},
                          {"model", toS(modelText)},
                          {"choices", Json::array({choice})},
                          {"usage", nullptr}};
            clientGone = !sink->event(QByteArray::fromStdString(chunk.dump()));
            return !clientGone;
        };
        auto result = m_backend->generate(target, in, chat, onDelta, &failure);
        if (!clientGone) {
            if (!result) {
                sink->event(QByteArray::fromStdString(
                    ApiResponse::inferenceErrorBody(failure.grpcCode, failure.message).dump()));
            } else {
                Json usage = {{"prompt_tokens", result->promptTokens},
                              {"completion_tokens", result->completionTokens},
                              {"total_tokens", result->promptTokens + result->completionTokens}};
                Json chunk = {{"id", id},
                              {"object", chat ? "chat.completion.chunk" : "text_completion"},
                              {"created", created},
                              {"model", toS(modelText)},
                              {"choices", Json::array()},
                              {"usage", usage}};
                sink->event(QByteArray::fromStdString(chunk.dump()));
            }
            sink->event("[DONE]");
        }
        sink->end();
        ApiResponse streamed;
        streamed.status = 0;
        return streamed;
    }
    std::map<int, std::pair<std::string, std::string>> choices; // index -> text, finish
    auto result = m_backend->generate(
        target, in, chat,
        [&](const GeneratedDelta &d) {
            auto &c = choices[d.index];
            c.first += toS(d.text);
            if (!d.finishReason.isEmpty())
                c.second = toS(d.finishReason);
            return true;
        },
        &failure);
    if (!result)
        return ApiResponse::inferenceError(failure.grpcCode, failure.message);
    Json out = {{"id", id}, {"object", object}, {"created", created}, {"model", toS(modelText)}};
    Json arr = Json::array();
    for (const auto &[index, c] : choices) {
        Json choice = {{"index", index}, {"finish_reason", c.second}};
        if (chat)
            choice["message"] = {{"role", "assistant"}, {"content", c.first}};
        else
            choice["text"] = c.first;
        arr.push_back(choice);
    }
    out["choices"] = arr;
    out["usage"] = {{"prompt_tokens", result->promptTokens},
                    {"completion_tokens", result->completionTokens},
                    {"total_tokens", result->promptTokens + result->completionTokens}};
    return ApiResponse::json(out);
}

} // namespace sandbox
