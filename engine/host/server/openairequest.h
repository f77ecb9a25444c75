#pragma once

// The body of an OpenAI-style chat or text completion request, checked field by field and
// turned into the engine host's request. What the host cannot do (n > 1, tools) is refused
// with a 400 that names the field, rather than silently ignored.

#include <engine/host/hosttypes.h>

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace engineserver {

//! OpenAI's error shape: {"error":{"message","type","param","code"}} with an HTTP status.
struct ApiError
{
    int status = 400;
    QString message;
    QString type = QStringLiteral("invalid_request_error");
    QString param; //!< the offending field, or empty (null on the wire)
    QString code;  //!< e.g. model_not_found, invalid_api_key; empty (null) when none
    QByteArray body() const;
    static ApiError invalid(const QString &param, const QString &message);
};

struct CompletionRequest
{
    bool chat = true;
    QString model;
    bool stream = false;
    bool includeUsage = false; //!< stream_options.include_usage
    //! Token log probabilities asked for: chat `logprobs: true` (with `top_logprobs` 0..20),
    //! or a completion's `logprobs: N` (0..5, the legacy API's range).
    bool logprobs = false;
    int topLogprobs = 0; //!< alternatives reported per token
    enginehost::GenerationRequest generation;
};

//! Parses and checks a /v1/chat/completions (`chat`) or /v1/completions body.
std::optional<CompletionRequest> parseCompletionRequest(const QByteArray &body, bool chat,
                                                        ApiError *error);

} // namespace engineserver
