// OpenAiServer's HTTP side: connections, reading and framing requests, the owner-only checks
// (Host, Origin, API key), routing, and writing whole answers. The completions themselves
// (queue, streaming, results) are in openaiserver.cpp.
#include "openaiserver_p.h"

#include "httprequest.h"

#include <engine/host/enginehost.h>

#include <QJsonObject>
#include <QTcpServer>

#include <utility>

namespace engineserver {

using namespace detail;

namespace {

constexpr qsizetype kMaxLogEntries = 1000;

} // namespace

void OpenAiServer::acceptConnections()
{
    for (QTcpServer *server : {m_server, m_server6})
        while (QTcpSocket *socket = server->nextPendingConnection())
            accept(socket);
}

void OpenAiServer::accept(QTcpSocket *socket)
{
    auto c = std::make_shared<Connection>();
    c->socket = socket;
    // A connection that sends nothing is let go; one whose answer is still streaming is not.
    c->idle = new QTimer(socket);
    c->idle->setSingleShot(true);
    c->idle->setInterval(m_options.idleTimeoutMs);
    connect(c->idle, &QTimer::timeout, this, [this, socket] {
        if (auto conn = m_connections.value(socket); conn && conn->busy)
            conn->idle->start();
        else if (conn)
            socket->abort();
    });
    c->idle->start();
    m_connections.insert(socket, c);
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { readFrom(socket); });
    // Queued: a socket may report its end from inside a write or disconnectFromHost(), while
    // the code that called it still uses the connection.
    connect(
        socket, &QTcpSocket::disconnected, this, [this, socket] { dropConnection(socket); },
        Qt::QueuedConnection);
    if (socket->bytesAvailable() > 0)
        readFrom(socket);
}

void OpenAiServer::readFrom(QTcpSocket *socket)
{
    auto c = m_connections.value(socket);
    if (!c)
        return;
    c->buffer += socket->readAll();
    c->idle->start();
    processBuffer(*c);
}

void OpenAiServer::processBuffer(Connection &c)
{
    while (!c.busy && !c.buffer.isEmpty()) {
        HttpParseResult r = parseHttpRequest(c.buffer, m_options.maxBodyBytes);
        if (r.status == HttpParseResult::Status::NeedMore) {
            // Without it a client that asked waits a second before it sends the body.
            if (r.continueWanted && !std::exchange(c.continueSent, true))
                c.socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            return;
        }
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
        c.continueSent = false;
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
        const QByteArray auth = req.header("Authorization").trimmed();
        // The scheme is case-insensitive (RFC 9110: "bearer" is "Bearer").
        const qsizetype space = auth.indexOf(' ');
        const bool bearer =
            space > 0 && auth.left(space).compare("Bearer", Qt::CaseInsensitive) == 0;
        const QByteArray given = bearer ? auth.mid(space + 1).trimmed() : QByteArray();
        const QByteArray expected = m_options.apiKey.toUtf8();
        // Compare every byte, so the time taken says nothing about how much of a guess matched.
        bool same = given.size() == expected.size();
        for (qsizetype i = 0; i < expected.size(); ++i)
            same &= i < given.size() && given[i] == expected[i];
        if (!same)
            return refuse(
                401,
                auth.isEmpty()
                    ? QStringLiteral("this server needs an API key: send \"Authorization: Bearer "
                                     "<key>\"")
                // The key without "Bearer " was called incorrect, though it may be right.
                : !bearer ? QStringLiteral("the Authorization header needs the Bearer scheme: "
                                           "send \"Authorization: Bearer <key>\"")
                          : QStringLiteral("incorrect API key provided"),
                QStringLiteral("invalid_api_key"));
    }
    const QByteArray &path = req.path;
    auto wrongMethod = [&](const char *allowed) {
        refuse(405,
               QStringLiteral("use %1 on %2").arg(QLatin1String(allowed), QString::fromUtf8(path)));
    };
    if (path == "/health") {
        if (req.method != "GET" && req.method != "HEAD") // HEAD: GET's answer without its body
            return wrongMethod("GET");
        return respond(c, entry, 200, R"({"status":"ok"})", corsHeaders(req));
    }
    if (path == "/v1/models" || path.startsWith("/v1/models/")) {
        if (req.method != "GET" && req.method != "HEAD") // HEAD: GET's answer without its body
            return wrongMethod("GET");
        // "created" as OpenAI's: Unix seconds, here when the model was loaded.
        auto modelJson = [this](const QString &id) {
            const auto loaded = m_host->loadedModel(handleFor(id));
            return QJsonObject{{QStringLiteral("id"), id},
                               {QStringLiteral("object"), QStringLiteral("model")},
                               {QStringLiteral("created"), loaded ? loaded->loadedAtSecs : 0},
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
    out += "\r\n";
    // An answer to HEAD has no body (RFC 9110 §9.3.2): on a kept connection the client read
    // it as the start of the next answer.
    if (entry.method != QLatin1String("HEAD"))
        out += body;
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
    if (!entry.id) // a completion has its id since requestStarted
        entry.id = m_nextId++;
    m_log.append(entry);
    if (m_log.size() > kMaxLogEntries)
        m_log.removeFirst();
    Q_EMIT requestLogged(entry);
}

} // namespace engineserver
