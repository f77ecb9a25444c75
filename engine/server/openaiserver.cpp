#include "openaiserver.h"

#include "httprequest.h"
#include "openairequest.h"

#include <engine/host/enginehost.h>

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>

namespace engineserver {

namespace {

constexpr int kClientClosedRequest = 499; // nginx's code for "the client went away"
constexpr qsizetype kMaxLogEntries = 1000;

QByteArray jsonString(const QString &s)
{
    // QJsonDocument escapes exactly as JSON wants; strip the array around the one string.
    const QByteArray a = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
    return a.mid(1, a.size() - 2);
}

QByteArray chunked(const QByteArray &data)
{
    return QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n";
}

QByteArray sseEvent(const QByteArray &data)
{
    return chunked("data: " + data + "\n\n");
}

double msSince(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

QJsonObject usageJson(const enginehost::GenerationStats &s)
{
    return {{QStringLiteral("prompt_tokens"), s.promptTokens},
            {QStringLiteral("completion_tokens"), s.completionTokens},
            {QStringLiteral("total_tokens"), s.promptTokens + s.completionTokens}};
}

} // namespace

struct OpenAiServer::Connection
{
    QTcpSocket *socket = nullptr;
    QByteArray buffer;
    bool busy = false;     // a request is being answered; later ones wait in `buffer`
    bool keepAlive = true; // of the request being answered
    quint64 job = 0;       // the completion being answered, if any
};

struct OpenAiServer::Job
{
    quint64 serial = 0;
    QPointer<QTcpSocket> socket; // null once the client went away
    int handle = 0;
    CompletionRequest request;
    bool keepAlive = true;
    QList<QPair<QByteArray, QByteArray>> cors;
    quint64 hostId = 0;
    QElapsedTimer since; // from receipt
    double firstTokenMs = -1;
    QByteArray chunkPrefix; // {"id":..,"object":..,"created":..,"model":..,
    RequestLogEntry entry;
};

OpenAiServer::OpenAiServer(enginehost::EngineHost *host, QObject *parent)
    : QObject(parent), m_host(host), m_server(new QTcpServer(this))
{
    qRegisterMetaType<engineserver::RequestLogEntry>();
    connect(m_server, &QTcpServer::newConnection, this, &OpenAiServer::acceptConnections);
    connect(m_host, &enginehost::EngineHost::tokensReady, this, &OpenAiServer::onTokens);
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
    m_guard = LoopbackGuard(options.address, m_server->serverPort(), options.allowedOrigins);
    Q_EMIT listeningChanged(true);
    return true;
}

void OpenAiServer::close()
{
    const bool was = m_server->isListening();
    m_server->close();
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

void OpenAiServer::acceptConnections()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        auto c = std::make_shared<Connection>();
        c->socket = socket;
        m_connections.insert(socket, c);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { readFrom(socket); });
        // Queued: a socket may report its end from inside a write or disconnectFromHost(),
        // while the code that called it still uses the connection.
        connect(
            socket, &QTcpSocket::disconnected, this, [this, socket] { dropConnection(socket); },
            Qt::QueuedConnection);
        if (socket->bytesAvailable() > 0)
            readFrom(socket);
    }
}

void OpenAiServer::readFrom(QTcpSocket *socket)
{
    auto c = m_connections.value(socket);
    if (!c)
        return;
    c->buffer += socket->readAll();
    processBuffer(*c);
}

void OpenAiServer::processBuffer(Connection &c)
{
    while (!c.busy && !c.buffer.isEmpty()) {
        HttpParseResult r = parseHttpRequest(c.buffer, m_options.maxBodyBytes);
        if (r.status == HttpParseResult::Status::NeedMore)
            return;
        if (r.status == HttpParseResult::Status::Error) {
            RequestLogEntry entry;
            entry.received = QDateTime::currentDateTime();
            entry.client = c.socket->peerAddress().toString();
            ApiError e;
            e.status = r.errorStatus;
            e.message = r.error;
            c.buffer.clear();
            // The rest of the stream cannot be framed any more: answer, then close.
            c.busy = true;
            c.keepAlive = false;
            respondError(c, entry, e);
            return;
        }
        c.buffer.remove(0, r.consumed);
        handle(c, r.request);
    }
}

void OpenAiServer::handle(Connection &c, const HttpRequest &req)
{
    RequestLogEntry entry;
    entry.received = QDateTime::currentDateTime();
    entry.client = c.socket->peerAddress().toString();
    entry.method = QString::fromLatin1(req.method);
    entry.route = QString::fromUtf8(req.path.left(200));
    c.busy = true;
    c.keepAlive = req.keepAlive();
    auto refuse = [&](int status, const QString &message, const QString &code = {}) {
        ApiError e;
        e.status = status;
        e.message = message;
        e.code = code;
        if (status == 421 || status == 403)
            e.type = QStringLiteral("permission_error");
        else if (status == 401)
            e.type = QStringLiteral("authentication_error");
        respondError(c, entry, e);
    };
    if (const QByteArray host = req.header("Host"); !m_guard.hostAllowed(host))
        return refuse(421, QStringLiteral("the Host header \"%1\" does not name this local "
                                          "server; requests through another name are refused "
                                          "against DNS rebinding")
                               .arg(QString::fromUtf8(host.left(200))));
    const QByteArray origin = req.header("Origin");
    if (!origin.isEmpty() && !m_guard.originAllowed(origin))
        return refuse(403, QStringLiteral("requests from the web origin \"%1\" are refused: this "
                                          "local server answers only origins its user listed")
                               .arg(QString::fromUtf8(origin.left(200))));
    if (req.method == "OPTIONS") {
        auto headers = corsHeaders(req);
        headers.append(
            {QByteArray("Access-Control-Allow-Methods"), QByteArray("GET, POST, OPTIONS")});
        headers.append({QByteArray("Access-Control-Allow-Headers"),
                        QByteArray("Authorization, Content-Type")});
        headers.append({QByteArray("Access-Control-Max-Age"), QByteArray("600")});
        return respond(c, entry, 204, {}, headers);
    }
    if (!m_options.apiKey.isEmpty()) {
        const QByteArray auth = req.header("Authorization");
        const QByteArray expected = "Bearer " + m_options.apiKey.toUtf8();
        // Compare every byte, so the time taken says nothing about how much of a guess matched.
        bool same = auth.size() == expected.size();
        for (qsizetype i = 0; i < expected.size(); ++i)
            same &= i < auth.size() && auth[i] == expected[i];
        if (!same)
            return refuse(401,
                          auth.isEmpty() ? QStringLiteral("this server needs an API key: send "
                                                          "\"Authorization: Bearer <key>\"")
                                         : QStringLiteral("incorrect API key provided"),
                          QStringLiteral("invalid_api_key"));
    }
    const QByteArray &path = req.path;
    auto wrongMethod = [&](const char *allowed) {
        refuse(405,
               QStringLiteral("use %1 on %2").arg(QLatin1String(allowed), QString::fromUtf8(path)));
    };
    if (path == "/health") {
        if (req.method != "GET")
            return wrongMethod("GET");
        return respond(c, entry, 200, R"({"status":"ok"})", corsHeaders(req));
    }
    if (path == "/v1/models" || path.startsWith("/v1/models/")) {
        if (req.method != "GET")
            return wrongMethod("GET");
        auto modelJson = [](const QString &id) {
            return QJsonObject{{QStringLiteral("id"), id},
                               {QStringLiteral("object"), QStringLiteral("model")},
                               {QStringLiteral("created"), 0},
                               {QStringLiteral("owned_by"), QStringLiteral("firedeck")}};
        };
        if (path != "/v1/models") {
            const QString id = QString::fromUtf8(QByteArray::fromPercentEncoding(path.mid(11)));
            if (!handleFor(id))
                return refuse(404, QStringLiteral("the model \"%1\" is not loaded").arg(id),
                              QStringLiteral("model_not_found"));
            return respond(c, entry, 200,
                           QJsonDocument(modelJson(id)).toJson(QJsonDocument::Compact),
                           corsHeaders(req));
        }
        QJsonArray data;
        for (const QString &id : modelIds())
            data.append(modelJson(id));
        const QJsonObject list{{QStringLiteral("object"), QStringLiteral("list")},
                               {QStringLiteral("data"), data}};
        return respond(c, entry, 200, QJsonDocument(list).toJson(QJsonDocument::Compact),
                       corsHeaders(req));
    }
    if (path == "/v1/chat/completions" || path == "/v1/completions") {
        if (req.method != "POST")
            return wrongMethod("POST");
        return serveCompletion(c, req, path == "/v1/chat/completions");
    }
    refuse(404,
           QStringLiteral("no route %1 %2: this server has GET /v1/models, "
                          "POST /v1/chat/completions and POST /v1/completions")
               .arg(QString::fromLatin1(req.method), QString::fromUtf8(path.left(200))),
           QStringLiteral("unknown_url"));
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
    const QByteArray id = (chat ? "chatcmpl-" : "cmpl-") +
                          QByteArray::number(QRandomGenerator::global()->generate64(), 36);
    job->chunkPrefix = R"({"id":")" + id + R"(","object":")" +
                       (chat ? "chat.completion.chunk" : "text_completion") + R"(","created":)" +
                       QByteArray::number(QDateTime::currentSecsSinceEpoch()) + R"(,"model":)" +
                       jsonString(job->request.model) + ",";
    m_jobs.insert(job->serial, job);
    c.job = job->serial;
    m_waiting[handle].append(job->serial);
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
            if (auto c = m_connections.value(job->socket.data())) {
                c->job = 0;
                ApiError e;
                e.status = 404;
                e.code = QStringLiteral("model_not_found");
                e.message = QStringLiteral("the model \"%1\" was unloaded").arg(job->request.model);
                respondError(*c, job->entry, e);
            }
            continue;
        }
        m_running.insert(handle, job->serial);
        m_jobByHostId.insert(job->hostId, job->serial);
        if (job->request.stream && job->socket) {
            QByteArray head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                              "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n";
            head += job->keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
            for (const auto &[k, v] : std::as_const(job->cors))
                head += k + ": " + v + "\r\n";
            head += "\r\n";
            if (job->request.chat) // OpenAI's first chunk names the role, with no text
                head += sseEvent(
                    job->chunkPrefix +
                    R"("choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}])" +
                    (job->request.includeUsage ? R"(,"usage":null})" : "}"));
            job->socket->write(head);
        }
    }
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
    const QByteArray piece = jsonString(text);
    QByteArray chunk = job->chunkPrefix;
    chunk += job->request.chat ? R"("choices":[{"index":0,"delta":{"content":)" + piece + "}"
                               : R"("choices":[{"index":0,"text":)" + piece;
    chunk += R"(,"logprobs":null,"finish_reason":null}])";
    chunk += job->request.includeUsage ? R"(,"usage":null})" : "}";
    job->socket->write(sseEvent(chunk));
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
    const double sinceFirst = msSince(job->since) - job->firstTokenMs;
    e.tokensPerSecond = job->firstTokenMs >= 0 && stats.completionTokens > 1 && sinceFirst > 0
                            ? double(stats.completionTokens - 1) / (sinceFirst / 1000.0)
                            : stats.tokensPerSecond;
    auto c = m_connections.value(job->socket.data());
    if (c)
        c->job = 0;
    const bool failed = stats.finishReason == QLatin1String("error") ||
                        stats.finishReason == QLatin1String("cancelled");
    const QString reason = stats.finishReason == QLatin1String("length") ? QStringLiteral("length")
                                                                         : QStringLiteral("stop");
    if (!c) {
        finishJob(job);
    } else if (failed && !job->request.stream) {
        ApiError err;
        err.status = stats.finishReason == QLatin1String("cancelled") ? 503 : 500;
        err.type = QStringLiteral("server_error");
        err.message = stats.finishReason == QLatin1String("cancelled")
                          ? QStringLiteral("the model was unloaded while answering")
                          : stats.error;
        respondError(*c, e, err);
    } else if (job->request.stream) {
        QByteArray out;
        if (failed) {
            ApiError err;
            err.type = QStringLiteral("server_error");
            err.message = stats.finishReason == QLatin1String("cancelled")
                              ? QStringLiteral("the model was unloaded while answering")
                              : stats.error;
            out += sseEvent(err.body());
            e.error = err.message;
        } else {
            QByteArray last = job->chunkPrefix;
            last += job->request.chat ? R"("choices":[{"index":0,"delta":{})"
                                      : R"("choices":[{"index":0,"text":"")";
            last += R"(,"logprobs":null,"finish_reason":")" + reason.toLatin1() + R"("}])";
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
                           {QStringLiteral("logprobs"), QJsonValue()},
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
        auto job = m_jobs.take(serial);
        if (!job)
            continue;
        auto c = m_connections.value(job->socket.data());
        if (!c) {
            finishJob(job);
            continue;
        }
        c->job = 0;
        ApiError e;
        e.status = 404;
        e.code = QStringLiteral("model_not_found");
        e.message = QStringLiteral("the model \"%1\" was unloaded").arg(job->request.model);
        respondError(*c, job->entry, e);
    }
}

void OpenAiServer::dropConnection(QTcpSocket *socket)
{
    auto c = m_connections.take(socket);
    if (!c) // close() has already let it go
        return;
    socket->deleteLater();
    if (!c->job)
        return;
    auto job = m_jobs.value(c->job);
    if (!job)
        return;
    job->socket = nullptr;
    if (job->hostId) { // running: stop within a token; onFinished then logs it
        m_host->cancelGeneration(job->hostId);
        return;
    }
    m_jobs.remove(job->serial);
    m_waiting[job->handle].removeAll(job->serial);
    finishJob(job);
}

QList<QPair<QByteArray, QByteArray>> OpenAiServer::corsHeaders(const HttpRequest &request) const
{
    const QByteArray origin = request.header("Origin");
    if (origin.isEmpty() || !m_guard.originAllowed(origin))
        return {};
    return {{"Access-Control-Allow-Origin", origin}, {"Vary", "Origin"}};
}

void OpenAiServer::respond(Connection &c, RequestLogEntry entry, int status, const QByteArray &body,
                           const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QByteArray out =
        "HTTP/1.1 " + QByteArray::number(status) + ' ' + httpReasonPhrase(status) + "\r\n";
    if (status != 204)
        out +=
            "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
            "\r\n";
    for (const auto &[k, v] : headers)
        out += k + ": " + v + "\r\n";
    if (!c.keepAlive)
        out += "Connection: close\r\n";
    out += "\r\n" + body;
    c.socket->write(out);
    entry.status = status;
    entry.durationMs = double(entry.received.msecsTo(QDateTime::currentDateTime()));
    log(entry);
    if (!c.keepAlive) {
        c.socket->disconnectFromHost();
        return; // busy stays set: nothing more is read from this connection
    }
    c.busy = false;
    processBuffer(c);
}

void OpenAiServer::respondError(Connection &c, RequestLogEntry entry, const ApiError &error)
{
    entry.error = error.message;
    respond(c, entry, error.status, error.body());
}

void OpenAiServer::log(RequestLogEntry entry)
{
    entry.id = m_nextId++;
    m_log.append(entry);
    if (m_log.size() > kMaxLogEntries)
        m_log.removeFirst();
    Q_EMIT requestLogged(entry);
}

} // namespace engineserver
