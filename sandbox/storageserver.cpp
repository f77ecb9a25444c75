#include "storageserver.h"

#include <sandbox/byterange.h>
#include <sandbox/faultinjector.h>
#include <sandbox/platformservice.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

#include <memory>

namespace sandbox {

namespace {

Q_LOGGING_CATEGORY(lcStorage, "sandbox.storage", QtInfoMsg)

constexpr qint64 kMaxHeaderBytes = 64 * 1024;
// The socket buffers at most this much; the kernel's flow control holds back the rest, so
// memory stays flat whatever the body's size.
constexpr qint64 kReadBufferBytes = 1024 * 1024;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 206:
        return "Partial Content";
    case 308:
        return "Resume Incomplete"; // cloud storage's name for it in resumable uploads
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 411:
        return "Length Required";
    case 413:
        return "Payload Too Large";
    case 416:
        return "Range Not Satisfiable";
    case 421:
        return "Misdirected Request";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

const char *grpcForStatus(int status)
{
    switch (status) {
    case 400:
        return "INVALID_ARGUMENT";
    case 401:
        return "UNAUTHENTICATED";
    case 403:
        return "PERMISSION_DENIED";
    case 404:
        return "NOT_FOUND";
    case 429:
        return "RESOURCE_EXHAUSTED";
    case 503:
        return "UNAVAILABLE";
    case 504:
        return "DEADLINE_EXCEEDED";
    default:
        return "INTERNAL";
    }
}

} // namespace

//! One connection: headers, then the body streamed into a QSaveFile, then one answer.
class StorageServer::Connection : public QObject
{
public:
    Connection(StorageServer *server, QTcpSocket *socket)
        : QObject(server), m_server(server), m_socket(socket)
    {
        socket->setParent(this);
        socket->setReadBufferSize(kReadBufferBytes);
        connect(socket, &QTcpSocket::readyRead, this, [this] { onReadyRead(); });
        connect(socket, &QTcpSocket::disconnected, this, [this] { closed(); });
        connect(socket, &QTcpSocket::errorOccurred, this, [this] {
            if (m_socket->state() != QAbstractSocket::ConnectedState)
                closed();
        });
    }

private:
    enum class State { Headers, Paused, Body, Discard, Answered };

    void onReadyRead()
    {
        switch (m_state) {
        case State::Headers:
            readHeaders();
            break;
        case State::Body:
            readBody();
            break;
        case State::Discard:
            discardBody();
            break;
        case State::Paused:
        case State::Answered:
            break;
        }
    }

    void readHeaders()
    {
        m_head += m_socket->read(kMaxHeaderBytes - m_head.size() + 4);
        const qsizetype end = m_head.indexOf("\r\n\r\n");
        if (end < 0) {
            if (m_head.size() >= kMaxHeaderBytes)
                answerAndClose(ApiResponse::error(
                    "INVALID_ARGUMENT", QStringLiteral("the request headers are too long")));
            return;
        }
        const QByteArray rest = m_head.mid(end + 4);
        const QList<QByteArray> lines = m_head.left(end).split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        if (requestLine.size() != 3) {
            answerAndClose(
                ApiResponse::error("INVALID_ARGUMENT", QStringLiteral("malformed request line")));
            return;
        }
        m_request.method = requestLine[0];
        const QUrl url = QUrl::fromEncoded(requestLine[1]);
        m_request.path = url.path();
        m_request.query = QUrlQuery(url);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                m_request.headers.append(
                    {line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
        }
        bool lengthOk = false;
        const QByteArray lengthText = m_request.header("Content-Length");
        m_length = lengthText.isEmpty() ? 0 : lengthText.toLongLong(&lengthOk);
        m_hasLength = !lengthText.isEmpty() && lengthOk && m_length >= 0;
        m_pending = rest;
        m_head.clear();

        if (auto refused = m_server->m_guard.check(m_request)) {
            refuse(*refused);
            return;
        }
        int delayMs = 0;
        if (auto fault = m_server->m_faults->take(m_request.method, m_request.path)) {
            switch (fault->kind) {
            case Fault::Kind::Drop:
                m_state = State::Answered;
                m_socket->abort();
                return;
            case Fault::Kind::Status: {
                ApiResponse r =
                    ApiResponse::error(grpcForStatus(fault->status),
                                       QStringLiteral("injected fault on %1").arg(m_request.path));
                r.status = fault->status;
                if (fault->retryAfterSeconds > 0)
                    r.headers.append({"Retry-After", QByteArray::number(fault->retryAfterSeconds)});
                refuse(r);
                return;
            }
            case Fault::Kind::Latency:
                delayMs = fault->latencyMs;
                break;
            }
        }
        if (delayMs > 0) {
            m_state = State::Paused;
            QTimer::singleShot(delayMs, this, [this] { dispatch(); });
            return;
        }
        dispatch();
    }

    void dispatch()
    {
        if (m_socket->state() != QAbstractSocket::ConnectedState)
            return;
        if (m_request.method != "PUT") {
            if (m_hasLength && m_length > 0) {
                refuse(ApiResponse::error("INVALID_ARGUMENT",
                                          QStringLiteral("only PUT requests may have a body")));
                return;
            }
            if (m_request.method == "GET") {
                auto checked = m_server->m_service->beginSignedDownload(m_request);
                if (auto *refused = std::get_if<ApiResponse>(&checked))
                    answerAndClose(*refused);
                else
                    sendFile(std::get<QString>(checked));
                return;
            }
            answerAndClose(m_server->m_service->handle(m_request, nullptr));
            return;
        }
        if (!m_hasLength) {
            ApiResponse r = ApiResponse::error(
                "INVALID_ARGUMENT", QStringLiteral("uploads need a Content-Length header"));
            r.status = 411;
            answerAndClose(r);
            return;
        }
        auto checked = m_server->m_service->beginSignedUpload(m_request, m_length);
        if (auto *refused = std::get_if<ApiResponse>(&checked)) {
            refuse(*refused);
            return;
        }
        const auto target = std::get<PlatformService::UploadTarget>(checked);
        m_fileName = target.fileName;
        if (target.resumable) {
            // A chunk of a resumable session: appended to what the session has stored.
            m_chunk = target;
            m_partial = std::make_unique<QFile>(target.partialPath);
            if (!m_partial->open(QIODevice::WriteOnly | QIODevice::Append)) {
                m_partial.reset();
                refuse(ApiResponse::error("INTERNAL",
                                          QStringLiteral("could not store %1").arg(m_fileName)));
                return;
            }
            m_skip = target.skip;
            if (m_request.header("Expect").compare("100-continue", Qt::CaseInsensitive) == 0)
                m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            m_state = State::Body;
            readBody();
            return;
        }
        QDir().mkpath(QFileInfo(target.path).absolutePath());
        m_file = std::make_unique<QSaveFile>(target.path); // renamed only once complete
        if (!m_file->open(QIODevice::WriteOnly)) {
            m_file.reset();
            refuse(ApiResponse::error("INTERNAL",
                                      QStringLiteral("could not store %1").arg(m_fileName)));
            return;
        }
        if (m_request.header("Expect").compare("100-continue", Qt::CaseInsensitive) == 0)
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        m_state = State::Body;
        readBody();
    }

    void readBody()
    {
        while (m_state == State::Body) {
            QByteArray chunk =
                m_pending.isEmpty()
                    ? m_socket->read(std::min(kReadBufferBytes, m_length - m_received))
                    : std::exchange(m_pending, QByteArray());
            if (chunk.size() > m_length - m_received)
                chunk.truncate(m_length - m_received);
            if (m_partial) {
                if (!appendChunk(chunk))
                    return;
                continue;
            }
            if (!chunk.isEmpty()) {
                if (m_file->write(chunk) != chunk.size()) {
                    m_file->cancelWriting();
                    m_file.reset();
                    answerAndClose(ApiResponse::error(
                        "INTERNAL", QStringLiteral("could not store %1").arg(m_fileName)));
                    return;
                }
                m_received += chunk.size();
            }
            if (m_received == m_length) {
                const bool ok = m_file->commit();
                m_file.reset();
                answerAndClose(
                    ok ? ApiResponse::empty()
                       : ApiResponse::error("INTERNAL",
                                            QStringLiteral("could not store %1").arg(m_fileName)));
                return;
            }
            if (chunk.isEmpty())
                return; // wait for more
        }
    }

    //! A resumable chunk's bytes: the first m_skip are already stored (sent again after a
    //! chunk broke off), the rest are appended. False once answered.
    bool appendChunk(QByteArray chunk)
    {
        const qint64 drop = std::min<qint64>(m_skip, chunk.size());
        m_skip -= drop;
        m_received += chunk.size();
        chunk.remove(0, drop);
        if (!chunk.isEmpty() && (m_partial->write(chunk) != chunk.size() || !m_partial->flush())) {
            m_partial.reset();
            answerAndClose(
                ApiResponse::error("INTERNAL", QStringLiteral("could not store %1").arg(m_fileName)));
            return false;
        }
        if (m_received == m_length) {
            m_partial.reset();
            answerAndClose(m_server->m_service->resumableAnswer(m_chunk, true));
            return false;
        }
        return m_received < m_length && !(chunk.isEmpty() && drop == 0);
    }

    //! Answers an error after reading (and dropping) the announced body, so the client sees
    //! the answer rather than a connection closed in the middle of its upload.
    void refuse(const ApiResponse &response)
    {
        if (!m_hasLength || m_length <= 0) {
            answerAndClose(response);
            return;
        }
        m_refusal = response;
        m_state = State::Discard;
        discardBody();
    }

    void discardBody()
    {
        m_received += std::exchange(m_pending, QByteArray()).size();
        while (m_received < m_length) {
            const QByteArray chunk = m_socket->read(kReadBufferBytes);
            if (chunk.isEmpty())
                return;
            m_received += chunk.size();
        }
        answerAndClose(m_refusal);
    }

    void answerAndClose(const ApiResponse &r)
    {
        m_state = State::Answered;
        QByteArray out = "HTTP/1.1 " + QByteArray::number(r.status) + ' ' + reasonPhrase(r.status) +
                         "\r\nContent-Type: " + r.contentType +
                         "\r\nContent-Length: " + QByteArray::number(r.body.size()) +
                         "\r\nConnection: close\r\n";
        for (const auto &h : r.headers + m_server->m_guard.corsHeaders(m_request))
            out += h.first + ": " + h.second + "\r\n";
        out += "\r\n" + r.body;
        m_socket->write(out);
        m_socket->disconnectFromHost();
    }

    // Streams a stored file: the next chunk is read only when the socket has sent most of
    // the last one, so memory stays at a few MiB whatever the file's size.
    void sendFile(const QString &path)
    {
        m_download = std::make_unique<QFile>(path);
        if (!m_download->open(QIODevice::ReadOnly)) {
            m_download.reset();
            answerAndClose(ApiResponse::error(
                "INTERNAL", QStringLiteral("could not read %1").arg(QFileInfo(path).fileName())));
            return;
        }
        // A Range asks for a slice, as cloud storage serves one (a client resuming a download).
        const qint64 size = m_download->size();
        const ByteRange range = resolveByteRange(m_request.header("Range"), size);
        if (range.kind == ByteRange::Kind::Unsatisfiable) {
            m_download.reset();
            ApiResponse refused = ApiResponse::error(
                "OUT_OF_RANGE",
                QStringLiteral("the requested range is not satisfiable: the object has %1 bytes")
                    .arg(size));
            refused.status = 416;
            refused.headers.append(
                {QByteArray("Content-Range"), "bytes */" + QByteArray::number(size)});
            answerAndClose(refused);
            return;
        }
        QByteArray head;
        if (range.kind == ByteRange::Kind::Partial) {
            m_download->seek(range.first);
            m_remaining = range.last - range.first + 1;
            head = "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " +
                   QByteArray::number(range.first) + '-' + QByteArray::number(range.last) + '/' +
                   QByteArray::number(size) + "\r\n";
        } else {
            m_remaining = size;
            head = "HTTP/1.1 200 OK\r\n";
        }
        for (const auto &h : m_server->m_guard.corsHeaders(m_request))
            head += h.first + ": " + h.second + "\r\n";
        m_state = State::Answered;
        m_socket->write(head +
                        "Content-Type: application/octet-stream\r\nAccept-Ranges: bytes\r\n"
                        "Content-Length: " +
                        QByteArray::number(m_remaining) + "\r\nConnection: close\r\n\r\n");
        connect(m_socket, &QTcpSocket::bytesWritten, this, [this] { sendMore(); });
        sendMore();
    }

    void sendMore()
    {
        if (!m_download)
            return;
        while (m_socket->bytesToWrite() < kReadBufferBytes) {
            const QByteArray chunk = m_download->read(std::min(kReadBufferBytes, m_remaining));
            m_remaining -= chunk.size();
            if (chunk.isEmpty()) {
                m_download.reset();
                m_socket->disconnectFromHost(); // after the buffered bytes are sent
                return;
            }
            m_socket->write(chunk);
        }
    }

    void closed()
    {
        m_download.reset();
        if (m_partial) { // a chunk broke off: the session keeps its whole blocks
            m_partial.reset();
            qCInfo(lcStorage) << "chunk of" << m_fileName << "ended after" << m_received << "of"
                              << m_length << "bytes; whole blocks kept";
            (void)m_server->m_service->resumableAnswer(m_chunk, false);
        }
        if (m_file) {
            qCInfo(lcStorage) << "upload of" << m_fileName << "ended after" << m_received << "of"
                              << m_length << "bytes; nothing kept";
            m_file->cancelWriting();
            m_file.reset(); // QSaveFile removes its temporary file
        }
        m_state = State::Answered;
        deleteLater();
    }

    StorageServer *m_server;
    QTcpSocket *m_socket; // owned (child)
    State m_state = State::Headers;
    QByteArray m_head;
    QByteArray m_pending; // body bytes that came with the headers
    ApiRequest m_request;
    bool m_hasLength = false;
    qint64 m_length = 0;
    qint64 m_received = 0;
    QString m_fileName;
    std::unique_ptr<QSaveFile> m_file;
    std::unique_ptr<QFile> m_partial; // a resumable session's stored bytes, appended to
    PlatformService::UploadTarget m_chunk;
    qint64 m_skip = 0;
    std::unique_ptr<QFile> m_download; // the stored file a GET is sending
    qint64 m_remaining = 0;            // bytes of it still to send
    ApiResponse m_refusal;
};

StorageServer::StorageServer(PlatformService *service, FaultInjector *faults, QObject *parent)
    : QObject(parent), m_service(service), m_faults(faults), m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server->nextPendingConnection())
            new Connection(this, socket);
    });
}

StorageServer::~StorageServer() = default;

bool StorageServer::listen(const QHostAddress &address, QString *errorMessage)
{
    if (m_server->listen(address, 0)) {
        m_guard = RequestGuard(m_server->serverPort(), m_allowedOrigins);
        return true;
    }
    *errorMessage = QStringLiteral("cannot listen for uploads: %1").arg(m_server->errorString());
    return false;
}

QUrl StorageServer::baseUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(m_server->serverAddress().toString());
    url.setPort(m_server->serverPort());
    return url;
}

} // namespace sandbox
