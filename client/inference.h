#pragma once

// OpenAI-compatible inference: model list, chat completions and completions, with and
// without streaming (platform-api.md §8).

#include <client/pendingcall.h>
#include <client/sseparser.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

namespace client {

class ApiClient;

struct ChatMessage
{
    QString role; //!< system, user, assistant, tool
    QString content;
    QString reasoningContent;
    QJsonArray toolCalls; //!< as on the wire
    QString toolCallId;
};

//! Sampling and request options shared by chat and completions. Unset options are not sent
//! (the server then uses the model's generation_config defaults).
struct SamplingOptions
{
    std::optional<int> maxTokens;
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<int> topK;
    std::optional<double> minP;
    std::optional<double> repetitionPenalty;
    std::optional<double> presencePenalty;
    std::optional<double> frequencyPenalty;
    std::optional<qint64> seed;
    std::optional<int> n;
    QStringList stop;
    std::optional<int> topLogprobs; //!< the platform gives at most kMaxTopLogprobs; more is capped
    QJsonObject extra;              //!< any other body fields, merged last
};

//! The most alternatives per token the platform returns (top_logprobs 0–5).
inline constexpr int kMaxTopLogprobs = 5;

struct ChatRequest
{
    QString model;
    QList<ChatMessage> messages;
    QJsonArray tools;
    SamplingOptions sampling;
    //! Extra chat-template variables (enable_thinking, ...), sent as chat_template_kwargs.
    QJsonObject chatTemplateKwargs;
};

struct CompletionRequest
{
    QString model;
    QString prompt;
    SamplingOptions sampling;
};

struct Usage
{
    int promptTokens = 0;
    int completionTokens = 0;
    int totalTokens = 0;
};

struct Choice
{
    int index = 0;
    QString text; //!< message.content (chat) or text (completions)
    QString reasoningContent;
    QJsonArray toolCalls;
    QString finishReason; //!< stop, length, tool_calls, error
};

//! A complete answer (also what a finished stream adds up to).
struct Completion
{
    QString id;
    QString model;
    qint64 created = 0;
    QList<Choice> choices;
    std::optional<Usage> usage;
    QByteArray raw;
};

//! One generated token with its log probability and the top alternatives at its position
//! (logprobs.content[] of a chat completion; asked for with SamplingOptions::topLogprobs).
struct TokenLogprob
{
    QString token;
    double logprob = 0;
    QList<std::pair<QString, double>> top; //!< token, logprob; most likely first
};

//! One streamed delta.
struct CompletionDelta
{
    int index = 0;
    QString text;
    QString reasoningContent;
    QList<TokenLogprob> logprobs; //!< the delta's tokens, when logprobs were asked for
    QString finishReason;         //!< set on the last delta of a choice
};

struct InferenceModel
{
    QString id;
    QString ownedBy;
    qint64 created = 0;
};

//! A streaming completion: emits deltaReceived() as events arrive and finished() once;
//! result() then holds the assembled Completion or the error (including one sent as a
//! `data: {"error": ...}` event mid-stream). abort() closes the connection.
class CompletionStream : public PendingCall<Completion>
{
    Q_OBJECT
public:
    CompletionStream(TransportReply *reply, bool chat, QObject *parent);
    double secondsToFirstToken() const { return m_firstTokenSeconds; }

Q_SIGNALS:
    void deltaReceived(const client::CompletionDelta &delta);

protected:
    void onReplyFinished(const HttpResponse &response) override;

private:
    void onChunk(const QByteArray &chunk);
    bool handleEvent(const SseEvent &event);
    Result<Completion> finalResult(const HttpResponse &response);

    SseParser m_parser;
    Completion m_completion;
    std::optional<ApiError> m_streamError;
    bool m_chat = true;
    bool m_done = false;
    qint64 m_startMs = 0;
    double m_firstTokenSeconds = -1;
};

//! The `model` string of a chat request that runs `model` on the dedicated deployment
//! `deployment` (platform-api.md §8.2): "<model>#<deployment>". Without a deployment the
//! model's own name (serverless, or its default deployed model).
QString inferenceModel(const QString &model, const QString &deployment = {});
//! The deployment a `model` string names after '#', empty when none (serverless).
QString inferenceDeployment(const QString &modelString);
//! The model a `model` string names before '#' (the whole string when serverless).
QString inferenceModelOf(const QString &modelString);

//! `messages` as the chat-completions body spells them (role, content, reasoning_content,
//! tool_calls, tool_call_id): what a request sends and what an exported conversation holds.
QJsonArray chatMessagesJson(const QList<ChatMessage> &messages);
//! The reverse, for reading an exported conversation back; messages without a role are skipped.
QList<ChatMessage> chatMessagesFromJson(const QJsonArray &messages);

//! The Python (openai package) that sends the chat request `body` (chatBody's output) to
//! `endpoint` (the chat-completions URL). The API key is read from $FIREWORKS_API_KEY; fields
//! the openai package does not name go in extra_body.
QString chatPythonCommand(const QUrl &endpoint, const QByteArray &body);

class InferenceClient
{
public:
    explicit InferenceClient(ApiClient *api) : m_api(api) {}
    PendingCall<QList<InferenceModel>> *listModels();
    PendingCall<Completion> *chat(const ChatRequest &request);
    CompletionStream *chatStream(const ChatRequest &request);
    PendingCall<Completion> *complete(const CompletionRequest &request);
    CompletionStream *completeStream(const CompletionRequest &request);

    //! The request chatStream() (stream) or chat() sends, for "Copy curl" and "Copy Python".
    HttpRequest chatRequest(const ChatRequest &request, bool stream) const;

    //! The JSON bodies, exposed for "copy as curl" and tests.
    static QByteArray chatBody(const ChatRequest &request, bool stream);
    static QByteArray completionBody(const CompletionRequest &request, bool stream);

private:
    ApiClient *m_api;
};

} // namespace client
