#include "openaiserver.h"

#include "httprequest.h"
#include "openaiserver_p.h"

#include <engine/host/enginehost.h>

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkInterface>
#include <QPointer>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>

namespace engineserver {

using namespace detail;

namespace {

QJsonObject usageJson(const enginehost::GenerationStats &s)
{
    return {{QStringLiteral("prompt_tokens"), s.promptTokens},
            {QStringLiteral("completion_tokens"), s.completionTokens},
            {QStringLiteral("total_tokens"), s.promptTokens + s.completionTokens}};
}

QJsonArray utf8Bytes(const QString &text)
{
    QJsonArray out;
    for (const char c : text.toUtf8())
        out.append(int(static_cast<unsigned char>(c)));
    return out;
}

//! The answer's `logprobs` in the shape of the API asked: chat `{"content":[{token, logprob,
//! bytes, top_logprobs}]}`, completions `{tokens, token_logprobs, top_logprobs, text_offset}`;
//! null when none were asked for. `offset`: where the first token's text starts in the answer.
QJsonValue logprobsJson(const CompletionRequest &request,
                        const QList<enginehost::TokenLogprob> &tokenList, qsizetype offset = 0)
{
    if (!request.logprobs)
        return QJsonValue();
    const int top = request.topLogprobs;
    if (request.chat) {
        QJsonArray content;
        for (const enginehost::TokenLogprob &t : tokenList) {
            QJsonArray alternatives;
            for (qsizetype i = 0; i < t.top.size() && i < top; ++i)
                alternatives.append(
                    QJsonObject{{QStringLiteral("token"), t.top[i].first},
                                {QStringLiteral("logprob"), t.top[i].second},
                                {QStringLiteral("bytes"), utf8Bytes(t.top[i].first)}});
            content.append(QJsonObject{{QStringLiteral("token"), t.token},
                                       {QStringLiteral("logprob"), t.logprob},
                                       {QStringLiteral("bytes"), utf8Bytes(t.token)},
                                       {QStringLiteral("top_logprobs"), alternatives}});
        }
        return QJsonObject{{QStringLiteral("content"), content}};
    }
    QJsonArray tokens, tokenLogprobs, topLogprobs, offsets;
    for (const enginehost::TokenLogprob &t : tokenList) {
        tokens.append(t.token);
        tokenLogprobs.append(t.logprob);
        QJsonObject alternatives;
        for (qsizetype i = 0; i < t.top.size() && i < top; ++i)
            alternatives.insert(t.top[i].first, t.top[i].second);
        topLogprobs.append(top > 0 ? QJsonValue(alternatives) : QJsonValue());
        offsets.append(qint64(offset));
        offset += t.token.size();
    }
    return QJsonObject{{QStringLiteral("tokens"), tokens},
                       {QStringLiteral("token_logprobs"), tokenLogprobs},
                       {QStringLiteral("top_logprobs"), topLogprobs},
                       {QStringLiteral("text_offset"), offsets}};
}

//! The answer to a generation that failed, in the engine's words. Its status follows the rule
//! the playground's Retry advice follows (enginehost::remedyFor): 503 when the same request may
//! pass later (memory, I/O, the device; a model unloaded while answering), 400 when the request
//! must change (a prompt longer than the context, messages the chat template refuses), 500
//! when the loaded model or the engine is at fault. `chat`: a chat request (its prompt is
//! `messages`), else a completion (`prompt`).
ApiError generationError(const enginehost::GenerationStats &stats, bool chat)
{
    ApiError err;
    err.type = QStringLiteral("server_error");
    if (stats.finishReason == QLatin1String("cancelled")) {
        err.status = 503;
        err.message = QStringLiteral("the model was unloaded while answering");
        return err;
    }
    err.message = stats.error;
    switch (enginehost::remedyFor(stats.errorKind)) {
    case enginehost::Remedy::RetryLater:
        err.status = 503;
        break;
    case enginehost::Remedy::ChangeRequest:
        err.status = 400;
        err.type = QStringLiteral("invalid_request_error");
        if (stats.errorKind == enginehost::ErrorKind::ContextLength) {
            err.param = chat ? QStringLiteral("messages") : QStringLiteral("prompt");
            err.code = QStringLiteral("context_length_exceeded");
        }
        break;
    case enginehost::Remedy::ChangeModel:
        err.status = 500;
        break;
    }
    return err;
}

} // namespace

OpenAiServer::OpenAiServer(enginehost::EngineHost *host, QObject *parent)
    : QObject(parent), m_host(host), m_server(new QTcpServer(this)), m_server6(new QTcpServer(this))
{
    qRegisterMetaType<engineserver::RequestLogEntry>();
    connect(m_server, &QTcpServer::newConnection, this, &OpenAiServer::acceptConnections);
    connect(m_server6, &QTcpServer::newConnection, this, &OpenAiServer::acceptConnections);
    connect(m_host, &enginehost::EngineHost::tokensReady, this, &OpenAiServer::onTokens);
    connect(m_host, &enginehost::EngineHost::tokenLogprobsReady, this,
            &OpenAiServer::onTokenLogprobs);
    connect(m_host, &enginehost::EngineHost::generationFinished, this, &OpenAiServer::onFinished);
    connect(m_host, &enginehost::EngineHost::modelUnloaded, this, &OpenAiServer::onModelUnloaded);
}

OpenAiServer::~OpenAiServer()
{
    close();
}

bool OpenAiServer::listen(const ServerOptions &options)
{
    close();
    m_options = options;
    if (!m_server->listen(options.address, options.port)) {
        m_error = QStringLiteral("cannot listen on %1 port %2: %3")
                      .arg(options.address.toString())
                      .arg(options.port)
                      .arg(m_server->errorString());
        return false;
    }
    m_error.clear();
    // Best effort: a machine without IPv6 is served on 127.0.0.1 alone.
    if (options.address == QHostAddress(QHostAddress::LocalHost))
        (void)m_server6->listen(QHostAddress::LocalHostIPv6, m_server->serverPort());
    m_guard = LoopbackGuard(options.address, m_server->serverPort(), options.allowedOrigins);
    Q_EMIT listeningChanged(true);
    return true;
}

void OpenAiServer::setAccess(const QString &apiKey, const QStringList &allowedOrigins)
{
    m_options.apiKey = apiKey;
    m_options.allowedOrigins = allowedOrigins;
    if (m_server->isListening())
        m_guard = LoopbackGuard(m_options.address, m_server->serverPort(), allowedOrigins);
}

void OpenAiServer::close()
{
    const bool was = m_server->isListening();
    m_server->close();
    m_server6->close();
    // Cancel what runs; its generationFinished then finds no socket and only logs.
    for (const auto &job : std::as_const(m_jobs)) {
        job->socket = nullptr;
        if (job->hostId)
            m_host->cancelGeneration(job->hostId);
    }
    for (auto it = m_waiting.begin(); it != m_waiting.end(); ++it)
        for (quint64 serial : std::as_const(it.value()))
            if (auto job = m_jobs.take(serial))
                finishJob(job);
    m_waiting.clear();
    const auto sockets = m_connections.keys();
    m_connections.clear();
    for (QTcpSocket *s : sockets) {
        s->disconnect(this);
        s->abort();
        s->deleteLater();
    }
    if (was)
        Q_EMIT listeningChanged(false);
}

bool OpenAiServer::isListening() const
{
    return m_server->isListening();
}

quint16 OpenAiServer::port() const
{
    return m_server->serverPort();
}

QString OpenAiServer::baseUrl() const
{
    QHostAddress a = m_options.address;
    QString host = a.toString();
    if (a == QHostAddress(QHostAddress::Any) || a == QHostAddress(QHostAddress::AnyIPv4))
        host = QStringLiteral("127.0.0.1");
    else if (a == QHostAddress(QHostAddress::AnyIPv6))
        host = QStringLiteral("[::1]");
    else if (a.protocol() == QAbstractSocket::IPv6Protocol)
        host = QLatin1Char('[') + host + QLatin1Char(']');
    return QStringLiteral("http://%1:%2/v1").arg(host).arg(port());
}

QStringList OpenAiServer::networkUrls() const
{
    QStringList urls;
    const QHostAddress a = m_options.address;
    if (!isListening() ||
        (a != QHostAddress(QHostAddress::Any) && a != QHostAddress(QHostAddress::AnyIPv4)))
        return urls;
    for (const QHostAddress &mine : QNetworkInterface::allAddresses())
        if (!mine.isLoopback() && mine.protocol() == QAbstractSocket::IPv4Protocol)
            urls << QStringLiteral("http://%1:%2/v1").arg(mine.toString()).arg(port());
    return urls;
}

QString OpenAiServer::exposureWarning(const QHostAddress &address)
{
    if (address.isLoopback())
        return {};
    return QStringLiteral("the server listens on %1, so other machines that can reach this one "
                          "can use the loaded models%2")
        .arg(address.toString(),
             QStringLiteral("; set an API key, and serve on 127.0.0.1 unless you need this"));
}

QList<QPair<QString, int>> OpenAiServer::servedModels() const
{
    QList<QPair<QString, int>> out;
    QStringList seen;
    for (const enginehost::LoadedModel &m : m_host->loadedModels()) {
        QString id = m.adapterDir.isEmpty() ? m.name : QFileInfo(m.adapterDir).fileName();
        if (seen.contains(id)) // the same folder loaded twice: the later one by its handle
            id += QStringLiteral(":%1").arg(m.handle);
        seen << id;
        out.append({id, m.handle});
    }
    return out;
}

QStringList OpenAiServer::modelIds() const
{
    QStringList ids;
    for (const auto &[id, handle] : servedModels())
        ids << id;
    return ids;
}

QString OpenAiServer::modelIdFor(int handle) const
{
    for (const auto &[id, served] : servedModels())
        if (served == handle)
            return id;
    return {};
}

int OpenAiServer::handleFor(const QString &id) const
{
    for (const auto &[served, handle] : servedModels())
        if (served == id)
            return handle;
    return 0;
}

int OpenAiServer::queuedRequests() const
{
    int n = 0;
    for (const auto &q : m_waiting)
        n += int(q.size());
    return n;
}

void OpenAiServer::serveCompletion(Connection &c, const HttpRequest &req, bool chat)
{
    RequestLogEntry entry;
    entry.received = QDateTime::currentDateTime();
    entry.client = c.socket->peerAddress().toString();
    entry.method = QString::fromLatin1(req.method);
    entry.route = QString::fromUtf8(req.path);
    QElapsedTimer since;
    since.start();
    ApiError error;
    std::optional<CompletionRequest> parsed = parseCompletionRequest(req.body, chat, &error);
    if (!parsed)
        return respondError(c, entry, error);
    entry.model = parsed->model;
    entry.streamed = parsed->stream;
    const int handle = handleFor(parsed->model);
    if (!handle) {
        const QStringList ids = modelIds();
        error = ApiError::invalid(
            QStringLiteral("model"),
            ids.isEmpty() ? QStringLiteral("the model \"%1\" is not loaded: no model is loaded")
                                .arg(parsed->model)
                          : QStringLiteral("the model \"%1\" is not loaded; this server has %2")
                                .arg(parsed->model, ids.join(QStringLiteral(", "))));
        error.status = 404;
        error.code = QStringLiteral("model_not_found");
        return respondError(c, entry, error);
    }
    auto job = std::make_shared<Job>();
    job->serial = m_nextId++;
    job->socket = c.socket;
    job->handle = handle;
    job->request = std::move(*parsed);
    job->keepAlive = req.keepAlive();
    job->cors = corsHeaders(req);
    job->since = since;
    job->entry = entry;
    job->entry.id = job->serial; // requestStarted's and requestLogged's
    const QByteArray id = (chat ? "chatcmpl-" : "cmpl-") +
                          QByteArray::number(QRandomGenerator::global()->generate64(), 36);
    job->chunkPrefix = R"({"id":")" + id + R"(","object":")" +
                       (chat ? "chat.completion.chunk" : "text_completion") + R"(","created":)" +
                       QByteArray::number(QDateTime::currentSecsSinceEpoch()) + R"(,"model":)" +
                       jsonString(job->request.model) + ",";
    m_jobs.insert(job->serial, job);
    c.job = job->serial;
    m_waiting[handle].append(job->serial);
    Q_EMIT requestStarted(job->entry);
    startNext(handle);
}

void OpenAiServer::startNext(int handle)
{
    while (!m_running.contains(handle)) {
        QList<quint64> &queue = m_waiting[handle];
        if (queue.isEmpty()) {
            m_waiting.remove(handle);
            return;
        }
        auto job = m_jobs.value(queue.takeFirst());
        if (!job)
            continue;
        job->entry.queuedMs = msSince(job->since);
        job->hostId = m_host->generate(handle, job->request.generation);
        if (!job->hostId) { // unloaded between the request and its turn
            m_jobs.remove(job->serial);
            answerUnloaded(job);
            continue;
        }
        m_running.insert(handle, job->serial);
        m_jobByHostId.insert(job->hostId, job->serial);
        // A streamed answer's head goes out with its first token, so that a request the
        // engine refuses (a prompt longer than the context) still gets a plain 400.
    }
}

void OpenAiServer::writeStreamHead(Job &job)
{
    if (std::exchange(job.headSent, true) || !job.socket)
        return;
    QByteArray head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                      "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n";
    head += job.keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
    for (const auto &[k, v] : std::as_const(job.cors))
        head += k + ": " + v + "\r\n";
    head += "\r\n";
    if (job.request.chat) // OpenAI's first chunk names the role, with no text
        head += sseEvent(
            job.chunkPrefix +
            R"("choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}])" +
            (job.request.includeUsage ? R"(,"usage":null})" : "}"));
    job.socket->write(head);
}

void OpenAiServer::onTokens(quint64 hostId, const QString &text)
{
    auto job = m_jobs.value(m_jobByHostId.value(hostId));
    if (!job)
        return; // another user of the host (the playground)
    if (job->firstTokenMs < 0)
        job->firstTokenMs = msSince(job->since);
    if (!job->request.stream || !job->socket)
        return;
    writeStreamHead(*job);
    const QByteArray piece = jsonString(text);
    QByteArray chunk = job->chunkPrefix;
    chunk += job->request.chat ? R"("choices":[{"index":0,"delta":{"content":)" + piece + "}"
                               : R"("choices":[{"index":0,"text":)" + piece;
    chunk += ",\"logprobs\":" + takeStreamLogprobs(*job) + R"(,"finish_reason":null}])";
    chunk += job->request.includeUsage ? R"(,"usage":null})" : "}";
    job->socket->write(sseEvent(chunk));
}

void OpenAiServer::onTokenLogprobs(quint64 hostId, const QList<enginehost::TokenLogprob> &tokens)
{
    auto job = m_jobs.value(m_jobByHostId.value(hostId));
    // Sent with the next chunk: the host emits a piece's tokens just before its text.
    if (job && job->request.stream && job->request.logprobs)
        job->unsentLogprobs += tokens;
}

QByteArray OpenAiServer::takeStreamLogprobs(Job &job)
{
    if (!job.request.logprobs || job.unsentLogprobs.isEmpty())
        return "null";
    const QList<enginehost::TokenLogprob> tokens = std::exchange(job.unsentLogprobs, {});
    const QJsonValue value = logprobsJson(job.request, tokens, job.streamedTokenChars);
    for (const enginehost::TokenLogprob &t : tokens)
        job.streamedTokenChars += t.token.size();
    return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
}

void OpenAiServer::onFinished(quint64 hostId, const enginehost::GenerationStats &stats)
{
    const quint64 serial = m_jobByHostId.take(hostId);
    auto job = m_jobs.take(serial);
    if (!job)
        return;
    if (m_running.value(job->handle) == serial)
        m_running.remove(job->handle);
    RequestLogEntry &e = job->entry;
    e.finishReason = stats.finishReason;
    e.promptTokens = stats.promptTokens;
    e.completionTokens = stats.completionTokens;
    e.timeToFirstTokenMs = job->firstTokenMs;
    // The same rule as the playground's figures (models::ReplyFigures): a rate needs two tokens
    // and a measurable time between the first and the last; otherwise none (0, shown empty)
    // rather than a figure such as 115,000 tok/s from one token microseconds apart.
    const double sinceFirst = msSince(job->since) - job->firstTokenMs;
    e.tokensPerSecond = job->firstTokenMs >= 0 && stats.completionTokens > 1 && sinceFirst >= 1.0
                            ? double(stats.completionTokens - 1) / (sinceFirst / 1000.0)
                            : 0.0;
    auto c = m_connections.value(job->socket.data());
    if (c)
        c->job = 0;
    const bool failed = stats.finishReason == QLatin1String("error") ||
                        stats.finishReason == QLatin1String("cancelled");
    const QString reason = stats.finishReason == QLatin1String("length") ? QStringLiteral("length")
                                                                         : QStringLiteral("stop");
    if (!c) {
        finishJob(job);
    } else if (failed && !job->headSent) {
        respondError(*c, e, generationError(stats, job->request.chat));
    } else if (job->request.stream) {
        writeStreamHead(*job);
        QByteArray out;
        if (failed) { // after the first token: the stream ends with an error event
            const ApiError err = generationError(stats, job->request.chat);
            out += sseEvent(err.body());
            e.error = err.message;
        } else {
            QByteArray last = job->chunkPrefix;
            last += job->request.chat ? R"("choices":[{"index":0,"delta":{})"
                                      : R"("choices":[{"index":0,"text":"")";
            // Each chunk carried its tokens' log probabilities (clients append the chunks'
            // logprobs.content); the last one those of tokens that brought no text.
            last += ",\"logprobs\":" + takeStreamLogprobs(*job) + R"(,"finish_reason":")" +
                    reason.toLatin1() + R"("}])";
            last += job->request.includeUsage ? R"(,"usage":null})" : "}";
            out += sseEvent(last);
            if (job->request.includeUsage)
                out +=
                    sseEvent(job->chunkPrefix + R"("choices":[],"usage":)" +
                             QJsonDocument(usageJson(stats)).toJson(QJsonDocument::Compact) + "}");
        }
        out += sseEvent("[DONE]");
        out += "0\r\n\r\n";
        c->socket->write(out);
        e.status = 200;
        e.durationMs = msSince(job->since);
        log(e);
        if (!c->keepAlive) {
            c->socket->disconnectFromHost();
        } else {
            c->busy = false;
            processBuffer(*c);
        }
    } else {
        QJsonObject choice{{QStringLiteral("index"), 0},
                           {QStringLiteral("logprobs"), logprobsJson(job->request, stats.tokens)},
                           {QStringLiteral("finish_reason"), reason}};
        if (job->request.chat)
            choice.insert(QStringLiteral("message"),
                          QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                      {QStringLiteral("content"), stats.text}});
        else
            choice.insert(QStringLiteral("text"), stats.text);
        const QJsonObject out{
            {QStringLiteral("id"),
             QString::fromLatin1(job->chunkPrefix.mid(7, job->chunkPrefix.indexOf('"', 7) - 7))},
            {QStringLiteral("object"), job->request.chat ? QStringLiteral("chat.completion")
                                                         : QStringLiteral("text_completion")},
            {QStringLiteral("created"), QDateTime::currentSecsSinceEpoch()},
            {QStringLiteral("model"), job->request.model},
            {QStringLiteral("choices"), QJsonArray{choice}},
            {QStringLiteral("usage"), usageJson(stats)}};
        respond(*c, e, 200, QJsonDocument(out).toJson(QJsonDocument::Compact), job->cors);
    }
    startNext(job->handle);
}

void OpenAiServer::finishJob(const std::shared_ptr<Job> &job)
{
    // The client went away (or the server closed) before the answer was complete.
    RequestLogEntry e = job->entry;
    e.status = kClientClosedRequest;
    e.timeToFirstTokenMs = job->firstTokenMs;
    e.durationMs = msSince(job->since);
    if (e.finishReason.isEmpty())
        e.finishReason = QStringLiteral("cancelled");
    e.error = QStringLiteral("the client closed the connection");
    log(e);
}

void OpenAiServer::onModelUnloaded(int handle)
{
    // Waiting requests for the model are answered now; a running one ends through
    // generationFinished (cancelled by the host).
    const QList<quint64> waiting = m_waiting.take(handle);
    for (quint64 serial : waiting) {
        if (auto job = m_jobs.take(serial))
            answerUnloaded(job);
    }
}

void OpenAiServer::answerUnloaded(const std::shared_ptr<Job> &job)
{
    auto c = m_connections.value(job->socket.data());
    if (!c) {
        finishJob(job);
        return;
    }
    c->job = 0;
    ApiError e;
    e.status = 404;
    e.code = QStringLiteral("model_not_found");
    e.message = QStringLiteral("the model \"%1\" was unloaded").arg(job->request.model);
    respondError(*c, job->entry, e);
}

} // namespace engineserver
